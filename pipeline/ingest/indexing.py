"""Pending raw entries -> processing stages -> article index; each raw entry marked with its outcome.

`process_hits` yields one `ItemResult` per raw hit (see `pipeline.outcomes`); `process_pending`
drains the queue batch by batch, marks each batch, and counts with `tally`. Reprocessing uses the
same `process_hits` into a new index version (`pipeline.reprocess`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch

from pipeline import deadletter, story_index
from pipeline import outcomes as o
from pipeline.article import Article
from pipeline.errors import PipelineError, TransientError
from pipeline.index import index_articles
from pipeline.ingest.rawqueue import mark_processed, now_iso, pending_batches
from pipeline.settings import Settings

# An article processor: raw articles in, for each (in order) the processed article or its `Failure`.
Processor = Callable[[Iterable[Article]], Iterator[Any]]
Durations = dict[str, float]


class StageProcessor:
    """`pipeline.process.process` with its dedupe registry and story clusters, timing every stage."""

    def __init__(self, registry: Any, clusters: Any):
        from pipeline.process import StageTimings

        self.registry, self.clusters = registry, clusters
        self.timings = StageTimings()

    def __call__(self, articles: Iterable[Article]) -> Iterator[Any]:
        from pipeline.process import process

        return process(articles, registry=self.registry, clusters=self.clusters, timings=self.timings)


def es_processor(es: Elasticsearch, settings: Settings, index: str | None = None) -> StageProcessor:
    """The processing stages with their state in Elasticsearch (dedupe signatures, stories): what is
    already indexed counts, so an article seen in an earlier run is recognised. The lookups read the
    read alias, or `index` (a reprocess reads the index it fills)."""
    from pipeline import dedupe, stories

    return StageProcessor(
        dedupe.ElasticsearchDedupeIndex(es, settings, index=index),
        stories.ElasticsearchStoryIndex(es, settings, index=index, merge_indexed=True),
    )


@contextmanager
def timed(durations: Durations, name: str) -> Iterator[None]:
    t0 = time.monotonic()
    try:
        yield
    finally:
        durations[name] = durations.get(name, 0.0) + time.monotonic() - t0


def process_hits(
    es: Elasticsearch,
    settings: Settings,
    raw_hits: list[dict[str, Any]],
    processor: Processor,
    *,
    run_id: str | None,
    target_index: str | None = None,
    durations: Durations | None = None,
) -> Iterator[o.ItemResult]:
    """Process raw hits one article at a time (a failing article is dead-lettered, the rest go on) and
    bulk-index the kept ones: through the write alias, or into `target_index` (reprocessing).
    Yields one result per hit; failures are yielded once their dead letters are stored."""
    durations = {} if durations is None else durations
    kept: list[tuple[str, Article]] = []
    failed: list[tuple[o.ItemResult, tuple[str, dict[str, Any]]]] = []
    with timed(durations, "process"):
        raws = [Article.from_dict(hit["_source"]).replace(ingested_at=None) for hit in raw_hits]
        for hit, raw, article in zip(raw_hits, raws, processor(raws), strict=True):
            if not isinstance(article, Article):  # a `Failure`: one stage broke on this article
                record = _failure_record(hit, raw, article, run_id)
                failed.append((o.failure(hit["_id"], article.stage), record))
                continue
            result = o.classify(hit["_id"], article)
            if result.outcome == o.KEPT:
                kept.append((hit["_id"], article.replace(ingested_at=now_iso())))
            else:
                yield result
        kept = _with_final_stories(processor, kept)
    by_raw_id, indexed = dict(kept), []
    with timed(durations, "index"):
        for result, record in _index_kept(es, settings, kept, target_index, run_id):
            if record is None:
                if result.outcome == o.INDEXED:
                    indexed.append(by_raw_id[result.raw_id])
                yield result
            else:
                failed.append((result, record))
        absorbed = _relabel_indexed(processor)
    if target_index is None and (indexed or absorbed):
        with timed(durations, "stories"):
            story_index.refresh_stories(
                es,
                settings,
                {a.story_id for a in indexed} | set(absorbed) | set(absorbed.values()),
                article_ids=[a.id for a in indexed],
            )
    with timed(durations, "deadletter"):
        deadletter.record(es, settings, [record for _, record in failed])
    yield from (result for result, _ in failed)


def _with_final_stories(processor: Processor, kept: list[tuple[str, Article]]) -> list[tuple[str, Article]]:
    """The kept articles with the story ids they go by once the whole batch is seen: a later article
    of the batch may have merged two stories (`ElasticsearchStoryIndex.relabel`)."""
    relabel = getattr(getattr(processor, "clusters", None), "relabel", None)
    if relabel is None or not kept:
        return kept
    return list(zip((raw_id for raw_id, _ in kept), relabel([a for _, a in kept]), strict=True))


def _relabel_indexed(processor: Processor) -> dict[str, str]:
    """Indexed stories this batch merged into another: their articles re-indexed under the surviving
    id; absorbed id -> surviving id (the story records of both must be rebuilt)."""
    relabel_indexed = getattr(getattr(processor, "clusters", None), "relabel_indexed", None)
    return relabel_indexed() if relabel_indexed else {}


def _failure_record(hit: dict[str, Any], raw: Article, failure: Any, run_id: str | None):
    item = raw.raw_url or raw.input
    error = PipelineError(failure.stage, failure.error, feed=raw.feed, item=item)
    return deadletter.record_for(
        failure.stage,
        error,
        feed=raw.feed,
        item=item,
        input={"raw_id": hit["_id"], "title": raw.raw_title},
        run_id=run_id,
    )


def _index_kept(es, settings, kept: list[tuple[str, Article]], target_index, run_id):
    """Bulk-index the kept articles; per article its result and, for a refused one, its dead letter."""
    if not kept:
        return
    report = index_articles(es, settings, [a for _, a in kept], index=target_index)
    refused = {f["id"]: f for f in report.failed}
    now = datetime.now(UTC)
    for raw_id, a in kept:
        f = refused.get(a.id)
        if f is None:
            yield o.ItemResult(raw_id, o.INDEXED, a.id, lag_s=o.freshness_lag_s(a, now)), None
        elif index_refuses_writes(f):  # not marked: the raw entry stays pending for the retry
            yield o.ItemResult(raw_id, o.PENDING, a.id, reason=_reason(f)), None
        else:
            record = deadletter.record_for(
                o.INDEX_STAGE,
                f"Elasticsearch refused the document: {f['error']}",
                feed=(f["doc"] or {}).get("feed"),
                item=(f["doc"] or {}).get("url") or f["id"],
                input={"raw_id": raw_id, "doc": f["doc"]},
                run_id=run_id,
            )
            yield o.failure(raw_id, o.INDEX_STAGE, a.id), record


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


def drain(
    es: Elasticsearch, settings: Settings, processor: Processor, *, run_id: str | None, durations: Durations
) -> Iterator[o.ItemResult]:
    """Every pending raw entry through `process_hits`, batch by batch, each batch marked before the next
    is asked for. Stops with a TransientError when the article index refuses writes (after marking)."""
    for hits in pending_batches(es, settings, settings.process_batch_size):
        batch = list(process_hits(es, settings, hits, processor, run_id=run_id, durations=durations))
        mark_processed(es, settings, (r.mark() for r in batch if r.outcome != o.PENDING), run_id)
        yield from batch
        left = [r for r in batch if r.outcome == o.PENDING]
        if left:
            raise TransientError(
                "index",
                f"Elasticsearch refuses writes to {settings.write_alias}: {left[0].reason}. "
                f"{len(left)} articles were not indexed and stay pending in the raw index (nothing is "
                "lost); they are indexed when this task is retried. If the index is read-only "
                "(index.blocks.write) or the disk is full (index.blocks.read_only_allow_delete after the "
                "flood-stage watermark), free disk space or lift the block, then clear this task",
            )


def process_pending(
    es: Elasticsearch,
    settings: Settings,
    *,
    run_id: str | None = None,
    processor: Processor | None = None,
) -> o.ProcessCounts:
    """Process every pending raw entry, index the kept ones, mark all; then refresh so they are searchable."""
    processor = processor or es_processor(es, settings)
    durations: Durations = {"process": 0.0, "index": 0.0, "stories": 0.0, "deadletter": 0.0}
    counts = o.tally(drain(es, settings, processor, run_id=run_id, durations=durations))
    for stage, secs in getattr(getattr(processor, "timings", None), "seconds", {}).items():
        durations[f"stage_{stage}"] = secs
    counts.durations_s = {k: round(v, 3) for k, v in durations.items()}
    if counts.indexed:
        es.indices.refresh(index=settings.write_alias)
    return counts
