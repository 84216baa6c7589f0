"""Run summaries: percentiles and the lines operators read."""

from __future__ import annotations

from pipeline.runs import RunSummary, percentile


def test_percentile_interpolates_between_closest_ranks():
    assert percentile([], 50) is None
    assert percentile([7.0], 95) == 7.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 101)), 95) == 95.05
    assert percentile([5, 1, 3], 100) == 5.0


def test_summary_lines_say_what_the_run_fetched_kept_rejected_and_indexed():
    s = RunSummary(
        run_id="r1",
        feeds_total=3,
        feeds_fetched=1,
        feeds_not_modified=1,
        feeds_failed=1,
        entries_seen=12,
        new=4,
        irrelevant=1,
        duplicates=1,
        indexed=2,
        dead_lettered=1,
        durations_s={"fetch": 1.5},
        freshness_lag_p50_s=60.0,
        freshness_lag_p95_s=90.0,
        freshness_lag_max_s=100.0,
        failed_feeds=["pib"],
    )
    assert s.lines() == [
        "run summary r1 (success)",
        "- feeds: 3 total, 1 fetched, 1 not modified, 1 failed",
        "- entries: 12 seen, 4 new; pages: 0 fetched, 0 failed",
        "- processed 0: irrelevant 1, duplicates 1, indexed 2, index failures 0, processing failures 0",
        "- dead-lettered: 1; webhook deliveries: 0",
        "- durations: fetch 1.50 s",
        "- freshness lag (published -> indexed): p50 60 s, p95 90 s, max 100 s",
        "- failed feeds: pib (see the dead-letter index `*-deadletter`)",
    ]
    assert s.to_dict()["message"] == (
        "feeds 1 fetched / 1 not modified / 1 failed; entries 12 seen, 4 new; "
        "irrelevant 1, duplicates 1, indexed 2, dead-lettered 1"
    )
