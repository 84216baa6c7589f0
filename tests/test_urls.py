"""Canonical URLs and outlets (pure functions)."""

from __future__ import annotations

import pytest

from pipeline.urls import canonical_url, source_of


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "https://fixtures.border-watch.example/hi/x?utm_source=rss&utm_medium=feed",
            "https://fixtures.border-watch.example/hi/x",
        ),
        (
            "https://www.hindustantimes.com/india-news/x-101732118000000.html#comments",
            "https://www.hindustantimes.com/india-news/x-101732118000000.html",
        ),
        (
            "https://www.ndtv.com/india-news/rajnath-singh-6999999/amp",
            "https://www.ndtv.com/india-news/rajnath-singh-6999999",
        ),
        ("https://www.example.com/amp/world/story-1", "https://www.example.com/world/story-1"),
        ("https://amp.theguardian.com/world/story", "https://www.theguardian.com/world/story"),
        ("https://www.example.com/story?amp=1", "https://www.example.com/story"),
        ("https://www.example.com/story?outputType=amp&id=7", "https://www.example.com/story?id=7"),
        ("HTTP://WWW.Example.COM/Story/?fbclid=abc&gclid=def&ref=home", "https://www.example.com/Story"),
        ("https://www.example.com/s?b=2&a=1", "https://www.example.com/s?a=1&b=2"),
        (
            "https://www.mea.gov.in/hindi/bilateral-documents.htm?dtl/34000/jaishankar-wang-yi-dushanbe",
            "https://www.mea.gov.in/hindi/bilateral-documents.htm?dtl/34000/jaishankar-wang-yi-dushanbe",
        ),
        ("https://www.example.com:443/a", "https://www.example.com/a"),
    ],
)
def test_canonical_url_drops_tracking_fragments_and_amp(raw, expected):
    assert canonical_url(raw) == expected


def test_canonical_url_of_nothing_is_none():
    assert canonical_url(None) is None
    assert canonical_url("") is None


def test_tracking_and_amp_variants_share_one_canonical_url():
    variants = [
        "https://www.ndtv.com/india-news/story-1?utm_source=twitter",
        "https://www.ndtv.com/india-news/story-1/amp",
        "https://www.ndtv.com/india-news/story-1#top",
        "http://WWW.NDTV.COM/india-news/story-1/",
    ]
    assert {canonical_url(v) for v in variants} == {"https://www.ndtv.com/india-news/story-1"}


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.hindustantimes.com/india-news/x.html", "hindustantimes.com"),
        ("https://www.mea.gov.in/hindi/x.htm", "mea.gov.in"),
        ("https://timesofindia.indiatimes.com/india/x.cms", "timesofindia.indiatimes.com"),
        ("https://amp.ndtv.com/x", "ndtv.com"),
        ("https://m.economictimes.com/x", "economictimes.com"),
        ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
        ("https://www.thehindu.com/news/x", "thehindu.com"),
    ],
)
def test_source_is_the_outlet_domain(url, outlet):
    assert source_of(url) == outlet


def test_source_of_nothing_is_none():
    assert source_of(None) is None
    assert source_of("not a url") is None


def test_a_link_broken_over_lines_by_a_pretty_printer_is_joined():
    assert canonical_url(
        "https://timesofindia.indiatimes.com/india/story/\n                articleshow/1.cms"
    ) == ("https://timesofindia.indiatimes.com/india/story/articleshow/1.cms")
