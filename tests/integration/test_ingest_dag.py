"""The ingest DAG, run for real with dag.test() against the real cluster and feeds on 127.0.0.1."""

from __future__ import annotations

from tests.conftest import SEEDS
from tests.integration.conftest import asset_events, counts, map_index_names, run_dag, run_note, run_record

NEW_ITEM = """
    <item>
      <title>Indian and Chinese troops complete disengagement at Depsang and Demchok in eastern Ladakh</title>
      <link>https://fixtures.border-watch.example/en/depsang-demchok-disengagement-complete</link>
      <pubDate>Wed, 30 Oct 2024 09:15:00 +0530</pubDate>
      <content:encoded><![CDATA[<p>NEW DELHI: Indian and Chinese troops have completed disengagement
      at Depsang and Demchok along the Line of Actual Control (LAC) in eastern Ladakh, Army officials
      said on Wednesday.
      Coordinated patrolling by the two sides will begin soon, and verification of the dismantling of
      temporary structures is under way, the officials said. The India-China border agreement was
      announced by Foreign Secretary Vikram Misri last week.</p>]]></content:encoded>
    </item>
"""


def feed_with_new_item() -> bytes:
    seeds = (SEEDS / "feed.xml").read_text(encoding="utf-8")
    return seeds.replace("</channel>", NEW_ITEM + "</channel>").encode("utf-8")


class EtagFeed:
    """A feed route answering conditional GETs like a real server: 304 when If-None-Match matches."""

    def __init__(self, body: bytes, etag: str):
        self.body, self.etag = body, etag

    def __call__(self, handler):
        if handler.headers.get("If-None-Match") == self.etag:
            return 304, {"ETag": self.etag}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": self.etag}, self.body


def test_first_run_indexes_the_seeds_a_rerun_adds_nothing_and_one_new_item_adds_one_document(
    dag_env, settings, es, http_server
):
    feed = EtagFeed((SEEDS / "feed.xml").read_bytes(), '"v1"')
    dag_env([("seeds", http_server.add("/feed.xml", handler=feed), False)])

    first = run_dag()
    raw, indexed = counts(es, settings)
    record = run_record(es, settings, first)
    assert raw == 5
    assert (record["feeds_fetched"], record["entries_seen"], record["new"], record["processed"]) == (
        1,
        5,
        5,
        5,
    )
    assert (record["kept"], record["rejected"], record["duplicates"], record["failed"]) == (5, 0, 0, 0)
    assert indexed == record["indexed"] == 5  # every seed is relevant and distinct
    assert record["indexed"] == len(
        set(h["_id"] for h in es.search(index=settings.read_alias, size=20)["hits"]["hits"])
    )
    assert set(record["durations_s"]) >= {"fetch", "raw", "process", "index"}
    assert f"indexed {record['indexed']}," in run_note(first)  # the listener plugin set the run's note
    assert asset_events(first) == [{"indexed": record["indexed"]}]
    assert map_index_names(first) == ["seeds"]  # the mapped task is named after its feed

    # Same feed again: the server answers 304 to the stored ETag; nothing new anywhere.
    second = run_dag()
    assert http_server.requests[-1][1].get("If-None-Match") == '"v1"'
    assert counts(es, settings) == (5, indexed)
    record = run_record(es, settings, second)
    assert (record["feeds_fetched"], record["feeds_not_modified"], record["new"], record["indexed"]) == (
        0,
        1,
        0,
        0,
    )
    assert asset_events(second) == []  # nothing new: no event for downstream DAGs

    # The feed gains one item: exactly one new raw entry and one new document.
    feed.body, feed.etag = feed_with_new_item(), '"v2"'
    third = run_dag()
    assert counts(es, settings) == (6, indexed + 1)
    record = run_record(es, settings, third)
    assert (record["entries_seen"], record["new"], record["indexed"]) == (6, 1, 1)
    assert es.count(index=settings.index("runs"))["count"] == 3


ARTICLE_PAGE = """<html><head><title>Army chief reviews LAC preparedness</title></head><body><article>
<h1>Army chief reviews preparedness along the LAC in Arunachal Pradesh</h1>
<p>The Chief of Army Staff reviewed operational preparedness along the Line of Actual Control in the
Tawang sector of Arunachal Pradesh on Monday, amid continuing talks between India and China on the border.
The Indian Army said troops remain vigilant along the India-China border.</p></article></body></html>"""


def test_failing_feed_and_unparsable_page_are_dead_lettered_while_the_other_feeds_land(
    dag_env, settings, es, http_server, monkeypatch
):
    good_page = http_server.add("/articles/lac-review", ARTICLE_PAGE, content_type="text/html; charset=utf-8")
    bad_page = http_server.add(
        "/articles/binary", b"\x00\x01\x02PK\x03\x04" * 50, content_type="application/octet-stream"
    )
    summary_feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>summaries</title>
<item><title>Army chief reviews LAC preparedness</title><link>{good_page}</link>
<description>Short summary.</description></item>
<item><title>Binary where a page should be</title><link>{bad_page}</link>
<description>Summary of the unreadable page.</description></item>
</channel></rss>"""
    monkeypatch.setenv("BORDER_FEEDS_PER_TASK", "2")  # two feeds in the first mapped task: one failing
    dag_env(
        [
            ("seeds", http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes()), False),
            (
                "broken",
                http_server.add("/broken.xml", "server error", status=500, content_type="text/plain"),
                False,
            ),
            ("summaries", http_server.add("/summaries.xml", summary_feed), True),
        ]
    )

    run = run_dag()
    raw, _ = counts(es, settings)
    assert raw == 5 + 2  # the entry whose page failed permanently is kept with its summary
    dead = es.search(index=settings.index("deadletter"), size=10, sort=[{"stage": "asc"}])["hits"]["hits"]
    assert [(d["_source"]["stage"], d["_source"]["feed"], d["_source"]["item"]) for d in dead] == [
        ("fetch", "broken", http_server.url("/broken.xml")),
        ("page", "summaries", bad_page),
    ]
    assert "HTTP 500" in dead[0]["_source"]["error"] and "binary" in dead[1]["_source"]["error"]
    assert all(d["_source"]["hint"] for d in dead)
    record = run_record(es, settings, run)
    assert (record["feeds_fetched"], record["feeds_failed"], record["failed_feeds"]) == (2, 1, ["broken"])
    assert (record["pages_fetched"], record["pages_failed"], record["dead_lettered"]) == (1, 1, 2)
    assert map_index_names(run) == ["seeds, broken", "summaries"]
    good = es.get(index=settings.index("raw"), id=_raw_id(good_page))["_source"]
    assert "Tawang sector" in good["raw_html"]

    # Re-running the same failures replaces their records and counts the attempts.
    run_dag()
    dead = es.search(index=settings.index("deadletter"), size=10, sort=[{"stage": "asc"}])["hits"]["hits"]
    assert [d["_source"]["attempts"] for d in dead] == [
        2,
        1,
    ]  # the failed page's entry is stored: not fetched again
    assert counts(es, settings)[0] == 7


def _raw_id(url: str) -> str:
    from pipeline.article import Article
    from pipeline.ingest import entry_id

    return entry_id(Article(raw_url=url))


def test_configured_through_the_connection_alone_every_task_and_the_run_note_use_that_cluster(
    dag_env, settings, es, http_server, monkeypatch
):
    """`border_news_es` names the cluster; ES_URL points at a closed port. The tasks (hook) and the
    listener that sets the run's note (hook) must all reach the connection's cluster."""
    import json
    import socket

    dag_env([("seeds", http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes()), False)])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    monkeypatch.setenv("ES_URL", f"http://127.0.0.1:{closed}")
    monkeypatch.setenv(
        "AIRFLOW_CONN_BORDER_NEWS_ES", json.dumps({"conn_type": "elasticsearch", "host": settings.es_url})
    )
    run = run_dag()
    record = run_record(es, settings, run)
    assert (record["new"], record["indexed"]) == (5, 5)
    note = run_note(run)
    assert note is not None and note.startswith(f"run summary {run.run_id} (success)")
    assert "; indexed 5, failed 0" in note
