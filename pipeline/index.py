"""Index stage: the Elasticsearch client, and processed articles written to the article index under
their stable ids, each new or changed one with the next `ingest_seq`.

This module is also the one entry point for index work: it re-exports the plumbing (`pipeline.elastic`:
index creation, bulk writes with per-item results), the article index's versions, aliases and template
(`pipeline.article_index`) and the document builder (`pipeline.documents`), so `from pipeline.index
import X` finds them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from elasticsearch import Elasticsearch

from pipeline import sequence
from pipeline.article_index import (  # noqa: F401 - re-exported
    ARTICLE_MAPPING,
    INDEX_SETTINGS,
    INDEX_VERSION,
    LANGUAGE_ANALYZERS,
    add_missing_fields,
    available_analyzers,
    create_index_version,
    current_index,
    ensure_main_index,
    ensure_template,
    load_mapping,
    mapping_for_cluster,
    missing_properties,
    switch_aliases,
    template_name,
    versioned_index,
)
from pipeline.documents import (  # noqa: F401 - re-exported
    ENTITY_FIELDS,
    RAW_ONLY_FIELDS,
    article_document,
    dates_mentioned,
    entity_fields,
    geo_point,
)
from pipeline.elastic import BulkReport, bulk_index, ensure_index  # noqa: F401 - re-exported
from pipeline.settings import Settings


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


# Fields that change on every run without the article changing: not compared to decide "unchanged".
_VOLATILE_FIELDS = frozenset({"ingest_seq", "ingested_at", "fetched_at"})


def _unchanged(stored: dict[str, Any] | None, doc: dict[str, Any]) -> bool:
    if stored is None:
        return False

    def strip(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if k not in _VOLATILE_FIELDS}

    return strip(stored) == strip(doc)


def index_articles(
    es: Elasticsearch,
    settings: Settings,
    articles: Iterable[Any],
    *,
    index: str | None = None,
    chunk_size: int = 500,
    lease_ttl_s: float = sequence.DEFAULT_LEASE_TTL_S,
) -> BulkReport:
    """Bulk-index processed articles through the write alias (or `index`) under their stable ids,
    each new or changed one with the next `ingest_seq`; an unchanged one is left alone (no-op).

    Numbers come from a lease (`pipeline.sequence`), released only once the documents are searchable,
    so the change feed never skips one. `ingest_seq` is also the document's external version: of two
    concurrent writes of one id, the later number wins. Documents are searchable when it returns."""
    ensure_main_index(es, settings)
    target = index or settings.write_alias
    report = BulkReport()
    docs = [article_document(a) for a in articles]
    for start in range(0, len(docs), chunk_size):
        _index_chunk(es, settings, target, docs[start : start + chunk_size], report, lease_ttl_s)
    return report


def _index_chunk(
    es: Elasticsearch,
    settings: Settings,
    target: str,
    docs: list[tuple[str, dict[str, Any]]],
    report: BulkReport,
    lease_ttl_s: float,
) -> None:
    stored = es.mget(index=target, ids=[doc_id for doc_id, _ in docs])["docs"] if docs else []
    changed = []
    for (doc_id, doc), found in zip(docs, stored, strict=True):
        if _unchanged(found.get("_source") if found.get("found") else None, doc):
            report.ok += 1
            report.noop += 1
        else:
            changed.append((doc_id, doc))
    for _attempt in range(3):
        if not changed:
            return
        lease = sequence.allocate(es, settings, len(changed), ttl_s=lease_ttl_s)
        numbered = [
            (doc_id, {**doc, "ingest_seq": seq})
            for (doc_id, doc), seq in zip(changed, lease.numbers(), strict=True)
        ]
        part = bulk_index(es, target, numbered, version_field="ingest_seq")
        es.indices.refresh(index=target)  # searchable before the lease is released
        if sequence.release(es, settings, lease):
            report.ok += part.ok
            report.created += part.created
            report.updated += part.updated
            report.noop += part.noop
            report.failed.extend(part.failed)
            return
        # The lease expired meanwhile and a reader may have passed these numbers: index them again
        # under new numbers so that none is skipped.
        failed_ids = {f["id"] for f in part.failed}
        changed = [(doc_id, doc) for doc_id, doc in changed if doc_id not in failed_ids]
        report.failed.extend(part.failed)
    raise RuntimeError(
        f"could not index {len(changed)} articles in {target}: their sequence lease kept expiring"
    )
