"""Faults, for real: a read-only or full index, bulk responses with failed items, an Airflow task killed
mid-run, and an Elasticsearch node (our own second node) that stops in the middle of a bulk request.
After each: a clear error, nothing lost (dead-letter or still pending), nothing duplicated."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import deadletter, ingest
from pipeline.errors import TransientError
from pipeline.feeds import parse_feed
from pipeline.index import ensure_main_index, index_articles
from tests.conftest import SEEDS


def seed_articles(prefix: str = ""):
    articles = parse_feed((SEEDS / "feed.xml").read_bytes(), feed_name=f"{prefix}seeds")
    return [a.replace(fetched_at=ingest.now_iso()) for a in articles]


def pending(es, settings) -> int:
    es.indices.refresh(index=settings.index("raw"))
    return es.count(
        index=settings.index("raw"), query={"bool": {"must_not": {"exists": {"field": "processed_at"}}}}
    )["count"]


def indexed_urls(es, settings) -> list[str]:
    es.indices.refresh(index=settings.read_alias)
    hits = es.search(index=settings.read_alias, size=1000, source_includes=["url"])["hits"]["hits"]
    return sorted(h["_source"]["url"] for h in hits)


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ("index.blocks.write", "cluster_block_exception"),
        ("index.blocks.read_only_allow_delete", "cluster_block_exception"),
    ],
    ids=["write-block", "disk-full-block"],
)
def test_blocked_index_is_a_clear_transient_error_and_the_articles_wait_pending(settings, es, block, words):
    ingest.store_raw(es, settings, seed_articles())
    target = ensure_main_index(es, settings)
    es.indices.put_settings(index=target, settings={block: True})
    try:
        with pytest.raises(TransientError) as info:
            ingest.process_pending(es, settings)
        message = str(info.value)
        assert message.startswith(f"[index] Elasticsearch refuses writes to {settings.write_alias}: ")
        assert words in message and "stay pending in the raw index (nothing is lost)" in message
        left = pending(es, settings)
        assert left == 5  # every seed is relevant and distinct: all five wait, still pending
        assert es.count(index=target)["count"] == 0
        assert (
            not es.indices.exists(index=settings.index("deadletter"))
            or es.count(index=settings.index("deadletter"), query={"term": {"stage": "index"}})["count"] == 0
        )
    finally:
        es.indices.put_settings(index=target, settings={block: None})
    outcome = ingest.process_pending(es, settings)
    urls = indexed_urls(es, settings)
    assert (outcome.indexed, len(urls), len(set(urls)), pending(es, settings)) == (left, left, left, 0)


def test_bulk_items_that_fail_are_dead_lettered_with_the_reason_and_the_rest_land(settings, es, http_server):
    """One entry's link is 40,000 characters (an 'immense term' for a keyword field): the raw index
    refuses that item only; one processed article carries a value its date field cannot take."""
    from pipeline.feeds import FeedConfig

    huge_link = http_server.url("/") + "a" * 40_000  # never fetched: over the fetcher's URL limit
    feed = (
        (SEEDS / "feed.xml")
        .read_text(encoding="utf-8")
        .replace(
            "</channel>",
            f"<item><title>Huge link</title><link>{huge_link}</link>"
            "<description>x</description></item></channel>",
        )
    )
    url = http_server.add("/feed.xml", feed)
    outcome = ingest.ingest_feed(es, settings, FeedConfig(name="seeds", url=url, allow_private_network=True))
    assert (outcome.entries_seen, outcome.new, outcome.dead_lettered, outcome.pages_failed) == (6, 5, 2, 1)
    records = {
        h["_source"]["stage"]: h["_source"]
        for h in es.search(index=settings.index("deadletter"), size=10)["hits"]["hits"]
    }
    shortened = huge_link[:2048] + f"… ({len(huge_link):,} characters)"
    assert [(s, r["feed"], r["item"]) for s, r in sorted(records.items())] == [
        ("page", "seeds", shortened),
        ("raw", "seeds", shortened),
    ]
    assert f"URL is {len(huge_link):,} characters long (limit 8,192)" in records["page"]["error"]
    assert records["raw"]["error"].startswith(
        "raw index refused the entry: {'type': 'document_parsing_exception'"
    )
    assert "failed to parse field [raw_url]" in records["raw"]["error"]
    assert http_server.hits == {"/feed.xml": 1}

    good = seed_articles()[:2]
    from pipeline.dedupe import content_hash  # noqa: F401  (the id scheme of processed articles)

    processed = [
        a.replace(id=f"doc-{n}", url=a.raw_url, title=a.raw_title, text="text", published_at=None)
        for n, a in enumerate(good)
    ]
    bad = processed[1].replace(id="doc-bad", url="https://e.com/bad", published_at="not a date at all")
    report = index_articles(es, settings, [processed[0], bad, processed[1]])
    assert (report.ok, [f["id"] for f in report.failed]) == (2, ["doc-bad"])
    failure = report.failed[0]
    assert (
        failure["error"]["type"] == "document_parsing_exception"
        and "published_at" in failure["error"]["reason"]
    )
    deadletter.record(
        es,
        settings,
        [
            deadletter.record_for(
                "index",
                f"Elasticsearch refused the document: {failure['error']}",
                feed="seeds",
                item=bad.url,
                input={"doc": failure["doc"]},
            )
        ],
    )
    es.indices.refresh(index=settings.index("deadletter"))
    stored = es.search(index=settings.index("deadletter"), query={"term": {"stage": "index"}})["hits"]["hits"]
    assert [(h["_source"]["item"], "published_at" in h["_source"]["error"]) for h in stored] == [
        ("https://e.com/bad", True)
    ]
    assert sorted(
        es.search(index=settings.read_alias, size=10)["hits"]["hits"][i]["_id"] for i in range(2)
    ) == ["doc-0", "doc-1"]


# --- Elasticsearch stops in the middle of a bulk request: a second node of our own ----------------


class SecondNode:
    """A second local Elasticsearch (never the shared one), started and killed by this test, with its
    own data under .cache/ and the distribution hard-linked from the first (config copied)."""

    def __init__(self, base):
        import shutil
        import subprocess

        from tests.conftest import ROOT

        self.base, self.root = base, ROOT
        # The distribution `make test` uses, wherever the script keeps it (a private clone as root:
        # under /var/tmp, where the node's user can reach it).
        node_dir = subprocess.run(
            [str(ROOT / "scripts" / "elasticsearch.sh"), "dir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dist = Path(node_dir) / "elasticsearch-9.5.2"
        base.mkdir(parents=True)
        subprocess.run(["cp", "-al", str(dist), str(base / dist.name)], check=True)
        shutil.rmtree(base / dist.name / "config")
        shutil.copytree(dist / "config", base / dist.name / "config")
        self.url = ""

    def _script(self, command: str) -> str:
        import os
        import subprocess

        env = {**os.environ, "ES_CACHE_DIR": str(self.base), "ES_HEAP": "256m"}
        result = subprocess.run(
            [str(self.root / "scripts" / "elasticsearch.sh"), command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout.strip()

    def start(self) -> str:
        self.url = self._script("start").splitlines()[-1]
        return self.url

    def kill(self) -> None:
        """Stop the node abruptly (SIGKILL to the pid it wrote), as a crash or an OOM kill would."""
        import os
        import signal
        import socket
        import time

        pid = int((Path(self._script("dir")) / "run" / "es.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        port = int(self.url.rsplit(":", 1)[1])
        for _ in range(100):  # the pid may linger as a zombie: wait for the port to close instead
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            except OSError:
                return
            time.sleep(0.1)

    def stop(self) -> None:
        self._script("stop")


@pytest.fixture(scope="module")
def second_node():
    import shutil
    import uuid

    from tests.conftest import ROOT

    node = SecondNode(ROOT / ".cache" / f"es-fault-{uuid.uuid4().hex[:8]}")
    try:
        node.start()
        yield node
    finally:
        node.stop()
        shutil.rmtree(node.base, ignore_errors=True)


def generated_articles(n: int):
    """`n` distinct, relevant raw articles (random filler words keep them apart for the dedupe stage)."""
    import random

    from pipeline.article import Article

    rng = random.Random(42)
    vocab = [
        f"{a}{b}"
        for a in ("ka", "lo", "mi", "su", "te", "vo", "ra", "ne", "di", "po", "gu", "ha")
        for b in ("ran", "lek", "mot", "pas", "dir", "zum", "fel", "gor", "tik", "wan", "bes", "cul")
    ]
    articles = []
    for i in range(n):
        filler = " ".join(rng.choice(vocab) + str(rng.randint(0, 999)) for _ in range(60))
        articles.append(
            Article(
                input=f"gen#{i}",
                feed="gen",
                raw_url=f"https://fixtures.border-watch.example/gen/{i}",
                raw_title=f"India-China border talks, round {i}, on LAC patrolling",
                raw_text=(
                    f"India and China held round {i} of border talks on the Line of Actual Control (LAC) "
                    "in eastern Ladakh, discussing disengagement and patrolling at Depsang and Demchok. "
                    f"{filler}."
                ),
                published="Wed, 20 Nov 2024 10:00:00 +0530",
                fetched_at="2024-11-20T05:00:00+00:00",
            )
        )
    return articles


def test_elasticsearch_killed_mid_bulk_and_back_indexes_every_article_exactly_once(second_node, settings):
    from dataclasses import replace

    from elasticsearch import ConnectionError as ESConnectionError

    from pipeline.index import client
    from tests.integration.servers import CuttingProxy

    n = 300
    s = replace(settings, es_url=second_node.url, process_batch_size=100)
    ingest.store_raw(client(s), s, generated_articles(n))
    port = int(second_node.url.rsplit(":", 1)[1])
    with CuttingProxy(port, marker=f'"{s.write_alias}"'.encode(), cut_at=2, on_cut=second_node.kill) as proxy:
        via_proxy = replace(s, es_url=proxy.url)
        with pytest.raises(ESConnectionError):
            ingest.process_pending(client(via_proxy), via_proxy)
        assert proxy.cut_done.wait(20)  # the node was killed in the middle of the second article bulk

    second_node.start()  # the same data, a new port; the retried task:
    s = replace(s, es_url=second_node.url)
    es = client(s)
    es.indices.refresh(index=f"{s.index_prefix}*")
    before = (es.count(index=s.read_alias)["count"], pending(es, s))
    print(f"after the kill: {before[0]} articles indexed, {before[1]} raw entries pending")
    assert (
        before[0] >= 100 and before[1] >= n - before[0]
    )  # the first bulk landed; nothing marked that was not indexed
    ingest.process_pending(es, s)

    es.indices.refresh(index=f"{s.index_prefix}*")
    raw = [h["_source"] for h in es.search(index=s.index("raw"), size=1000)["hits"]["hits"]]
    docs = es.search(index=s.read_alias, size=1000, source_includes=["url"])["hits"]["hits"]
    expected_urls = sorted(f"https://fixtures.border-watch.example/gen/{i}" for i in range(n))
    assert (len(raw), sorted({r["outcome"] for r in raw}), pending(es, s)) == (n, ["indexed"], 0)
    assert es.count(index=s.read_alias)["count"] == n
    assert sorted(h["_source"]["url"] for h in docs) == expected_urls  # every article, each once
    assert sorted(h["_id"] for h in docs) == sorted(r["article_id"] for r in raw)


# --- An Airflow task killed mid-run ---------------------------------------------------------------

RUN_DAG_SCRIPT = """
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder={dags!r})
bag.get_dag("border_news_ingest").test()
"""


def _generated_feed(n: int) -> bytes:
    from xml.sax.saxutils import escape

    items = "".join(
        f"<item><title>{escape(a.raw_title)}</title><link>{a.raw_url}</link><pubDate>{a.published}</pubDate>"
        f"<content:encoded>{escape(a.raw_text)}</content:encoded></item>"
        for a in generated_articles(n)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>generated</title>{items}</channel></rss>"
    ).encode()


def test_airflow_task_killed_mid_run_then_rerun_completes_without_duplicates(
    dag_env, monkeypatch, settings, es, http_server
):
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT
    from tests.integration.conftest import run_dag

    n = 300
    dag_env([("generated", http_server.add("/generated.xml", _generated_feed(n)), False)])
    monkeypatch.setenv("BORDER_PROCESS_BATCH_SIZE", "25")
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN_DAG_SCRIPT.format(dags=str(ROOT / "dags"))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    processed = 0
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            if es.indices.exists(index=settings.index("raw")):
                es.indices.refresh(index=settings.index("raw"))
                processed = es.count(
                    index=settings.index("raw"), query={"exists": {"field": "processed_at"}}
                )["count"]
                if processed >= 25:  # process_and_index is under way: kill the task's process now
                    break
            time.sleep(0.2)
    finally:
        proc.kill()  # SIGKILL: no clean-up, as when a worker dies
        proc.wait(30)
    assert 25 <= processed < n, f"the kill came at {processed} processed entries"
    print(f"killed with {processed} of {n} raw entries processed")

    run_dag()  # the retried run (a new run; clearing the task does the same)
    raw = [h["_source"] for h in es.search(index=settings.index("raw"), size=1000)["hits"]["hits"]]
    es.indices.refresh(index=settings.read_alias)
    docs = es.search(index=settings.read_alias, size=1000, source_includes=["url"])["hits"]["hits"]
    assert (len(raw), sorted({r["outcome"] for r in raw}), pending(es, settings)) == (n, ["indexed"], 0)
    assert sorted(h["_source"]["url"] for h in docs) == sorted(
        f"https://fixtures.border-watch.example/gen/{i}" for i in range(n)
    )
    assert sorted(h["_id"] for h in docs) == sorted(r["article_id"] for r in raw)
