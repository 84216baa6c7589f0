"""Reprocessing: every raw article through the processing stages again, into a new index version,
then one atomic alias switch.

For use after the gazetteer, the relevance terms or a stage changed. A new index of the same
document schema (`<prefix>-v<schema>-r<generation>`) is filled while searches keep using the old one
through the read alias; then
`index.switch_aliases` moves the read and write aliases in one request, so no search ever sees an
empty or half-filled index. Raw articles are replayed in fetch order through the same
Elasticsearch-backed dedupe and story lookups as ingest (`pipeline.ingest.es_processor`), reading
the new index as it fills (and the current batch in memory): the decisions ingest made, replayed,
independent of the old version. Replayed entries that were processed before get their new outcome
on the raw entry; pending ones are left to the ingest DAG. Articles that the ingest DAG stored while
this ran are caught up after the switch.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch

from pipeline import outcomes, runs, story_index
from pipeline.index import (
    INDEX_VERSION,
    current_index,
    ensure_index,
    ensure_template,
    switch_aliases,
    versioned_index,
)
from pipeline.ingest import (
    ProcessCounts,
    Processor,
    ensure_raw_index,
    es_processor,
    mark_processed,
    process_hits,
)
from pipeline.runs import RunSummary
from pipeline.settings import Settings


def next_generation(es: Elasticsearch, settings: Settings, schema_version: int = INDEX_VERSION) -> int:
    """One more than the highest reprocessing generation of this schema version (`-v1` is generation 1)."""
    pattern = re.compile(re.escape(f"{settings.index_prefix}-v{schema_version}") + r"(?:-r(\d+))?$")
    names = es.indices.get(
        index=f"{settings.index_prefix}-v{schema_version}*", allow_no_indices=True, expand_wildcards="all"
    )
    generations = [int(m.group(1) or 1) for n in names if (m := pattern.match(n))]
    return max(generations, default=0) + 1


def create_generation(es: Elasticsearch, settings: Settings, schema_version: int = INDEX_VERSION) -> str:
    """A new, empty physical index for the current document schema: `<prefix>-v<schema>-r<generation>`.

    `index.create_index_version(n)` names an index after its *schema* version (mapping-v<n>.json);
    reprocessing keeps the schema and only needs a fresh index, so it adds a generation suffix. The
    index template (`<prefix>-v*`) and the read/write aliases treat it like any version."""
    name = f"{versioned_index(settings, schema_version)}-r{next_generation(es, settings, schema_version)}"
    mapping = ensure_template(es, settings, schema_version)
    ensure_index(es, name, mapping)
    return name


def raw_hits(
    es: Elasticsearch, settings: Settings, *, since: str | None = None, batch_size: int = 500
) -> Iterator[list[dict[str, Any]]]:
    """Every raw article (or those ingested since `since`) in fetch order, in batches, over a
    point-in-time so that concurrent ingestion does not shift the pages."""
    index = ensure_raw_index(es, settings)
    es.indices.refresh(index=index)
    pit = es.open_point_in_time(index=index, keep_alive="5m")["id"]
    query = {"range": {"ingested_at": {"gte": since}}} if since else {"match_all": {}}
    search_after = None
    try:
        while True:
            kwargs: dict[str, Any] = {"search_after": search_after} if search_after else {}
            response = es.search(
                pit={"id": pit, "keep_alive": "5m"},
                size=batch_size,
                query=query,
                sort=[{"fetched_at": {"order": "asc", "unmapped_type": "date"}}, {"_shard_doc": "asc"}],
                **kwargs,
            )
            hits = response["hits"]["hits"]
            if not hits:
                return
            pit = response.get("pit_id", pit)
            search_after = hits[-1]["sort"]
            yield hits
    finally:
        es.close_point_in_time(id=pit)


@dataclass
class ReprocessReport:
    old_index: str | None
    new_index: str
    raw: int = 0
    caught_up: int = 0
    counts: ProcessCounts = field(default_factory=ProcessCounts)
    old_count: int = 0
    new_count: int = 0
    duration_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        doc = {k: v for k, v in self.__dict__.items() if k != "counts"}
        doc.update(self.counts.to_dict())
        return doc


def _replay(es, settings, batches, new: str, processor_factory, run_id, durations) -> Iterator[Any]:
    """Each batch of raw hits through a fresh processor whose lookups read `new` (what earlier batches
    indexed there; the batch itself in memory, so memory stays flat); the entries that were processed
    before are marked with their new outcome."""
    for hits in batches:
        processor = processor_factory(es, settings, new)
        batch = list(
            process_hits(es, settings, hits, processor, run_id=run_id, target_index=new, durations=durations)
        )
        done = {h["_id"] for h in hits if h["_source"].get("processed_at")}
        marks = [r.mark() for r in batch if r.raw_id in done and r.outcome != outcomes.PENDING]
        mark_processed(es, settings, marks, run_id)
        for stage, secs in getattr(getattr(processor, "timings", None), "seconds", {}).items():
            durations[f"stage_{stage}"] = durations.get(f"stage_{stage}", 0.0) + secs
        yield from batch


def reprocess(
    es: Elasticsearch,
    settings: Settings,
    *,
    run_id: str | None = None,
    processor_factory: Callable[[Elasticsearch, Settings, str], Processor] = es_processor,
    on_filled: Callable[[str], None] | None = None,
) -> ReprocessReport:
    """Fill a new index version from the raw index, switch the aliases to it, catch up late arrivals.

    The gazetteer is read again first: the entities stage caches it per process, and a reprocess is
    what re-tags history after an entry was added (`python -m pipeline entities promote`)."""
    from pipeline import entities

    entities.reload_gazetteer()
    t0 = time.monotonic()
    started = (datetime.now(UTC) - timedelta(seconds=5)).isoformat()
    old = current_index(es, settings)
    new = create_generation(es, settings)
    report = ReprocessReport(old_index=old, new_index=new)
    durations: dict[str, float] = {}
    replayed: set[str] = set()
    late: list[str] = []

    def first_pass() -> Iterator[list[dict[str, Any]]]:
        for hits in raw_hits(es, settings, batch_size=settings.process_batch_size):
            replayed.update(h["_id"] for h in hits)
            yield hits

    def catch_up() -> Iterator[list[dict[str, Any]]]:
        # Entries the ingest DAG stored while we replayed went to the old version: process them here.
        for hits in raw_hits(es, settings, since=started, batch_size=settings.process_batch_size):
            hits = [h for h in hits if h["_id"] not in replayed]
            late.extend(h["_id"] for h in hits)
            yield hits

    def replay_and_switch() -> Iterator[Any]:
        yield from _replay(es, settings, first_pass(), new, processor_factory, run_id, durations)
        es.indices.refresh(index=new)
        if on_filled:
            on_filled(new)
        switch_aliases(es, settings, new)
        yield from _replay(es, settings, catch_up(), new, processor_factory, run_id, durations)
        es.indices.refresh(index=new)

    report.counts = outcomes.tally(replay_and_switch())
    report.raw, report.caught_up = len(replayed), len(late)
    t_stories = time.monotonic()
    story_index.refresh_all(es, settings)  # story records rebuilt from the version now read
    durations["stories"] = time.monotonic() - t_stories
    durations["total"] = time.monotonic() - t0
    report.counts.durations_s = {k: round(v, 3) for k, v in durations.items()}
    report.old_count = es.count(index=old)["count"] if old else 0
    report.new_count = es.count(index=new)["count"]
    report.duration_s = round(time.monotonic() - t0, 3)
    return report


def record_run(
    es: Elasticsearch, settings: Settings, report: ReprocessReport, *, run_id: str, started_at: datetime
) -> RunSummary:
    """Store the reprocess run's record in the runs index, in the ingest run's words."""
    from pipeline.ingest.summary import process_fields

    counts = report.counts.to_dict()
    summary = RunSummary(
        run_id=run_id,
        dag_id="border_news_reprocess",
        started_at=started_at.isoformat(),
        finished_at=datetime.now(UTC).isoformat(),
        duration_s=report.duration_s,
        entries_seen=report.raw + report.caught_up,
        dead_lettered=counts["dead_lettered"],
        durations_s=counts["durations_s"],
        **process_fields(counts),
    )
    runs.write(es, settings, summary)
    return summary


def report_line(report: ReprocessReport) -> str:
    return (
        f"reprocessed {report.raw} raw articles (+{report.caught_up} caught up) from {report.old_index} "
        f"({report.old_count} documents) into {report.new_index} ({report.new_count} documents); "
        "aliases switched"
    )
