"""Run summaries: one record per DAG run in `<prefix>-runs`, the numbers operators read.

The same record is written to the runs index (Kibana charts it: every count is a number field, the
run's start a date), printed in the task log, and set as the DAG run's note by the plugin listener.
Its id is the run id, so a re-run of the same DAG run replaces its record instead of adding one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from pipeline.index import ensure_index
from pipeline.mappings import load_mapping
from pipeline.settings import Settings

# The counts of a run record, in the words of `pipeline.outcomes` (each an integer field of the
# runs index, `pipeline/data/mapping-runs.json`).
COUNTS = (
    "feeds_total",
    "feeds_fetched",
    "feeds_not_modified",
    "feeds_failed",
    "entries_seen",
    "new",
    "pages_fetched",
    "pages_failed",
    "processed",
    "kept",
    "rejected",
    "duplicates",
    "indexed",
    "failed",
    "left_pending",
    "dead_lettered",
)


_CURRENT: set[str] = set()  # runs indices this process has brought up to the mapping file


MAPPING: dict[str, Any] = load_mapping("runs")


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


def processed_line(counts: Any) -> str:
    """The processing counts (of a `RunSummary` or a `pipeline.outcomes.ProcessCounts`) in one line."""
    by_stage = ", ".join(f"{k} {v}" for k, v in counts.failed_by_stage.items())
    return (
        f"processed {counts.processed}: kept {counts.kept}, rejected {counts.rejected} (not relevant), "
        f"duplicates {counts.duplicates}; indexed {counts.indexed}, failed {counts.failed}"
        + (f" ({by_stage})" if by_stage else "")
        + (f", left pending {counts.left_pending}" if counts.left_pending else "")
    )


@dataclass
class ProcessingCounts:
    """What processing raw entries gave, in the words every report uses (the run record, the CLI,
    the run note, the operators' view)."""

    processed: int = 0
    kept: int = 0
    rejected: int = 0
    duplicates: int = 0
    indexed: int = 0
    failed: int = 0
    failed_by_stage: dict[str, int] = field(default_factory=dict)
    left_pending: int = 0
    dead_lettered: int = 0


@dataclass(kw_only=True)
class RunSummary(ProcessingCounts):
    run_id: str
    dag_id: str = "border_news_ingest"
    state: str = "success"
    started_at: str | None = None
    finished_at: str | None = None
    duration_s: float | None = None
    feeds_total: int = 0
    feeds_fetched: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    entries_seen: int = 0
    new: int = 0
    pages_fetched: int = 0
    pages_failed: int = 0
    durations_s: dict[str, float] = field(default_factory=dict)
    freshness_lag_p50_s: float | None = None
    freshness_lag_p95_s: float | None = None
    freshness_lag_max_s: float | None = None
    failed_feeds: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["message"] = self.headline()
        return doc

    def headline(self) -> str:
        """One line: what the run fetched, kept, rejected, deduplicated and indexed."""
        return (
            f"feeds {self.feeds_fetched} fetched / {self.feeds_not_modified} not modified / "
            f"{self.feeds_failed} failed; entries {self.entries_seen} seen, {self.new} new; "
            f"rejected {self.rejected}, duplicates {self.duplicates}, indexed {self.indexed}, "
            f"failed {self.failed}, dead-lettered {self.dead_lettered}"
        )

    def _durations_line(self) -> str:
        outer = ", ".join(f"{k} {v:.2f} s" for k, v in self.durations_s.items() if not k.startswith("stage_"))
        inner = ", ".join(f"{k[6:]} {v:.2f} s" for k, v in self.durations_s.items() if k.startswith("stage_"))
        return f"- durations: {outer or 'n/a'}" + (f"; inside processing: {inner}" if inner else "")

    def lines(self) -> list[str]:
        """The summary as log lines (also the DAG run's note, in Markdown)."""
        lag = (
            "n/a"
            if self.freshness_lag_p50_s is None
            else f"p50 {self.freshness_lag_p50_s:.0f} s, p95 {self.freshness_lag_p95_s:.0f} s, "
            f"max {self.freshness_lag_max_s:.0f} s"
        )
        out = [
            f"run summary {self.run_id} ({self.state})",
            f"- feeds: {self.feeds_total} total, {self.feeds_fetched} fetched, "
            f"{self.feeds_not_modified} not modified, {self.feeds_failed} failed",
            f"- entries: {self.entries_seen} seen, {self.new} new; "
            f"pages: {self.pages_fetched} fetched, {self.pages_failed} failed",
            f"- {processed_line(self)}",
            f"- dead-lettered: {self.dead_lettered}",
            self._durations_line(),
            f"- freshness lag (published -> indexed): {lag}",
        ]
        if self.failed_feeds:
            out.append(
                f"- failed feeds: {', '.join(self.failed_feeds)} (see the dead-letter index `*-deadletter`)"
            )
        return out

    def note(self) -> str:
        return "\n".join(self.lines())


def write(es: Elasticsearch, settings: Settings, summary: RunSummary) -> None:
    """Store (or replace) the run's record."""
    index = settings.index("runs")
    wanted = MAPPING
    if not ensure_index(es, index, wanted) and index not in _CURRENT:
        es.indices.put_mapping(index=index, properties=wanted["properties"])  # a count added since
    _CURRENT.add(index)
    es.index(index=index, id=summary.run_id, document=summary.to_dict(), refresh="wait_for")


def load(es: Elasticsearch, settings: Settings, run_id: str) -> RunSummary | None:
    try:
        src = es.get(index=settings.index("runs"), id=run_id)["_source"]
    except NotFoundError:
        return None
    names = set(RunSummary.__dataclass_fields__)
    return RunSummary(**{k: v for k, v in src.items() if k in names})


def recent(es: Elasticsearch, settings: Settings, size: int = 20) -> list[dict[str, Any]]:
    """The last `size` run records, newest first."""
    index = settings.index("runs")
    if not es.indices.exists(index=index):
        return []
    hits = es.search(
        index=index, size=size, sort=[{"started_at": {"order": "desc", "unmapped_type": "date"}}]
    )
    return [h["_source"] for h in hits["hits"]["hits"]]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
