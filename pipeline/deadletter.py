"""Dead-letter index: every feed, page or article that failed, with the stage, the error and the input.

Nothing is dropped: a failure is written here and the batch goes on. The id of a record is derived
from (stage, feed, item, error kind), so recording the same failure again on a re-run overwrites
instead of piling up; `attempts` and `last_seen_at` say how often and when it happened.

A record's `status` is `open` (new, or failed again), `retried` (an operator re-drove it:
`pipeline.redrive`, `python -m pipeline deadletters retry`) or `resolved` (the retried item then went
through); `history` lists those events with their times, so a resolved record is kept, not deleted.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch

from pipeline import mappings
from pipeline.elastic import bulk_index, ensure_index
from pipeline.errors import PipelineError
from pipeline.settings import Settings

MAPPING: dict[str, Any] = mappings.load_mapping("deadletter")
OPEN, RETRIED, RESOLVED = "open", "retried", "resolved"
_CURRENT: set[str] = set()  # dead-letter indices this process has brought up to the mapping file


def ensure(es: Elasticsearch, settings: Settings) -> str:
    """The dead-letter index, created on first use; one created before a field was added gets it
    (once per process; existing fields are never changed)."""
    index = settings.index("deadletter")
    if not ensure_index(es, index, MAPPING) and index not in _CURRENT:
        es.indices.put_mapping(index=index, properties=MAPPING["properties"])
    _CURRENT.add(index)
    return index


# A keyword longer than 32,766 bytes is refused by Elasticsearch ("immense term"), which would make the
# record of a hostile input (a 40 kB link) impossible to store: such values are shortened here, and the
# full value stays in the record's `input`. Error texts are capped too (a hostile body can end up in one).
MAX_ITEM_CHARS = 2048
MAX_ERROR_CHARS = 20_000


def _keyword(value: str | None) -> str | None:
    if value is None or len(value) <= MAX_ITEM_CHARS:
        return value
    return f"{value[:MAX_ITEM_CHARS]}… ({len(value):,} characters)"


def _text(value: str) -> str:
    return (
        value if len(value) <= MAX_ERROR_CHARS else f"{value[:MAX_ERROR_CHARS]}… ({len(value):,} characters)"
    )


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
    raw_id = input.get("raw_id") if isinstance(input, dict) else None
    doc = {
        "stage": stage,
        "feed": feed,
        "item": _keyword(item),
        "error_type": error_type,
        "error": _text(str(error)),
        "transient": bool(getattr(error, "transient", False)),
        "run_id": run_id,
        "first_seen_at": now,
        "last_seen_at": now,
        "attempts": 1,
        "status": OPEN,
        "raw_id": raw_id if isinstance(raw_id, str) else None,
        "hint": hint_for(stage, error),
        "input": input,
    }
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32], doc


HINTS = {
    "fetch": "check the URL in the feed list and whether the site is up; "
    "transient errors are retried by the next run",
    "page": "the article page could not be fetched or read; the article was kept with its feed summary "
    "(permanent) or will be retried by the next run (transient)",
    "parse": "the feed is not valid RSS/Atom: open the URL in a browser; "
    "fix or remove the feed in the feed list",
    "index": "Elasticsearch refused the document: see the error; "
    "fix the mapping or the stage, then re-run the DAG",
}


def hint_for(stage: str, error: BaseException | str) -> str:
    """What an operator can do about a failure in `stage`."""
    if getattr(error, "transient", False):
        return (
            "transient: the next run (or an Airflow retry) tries again; nothing to do unless it keeps failing"
        )
    return HINTS.get(
        stage, "fix the input or the stage named here, then re-run: records are replaced, not duplicated"
    )


_KEPT = ["first_seen_at", "attempts", "status", "history", "retries", "retried_at", "resolved_at"]


def _carry_over(previous: dict[str, Any], doc: dict[str, Any]) -> None:
    """What a record seen before keeps: its first sighting, its attempts (counted up), its retries and
    history; one retried or resolved before is open again, with that in its history."""
    doc["first_seen_at"] = previous.get("first_seen_at") or doc["first_seen_at"]
    doc["attempts"] = int(previous.get("attempts") or 1) + doc.get("attempts", 1)
    for key in ("history", "retries", "retried_at", "resolved_at"):
        if previous.get(key) is not None:
            doc[key] = previous[key]
    if previous.get("status") in (RETRIED, RESOLVED):
        event = {"at": doc["last_seen_at"], "event": "failed", "run_id": doc.get("run_id")}
        doc["history"] = [*(previous.get("history") or []), event]


def record(es: Elasticsearch, settings: Settings, records: list[tuple[str, dict[str, Any]]]) -> int:
    """Write dead-letter records; returns how many were written. Raises if any could not be stored.

    A record seen before keeps its `first_seen_at` and has its `attempts` counted up, so re-running a
    DAG run replaces records instead of piling them up."""
    if not records:
        return 0
    index = ensure(es, settings)
    merged: dict[str, dict[str, Any]] = {}
    for doc_id, doc in records:  # the same failure twice in one batch: one record, two attempts
        if doc_id in merged:
            doc = {
                **doc,
                "first_seen_at": merged[doc_id]["first_seen_at"],
                "attempts": merged[doc_id]["attempts"] + 1,
            }
        merged[doc_id] = doc
    previous = es.mget(index=index, ids=list(merged), source_includes=_KEPT)["docs"]
    for prev in previous:
        if prev.get("found"):
            _carry_over(prev["_source"], merged[prev["_id"]])
    report = bulk_index(es, index, list(merged.items()), refresh="wait_for")
    if report.failed:
        raise RuntimeError(
            f"could not store {len(report.failed)} dead-letter records in {index}: "
            f"{report.failed[0]['error']}"
        )
    return report.ok


def page_attempts(
    es: Elasticsearch, settings: Settings, feed: str, raw_ids: list[str]
) -> dict[str, tuple[int, datetime | None]]:
    """For entries whose page failed before: raw id -> (failed page fetches so far, first failure)."""
    index = settings.index("deadletter")
    query = {
        "bool": {
            "filter": [{"term": {"stage": "page"}}, {"term": {"feed": feed}}, {"terms": {"raw_id": raw_ids}}]
        }
    }
    hits = es.search(
        index=index,
        query=query,
        size=max(10, 4 * len(raw_ids)),
        source_includes=["raw_id", "attempts", "first_seen_at"],
        ignore_unavailable=True,
    )["hits"]["hits"]
    seen: dict[str, tuple[int, datetime | None]] = {}
    for h in hits:
        src = h["_source"]
        first = datetime.fromisoformat(src["first_seen_at"]) if src.get("first_seen_at") else None
        attempts, earliest = seen.get(src["raw_id"], (0, None))
        if earliest is None or (first is not None and first < earliest):
            earliest = first
        seen[src["raw_id"]] = (attempts + int(src.get("attempts") or 1), earliest)
    return seen
