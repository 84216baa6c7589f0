"""Re-driving dead letters after a fix: list them, show one, retry; and the resolution of retried ones.

A retry does not run the pipeline itself; it hands the item back to the next ingest run:

- a record of one raw entry (a processing stage or the article index failed on it; it carries the
  entry's `raw_id`): the raw entry is made pending again (its `processed_at` set to null), so the next run
  processes it like a new one. Its article id is the entry's, so it is indexed once, never twice.
- a record of a feed (fetch, parse, the raw index refusing an entry, a page): the feed's
  conditional-GET validators are cleared in the state index, so the next run fetches the feed in full
  (no 304) and sees every entry it lists again; entries the queue does not have yet, among them those
  whose page failed, are fetched with their pages then.

The record becomes `retried`. It becomes `resolved` when the item then goes through: the raw entry is
processed to any outcome but a failure (`resolve_entries`, called when entries are marked), or the
feed is fetched in full (`resolve_feed`). Failing again makes it `open` again. Every step is kept in
the record's `history`; nothing is deleted.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError, helpers

from pipeline import deadletter, state
from pipeline.settings import Settings

FEED_STAGES = ("fetch", "parse", "raw", "page")  # retried by fetching the feed again
_RELATIVE = re.compile(r"(\d+)\s*([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_since(value: str) -> str:
    """An ISO date or time (`2026-12-01`, `2026-12-01T06:00:00Z`) or an age (`30m`, `6h`, `2d`) as an
    ISO instant; ValueError otherwise."""
    text = value.strip().lower()
    m = _RELATIVE.fullmatch(text)
    if m:
        return (datetime.now(UTC) - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})).isoformat()
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since {value!r}: give an ISO date or time, or an age such as 6h or 2d") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()


def _query(stage: str | None, feed: str | None, since: str | None, status: str | None) -> dict[str, Any]:
    filters: list[dict[str, Any]] = []
    if stage:
        filters.append({"term": {"stage": stage}})
    if feed:
        filters.append({"term": {"feed": feed}})
    if since:
        filters.append({"range": {"last_seen_at": {"gte": since}}})
    must_not: list[dict[str, Any]] = []
    if status == deadletter.OPEN:  # records from before statuses existed are open
        must_not.append({"terms": {"status": [deadletter.RETRIED, deadletter.RESOLVED]}})
    elif status == "unresolved":
        must_not.append({"term": {"status": deadletter.RESOLVED}})
    elif status and status != "all":
        filters.append({"term": {"status": status}})
    return {"bool": {"filter": filters, "must_not": must_not}}


def list_records(
    es: Elasticsearch,
    settings: Settings,
    *,
    stage: str | None = None,
    feed: str | None = None,
    since: str | None = None,
    status: str | None = "unresolved",
    size: int = 100,
) -> list[dict[str, Any]]:
    """Dead-letter records, most recent first, each with its `id`; without `input` (see `show`)."""
    index = deadletter.ensure(es, settings)
    es.indices.refresh(index=index)
    hits = es.search(
        index=index,
        query=_query(stage, feed, since, status),
        size=size,
        sort=[{"last_seen_at": {"order": "desc", "unmapped_type": "date"}}],
        source_excludes=["input"],
    )["hits"]["hits"]
    return [{"id": h["_id"], **h["_source"], "status": h["_source"].get("status") or "open"} for h in hits]


def show(es: Elasticsearch, settings: Settings, record_id: str) -> dict[str, Any] | None:
    """One record in full (with its input), or None."""
    try:
        src = es.get(index=settings.index("deadletter"), id=record_id)["_source"]
    except NotFoundError:
        return None
    return {"id": record_id, **src, "status": src.get("status") or "open"}


def _requeue(es: Elasticsearch, settings: Settings, raw_id: str) -> bool:
    """Make a raw entry pending again; False when the queue does not have it."""
    try:
        es.update(
            index=settings.index("raw"),
            id=raw_id,
            # null is "no value" to the pending query (no script: the cluster may have no painless)
            doc={"processed_at": None},
            refresh=True,
            retry_on_conflict=3,
        )
    except NotFoundError:
        return False
    return True


def retry_one(es: Elasticsearch, settings: Settings, record: dict[str, Any]) -> dict[str, Any]:
    """Hand one record's item back to the next run; `{id, action, detail}` with action `requeued`,
    `refetch` or `skipped` (nothing to retry: resolved already, or neither an entry nor a feed)."""
    rid, now = record["id"], datetime.now(UTC).isoformat(timespec="seconds")
    if record.get("status") == deadletter.RESOLVED:
        return {"id": rid, "action": "skipped", "detail": "resolved already"}
    raw_id, feed = record.get("raw_id"), record.get("feed")
    if raw_id and record.get("stage") not in FEED_STAGES and _requeue(es, settings, raw_id):
        action, detail = "requeued", f"raw entry {raw_id} is pending again"
    elif feed:
        state.clear_validators(es, settings, feed)
        action, detail = "refetch", f"feed {feed} is fetched in full by the next run"
    else:
        return {"id": rid, "action": "skipped", "detail": "no raw entry or feed to retry"}
    event = {"at": now, "event": "retried", "action": action}
    es.update(
        index=settings.index("deadletter"),
        id=rid,
        doc={
            "status": deadletter.RETRIED,
            "retried_at": now,
            "retries": int(record.get("retries") or 0) + 1,
            "history": [*(record.get("history") or []), event],
        },
        refresh=True,
    )
    return {"id": rid, "action": action, "detail": detail}


def _resolve(es: Elasticsearch, settings: Settings, filters: list[dict[str, Any]], run_id: str | None) -> int:
    """Mark the retried records these filters select resolved, with the event in their history."""
    index = settings.index("deadletter")
    hits = es.search(
        index=index,
        query={"bool": {"filter": [{"term": {"status": deadletter.RETRIED}}, *filters]}},
        size=1000,
        source_includes=["history"],
        ignore_unavailable=True,
    )["hits"]["hits"]
    if not hits:
        return 0
    now = datetime.now(UTC).isoformat(timespec="seconds")
    event = {"at": now, "event": "resolved", "run_id": run_id}
    actions = (
        {
            "_op_type": "update",
            "_index": index,
            "_id": h["_id"],
            "doc": {
                "status": deadletter.RESOLVED,
                "resolved_at": now,
                "history": [*(h["_source"].get("history") or []), event],
            },
        }
        for h in hits
    )
    ok, _ = helpers.bulk(es, actions, raise_on_error=False, refresh=True)
    return ok


def resolve_entries(es: Elasticsearch, settings: Settings, raw_ids: list[str], run_id: str | None) -> int:
    """Retried records of these raw entries, now processed without failing, become resolved."""
    if not raw_ids:
        return 0
    return _resolve(es, settings, [{"terms": {"raw_id": raw_ids}}], run_id)


def resolve_feed(es: Elasticsearch, settings: Settings, feed: str, run_id: str | None) -> int:
    """Retried feed-level records of `feed` (fetch, parse, raw), now that it was fetched in full."""
    stages = [s for s in FEED_STAGES if s != "page"]  # a page is resolved with its entry
    return _resolve(es, settings, [{"term": {"feed": feed}}, {"terms": {"stage": stages}}], run_id)
