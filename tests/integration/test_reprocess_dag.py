"""The reprocess DAG, for real: after an ingest run, every raw article goes into a new index version
and the aliases move to it atomically, while a reader keeps searching."""

from __future__ import annotations

import threading

from tests.conftest import SEEDS
from tests.integration.conftest import counts, run_dag


def test_reprocess_fills_the_next_version_and_switches_aliases_without_an_empty_search(
    dag_env, settings, es, http_server
):
    dag_env([("seeds", http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes()), False)])
    run_dag("border_news_ingest")
    raw_before, indexed_before = counts(es, settings)
    v1 = f"{settings.index_prefix}-v1"
    assert list(es.indices.get_alias(name=settings.read_alias)) == [v1]

    # A reader searches the read alias in a loop for the whole reprocess run.
    totals: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def reader():
        from pipeline.index import client

        reader_es = client(settings)
        while not stop.is_set():
            try:
                totals.append(
                    reader_es.search(index=settings.read_alias, size=0, track_total_hits=True)["hits"][
                        "total"
                    ]["value"]
                )
            except Exception as exc:  # noqa: BLE001 - any failure is what the test looks for
                errors.append(repr(exc))

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        run = run_dag("border_news_reprocess")
    finally:
        stop.set()
        thread.join(timeout=10)

    v2 = f"{settings.index_prefix}-v1-r2"  # same document schema (v1), second generation
    assert list(es.indices.get_alias(name=settings.read_alias)) == [v2]
    assert list(es.indices.get_alias(name=settings.write_alias)) == [v2]
    assert counts(es, settings) == (raw_before, indexed_before)
    assert es.count(index=v1)["count"] == indexed_before  # the old version is kept for a rollback
    ids = lambda index: {h["_id"] for h in es.search(index=index, size=100)["hits"]["hits"]}  # noqa: E731
    assert ids(v2) == ids(v1)
    assert errors == []
    assert len(totals) > 10 and set(totals) == {indexed_before}  # never empty, never half-filled
    record = es.get(index=settings.index("runs"), id=run.run_id)["_source"]
    assert (record["dag_id"], record["entries_seen"], record["indexed"]) == (
        "border_news_reprocess",
        raw_before,
        indexed_before,
    )
