"""Pure parts of the ingestion edges: which entries need their page, what counts as a page."""

from __future__ import annotations

import pytest

from pipeline.article import Article
from pipeline.errors import BadInputError
from pipeline.feeds import FeedConfig
from pipeline.fetch import FetchResult
from pipeline.ingest import freshness_lag_s, needs_page, page_html
from pipeline.state import FeedState

FEED = FeedConfig(name="f", url="http://127.0.0.1/feed.xml")


def test_needs_page_for_summary_only_or_empty_entries_or_when_the_feed_says_so():
    full = Article(raw_url="https://x.example/a", raw_html="<p>full text</p>")
    summary_only = Article(raw_url="https://x.example/b", raw_text="short", summary="short")
    empty = Article(raw_url="https://x.example/c")
    assert [needs_page(FEED, a) for a in (full, summary_only, empty)] == [False, True, True]
    assert needs_page(FeedConfig(name="f", url="u", fetch_full_page=True), full) is True
    assert needs_page(FEED, Article(raw_text="no link")) is False


def test_page_html_accepts_an_html_page_and_refuses_binary_or_empty_ones():
    ok = FetchResult(
        url="u", status=200, content=b"<html><body><p>LAC talks</p></body></html>", content_type="text/html"
    )
    assert "LAC talks" in page_html(ok, feed="f", item="u")
    cases = [
        (
            FetchResult(url="u", status=200, content=b"%PDF-1.7", content_type="application/pdf"),
            "not an HTML page",
        ),
        (FetchResult(url="u", status=200, content=b"\x00\x01PK", content_type="text/html"), "binary content"),
        (
            FetchResult(
                url="u",
                status=200,
                content=b"<html><body><script>x()</script></body></html>",
                content_type="text/html",
            ),
            "no text",
        ),
        (FetchResult(url="u", status=200, content=b"   ", content_type="text/html"), "no text"),
    ]
    for result, message in cases:
        with pytest.raises(BadInputError, match=message) as err:
            page_html(result, feed="f", item="u")
        assert (err.value.stage, err.value.feed) == ("page", "f")


def test_page_html_reads_a_utf16_page_in_its_own_encoding():
    page = "<html><body><p>Patrols resumed near the LAC on Monday.</p></body></html>"
    for content in ("\ufeff" + page).encode("utf-16-le"), page.encode("utf-16-le"):
        result = FetchResult(url="u", status=200, content=content, content_type="text/html")
        assert "Patrols resumed near the LAC" in page_html(result, feed="f", item="u")


def test_validators_are_sent_only_for_the_url_they_were_recorded_for():
    state = FeedState(
        feed="f", url="http://a/feed.xml", etag='"1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT"
    )
    assert state.validators_for("http://a/feed.xml") == ('"1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    assert state.validators_for("http://b/feed.xml") == (None, None)


def test_freshness_lag_leaves_out_articles_the_outlet_gave_no_date():
    from datetime import UTC, datetime

    now = datetime(2024, 12, 5, 12, 0, tzinfo=UTC)
    dated = Article(published_at="2024-12-05T17:00:00+05:30", published_at_source="feed")
    undated = Article(published_at="2024-12-05T17:29:00+05:30", published_at_source="fetched")
    assert freshness_lag_s(dated, now) == 1800.0
    assert freshness_lag_s(undated, now) is None


def test_an_entry_has_the_id_its_article_gets_tracking_parameters_and_fragments_make_no_second_entry():
    from pipeline.dedupe import fingerprint
    from pipeline.ingest import entry_id
    from pipeline.urls import canonical_url

    link = "https://www.example.org/news/lac-talks-2024?utm_source=rss&utm_medium=feed#comments"
    a = Article(input="feed#1", raw_url=link, raw_text="Talks on the LAC resumed.")
    b = a.replace(raw_url="https://www.example.org/news/lac-talks-2024")
    processed = fingerprint(a.replace(url=canonical_url(a.raw_url), text=a.raw_text))
    assert entry_id(a) == entry_id(b) == processed.id
    no_link = Article(input="feed#2", raw_text="No link at all.")
    assert entry_id(no_link) == entry_id(no_link.replace(raw_text="edited")) != entry_id(a)
