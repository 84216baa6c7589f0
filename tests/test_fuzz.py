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


# Extreme instants, printed in the shapes feeds and pages use: years 0-9999, offsets within ±24 h.
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@st.composite
def extreme_instant(draw) -> str:
    y, mo, d = draw(st.integers(0, 9999)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    hh, mm = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    minutes = draw(st.integers(-24 * 60 + 1, 24 * 60 - 1))
    sign, off = ("+" if minutes >= 0 else "-"), abs(minutes)
    shape = draw(st.integers(0, 5))
    if shape == 0:
        return f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mm:02d}:00{sign}{off // 60:02d}:{off % 60:02d}"
    if shape == 1:
        return f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mm:02d}:00Z"
    if shape == 2:
        zone = f"{sign}{off // 60:02d}{off % 60:02d}"
        return f"Mon, {d:02d} {MONTH_ABBR[mo - 1]} {y:04d} {hh:02d}:{mm:02d}:00 {zone}"
    if shape == 3:
        return f"{MONTH_ABBR[mo - 1]} {d}, {y:04d} {hh:02d}:{mm:02d} IST"
    if shape == 4:
        return f"-{y:04d}-{mo:02d}-{d:02d}"
    return f"{d} {MONTH_ABBR[mo - 1]} {y:04d}"


FETCHED = "2024-11-20T10:00:00+00:00"


@FUZZ
@given(extreme_instant(), st.sampled_from(["example.org", "ndtv.com"]), st.sampled_from([FETCHED, None]))
def test_extreme_publication_dates_fall_back_to_the_fetch_time(published, source, fetched_at):
    """Any printed instant: no exception in the dates or the stories stage, and `published_at` lies in
    [1990, fetch time + 1 day] (a replaced one is the fetch time, "fetched"), or is None."""
    from datetime import UTC, datetime, timedelta

    from pipeline.stories import with_story_key

    bounded(parse_published, published)
    text = f"NEW DELHI: Talks were held on {published} and on Monday, the ministry said."
    out = normalise(
        Article(input="fuzz#0", source=source, text=text, published=published, fetched_at=fetched_at)
    )
    with_story_key(out)
    if out.published_at is not None:
        at = datetime.fromisoformat(out.published_at)
        seen = datetime.fromisoformat(fetched_at) if fetched_at else datetime.now(UTC)
        assert datetime(1990, 1, 1, tzinfo=UTC) <= at <= seen + timedelta(days=1)
    for mention in out.dates:
        assert 1000 <= int(mention["value"][:4]) <= 2999


@FUZZ
@given(extreme_instant(), st.integers(0, 9999))
def test_date_mentions_with_extreme_years_never_crash(printed, year):
    """Mentions and references at the ends of the calendar (a text whose only full date is in year
    9999 or 1 is its own reference when nothing else is known)."""
    text = f"On 31 December {year:04d} and {printed}, then on Monday, 3 days ago, last month and tomorrow."
    bounded(find_dates, text, None)
    out = normalise(Article(input="fuzz#0", text=text))
    for mention in out.dates:
        assert 1000 <= int(mention["value"][:4]) <= 2999
