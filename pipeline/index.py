"""Index stage: the Elasticsearch client, index creation, and bulk indexing with per-item results.

Every bulk item's result is looked at: failures are returned (for the dead-letter index), never
dropped. Writes use stable ids, so re-running a batch overwrites instead of duplicating.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch, helpers

from pipeline.settings import Settings

RAW_MAPPING: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "input": {"type": "keyword"},
        "feed": {"type": "keyword"},
        "raw_url": {"type": "keyword"},
        "source": {"type": "keyword"},
        "raw_title": {"type": "text"},
        "published": {"type": "keyword"},
        "fetched_at": {"type": "date"},
        "ingested_at": {"type": "date"},
    },
}


def client(settings: Settings) -> Elasticsearch:
    """An Elasticsearch client configured from settings (URL, API key or basic auth, TLS)."""
    kwargs: dict[str, Any] = {"request_timeout": 30, "retry_on_timeout": True, "max_retries": 3}
    if settings.es_api_key:
        kwargs["api_key"] = settings.es_api_key
    elif settings.es_username:
        kwargs["basic_auth"] = (settings.es_username, settings.es_password or "")
    if settings.es_url.startswith("https"):
        kwargs["verify_certs"] = settings.es_verify_certs
        if settings.es_ca_certs:
            kwargs["ca_certs"] = settings.es_ca_certs
    return Elasticsearch(settings.es_url, **kwargs)


def ensure_index(es: Elasticsearch, name: str, mappings: dict[str, Any], settings: dict[str, Any] | None = None) -> bool:
    """Create `name` if it does not exist; return True if it was created."""
    if es.indices.exists(index=name):
        return False
    body_settings = {"number_of_shards": 1, "number_of_replicas": 0, **(settings or {})}
    try:
        es.indices.create(index=name, mappings=mappings, settings=body_settings)
    except Exception as exc:  # a concurrent worker may have created it first
        if "resource_already_exists_exception" in str(exc):
            return False
        raise
    return True


def raw_id(url: str | None, input_ref: str) -> str:
    """Stable id of a raw article: the hash of its link, or of where it came from when it has none."""
    key = url or input_ref
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class BulkReport:
    ok: int = 0
    created: int = 0
    updated: int = 0
    noop: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)  # {"id", "status", "error", "doc"}


def bulk_index(
    es: Elasticsearch,
    index: str,
    docs: Iterable[tuple[str, dict[str, Any]]],
    *,
    op_type: str = "index",
    refresh: bool | str = False,
    chunk_size: int = 500,
) -> BulkReport:
    """Index `(id, doc)` pairs; op_type 'create' keeps the first version of a document."""
    report = BulkReport()
    sources: dict[str, dict[str, Any]] = {}

    def actions() -> Iterator[dict[str, Any]]:
        for doc_id, doc in docs:
            sources[doc_id] = doc
            yield {"_op_type": op_type, "_index": index, "_id": doc_id, "_source": doc}

    for ok, item in helpers.streaming_bulk(
        es, actions(), chunk_size=chunk_size, raise_on_error=False, raise_on_exception=False,
        max_retries=3, initial_backoff=1, refresh=refresh,
    ):
        result = next(iter(item.values()))
        doc_id = result.get("_id")
        if ok:
            report.ok += 1
            outcome = result.get("result")
            if outcome == "created":
                report.created += 1
            elif outcome == "updated":
                report.updated += 1
            elif outcome == "noop":
                report.noop += 1
        elif op_type == "create" and result.get("status") == 409:
            report.noop += 1  # already there: the stable id made the re-run a no-op
        else:
            report.failed.append(
                {"id": doc_id, "status": result.get("status"), "error": result.get("error"), "doc": sources.get(doc_id)}
            )
        sources.pop(doc_id, None)
    return report


# --- The main index: versioned (`<prefix>-v1`) behind a read alias (`<prefix>`) and a write alias.
INDEX_VERSION = 1

ARTICLE_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "keyword"},
        "input": {"type": "keyword"},
        "feed": {"type": "keyword"},
        "url": {"type": "keyword"},
        "source": {"type": "keyword"},
        "title": {"type": "text", "fields": {"raw": {"type": "keyword", "ignore_above": 512}}},
        "byline": {"type": "keyword"},
        "text": {"type": "text"},
        "language": {"type": "keyword"},
        "published": {"type": "keyword", "index": False},
        "published_at": {"type": "date"},
        "published_at_source": {"type": "keyword"},
        "dateline": {"type": "keyword"},
        "date_reference": {"type": "date", "format": "yyyy-MM-dd"},
        "date_reference_source": {"type": "keyword"},
        "dates": {"type": "object", "properties": {"text": {"type": "keyword"}, "value": {"type": "keyword"}, "granularity": {"type": "keyword"}}},
        "entities": {"type": "object", "properties": {"id": {"type": "keyword"}, "name": {"type": "keyword"}, "type": {"type": "keyword"}, "mentions": {"type": "keyword"}, "linked": {"type": "boolean"}}},
        "relevant": {"type": "boolean"},
        "relevance_score": {"type": "float"},
        "content_hash": {"type": "keyword"},
        "minhash": {"type": "long", "index": False, "doc_values": False},
        "duplicate_of": {"type": "keyword"},
        "story_id": {"type": "keyword"},
        "fetched_at": {"type": "date"},
        "ingested_at": {"type": "date"},
        "schema_version": {"type": "integer"},
        "minhash_bands": {"type": "keyword"},
        "story_date": {"type": "date", "format": "yyyy-MM-dd"},
        "story_dates": {"type": "date", "format": "yyyy-MM-dd"},
        "story_entities": {"type": "keyword"},
    },
}

# Fields of `Article` that are kept only in the raw index, not in the article index.
RAW_ONLY_FIELDS = ("raw_url", "raw_title", "raw_text", "raw_html", "summary")


def versioned_index(settings: Settings, version: int) -> str:
    """Name of version `version` of the article index: `<prefix>-v<version>`."""
    return f"{settings.index_prefix}-v{version}"


def current_index(es: Elasticsearch, settings: Settings) -> str | None:
    """The concrete index behind the read alias, or None before the first run."""
    if not es.indices.exists_alias(name=settings.read_alias):
        return None
    return sorted(es.indices.get_alias(name=settings.read_alias))[-1]


def create_index_version(es: Elasticsearch, settings: Settings, version: int) -> str:
    """Create `<prefix>-v<version>` (no aliases yet); return its name."""
    name = versioned_index(settings, version)
    ensure_index(es, name, ARTICLE_MAPPING)
    return name


def switch_aliases(es: Elasticsearch, settings: Settings, new_index: str) -> None:
    """Point the read and write aliases at `new_index` in one atomic alias update: searches never see
    an empty window, and no write goes to the old index after the switch."""
    actions: list[dict[str, Any]] = []
    for alias in (settings.read_alias, settings.write_alias):
        if es.indices.exists_alias(name=alias):
            for old in es.indices.get_alias(name=alias):
                if old != new_index:
                    actions.append({"remove": {"index": old, "alias": alias}})
    actions.append({"add": {"index": new_index, "alias": settings.read_alias}})
    actions.append({"add": {"index": new_index, "alias": settings.write_alias, "is_write_index": True}})
    es.indices.update_aliases(actions=actions)


def ensure_main_index(es: Elasticsearch, settings: Settings, version: int = INDEX_VERSION) -> str:
    """The index behind the aliases; on first use, create `<prefix>-v<version>` and point them at it."""
    existing = current_index(es, settings)
    if existing:
        return existing
    name = create_index_version(es, settings, version)
    switch_aliases(es, settings, name)
    return name


def article_document(article: Any) -> tuple[str, dict[str, Any]]:
    """`(id, document)` of a processed article for the article index."""
    doc = {k: v for k, v in article.to_dict().items() if k not in RAW_ONLY_FIELDS and v is not None}
    if not article.id:
        raise ValueError(f"article {article.input} has no id: run the dedupe stage first")
    return article.id, doc


def index_articles(es: Elasticsearch, settings: Settings, articles: Iterable[Any], refresh: bool | str = False) -> BulkReport:
    """Bulk-index processed articles through the write alias under their stable ids."""
    ensure_main_index(es, settings)
    return bulk_index(es, settings.write_alias, (article_document(a) for a in articles), refresh=refresh)
