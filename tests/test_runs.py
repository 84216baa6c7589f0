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
        processed=4,
        kept=2,
        rejected=1,
        duplicates=1,
        indexed=1,
        failed=1,
        failed_by_stage={"index": 1},
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
        "- processed 4: kept 2, rejected 1 (not relevant), duplicates 1; indexed 1, failed 1 (index 1)",
        "- dead-lettered: 1",
        "- durations: fetch 1.50 s",
        "- freshness lag (published -> indexed): p50 60 s, p95 90 s, max 100 s",
        "- failed feeds: pib (see the dead-letter index `*-deadletter`)",
    ]
    assert s.to_dict()["message"] == (
        "feeds 1 fetched / 1 not modified / 1 failed; entries 12 seen, 4 new; "
        "rejected 1, duplicates 1, indexed 1, failed 1, dead-lettered 1"
    )


def test_the_runs_mapping_has_a_number_field_for_every_count_of_a_run_record():
    import dataclasses

    from pipeline.runs import COUNTS, MAPPING

    props = MAPPING["properties"]
    ints = {k for k, v in props.items() if v.get("type") == "integer"}
    fields = {f.name for f in dataclasses.fields(RunSummary) if f.type in ("int", int)}
    assert (ints, set(COUNTS)) == (fields, fields)


def test_tally_counts_each_outcome_once_in_the_run_vocabulary():
    from pipeline.outcomes import DUPLICATE, FAILED, INDEXED, PENDING, REJECTED, ItemResult, tally

    results = [
        ItemResult("a", INDEXED, "A", lag_s=10.0),
        ItemResult("b", INDEXED, "B", lag_s=30.0),
        ItemResult("c", REJECTED, "C", reason="not_relevant"),
        ItemResult("d", DUPLICATE, "D", duplicate_of="A"),
        ItemResult("e", FAILED, reason="entities"),
        ItemResult("f", FAILED, "F", reason="index"),
        ItemResult("g", PENDING, "G", reason="cluster_block_exception: blocked"),
    ]
    c = tally(results)
    assert (c.processed, c.kept, c.rejected, c.duplicates, c.indexed, c.failed, c.left_pending) == (
        7, 4, 1, 1, 2, 2, 1,
    )  # fmt: skip
    assert (c.failed_by_stage, c.dead_lettered, c.pending_reason) == (
        {"entities": 1, "index": 1},
        2,
        "cluster_block_exception: blocked",
    )
    assert (c.freshness_lag_p50_s, c.freshness_lag_max_s) == (20.0, 30.0)
    assert results[3].mark() == {
        "raw_id": "d", "outcome": "duplicate", "reason": None, "article_id": "D", "duplicate_of": "A",
    }  # fmt: skip
