"""What became of each raw entry, and the counts of a run: one vocabulary for the CLI, the runs index,
the run's note and the operators' view.

Processing yields one `ItemResult` per raw entry (the way `elasticsearch.helpers.streaming_bulk`
yields one result per bulk item); `tally` is the one function that counts them (the way
`helpers.bulk` counts). The words, per entry (`outcome`, also stored on the raw entry) and as counts:

- `kept`: relevant and not a duplicate: what goes to the article index (the outcome of an article
  processed without indexing, `pipeline.process.process_batch`);
- `indexed`: kept and written to the article index;
- `rejected`, with a `reason` (`not_relevant`): processed, kept out of the article index;
- `duplicate` (counted as `duplicates`): the same or nearly the same text as an earlier article;
- `failed`, with the stage as `reason`: a processing stage broke or the article index refused the
  document; dead-lettered;
- `pending` (counted as `left_pending`): kept, but the article index takes no writes now; the raw
  entry stays pending for the retry. Not marked.

`processed` counts them all; `kept` also counts the kept ones that were then indexed, failed at the
index or left pending. An article both not relevant and a duplicate is `rejected`: relevance is a
property of the article itself, duplication one of the order articles came in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from pipeline.article import Article
from pipeline.runs import ProcessingCounts, percentile, processed_line

KEPT, INDEXED, REJECTED, DUPLICATE = "kept", "indexed", "rejected", "duplicate"
FAILED, PENDING = "failed", "pending"
NOT_RELEVANT = "not_relevant"
INDEX_STAGE = "index"  # the `reason` of a failure at the article index


@dataclass(frozen=True)
class ItemResult:
    """What became of one raw entry."""

    raw_id: str
    outcome: str  # KEPT | INDEXED | REJECTED | DUPLICATE | FAILED | PENDING
    article_id: str | None = None
    reason: str | None = None  # REJECTED: why; FAILED: the stage; PENDING: Elasticsearch's refusal
    lag_s: float | None = None  # INDEXED: seconds from publication (None: the outlet gave no date)
    duplicate_of: str | None = None  # DUPLICATE: the id of the earlier article

    def mark(self) -> dict[str, Any]:
        """What the raw entry records of it."""
        fields = ("raw_id", "outcome", "reason", "article_id", "duplicate_of")
        return {name: getattr(self, name) for name in fields}


@dataclass
class ProcessCounts(ProcessingCounts):
    """The counts of processing raw entries (a run's processing task, or a reprocess)."""

    pending_reason: str | None = None
    freshness_lag_p50_s: float | None = None
    freshness_lag_p95_s: float | None = None
    freshness_lag_max_s: float | None = None
    durations_s: dict[str, float] = field(default_factory=dict)  # set by the caller, who timed it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """One log line, in the run summary's words."""
        return processed_line(self)


def classify(raw_id: str, article: Article) -> ItemResult:
    """The outcome of a processed article before indexing: rejected, duplicate or kept."""
    if article.relevant is False:
        return ItemResult(raw_id, REJECTED, article.id, reason=NOT_RELEVANT)
    if article.duplicate_of:
        return ItemResult(raw_id, DUPLICATE, article.id, duplicate_of=article.duplicate_of)
    return ItemResult(raw_id, KEPT, article.id)


def failure(raw_id: str, stage: str, article_id: str | None = None) -> ItemResult:
    return ItemResult(raw_id, FAILED, article_id, reason=stage)


def tally(results: Iterable[ItemResult]) -> ProcessCounts:
    """Count per-entry results in the run's vocabulary (every failure was dead-lettered once)."""
    by_outcome: Counter[str] = Counter()
    failed_by_stage: Counter[str] = Counter()
    lags: list[float] = []
    pending_reason = None
    for r in results:
        by_outcome[r.outcome] += 1
        if r.outcome == FAILED:
            failed_by_stage[r.reason or "?"] += 1
        elif r.outcome == PENDING:
            pending_reason = pending_reason or r.reason
        elif r.outcome == INDEXED and r.lag_s is not None:
            lags.append(r.lag_s)
    return ProcessCounts(
        processed=sum(by_outcome.values()),
        kept=by_outcome[KEPT] + by_outcome[INDEXED] + by_outcome[PENDING] + failed_by_stage[INDEX_STAGE],
        rejected=by_outcome[REJECTED],
        duplicates=by_outcome[DUPLICATE],
        indexed=by_outcome[INDEXED],
        failed=by_outcome[FAILED],
        failed_by_stage=dict(sorted(failed_by_stage.items())),
        left_pending=by_outcome[PENDING],
        pending_reason=pending_reason,
        dead_lettered=by_outcome[FAILED],
        freshness_lag_p50_s=percentile(lags, 50),
        freshness_lag_p95_s=percentile(lags, 95),
        freshness_lag_max_s=max(lags) if lags else None,
    )


def freshness_lag_s(article: Article, now: datetime) -> float | None:
    """Seconds from publication to `now`; None when the outlet gave no date (published_at is then the
    fetch time, and its "lag" would only measure the run)."""
    if article.published_at_source == "fetched" or not article.published_at:
        return None
    try:
        published = datetime.fromisoformat(article.published_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return max(0.0, (now - published).total_seconds())
