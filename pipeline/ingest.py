"""Ingestion edges: one feed -> raw articles in the raw index; pending raw articles -> processed and
indexed. Used by the `border_news_ingest` and `border_news_reprocess` DAGs, the CLI and the benchmark
alike; the DAGs only wire these calls.

The raw index (`<prefix>-raw`) is the ledger: an entry is stored once (`op_type=create` under the
hash of its link), and is *pending* until processing marks it (`processed_at`, `outcome`). A feed task
therefore only stores, and the processing task takes whatever is pending, so a run that died between
the two loses nothing: the next run picks the entries up. Only ids and counts go through XCom.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import lxml.etree
import lxml.html
from elasticsearch import Elasticsearch

from pipeline import deadletter, runs, state
from pipeline.article import Article
from pipeline.errors import BadInputError, PipelineError, TransientError
from pipeline.feeds import FeedConfig, parse_feed, read_feed
from pipeline.fetch import Fetcher, FetchResult
from pipeline.index import (
    RAW_MAPPING,
    BulkReport,
    bulk_index,
    ensure_index,
    index_articles,
    raw_id,
)
from pipeline.runs import RunSummary, percentile
from pipeline.settings import Settings

log = logging.getLogger(__name__)

# Bookkeeping fields of the raw index, on top of the foundation's RAW_MAPPING.
RAW_STATUS_FIELDS: dict[str, Any] = {
    "raw_id": {"type": "keyword"},
    "processed_at": {"type": "date"},
    "outcome": {"type": "keyword"},  # indexed | irrelevant | duplicate | dropped | failed
    "article_id": {"type": "keyword"},
    "run_id": {"type": "keyword"},
}

# An article processor: raw articles in, for each (in order) the processed article or its `Failure`.
Processor = Callable[[Iterable[Article]], Iterator[Any]]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def ensure_raw_index(es: Elasticsearch, settings: Settings) -> str:
    index = settings.index("raw")
    mappings = {**RAW_MAPPING, "properties": {**RAW_MAPPING["properties"], **RAW_STATUS_FIELDS}}
    if not ensure_index(es, index, mappings):
        es.indices.put_mapping(index=index, properties=RAW_STATUS_FIELDS)  # an index from before these fields
    return index


def fetch_feed(settings: Settings, feed: FeedConfig, fetcher: Fetcher | None = None) -> list[Article]:
    """Fetch and parse one feed into raw articles stamped with their fetch time (no state, no pages)."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        result = fetcher.get(feed.url, feed=feed.name, allow_private=feed.allow_private_network)
    finally:
        if own:
            fetcher.close()
    fetched_at = now_iso()
    return [
        a.replace(fetched_at=fetched_at)
        for a in parse_feed(result.content, feed_name=feed.name, base_url=result.url, outlet=feed.outlet)
    ]


def raw_document(article: Article) -> tuple[str, dict[str, Any]]:
    """The raw-index document of an article: everything as received, for reprocessing later."""
    doc = {k: v for k, v in asdict(article).items() if v not in (None, [], "")}
    doc_id = raw_id(article.raw_url, article.input)
    doc["raw_id"] = doc_id
    doc["ingested_at"] = now_iso()
    return doc_id, doc


def store_raw(es: Elasticsearch, settings: Settings, articles: list[Article]) -> BulkReport:
    """Keep raw articles; the first copy of a link wins, so re-runs change nothing."""
    index = ensure_raw_index(es, settings)
    return bulk_index(es, index, (raw_document(a) for a in articles), op_type="create")


# --- Full pages -------------------------------------------------------------------------------------


def needs_page(feed: FeedConfig, article: Article) -> bool:
    """Fetch the article's page when the feed says so or the entry carries only a summary (or nothing)."""
    if not article.raw_url:
        return False
    return feed.fetch_full_page or article.summary is not None or not (article.raw_html or article.raw_text)


_SCRIPTS = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]*>|&[#\w]+;")


def page_html(result: FetchResult, *, feed: str, item: str) -> str:
    """The HTML of a fetched page; BadInputError when it is not a readable HTML page."""
    ctype = (result.content_type or "").lower()
    if ctype and "html" not in ctype and "xml" not in ctype:
        raise BadInputError("page", f"not an HTML page (Content-Type {ctype!r})", feed=feed, item=item)
    try:
        # The page's own charset (BOM, HTTP header, <meta>, XML declaration; UTF-16 pages too); binary
        # content that would decode to NUL-laced text is refused here.
        text = result.text()
    except BadInputError as exc:
        raise BadInputError(
            "page", f"binary content where an HTML page was expected ({exc.message})", feed=feed, item=item
        ) from exc
    body_text = ""
    if text.strip():
        try:
            tree = lxml.html.fromstring(text)
        except (ValueError, lxml.etree.ParserError) as exc:
            raise BadInputError("page", f"unparsable HTML: {exc}", feed=feed, item=item) from exc
        for node in tree.xpath("//script|//style|//noscript"):
            node.drop_tree()
        body_text = tree.text_content().strip()
        if not body_text:
            # libxml2 drops what lies deeper than 256 elements; the clean stage reads such pages flat.
            body_text = _TAGS.sub(" ", _SCRIPTS.sub(" ", text)).strip()
    if not body_text:
        raise BadInputError("page", "the page has no text", feed=feed, item=item)
    return text


def fetch_page(fetcher: Fetcher, feed: FeedConfig, article: Article) -> Article:
    """The article with its page's HTML as `raw_html` (the feed's summary stays in `summary`)."""
    result = fetcher.get(article.raw_url or "", feed=feed.name, allow_private=feed.allow_private_network)
    html = page_html(result, feed=feed.name, item=article.raw_url or article.input)
    return article.replace(raw_html=html, raw_text=None, summary=article.summary or article.raw_text or None)


# --- One feed -> raw index -------------------------------------------------------------------------


@dataclass
class FeedOutcome:
    feed: str
    status: str = "fetched"  # fetched | not_modified | failed
    entries: int = 0
    new: int = 0
    pending: int = 0  # stored earlier, not yet processed
    pages_fetched: int = 0
    pages_failed: int = 0
    deferred: int = 0  # new entries whose page failed transiently: retried next run
    dead_lettered: int = 0
    error: str | None = None
    durations_s: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _dead_letter(es, settings, records, outcome: FeedOutcome) -> None:
    outcome.dead_lettered += deadletter.record(es, settings, records)


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
    outcome = FeedOutcome(feed=feed.name)
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    t0 = time.monotonic()
    try:
        state.ensure(es, settings)
        previous = state.load(es, settings, feed.name)
        etag, last_modified = previous.validators_for(feed.url)
        try:
            result = fetcher.get(
                feed.url,
                etag=etag,
                last_modified=last_modified,
                feed=feed.name,
                allow_private=feed.allow_private_network,
            )
            if result.not_modified:
                outcome.status = "not_modified"
                state.record_success(
                    es,
                    settings,
                    feed.name,
                    url=feed.url,
                    etag=None,
                    last_modified=None,
                    entries=0,
                    new=0,
                    run_id=run_id,
                    not_modified=True,
                )
                return outcome
            parsed = read_feed(
                result.content,
                feed_name=feed.name,
                base_url=result.url,
                outlet=feed.outlet,
                content_type=result.content_type,
                max_entries=settings.feed_max_entries,
            )
            articles = parsed.articles
        except PipelineError as exc:
            if exc.transient and not final_attempt:
                raise
            outcome.status, outcome.error = "failed", str(exc)
            body = None if exc.stage == "fetch" else result.content[:20000].decode("utf-8", errors="replace")
            _dead_letter(
                es,
                settings,
                [
                    deadletter.record_for(
                        exc.stage,
                        exc,
                        feed=feed.name,
                        item=feed.url,
                        input={"url": feed.url, "body": body},
                        run_id=run_id,
                    )
                ],
                outcome,
            )
            state.record_failure(
                es, settings, feed.name, url=feed.url, stage=exc.stage, error=str(exc), run_id=run_id
            )
            return outcome
        finally:
            outcome.durations_s["fetch"] = time.monotonic() - t0

        # What the parser met but got past (bad bytes, a cut-off last entry, entries over the cap): recorded.
        _dead_letter(
            es,
            settings,
            [
                deadletter.record_for(
                    "parse",
                    p.error,
                    feed=feed.name,
                    item=p.error.item or feed.url,
                    input=p.input,
                    run_id=run_id,
                )
                for p in parsed.problems
            ],
            outcome,
        )
        fetched_at = now_iso()
        articles = [a.replace(fetched_at=fetched_at) for a in articles]
        outcome.entries = len(articles)
        by_id: dict[str, Article] = {}
        for a in articles:  # one feed listing a link twice: one entry
            by_id.setdefault(raw_id(a.raw_url, a.input), a)
        raw_index = ensure_raw_index(es, settings)
        found = (
            es.mget(index=raw_index, ids=list(by_id), source_includes=["processed_at"])["docs"]
            if by_id
            else []
        )
        stored = {d["_id"]: d["_source"] for d in found if d.get("found")}
        outcome.pending = sum(1 for s in stored.values() if not s.get("processed_at"))
        new = [a for i, a in by_id.items() if i not in stored]

        t1 = time.monotonic()
        new, page_records = _fetch_pages(fetcher, settings, feed, new, outcome, run_id)
        outcome.durations_s["pages"] = time.monotonic() - t1
        _dead_letter(es, settings, page_records, outcome)

        t2 = time.monotonic()
        report = store_raw(es, settings, new)
        outcome.new = report.created
        if report.failed:
            _dead_letter(
                es,
                settings,
                [
                    deadletter.record_for(
                        "raw",
                        f"raw index refused the entry: {f['error']}",
                        feed=feed.name,
                        item=(f["doc"] or {}).get("raw_url") or f["id"],
                        input=f["doc"],
                        run_id=run_id,
                    )
                    for f in report.failed
                ],
                outcome,
            )
        outcome.durations_s["raw"] = time.monotonic() - t2
        # Deferred entries must be seen again next run: keep no validators then, or a 304 would hide them.
        keep_validators = outcome.deferred == 0 and not report.failed
        state.record_success(
            es,
            settings,
            feed.name,
            url=feed.url,
            etag=result.etag if keep_validators else None,
            last_modified=result.last_modified if keep_validators else None,
            entries=outcome.entries,
            new=outcome.new,
            run_id=run_id,
        )
        return outcome
    finally:
        if own:
            fetcher.close()


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


def _fetch_pages(fetcher, settings, feed, articles, outcome, run_id) -> tuple[list[Article], list]:
    """Fetch the pages of the entries that need one, a few at a time. A page that fails permanently is
    dead-lettered and its entry kept with the feed's summary; one that fails transiently is
    dead-lettered and its entry deferred to the next run."""
    wanted = [a for a in articles if needs_page(feed, a)]
    if not wanted:
        return articles, []

    def one(article: Article) -> tuple[Article, PipelineError | None]:
        try:
            return fetch_page(fetcher, feed, article), None
        except PipelineError as exc:
            return article, exc

    with ThreadPoolExecutor(max_workers=max(1, settings.page_concurrency)) as pool:
        results = {a.input: r for a, r in zip(wanted, pool.map(one, wanted), strict=True)}
    kept: list[Article] = []
    records = []
    for article in articles:
        if article.input not in results:
            kept.append(article)
            continue
        fetched, error = results[article.input]
        if error is None:
            outcome.pages_fetched += 1
            kept.append(fetched)
            continue
        outcome.pages_failed += 1
        page_error = type(error)("page", error.message, feed=feed.name, item=article.raw_url)
        records.append(
            deadletter.record_for(
                "page",
                page_error,
                feed=feed.name,
                item=article.raw_url,
                input=article.to_dict(),
                run_id=run_id,
            )
        )
        if error.transient:
            outcome.deferred += 1
        else:
            kept.append(article)
    return kept, records


# --- Pending raw articles -> processed -> main index ------------------------------------------------


class StageProcessor:
    """`pipeline.process.process` with its dedupe registry and story clusters, timing every stage."""

    def __init__(self, registry: Any, clusters: Any):
        from pipeline.process import StageTimings

        self.registry, self.clusters = registry, clusters
        self.timings = StageTimings()

    def __call__(self, articles: Iterable[Article]) -> Iterator[Any]:
        from pipeline.process import process

        return process(articles, registry=self.registry, clusters=self.clusters, timings=self.timings)


def default_processor(es: Elasticsearch, settings: Settings) -> StageProcessor:
    """The processing stages with their state in Elasticsearch (dedupe signatures, stories): what is
    already indexed counts, so an article seen in an earlier run is recognised."""
    from pipeline import dedupe, stories

    return StageProcessor(
        dedupe.ElasticsearchDedupeIndex(es, settings), stories.ElasticsearchStoryIndex(es, settings)
    )


@dataclass
class ProcessOutcome:
    processed: int = 0
    irrelevant: int = 0
    duplicates: int = 0
    dropped: int = 0
    indexed: int = 0
    index_failed: int = 0
    process_failed: int = 0
    dead_lettered: int = 0
    index_blocked: int = 0  # refused because the index takes no writes now: left pending, retried
    blocked_reason: str | None = None
    durations_s: dict[str, float] = field(
        default_factory=lambda: {"process": 0.0, "index": 0.0, "deadletter": 0.0}
    )
    lags_s: list[float] = field(default_factory=list)
    indexed_ids: list[str] = field(default_factory=list)

    def to_dict(self, with_ids: bool = True) -> dict[str, Any]:
        doc = asdict(self)
        doc.pop("lags_s")
        if not with_ids:
            doc.pop("indexed_ids")
        doc["freshness_lag_p50_s"] = percentile(self.lags_s, 50)
        doc["freshness_lag_p95_s"] = percentile(self.lags_s, 95)
        doc["freshness_lag_max_s"] = max(self.lags_s) if self.lags_s else None
        return doc


def freshness_lag_s(article: Article, now: datetime) -> float | None:
    """Seconds from publication to `now`; None when the outlet gave no date (published_at is then the
    fetch time, and its "lag" would only measure the run)."""
    if article.published_at_source == "fetched":
        return None
    return _lag_s(article.published_at, now)


def _lag_s(published_at: str | None, now: datetime) -> float | None:
    if not published_at:
        return None
    try:
        published = datetime.fromisoformat(published_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return max(0.0, (now - published).total_seconds())


def pending_batches(es: Elasticsearch, settings: Settings, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Batches of raw hits not yet processed, oldest fetch first, until none is left. Each batch must
    be marked (processed_at) before the next is asked for; a cap on rounds guards against a loop."""
    index = ensure_raw_index(es, settings)
    es.indices.refresh(index=index)
    total = es.count(index=index, query={"bool": {"must_not": {"exists": {"field": "processed_at"}}}})[
        "count"
    ]
    for _ in range(total // max(1, batch_size) + 2):
        hits = es.search(
            index=index,
            size=batch_size,
            query={"bool": {"must_not": {"exists": {"field": "processed_at"}}}},
            sort=[{"fetched_at": {"order": "asc", "unmapped_type": "date"}}],
        )["hits"]["hits"]
        if not hits:
            return
        yield hits


def process_articles(
    es: Elasticsearch,
    settings: Settings,
    raw_hits: list[dict[str, Any]],
    processor: Processor,
    *,
    run_id: str | None,
    outcome: ProcessOutcome,
    target_index: str | None = None,
) -> dict[str, tuple[str, str | None]]:
    """Process raw hits one article at a time (a failing article is dead-lettered, the rest go on) and
    bulk-index the kept ones: through the write alias, or into `target_index` (reprocessing).
    Returns raw id -> (outcome, article id)."""
    marks: dict[str, tuple[str, str | None]] = {}
    to_index: list[Article] = []
    raw_of: dict[str, str] = {}
    records = []
    t0 = time.monotonic()
    from pipeline.process import Failure

    raws = [Article.from_dict(hit["_source"]).replace(ingested_at=None) for hit in raw_hits]
    for hit, raw, article in zip(raw_hits, raws, processor(raws), strict=True):
        outcome.processed += 1
        if isinstance(article, Failure):  # one stage broke on this article: record which, go on
            outcome.process_failed += 1
            error = PipelineError(article.stage, article.error, feed=raw.feed, item=raw.raw_url or raw.input)
            records.append(
                deadletter.record_for(
                    article.stage,
                    error,
                    feed=raw.feed,
                    item=raw.raw_url or raw.input,
                    input={"raw_id": hit["_id"], "title": raw.raw_title},
                    run_id=run_id,
                )
            )
            marks[hit["_id"]] = ("failed", None)
        elif article.relevant is False:
            outcome.irrelevant += 1
            marks[hit["_id"]] = ("irrelevant", article.id)
        elif article.duplicate_of:
            outcome.duplicates += 1
            marks[hit["_id"]] = ("duplicate", article.id)
        else:
            article = article.replace(ingested_at=now_iso())
            to_index.append(article)
            raw_of[article.id or ""] = hit["_id"]
    outcome.durations_s["process"] += time.monotonic() - t0

    t1 = time.monotonic()
    if to_index:
        report = index_articles(es, settings, to_index, index=target_index)
        failed = {f["id"] for f in report.failed}
        blocked = {f["id"]: f for f in report.failed if index_refuses_writes(f)}
        for f in report.failed:
            if f["id"] in blocked:
                continue
            outcome.index_failed += 1
            records.append(
                deadletter.record_for(
                    "index",
                    f"Elasticsearch refused the document: {f['error']}",
                    feed=(f["doc"] or {}).get("feed"),
                    item=(f["doc"] or {}).get("url") or f["id"],
                    input={"raw_id": raw_of.get(f["id"]), "doc": f["doc"]},
                    run_id=run_id,
                )
            )
        now = datetime.now(UTC)
        for a in to_index:
            if a.id in blocked:  # not marked: the raw entry stays pending for the retry
                outcome.index_blocked += 1
                outcome.blocked_reason = outcome.blocked_reason or _reason(blocked[a.id])
                continue
            if a.id in failed:
                marks[raw_of[a.id or ""]] = ("failed", a.id)
                continue
            outcome.indexed += 1
            outcome.indexed_ids.append(a.id or "")
            marks[raw_of[a.id or ""]] = ("indexed", a.id)
            lag = freshness_lag_s(a, now)
            if lag is not None:
                outcome.lags_s.append(lag)
    outcome.durations_s["index"] += time.monotonic() - t1
    t2 = time.monotonic()
    outcome.dead_lettered += deadletter.record(es, settings, records)
    outcome.durations_s["deadletter"] += time.monotonic() - t2
    return marks


_BLOCK_ERRORS = ("cluster_block_exception", "es_rejected_execution_exception", "unavailable_shards_exception")


def index_refuses_writes(failure: dict[str, Any]) -> bool:
    """Whether a bulk item failed because the index takes no writes right now (a write or read-only
    block, the disk flood-stage block, overload), not because of the document: retry, do not dead-letter."""
    error = failure.get("error")
    kind = error.get("type") if isinstance(error, dict) else str(error or "")
    return failure.get("status") in (429, 503) or any(k in (kind or "") for k in _BLOCK_ERRORS)


def _reason(failure: dict[str, Any]) -> str:
    error = failure.get("error")
    if isinstance(error, dict):
        return f"{error.get('type')}: {error.get('reason')}"
    return str(error)


def mark_processed(
    es: Elasticsearch, settings: Settings, marks: dict[str, tuple[str, str | None]], run_id: str | None
) -> None:
    """Record each raw entry's outcome: it is no longer pending."""
    now = now_iso()
    actions = (
        {
            "_op_type": "update",
            "_index": settings.index("raw"),
            "_id": rid,
            "doc": {"processed_at": now, "outcome": what, "article_id": aid, "run_id": run_id},
        }
        for rid, (what, aid) in marks.items()
    )
    from elasticsearch import helpers

    ok, errors = helpers.bulk(es, actions, raise_on_error=False, refresh=True)
    if errors:
        raise TransientError(
            "raw",
            f"could not mark {len(errors)} raw entries as processed: {errors[0]}; the next run processes them again",
        )


def process_pending(
    es: Elasticsearch,
    settings: Settings,
    *,
    run_id: str | None = None,
    processor: Processor | None = None,
) -> ProcessOutcome:
    """Process every pending raw entry, index the kept ones, mark all; then refresh so they are searchable."""
    outcome = ProcessOutcome()
    processor = processor or default_processor(es, settings)
    for hits in pending_batches(es, settings, settings.process_batch_size):
        marks = process_articles(es, settings, hits, processor, run_id=run_id, outcome=outcome)
        mark_processed(es, settings, marks, run_id)
        if outcome.index_blocked:
            raise TransientError(
                "index",
                f"Elasticsearch refuses writes to {settings.write_alias}: {outcome.blocked_reason}. "
                f"{outcome.index_blocked} articles were not indexed and stay pending in the raw index (nothing is lost); "
                "they are indexed when this task is retried. If the index is read-only (index.blocks.write) or the disk "
                "is full (index.blocks.read_only_allow_delete after the flood-stage watermark), free disk space or "
                "lift the block, then clear this task",
            )
    for stage, secs in getattr(getattr(processor, "timings", None), "seconds", {}).items():
        outcome.durations_s[f"stage_{stage}"] = secs
    if outcome.indexed:
        es.indices.refresh(index=settings.write_alias)
    return outcome


# --- The run's summary ------------------------------------------------------------------------------


def summarize(
    es: Elasticsearch,
    settings: Settings,
    *,
    run_id: str,
    started_at: datetime | None,
    outcomes: list[dict[str, Any]],
    processed: dict[str, Any] | None,
    delivered: dict[str, Any] | None,
    dag_id: str = "border_news_ingest",
) -> RunSummary:
    """Add up the feed tasks' and the processing task's outcomes into the run's record, and store it.
    `processed` or `delivered` None means that task failed: the run is recorded as failed."""
    s = RunSummary(run_id=run_id, dag_id=dag_id)
    now = datetime.now(UTC)
    s.started_at = (started_at or now).isoformat()
    s.finished_at = now.isoformat()
    s.duration_s = round((now - (started_at or now)).total_seconds(), 3)
    durations: dict[str, float] = {}
    s.feeds_total = len(outcomes)
    for o in outcomes:
        s.feeds_fetched += o["status"] == "fetched"
        s.feeds_not_modified += o["status"] == "not_modified"
        if o["status"] == "failed":
            s.feeds_failed += 1
            s.failed_feeds.append(o["feed"])
        s.entries_seen += o["entries"]
        s.new += o["new"]
        s.pages_fetched += o["pages_fetched"]
        s.pages_failed += o["pages_failed"]
        s.dead_lettered += o["dead_lettered"]
        for stage, secs in o["durations_s"].items():
            durations[stage] = durations.get(stage, 0.0) + secs
        # Feeds run in parallel: the slowest one is what the run waits for.
        durations["slowest_feed"] = max(durations.get("slowest_feed", 0.0), sum(o["durations_s"].values()))
    if processed is not None:
        for name in ("processed", "irrelevant", "duplicates", "indexed", "index_failed", "process_failed"):
            setattr(s, name, processed[name])
        s.dead_lettered += processed["dead_lettered"]
        for stage, secs in processed["durations_s"].items():
            durations[stage] = durations.get(stage, 0.0) + secs
        s.freshness_lag_p50_s = processed.get("freshness_lag_p50_s")
        s.freshness_lag_p95_s = processed.get("freshness_lag_p95_s")
        s.freshness_lag_max_s = processed.get("freshness_lag_max_s")
    if delivered is not None:
        s.delivered = int(delivered.get("delivered") or 0)
    s.durations_s = {k: round(v, 3) for k, v in durations.items()}
    if processed is None or delivered is None:
        s.state = "failed"
    runs.write(es, settings, s)
    return s
