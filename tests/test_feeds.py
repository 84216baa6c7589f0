"""Feed parsing on the bundled fixture feed and the real publishers' RSS files."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.errors import BadInputError
from pipeline.feeds import load_feeds, parse_feed
from tests.conftest import FEED_FIXTURES, ROOT, SEEDS


def test_fixture_feed_is_built_from_the_manifest():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_fixture_feed.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_fixture_feed_has_the_five_seeds_with_full_text():
    articles = parse_feed((SEEDS / "feed.xml").read_bytes(), feed_name="fixture")
    assert len(articles) == 5
    assert [a.input for a in articles] == [f"fixture#{n}" for n in range(5)]
    assert articles[2].published == "Wed, 20 Nov 2024 22:04:00 +0530"
    assert articles[2].raw_title.startswith("‘Need for cooperation")
    assert "Dong Jun" in (articles[4].raw_html or articles[4].raw_text)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("states_cdata_rss.xml", None),
        ("topstories_broken_rss.xml", None),
        ("international_rss.xml", None),
        ("sports_rss.xml", None),
    ],
)
def test_fixture_feeds_parse_every_item(name, count):
    content = (FEED_FIXTURES / name).read_bytes()
    articles = parse_feed(content, feed_name=name)
    assert len(articles) == content.count(b"<item>") + content.count(b"<item ")
    assert all(a.raw_url and a.raw_url.startswith("http") for a in articles)


def test_html_page_is_not_a_feed():
    with pytest.raises(BadInputError, match=r"\[parse\] not a parsable feed"):
        parse_feed(b"<html><body><p>Sorry, maintenance</p></body></html>", feed_name="x")


def test_feed_urls_are_filled_from_environment(tmp_path):
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - name: a\n    url: ${BASE}/feed.xml\n    fetch_full_page: true\n")
    [feed] = load_feeds(path, env={"BASE": "http://127.0.0.1:8000"})
    assert (feed.url, feed.fetch_full_page, feed.allow_private_network) == (
        "http://127.0.0.1:8000/feed.xml",
        True,
        False,
    )


def test_utf16_feed_without_mark_or_declaration_is_decoded():
    from pipeline.feeds import read_feed

    feed = (
        '<rss version="2.0"><channel><title>t</title><item><title>सीमा वार्ता का नया दौर</title>'
        "<link>https://news.example/a</link><description>Talks resume.</description></item>"
        "</channel></rss>"
    )
    for codec in ("utf-16-le", "utf-16-be"):
        parsed = read_feed(feed.encode(codec), feed_name="f")
        assert [a.raw_title for a in parsed.articles] == ["सीमा वार्ता का नया दौर"], codec
