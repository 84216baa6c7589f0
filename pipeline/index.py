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
