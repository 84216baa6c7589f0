"""Elasticsearch plumbing shared by every index: create an index once (safe against a concurrent
creator), and bulk-write documents with a result for every item.

Every bulk item's result is looked at: failures are returned (for the dead-letter index), never
dropped. Writes use stable ids, so re-running a batch overwrites instead of duplicating. What an index
holds is not decided here: each index's mapping is a file under `pipeline/data/` (`pipeline.mappings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch, helpers

_ACTIVE: set[str] = set()  # indices seen with an active primary shard by this process


def ensure_index(
    es: Elasticsearch, name: str, mappings: dict[str, Any], settings: dict[str, Any] | None = None
) -> bool:
    """Create `name` if it does not exist; return True if it was created.

    When it exists, wait (once per process and index) until its primary shard is active: a concurrent
    worker may have just created it, and reads of a shard still recovering fail with a 503."""
    if es.indices.exists(index=name):
        if name not in _ACTIVE:
            es.cluster.health(index=name, wait_for_status="yellow", timeout="30s")
            _ACTIVE.add(name)
        return False
    body_settings = {"number_of_shards": 1, "number_of_replicas": 0, **(settings or {})}
    try:
        es.indices.create(index=name, mappings=mappings, settings=body_settings)
    except Exception as exc:  # a concurrent worker may have created it first
        if "resource_already_exists_exception" in str(exc):
            es.cluster.health(index=name, wait_for_status="yellow", timeout="30s")
            _ACTIVE.add(name)
            return False
        raise
    _ACTIVE.add(name)  # create waits for the primary shard
    return True


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
    version_field: str | None = None,
) -> BulkReport:
    """Index `(id, doc)` pairs; op_type 'create' keeps the first version of a document.

    With `version_field`, that field of each document is its external version: a write with a lower
    or equal version than the stored one is refused by Elasticsearch and counted as a no-op."""
    report = BulkReport()
    sources: dict[str, dict[str, Any]] = {}

    def actions() -> Iterator[dict[str, Any]]:
        for doc_id, doc in docs:
            sources[doc_id] = doc
            action = {"_op_type": op_type, "_index": index, "_id": doc_id, "_source": doc}
            if version_field:
                action["_version"] = doc[version_field]
                action["_version_type"] = "external"
            yield action

    for ok, item in helpers.streaming_bulk(
        es,
        actions(),
        chunk_size=chunk_size,
        raise_on_error=False,
        raise_on_exception=False,
        max_retries=3,
        initial_backoff=1,
        refresh=refresh,
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
        elif result.get("status") == 409 and (op_type == "create" or version_field):
            report.noop += 1  # already there: the stable id made the re-run a no-op
        else:
            report.failed.append(
                {
                    "id": doc_id,
                    "status": result.get("status"),
                    "error": result.get("error"),
                    "doc": sources.get(doc_id),
                }
            )
        sources.pop(doc_id, None)
    return report
