"""Publication instants: `published` as printed, parsed into an aware datetime in the offset it was
printed with (IST when none is printed), moved to IST for Indian outlets, and kept from lying in the
future."""

from __future__ import annotations

import email.utils
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from pipeline.article import Article
from pipeline.dates.vocabulary import word_lists

IST = timezone(timedelta(hours=5, minutes=30))


def _fetched_time(fetched_at: str | None) -> datetime | None:
    """The fetch time as an aware datetime (a naive one is UTC, as the fetcher writes it), or None
    when there is none or it lies outside the plausible window (a hostile or broken input's)."""
    if not fetched_at:
        return None
    try:
        seen = datetime.fromisoformat(fetched_at.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    seen = seen if seen.tzinfo else seen.replace(tzinfo=UTC)
    return seen if _in_window(seen, datetime.now(UTC)) else None


_TZ_NAMES = {"IST": "+0530", "GMT": "+0000", "UTC": "+0000", "UT": "+0000"}
_LABEL = re.compile(
    r"^(?:(?:published|updated|last updated|first published|posted)(?:\s+on)?|"
    r"(?:प्रकाशित|अपडेटेड|अपडेट|प्रकाशन)(?:\s+तिथि)?)\s*:?\s*",
    re.I,
)
_TZ_WORD = re.compile(r"\(?\b(IST|GMT|UTC|UT)\b\)?")
_RFC822_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
# TOI prints "Sun, 30Mar 2025 12:41:13 +0530" and "Mon, 31 Mar 202510:50:41 +0530".
_GLUED = re.compile(r"(?<=\d)(?=[A-Za-z])|(?<=[A-Za-z])(?=\d)|(?<=\s\d{4})(?=\d{1,2}:\d{2})")
# RFC 822 as feeds print it (email.utils would also accept, and misread, "Nov 20, 2024 10:04 PM IST").
_RFC822 = re.compile(
    r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s*[A-Za-z]{3}\s*\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[+-]\d{4}|GMT|UTC?|Z))?$"
)


@lru_cache(maxsize=8192)
def parse_published(value: str | None) -> datetime | None:
    """The publication instant printed as `value`, or None; timezone-aware, in the offset it was printed
    with ("23:11 -05:00" stays -05:00, never converted), IST when no zone is printed ("IST" is India's)."""
    if not value or not value.strip():
        return None
    s = " ".join(unicodedata.normalize("NFC", value).split())
    try:
        parsed = datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=IST)
    except ValueError:
        pass
    for candidate in (s, _GLUED.sub(" ", s)):
        if not _RFC822.match(candidate):
            continue
        try:
            parsed = email.utils.parsedate_to_datetime(candidate)
        except (TypeError, ValueError, IndexError):
            continue
        if parsed is not None:
            printed = int(_RFC822_YEAR.search(candidate).group(1))
            if parsed.year != printed:  # email.utils reads years below 100 as 19xx/20xx: "0001" is not 2001
                try:
                    parsed = parsed.replace(year=printed)
                except ValueError:  # year 0
                    return None
            if parsed.tzinfo is None and candidate.endswith("-0000"):  # RFC 5322: UTC, local zone unknown
                return parsed.replace(tzinfo=UTC)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=IST)
    import dateparser
    from dateparser.timezone_parser import pop_tz_offset_from_string

    fixed = _TZ_WORD.sub(
        lambda m: _TZ_NAMES[m.group(1)], _LABEL.sub("", s)
    )  # dateparser would read IST as Israel time
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["year", "month", "day"],
    }
    # With a zone printed, dateparser keeps it only when no TIMEZONE is set (with one it converts to it);
    # without a zone, the wall time is read as printed and is India's.
    zoned = pop_tz_offset_from_string(fixed)[1] is not None
    try:
        parsed = dateparser.parse(
            fixed, languages=["en", "hi"], settings={**settings, "RETURN_AS_TIMEZONE_AWARE": zoned}
        )
    except (ValueError, OverflowError):  # a year or offset it cannot represent
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=IST)
    offset = parsed.utcoffset()
    return parsed.replace(tzinfo=timezone(offset) if offset is not None else IST)


# Outlets that publish on India's clock although their domain is not .in: an instant they print in
# UTC or another zone is moved to IST so that its day is the outlet's own day.
INDIAN_OUTLETS = frozenset(word_lists()["indian_outlets"])  # see pipeline/data/dates.yaml


def indian_outlet(article: Article) -> bool:
    """Whether the article comes from an Indian outlet: a .in domain, a known Indian outlet, or Hindi."""
    source = (article.source or "").lower()
    return source.endswith(".in") or source in INDIAN_OUTLETS or article.language == "hi"


def local_published(article: Article) -> datetime | None:
    """`published` parsed, in the outlet's own offset: as printed for a foreign outlet, IST for an Indian
    one (whose pages often print UTC: 20:00Z on Dec 31 is Jan 1 in the newsroom)."""
    return _outlet_offset(article, parse_published(article.published))


def _outlet_offset(article: Article, parsed: datetime | None) -> datetime | None:
    if parsed is not None and indian_outlet(article) and parsed.utcoffset() != IST.utcoffset(None):
        try:
            parsed = parsed.astimezone(IST)
        except OverflowError:  # at the ends of the calendar; such an instant is not believed anyway
            pass
    return parsed


# A publication instant outside [EARLIEST_PUBLISHED, fetch time (or now) + MAX_FUTURE_SKEW] is not
# believed: CMSs print "0001-01-01T00:00:00Z" for an empty date, a wrong year or a scheduled post or a
# hostile feed would otherwise sort first (or last) in every time view and skew freshness figures. The
# fetch time is used instead, `published_at_source` says "fetched", and `published` keeps what was
# printed. Online news archives start in the 1990s.
EARLIEST_PUBLISHED = datetime(1990, 1, 1, tzinfo=UTC)
MAX_FUTURE_SKEW = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1)


def _utc_seconds(instant: datetime) -> float:
    """Seconds since 1970 UTC, without the overflow `astimezone` and aware comparisons can raise at
    the ends of the calendar (year 1 at +05:53, year 9999 at -05:00)."""
    offset = instant.utcoffset() or timedelta(0)
    return (instant.replace(tzinfo=None) - _EPOCH - offset).total_seconds()


def _in_window(instant: datetime, seen: datetime) -> bool:
    latest = _utc_seconds(seen) + MAX_FUTURE_SKEW.total_seconds()
    return _utc_seconds(EARLIEST_PUBLISHED) <= _utc_seconds(instant) <= latest


def plausible_published(
    published_at: datetime | None, fetched_at: str | None
) -> tuple[datetime | None, bool]:
    """`published_at` when it lies in the plausible window, else the fetch time (now when there is
    none); and whether it was replaced."""
    if published_at is None:
        return None, False
    seen = _fetched_time(fetched_at) or datetime.now(UTC)
    if _in_window(published_at, seen):
        return published_at, False
    return seen, True
