"""Per-feed state kept in Elasticsearch (`<prefix>-state`), so that any worker sees it.

One document per feed, id = the feed's name: the validators of the last good response (ETag,
Last-Modified) for conditional GET, and the feed's health (last success, last error, consecutive
failures) that the operators' view shows. Updates are partial (`doc_as_upsert`), so recording an
error never forgets the validators and vice versa.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from pipeline import mappings
from pipeline.elastic import ensure_index
from pipeline.settings import Settings

MAPPING: dict[str, Any] = mappings.load_mapping("state")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class FeedState:
    feed: str
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    consecutive_failures: int = 0

    def validators_for(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified to send, only if they were recorded for this same URL."""
        if self.url != url:
            return None, None
        return self.etag, self.last_modified


def ensure(es: Elasticsearch, settings: Settings) -> str:
    index = settings.index("state")
    ensure_index(es, index, MAPPING)
    return index


def load(es: Elasticsearch, settings: Settings, feed: str) -> FeedState:
    """The stored state of `feed` (an empty state before its first fetch)."""
    try:
        src = es.get(index=settings.index("state"), id=feed)["_source"]
    except NotFoundError:
        return FeedState(feed=feed)
    return FeedState(
        feed=feed,
        url=src.get("url"),
        etag=src.get("etag"),
        last_modified=src.get("last_modified"),
        consecutive_failures=int(src.get("consecutive_failures") or 0),
    )


def _update(es: Elasticsearch, settings: Settings, feed: str, doc: dict[str, Any]) -> None:
    index = ensure(es, settings)
    es.update(index=index, id=feed, doc={"feed": feed, **doc}, doc_as_upsert=True, retry_on_conflict=3)


def record_success(
    es: Elasticsearch,
    settings: Settings,
    feed: str,
    *,
    url: str,
    etag: str | None,
    last_modified: str | None,
    entries: int,
    new: int,
    run_id: str | None,
    not_modified: bool = False,
    pages_failed: int = 0,
    pages_from_feed: int = 0,
) -> None:
    """A good response (200 or 304): keep its validators, reset the failure count. The feed's health
    also shows its pages: how many failed in this fetch, how many entries went in with the feed's own
    content because their page kept failing, and when a page last failed."""
    now = _now()
    doc: dict[str, Any] = {
        "url": url,
        "last_status": "not_modified" if not_modified else "fetched",
        "last_fetch_at": now,
        "last_success_at": now,
        "consecutive_failures": 0,
        "run_id": run_id,
        "last_entries": entries,
        "last_new": new,
    }
    if not not_modified:  # a 304 carries no new validators; keep the stored ones
        doc.update(etag=etag, last_modified=last_modified)
        doc.update(last_pages_failed=pages_failed, last_pages_from_feed=pages_from_feed)
        if pages_failed:
            doc["last_page_failure_at"] = now
    _update(es, settings, feed, doc)


def record_failure(
    es: Elasticsearch, settings: Settings, feed: str, *, url: str, stage: str, error: str, run_id: str | None
) -> None:
    """A failed fetch or parse: keep the validators, count consecutive failures."""
    previous = load(es, settings, feed)
    now = _now()
    _update(
        es,
        settings,
        feed,
        {
            "url": url,
            "last_status": "failed",
            "last_fetch_at": now,
            "last_error_at": now,
            "last_error": error,
            "last_error_stage": stage,
            "consecutive_failures": previous.consecutive_failures + 1,
            "run_id": run_id,
        },
    )


def clear_validators(es: Elasticsearch, settings: Settings, feed: str) -> None:
    """Forget the feed's ETag and Last-Modified, so its next fetch is in full (a re-drive: no 304 can
    hide entries that must be seen again)."""
    _update(es, settings, feed, {"etag": None, "last_modified": None})


def all_states(es: Elasticsearch, settings: Settings, size: int = 1000) -> list[dict[str, Any]]:
    """Every feed's state document, by feed name."""
    index = settings.index("state")
    if not es.indices.exists(index=index):
        return []
    es.indices.refresh(index=index)
    hits = es.search(index=index, size=size, sort=[{"feed": "asc"}])["hits"]["hits"]
    return [h["_source"] for h in hits]
