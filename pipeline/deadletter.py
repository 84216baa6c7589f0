"""Dead-letter index: every feed, page or article that failed, with the stage, the error and the input.

Nothing is dropped: a failure is written here and the batch goes on. The id of a record is derived
from (stage, feed, item, error kind), so recording the same failure again on a re-run overwrites
instead of piling up; `attempts` and `last_seen_at` say how often and when it happened.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch

from pipeline.errors import PipelineError
from pipeline.index import bulk_index, ensure_index
from pipeline.settings import Settings

MAPPING: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "stage": {"type": "keyword"},
        "feed": {"type": "keyword"},
        "item": {"type": "keyword"},
        "error_type": {"type": "keyword"},
        "error": {"type": "text"},
        "transient": {"type": "boolean"},
        "run_id": {"type": "keyword"},
        "first_seen_at": {"type": "date"},
        "last_seen_at": {"type": "date"},
        "input": {"type": "object", "enabled": False},
    },
}


def record_for(
    stage: str,
    error: BaseException | str,
    *,
    feed: str | None = None,
    item: str | None = None,
    input: Any = None,  # noqa: A002 - the field name of the record
    run_id: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """`(id, document)` of one dead-letter record."""
    if isinstance(error, PipelineError):
        stage, feed, item = error.stage or stage, error.feed or feed, error.item or item
    error_type = type(error).__name__ if isinstance(error, BaseException) else "Error"
    key = json.dumps([stage, feed, item, error_type], ensure_ascii=False)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    doc = {
        "stage": stage,
        "feed": feed,
        "item": item,
        "error_type": error_type,
        "error": str(error),
        "transient": bool(getattr(error, "transient", False)),
        "run_id": run_id,
        "first_seen_at": now,
        "last_seen_at": now,
        "input": input,
    }
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32], doc


def record(es: Elasticsearch, settings: Settings, records: list[tuple[str, dict[str, Any]]]) -> int:
    """Write dead-letter records; returns how many were written. Raises if any could not be stored."""
    if not records:
        return 0
    index = settings.index("deadletter")
    ensure_index(es, index, MAPPING)
    report = bulk_index(es, index, records, refresh="wait_for")
    if report.failed:
        raise RuntimeError(f"could not store {len(report.failed)} dead-letter records in {index}: {report.failed[0]['error']}")
    return report.ok
