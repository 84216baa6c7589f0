"""One feed -> new entries in the raw-entry queue: conditional GET, parse, full pages, store.

A feed task only stores; processing happens later from the queue (`pipeline.ingest.indexing`).
Everything that goes wrong on the way is dead-lettered with its stage; the feed's outcome counts it.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch

from pipeline import deadletter, redrive, state
from pipeline.article import Article
from pipeline.errors import PipelineError, TransientError
from pipeline.feeds import FeedConfig, ParsedFeed, read_feed
from pipeline.fetch import Fetcher, FetchResult
from pipeline.ingest.pages import PageResult, fetch_pages
from pipeline.ingest.rawqueue import entry_id, now_iso, store_raw, stored_entries
from pipeline.settings import Settings

Record = tuple[str, dict[str, Any]]  # a dead-letter record (`deadletter.record_for`)


@dataclass(frozen=True)
class FeedOutcome:
    """What one feed task did with one feed (the run summary adds these up)."""

    feed: str
    status: str = "fetched"  # fetched | not_modified | failed
    entries_seen: int = 0
    new: int = 0  # stored in the raw index by this fetch
    pending: int = 0  # stored earlier, not yet processed
    pages_fetched: int = 0
    pages_failed: int = 0
    deferred: int = 0  # new entries whose page failed transiently: retried next run
    pages_from_feed: int = (
        0  # entries whose page failed transiently too often: stored with the feed's content
    )
    dead_lettered: int = 0
    error: str | None = None
    durations_s: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """One log line for the feed task."""
        return (
            f"feed {self.feed}: {self.status}; {self.entries_seen} entries seen, {self.new} new, "
            f"{self.pages_fetched} pages fetched, {self.pages_failed} failed, "
            f"{self.dead_lettered} dead-lettered" + (f"; error: {self.error}" if self.error else "")
        )


def ingest_feed(
    es: Elasticsearch,
    settings: Settings,
    feed: FeedConfig,
    *,
    run_id: str | None = None,
    fetcher: Fetcher | None = None,
    final_attempt: bool = True,
) -> FeedOutcome:
    """Conditional GET of one feed, full pages of its new entries, new entries into the raw index.

    Permanent failures are dead-lettered at once and the feed counts as failed. A transient failure
    (network, 5xx) is raised for Airflow to retry unless `final_attempt`, when it is dead-lettered."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        state.ensure(es, settings)
        etag, last_modified = state.load(es, settings, feed.name).validators_for(feed.url)
        t0 = time.monotonic()
        result: FetchResult | None = None
        try:
            result = fetcher.get(
                feed.url,
                etag=etag,
                last_modified=last_modified,
                feed=feed.name,
                allow_private=feed.allow_private_network,
            )
            parsed = None if result.not_modified else _parse(settings, feed, result)
        except PipelineError as exc:
            if exc.transient and not final_attempt:
                raise
            body = result.content if result is not None and exc.stage != "fetch" else None
            return _feed_failed(es, settings, feed, exc, body, run_id, time.monotonic() - t0)
        durations = {"fetch": time.monotonic() - t0}
        if parsed is None:
            _record_success(es, settings, feed, run_id, entries=0, new=0, not_modified=True)
            return FeedOutcome(feed=feed.name, status="not_modified", durations_s=durations)
        return _store_new(es, settings, feed, fetcher, result, parsed, run_id, durations)
    finally:
        if own:
            fetcher.close()


def _parse(settings: Settings, feed: FeedConfig, result: FetchResult) -> ParsedFeed:
    return read_feed(
        result.content,
        feed_name=feed.name,
        base_url=result.url,
        outlet=feed.outlet,
        content_type=result.content_type,
        max_entries=settings.feed_max_entries,
    )


def _feed_failed(es, settings, feed: FeedConfig, exc: PipelineError, body: bytes | None, run_id, secs):
    """The whole feed failed: one dead letter (with the start of the body it could not read)."""
    text = body[:20000].decode("utf-8", errors="replace") if body is not None else None
    record = deadletter.record_for(
        exc.stage, exc, feed=feed.name, item=feed.url, input={"url": feed.url, "body": text}, run_id=run_id
    )
    dead = deadletter.record(es, settings, [record])
    state.record_failure(
        es, settings, feed.name, url=feed.url, stage=exc.stage, error=str(exc), run_id=run_id
    )
    return FeedOutcome(
        feed=feed.name, status="failed", error=str(exc), dead_lettered=dead, durations_s={"fetch": secs}
    )


def _store_new(es, settings, feed, fetcher, result, parsed, run_id, durations) -> FeedOutcome:
    """Fetch the pages of the entries the queue does not have yet, store them, record the feed state."""
    # What the parser met but got past (bad bytes, a cut-off last entry, entries over the cap).
    records = [
        deadletter.record_for(
            "parse", p.error, feed=feed.name, item=p.error.item or feed.url, input=p.input, run_id=run_id
        )
        for p in parsed.problems
    ]
    fetched_at = now_iso()
    by_id: dict[str, Article] = {}
    for a in parsed.articles:  # one feed listing an entry twice: one entry
        by_id.setdefault(entry_id(a), a.replace(fetched_at=fetched_at))
    stored = stored_entries(es, settings, by_id)
    new = [a for i, a in by_id.items() if i not in stored]

    t1 = time.monotonic()
    pages = fetch_pages(fetcher, settings.page_concurrency, feed, new)
    durations["pages"] = time.monotonic() - t1
    pages = {**pages, **_given_up(es, settings, feed, pages)}
    to_store = [pages[a.input].article if a.input in pages else a for a in new]
    to_store = [a for a in to_store if not (a.input in pages and pages[a.input].deferred)]
    records += [_page_record(feed, r, run_id) for r in pages.values() if r.error is not None]

    t2 = time.monotonic()
    report = store_raw(es, settings, to_store)
    records += [_raw_record(feed, f, run_id) for f in report.failed]
    durations["raw"] = time.monotonic() - t2
    deferred = sum(1 for r in pages.values() if r.deferred)
    # Deferred entries must be seen again next run: keep no validators then, or a 304 would hide them.
    keep = deferred == 0 and not report.failed
    validators = {"etag": result.etag, "last_modified": result.last_modified} if keep else {}
    failed = sum(1 for r in pages.values() if r.error is not None)
    from_feed = sum(1 for r in pages.values() if r.given_up)
    counts = {"entries": len(parsed.articles), "new": report.created}
    _record_success(
        es, settings, feed, run_id, pages_failed=failed, pages_from_feed=from_feed, **counts, **validators
    )
    return FeedOutcome(
        feed=feed.name,
        entries_seen=len(parsed.articles),
        new=report.created,
        pending=sum(stored.values()),
        pages_fetched=sum(1 for r in pages.values() if r.error is None),
        pages_failed=failed,
        deferred=deferred,
        pages_from_feed=from_feed,
        dead_lettered=deadletter.record(es, settings, records),
        durations_s=durations,
    )


def _given_up(
    es, settings: Settings, feed: FeedConfig, pages: dict[str, PageResult]
) -> dict[str, PageResult]:
    """The deferred pages not to wait for any longer: this is their `page_max_attempts`-th failed
    fetch, or the first failure is `page_max_wait_s` old. Each becomes a `PageResult` whose entry goes
    in with the feed's own content (`body_source: "feed"`); its error is still dead-lettered. The
    earlier attempts are counted from the entry's page dead letters (`pipeline.deadletter`)."""
    deferred = {entry_id(r.article): key for key, r in pages.items() if r.deferred}
    if not deferred:
        return {}
    seen = deadletter.page_attempts(es, settings, feed.name, list(deferred))
    oldest = datetime.now(UTC) - timedelta(seconds=settings.page_max_wait_s)
    out = {}
    for raw_id, key in deferred.items():
        attempts, first_seen = seen.get(raw_id, (0, None))
        if attempts + 1 >= settings.page_max_attempts or (first_seen is not None and first_seen <= oldest):
            page = pages[key]
            out[key] = PageResult(page.article.replace(body_source="feed"), page.error, given_up=True)
    return out


def _record_success(es, settings, feed: FeedConfig, run_id, *, etag=None, last_modified=None, **counts):
    state.record_success(
        es, settings, feed.name, url=feed.url, etag=etag, last_modified=last_modified, run_id=run_id, **counts
    )
    if not counts.get("not_modified"):  # fetched in full: retried failures of the feed are behind it
        redrive.resolve_feed(es, settings, feed.name, run_id)


def _page_record(feed: FeedConfig, page: PageResult, run_id: str | None) -> Record:
    article = page.article
    entry = {**article.to_dict(), "raw_id": entry_id(article)}  # resolved when that entry goes through
    return deadletter.record_for(
        "page", page.error, feed=feed.name, item=article.raw_url, input=entry, run_id=run_id
    )


def _raw_record(feed: FeedConfig, failure: dict[str, Any], run_id: str | None) -> Record:
    doc = failure["doc"] or {}
    return deadletter.record_for(
        "raw",
        f"raw index refused the entry: {failure['error']}",
        feed=feed.name,
        item=doc.get("raw_url") or failure["id"],
        input=failure["doc"],
        run_id=run_id,
    )


def ingest_feeds(
    es: Elasticsearch,
    settings: Settings,
    feeds: list[FeedConfig],
    *,
    run_id: str | None = None,
    final_attempt: bool = True,
) -> list[FeedOutcome]:
    """`ingest_feed` for each of a few feeds (one mapped task). A transient failure of one feed does not
    stop the others; it is raised at the end (for an Airflow retry) unless `final_attempt`. A retry
    fetches the others again, which costs a 304 each and changes nothing."""
    outcomes: list[FeedOutcome] = []
    transient: list[TransientError] = []
    with Fetcher(settings) as fetcher:
        for feed in feeds:
            try:
                outcomes.append(
                    ingest_feed(
                        es, settings, feed, run_id=run_id, fetcher=fetcher, final_attempt=final_attempt
                    )
                )
            except TransientError as exc:
                transient.append(exc)
    if transient:
        raise transient[0]
    return outcomes


def feed_groups(settings: Settings) -> list[list[dict[str, Any]]]:
    """The feed list (`settings.feeds_file`) in groups of `settings.feeds_per_task` feeds, as dicts
    (one mapped feed task per group)."""
    from pipeline.feeds import load_feeds

    feeds = [asdict(f) for f in load_feeds(settings.feeds_file)]
    size = settings.feeds_per_task
    print(f"{len(feeds)} feeds from {settings.feeds_file}, {size} per task")
    return [feeds[i : i + size] for i in range(0, len(feeds), size)]


def ingest_feed_group(
    es: Elasticsearch,
    settings: Settings,
    feeds: list[dict[str, Any]],
    *,
    run_id: str | None,
    final_attempt: bool,
) -> list[dict[str, Any]]:
    """`ingest_feeds` over one group of `feed_groups`, logging a line per feed; the outcomes as dicts."""
    outcomes = ingest_feeds(
        es, settings, [FeedConfig(**f) for f in feeds], run_id=run_id, final_attempt=final_attempt
    )
    for o in outcomes:
        print(o.line())
    return [o.to_dict() for o in outcomes]
