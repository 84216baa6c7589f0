"""The clean stage on hostile pages: deep nesting, scripts only, one huge line (pipeline/clean.py guards)."""

from __future__ import annotations

import time

import pytest

from pipeline.article import Article
from pipeline.clean import MAX_TEXT_CHARS, clean
from pipeline.errors import BadInputError


def page(body: str) -> Article:
    return Article(input="f#0", feed="f", raw_url="https://example.com/a", raw_html=body)


@pytest.mark.parametrize(
    "wrap", [lambda b: b, lambda b: f"<html><body>{b}</body></html>"], ids=["fragment", "full-page"]
)
def test_markup_nested_100000_deep_is_read_flat_in_bounded_time(wrap):
    n = 100_000
    t0 = time.monotonic()
    article = clean(page(wrap("<div>" * n + "Troops disengaged at Depsang." + "</div>" * n)))
    assert (article.text, time.monotonic() - t0 < 20) == ("Troops disengaged at Depsang.", True)


def test_page_of_scripts_only_is_refused_as_empty():
    body = (
        "<html><head><script>var a = 1;</script></head><body>"
        + "<script>alert('x')</script>" * 1000
        + "</body></html>"
    )
    with pytest.raises(BadInputError) as info:
        clean(page(body))
    assert str(info.value) == "[clean] nothing left after cleaning: no title and no text (item=f#0)"


def test_article_that_is_one_huge_line_is_refused_with_its_size():
    line = "Indian and Chinese troops disengaged at Depsang. " * 20_000  # 980,000 characters, no line break
    with pytest.raises(BadInputError) as info:
        clean(page(f"<p>{line}</p>"))
    assert str(info.value) == (
        f"[clean] cleaned text is {len(line.strip()):,} characters, over the {MAX_TEXT_CHARS:,} limit: "
        "not a single news article (a broken or hostile page) (feed=f, item=https://example.com/a)"
    )


def test_long_article_under_the_limit_is_kept_whole():
    paragraphs = [f"Paragraph {i} about the talks at Chushul-Moldo on the LAC." for i in range(2000)]
    article = clean(page("".join(f"<p>{p}</p>" for p in paragraphs)))
    assert article.text == "\n\n".join(paragraphs)


def test_publication_date_far_in_the_future_is_clamped_to_the_fetch_time():
    from pipeline.dates import normalise

    article = Article(
        input="f#0",
        published="Thu, 01 Jan 2150 00:00:00 +0000",
        published_at_source="feed",
        fetched_at="2024-11-20T10:00:00+00:00",
        text="Talks at Depsang.",
    )
    out = normalise(article)
    assert (out.published_at, out.published_at_source, out.published, out.date_reference) == (
        "2024-11-20T10:00:00+00:00",
        "fetched",
        "Thu, 01 Jan 2150 00:00:00 +0000",
        "2024-11-20",
    )


def test_publication_date_a_few_hours_ahead_is_kept_as_clock_skew():
    from pipeline.dates import normalise

    article = Article(
        input="f#0",
        published="2024-11-20T20:00:00+00:00",
        published_at_source="feed",
        fetched_at="2024-11-20T10:00:00+00:00",
        text="Talks at Depsang.",
    )
    assert (normalise(article).published_at, normalise(article).published_at_source) == (
        "2024-11-20T20:00:00+00:00",
        "feed",
    )
