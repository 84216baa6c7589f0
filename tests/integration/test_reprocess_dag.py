"""The reprocess DAG, for real: after an ingest run, every raw article goes into a new index version
and the aliases move to it atomically, while readers keep searching; and a reprocess with nothing
changed makes the decisions ingest made (duplicates, stories)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from tests.conftest import SEEDS
from tests.integration.conftest import counts, run_dag


class Readers:
    """Threads that search the read alias back to back and record, per answer, the total and the
    concrete indices that answered (`size=1` hits name their index); errors are kept too."""

    def __init__(self, settings, threads: int = 3):
        self.settings, self.stop = settings, threading.Event()
        self.seen: list[tuple[int, frozenset[str]]] = []
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self._read, daemon=True) for _ in range(threads)]

    def _read(self) -> None:
        from pipeline.index import client

        es = client(self.settings)
        while not self.stop.is_set():
            try:
                r = es.search(index=self.settings.read_alias, size=1, track_total_hits=True)
                self.seen.append(
                    (r["hits"]["total"]["value"], frozenset(h["_index"] for h in r["hits"]["hits"]))
                )
            except Exception as exc:  # noqa: BLE001 - any failure is what the test looks for
                self.errors.append(repr(exc))
        es.close()

    def __enter__(self) -> Readers:
        for t in self.threads:
            t.start()
        self._wait_for(20)
        return self

    def _wait_for(self, more: int) -> None:
        target, deadline = len(self.seen) + len(self.errors) + more, time.monotonic() + 30
        while len(self.seen) + len(self.errors) < target and time.monotonic() < deadline:
            time.sleep(0.005)

    def __exit__(self, *exc) -> None:
        self._wait_for(20)
        self.stop.set()
        for t in self.threads:
            t.join(timeout=10)


def test_reprocess_fills_the_next_version_and_switches_aliases_without_an_empty_search(
    dag_env, settings, es, http_server
):
    dag_env([("seeds", http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes()), False)])
    run_dag("border_news_ingest")
    raw_before, indexed_before = counts(es, settings)
    v1, v2 = f"{settings.index_prefix}-v1", f"{settings.index_prefix}-v1-r2"  # v1 schema, 2nd generation
    assert list(es.indices.get_alias(name=settings.read_alias)) == [v1]

    with Readers(settings) as readers:
        run = run_dag("border_news_reprocess")

    assert list(es.indices.get_alias(name=settings.read_alias)) == [v2]
    assert list(es.indices.get_alias(name=settings.write_alias)) == [v2]
    assert counts(es, settings) == (raw_before, indexed_before) == (5, 5)
    assert es.count(index=v1)["count"] == indexed_before  # the old version is kept for a rollback
    ids = lambda index: {h["_id"] for h in es.search(index=index, size=100)["hits"]["hits"]}  # noqa: E731
    assert ids(v2) == ids(v1)
    assert readers.errors == []
    # Every answer came from one index with the full count (never empty, never both); both were seen.
    assert {total for total, _ in readers.seen} == {indexed_before}
    assert {indices for _, indices in readers.seen} == {frozenset({v1}), frozenset({v2})}
    record = es.get(index=settings.index("runs"), id=run.run_id)["_source"]
    assert (record["dag_id"], record["entries_seen"], record["processed"], record["indexed"]) == (
        "border_news_reprocess",
        raw_before,
        raw_before,
        indexed_before,
    )


def test_the_readers_see_a_switch_that_is_not_atomic(settings, es):
    """The check above can fail: the same readers around an alias move made of two requests (remove,
    then add) see the read alias missing or empty."""
    from pipeline.index import bulk_index

    a, b = f"{settings.index_prefix}-ctl-a", f"{settings.index_prefix}-ctl-b"
    for name in (a, b):
        bulk_index(es, name, [(str(n), {"n": n}) for n in range(5)], refresh=True)
    es.indices.update_aliases(actions=[{"add": {"index": a, "alias": settings.read_alias}}])
    caught = 0
    for _ in range(5):
        with Readers(settings) as readers:
            old, new = (a, b) if caught % 2 == 0 else (b, a)
            es.indices.update_aliases(actions=[{"remove": {"index": old, "alias": settings.read_alias}}])
            es.indices.update_aliases(actions=[{"add": {"index": new, "alias": settings.read_alias}}])
        caught += bool(readers.errors) or any(total != 5 for total, _ in readers.seen)
    assert caught >= 4, f"the readers saw the gap in {caught} of 5 non-atomic switches"


def test_reprocess_with_nothing_changed_keeps_every_duplicate_of_and_story_id(settings, es):
    """Ingest in two runs (the feed, then the same five stories as text files: duplicates found through
    Elasticsearch), then reprocess in batches of three, so the new index's lookups are exercised."""
    from pipeline.ingest import process_pending, store_raw
    from pipeline.readers import read_all
    from pipeline.reprocess import reprocess

    feed = list(read_all([str(SEEDS / "feed.xml")]))
    texts = list(read_all([str(p) for p in sorted(SEEDS.glob("*.txt"))]))
    for run, (articles, day) in enumerate([(feed, "2024-11-20"), (texts, "2024-11-21")]):
        stamped = [a.replace(fetched_at=f"{day}T00:00:{n:02d}+00:00") for n, a in enumerate(articles)]
        assert store_raw(es, settings, stamped).failed == []
        process_pending(es, settings, run_id=f"ingest-{run}")

    def decisions():
        es.indices.refresh(index=f"{settings.index_prefix}*")
        raw = es.search(index=settings.index("raw"), size=100)["hits"]["hits"]
        marks = {
            h["_id"]: tuple(h["_source"].get(k) for k in ("outcome", "article_id", "duplicate_of"))
            for h in raw
        }
        docs = es.search(index=settings.read_alias, size=100, source_includes=["story_id"])["hits"]["hits"]
        return marks, {h["_id"]: h["_source"]["story_id"] for h in docs}

    marks, stories = decisions()
    assert sorted(m[0] for m in marks.values()) == ["duplicate"] * 5 + ["indexed"] * 5
    assert {m[2] for m in marks.values() if m[0] == "duplicate"} == set(stories)  # each text duplicates one
    assert len(set(stories.values())) == 2  # four seeds are one story, 003 another (docs/processing.md)

    report = reprocess(es, replace(settings, process_batch_size=3), run_id="reprocess")
    assert (report.raw, report.counts.indexed, report.counts.duplicates) == (10, 5, 5)
    assert decisions() == (marks, stories)
