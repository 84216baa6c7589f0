"""The run's record: the feed tasks' and the processing task's counts added up, stored in the runs
index (`pipeline.runs`), in the words of `pipeline.outcomes`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch

from pipeline import runs
from pipeline.runs import RunSummary
from pipeline.settings import Settings

# Counts a run record takes over unchanged from the processing task's (`ProcessCounts.to_dict()`).
PROCESS_COUNTS = ("processed", "kept", "rejected", "duplicates", "indexed", "failed", "left_pending")
FEED_COUNTS = ("entries_seen", "new", "pages_fetched", "pages_failed", "dead_lettered")
LAGS = ("freshness_lag_p50_s", "freshness_lag_p95_s", "freshness_lag_max_s")


def _add(durations: dict[str, float], more: dict[str, float]) -> None:
    for stage, secs in more.items():
        durations[stage] = durations.get(stage, 0.0) + secs


def feed_fields(outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    """The feed tasks' outcomes (`FeedOutcome.to_dict()`) added up."""
    statuses = [o["status"] for o in outcomes]
    fields: dict[str, Any] = {name: sum(o[name] for o in outcomes) for name in FEED_COUNTS}
    durations: dict[str, float] = {}
    for o in outcomes:
        _add(durations, o["durations_s"])
    # Feeds run in parallel: the slowest one is what the run waits for.
    if outcomes:
        durations["slowest_feed"] = max(sum(o["durations_s"].values()) for o in outcomes)
    return {
        **fields,
        "feeds_total": len(outcomes),
        "feeds_fetched": statuses.count("fetched"),
        "feeds_not_modified": statuses.count("not_modified"),
        "feeds_failed": statuses.count("failed"),
        "failed_feeds": [o["feed"] for o in outcomes if o["status"] == "failed"],
        "durations_s": durations,
    }


def process_fields(processed: dict[str, Any]) -> dict[str, Any]:
    """The run-record fields of processing counts (`ProcessCounts.to_dict()`)."""
    return {
        **{name: processed[name] for name in (*PROCESS_COUNTS, *LAGS)},
        "failed_by_stage": dict(processed["failed_by_stage"]),
    }


def summarize(
    es: Elasticsearch,
    settings: Settings,
    *,
    run_id: str,
    started_at: datetime | None,
    outcomes: list[dict[str, Any]],
    processed: dict[str, Any] | None,
    dag_id: str = "border_news_ingest",
) -> RunSummary:
    """Add up the feed tasks' and the processing task's counts into the run's record, and store it.
    `processed` None means that task failed: the run is recorded as failed. Webhook deliveries are not
    part of an ingest run (the webhooks DAG makes them): the record has no `delivered` count."""
    now = datetime.now(UTC)
    fields = feed_fields(outcomes)
    durations = fields.pop("durations_s")
    if processed is not None:
        fields.update(process_fields(processed))
        fields["dead_lettered"] += processed["dead_lettered"]
        _add(durations, processed["durations_s"])
    summary = RunSummary(
        run_id=run_id,
        dag_id=dag_id,
        state="success" if processed is not None else "failed",
        started_at=(started_at or now).isoformat(),
        finished_at=now.isoformat(),
        duration_s=round((now - (started_at or now)).total_seconds(), 3),
        durations_s={k: round(v, 3) for k, v in durations.items()},
        **fields,
    )
    runs.write(es, settings, summary)
    return summary
