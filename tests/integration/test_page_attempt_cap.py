"""Summary-only entries whose page keeps failing transiently are not deferred forever: after
`page_max_attempts` fetches (or `page_max_wait_s`), the entry goes in with the feed's own content
(`body_source: "feed"`), once; the feed's health shows the page failures."""

from __future__ import annotations

from dataclasses import replace

from pipeline import ingest, state
from pipeline.feeds import FeedConfig

# Written for this test: a summary-only entry (no full content in the feed), clearly on topic.
SUMMARY = (
    "Indian and Chinese army commanders met at Chushul-Moldo on Tuesday for another round of talks on "
    "disengagement along the Line of Actual Control in eastern Ladakh, the Ministry of Defence said; "
    "both sides agreed to keep patrolling arrangements at Depsang and Demchok under review."
)


def feed_xml(page_url: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test outlet</title>'
        "<link>http://127.0.0.1/</link><description>test</description><item>"
        "<title>India and China hold corps commander talks on LAC disengagement</title>"
        f"<link>{page_url}</link><guid>{page_url}</guid>"
        "<pubDate>Tue, 01 Dec 2026 08:00:00 +0000</pubDate>"
        f"<description>{SUMMARY}</description></item></channel></rss>"
    )


def article_docs(es, settings) -> list[dict]:
    if not es.indices.exists(index=settings.read_alias):
        return []
    es.indices.refresh(index=settings.read_alias)
    return [h["_source"] for h in es.search(index=settings.read_alias, size=10)["hits"]["hits"]]


def test_a_page_failing_with_500_three_runs_in_a_row_is_indexed_from_the_feed_on_the_third_once(
    settings, es, http_server
):
    settings = replace(settings, page_max_attempts=3)
    page = http_server.add("/news/talks.html", "upstream error", status=500, content_type="text/html")
    config = FeedConfig(
        name="outlet", url=http_server.add("/feed.xml", feed_xml(page)), allow_private_network=True
    )

    seen = []
    for _ in range(4):
        outcome = ingest.ingest_feed(es, settings, config)
        counts = ingest.process_pending(es, settings)
        seen.append(
            (
                outcome.new,
                outcome.deferred,
                outcome.pages_from_feed,
                counts.indexed,
                len(article_docs(es, settings)),
            )
        )
    assert seen == [
        (0, 1, 0, 0, 0),  # run 1: the page fails, the entry waits
        (0, 1, 0, 0, 0),  # run 2: again
        (1, 0, 1, 1, 1),  # run 3: the cap: in with the feed's content
        (0, 0, 0, 0, 1),  # run 4: stored already, nothing fetched or indexed again
    ]
    assert http_server.hits["/news/talks.html"] == 3
    (doc,) = article_docs(es, settings)
    assert doc["body_source"] == "feed" and "Chushul-Moldo" in doc["text"]

    health = state.all_states(es, settings)[0]
    assert health["last_status"] == "fetched" and health["last_page_failure_at"]
    es.indices.refresh(index=settings.index("deadletter"))
    (record,) = [h["_source"] for h in es.search(index=settings.index("deadletter"))["hits"]["hits"]]
    assert (record["stage"], record["attempts"], record["transient"]) == ("page", 3, True)


def test_the_feed_health_shows_page_failures_of_the_run_that_gave_up(settings, es, http_server):
    settings = replace(settings, page_max_attempts=1)
    page = http_server.add("/news/talks.html", "upstream error", status=503, content_type="text/html")
    config = FeedConfig(
        name="outlet", url=http_server.add("/feed.xml", feed_xml(page)), allow_private_network=True
    )
    outcome = ingest.ingest_feed(es, settings, config)
    assert (outcome.new, outcome.pages_failed, outcome.pages_from_feed) == (1, 1, 1)
    health = state.all_states(es, settings)[0]
    assert (health["last_pages_failed"], health["last_pages_from_feed"]) == (1, 1)


def test_a_page_failing_for_longer_than_the_wait_is_given_up_on_at_the_next_fetch(settings, es, http_server):
    settings = replace(settings, page_max_attempts=100, page_max_wait_s=0.0)
    page = http_server.add("/news/talks.html", "upstream error", status=500, content_type="text/html")
    config = FeedConfig(
        name="outlet", url=http_server.add("/feed.xml", feed_xml(page)), allow_private_network=True
    )
    first = ingest.ingest_feed(es, settings, config)  # no earlier failure: wait
    second = ingest.ingest_feed(es, settings, config)  # the first failure is older than the wait
    assert [(o.new, o.deferred, o.pages_from_feed) for o in (first, second)] == [(0, 1, 0), (1, 0, 1)]
