"""Fuzzing (hypothesis) of the stages that read untrusted text: feed parsing, cleaning, dates.

Any input must give a result or a `BadInputError` (never another exception), within a bounded time.
`make test` runs a moderate number of examples; `benchmarks/fuzz.py` runs many more.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.article import Article
from pipeline.clean import clean
from pipeline.dates import find_dates, normalise, parse_published
from pipeline.errors import BadInputError
from pipeline.feeds import read_feed

EXAMPLES = 60
LIMIT_S = 5.0  # per input; the slowest seen in the long run is reported in docs/reliability.md
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TAGS = [
    "rss",
    "channel",
    "item",
    "entry",
    "feed",
    "title",
    "link",
    "description",
    "pubDate",
    "content:encoded",
    "guid",
    "p",
    "div",
    "script",
    "html",
    "body",
    "a",
    "!DOCTYPE rss",
    "!ENTITY x",
    "![CDATA[",
]
WORDS = [
    "India",
    "China",
    "LAC",
    "Galwan",
    "Depsang",
    "गलवान",
    "सीमा",
    "2024",
    "20",
    "Nov",
    "नवंबर",
    "Monday",
    "last",
    "&amp;",
    "&x;",
    "&#0;",
    "]]>",
    "\x00",
    "\ufffd",
    "<",
    ">",
    '"',
    "'",
    "=",
    "/",
    " ",
    "\n",
    "+0530",
    "IST",
    "12:30",
]


@st.composite
def markup(draw) -> str:
    """Tag soup built from feed and HTML pieces, with text, entities and broken nesting."""
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(f"<{draw(st.sampled_from(TAGS))}>")
        elif kind == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS)).split()[0]}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(WORDS)))
        else:
            parts.append(draw(st.text(max_size=20)))
    return "".join(parts)


def feed_bytes() -> st.SearchStrategy[bytes]:
    encodings = st.sampled_from(["utf-8", "windows-1252", "utf-16", "koi8-r", "latin-1"])
    built = st.tuples(markup(), encodings).map(
        lambda t: (
            f'<?xml version="1.0" encoding="{t[1]}"?><rss version="2.0"><channel>{t[0]}</channel></rss>'
        ).encode(t[1], errors="replace")
    )
    return st.one_of(
        st.binary(max_size=2000), built, markup().map(lambda s: s.encode("utf-8", "surrogatepass"))
    )


def bounded(fn, *args, **kwargs):
    t0 = time.monotonic()
    try:
        return fn(*args, **kwargs)
    except BadInputError:
        return None
    finally:
        assert time.monotonic() - t0 < LIMIT_S


@FUZZ
@given(feed_bytes())
def test_feed_parsing_never_crashes(content):
    result = bounded(read_feed, content, feed_name="fuzz", max_entries=100)
    if result is not None:
        assert all(a.feed == "fuzz" for a in result.articles)


@FUZZ
@given(markup(), st.one_of(st.none(), st.text(max_size=40)))
def test_cleaning_never_crashes(html, title):
    bounded(clean, Article(input="fuzz#0", raw_url="https://e.com/a", raw_title=title, raw_html=html))


@FUZZ
@given(
    st.one_of(st.text(max_size=300), st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join)),
    st.one_of(
        st.none(),
        st.text(max_size=40),
        st.sampled_from(["Wed, 20 Nov 2024 22:04:00 +0530", "2024-11-20", "2150-01-01"]),
    ),
)
def test_dates_never_crash(text, published):
    bounded(parse_published, published)
    bounded(find_dates, text, None)
    bounded(
        normalise,
        Article(input="fuzz#0", text=text, published=published, fetched_at="2024-11-20T10:00:00+00:00"),
    )
