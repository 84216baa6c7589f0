"""Dates stage: the publication instant and every date the article mentions.

`published_at` (ISO 8601 with offset) comes from the `published` string the clean stage kept (the
feed's date, else the page's metadata, else a date line printed at the top of the text). It is parsed
by the standard library when it is RFC 822 / ISO 8601, else by dateparser, with one correction:
dateparser reads "IST" as Israel Standard Time (+02:00); Indian outlets mean India Standard Time, so
"IST" is rewritten to +05:30 before parsing. A printed time without a zone is read as IST too.

`dates` lists every date mention as {"text", "value", "granularity"}. Mentions are found by
compiled patterns over English and Hindi month/weekday names (taken from dateparser's locale data),
never by running a date parser over every token, which is both slow and imprecise ("Dong Jun" is not
June, "the 11th ASEAN" is not a day). A month word inside a person's name, as the entities stage finds
names (gazetteer people, title + name, in both scripts), is not a date. Relative expressions ("On
Monday", "late last month", "पिछले साल") and dates without a year are resolved against a reference
date: the publication date, or when there is none, the fetch time, and only then the latest full date
(day, month and year) the text prints. The reference used is recorded (`date_reference`,
`date_reference_source`); with no reference at all, relative and yearless mentions are left out
rather than resolved against today.

An article with no printed date that was fetched (from a feed or a page; JSON Lines input may carry
"fetched_at") gets `published_at` = the fetch time, `published_at_source` "fetched", and its dates
resolve against that day (`date_reference_source` "fetched"). Only without any of these is the text
itself read for a reference (`text_reference`: the latest full date, unless a later year is printed).

Modules: `vocabulary` (month, weekday and number words; `pipeline/data/dates.yaml`), `resolve`
(mentions, references, yearless and weekday rules), `handlers` and `patterns` (what each pattern
matches and means), `mentions` (finding them in a text; references read from the text), `published`
(the publication instant), `events` (event days). This module is the stage (`normalise`) and
re-exports the names other modules use.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta  # noqa: F401  (re-exported: tests build references)

from pipeline.article import Article
from pipeline.dates.events import (  # noqa: F401
    DATELINE_LAG_DAYS,
    _article_reference,
    _dateline_day,
    _dateline_end,
    dated_text,
    event_days,
)
from pipeline.dates.mentions import (  # noqa: F401
    _month_years,
    find_dates,
    latest_full_date,
    publication_lines,
    text_reference,
)
from pipeline.dates.patterns import _patterns  # noqa: F401
from pipeline.dates.published import (  # noqa: F401
    EARLIEST_PUBLISHED,
    INDIAN_OUTLETS,
    IST,
    MAX_FUTURE_SKEW,
    _fetched_time,
    _outlet_offset,
    indian_outlet,
    local_published,
    parse_published,
    plausible_published,
)
from pipeline.dates.resolve import MENTION_YEARS, Mention, Reference  # noqa: F401
from pipeline.dates.vocabulary import MONTHS, WEEKDAYS  # noqa: F401

STAGE = "dates"


def normalise(article: Article) -> Article:
    """Set `published_at`, `dates` and the reference date relative dates were resolved against."""
    # The offset kept is the outlet's, so that `published_at[:10]` (story_date, the reference day) is
    # its day.
    published_at, clamped = plausible_published(parse_published(article.published), article.fetched_at)
    if not clamped:
        published_at = _outlet_offset(article, published_at)
    published_source = ("fetched" if clamped else article.published_at_source) if published_at else None
    if published_at is None and (first_seen := _fetched_time(article.fetched_at)) is not None:
        # Undated: first seen is the best bound we have, and keeps it visible in time-filtered views.
        published_at, published_source = first_seen.astimezone(IST), "fetched"
    text = dated_text(article)
    if published_at is not None:
        ref = Reference(_dateline_day(article, text, published_at.date()) or published_at.date(), True)
        ref_source = "fetched" if published_source == "fetched" else "published_at"
    else:
        inferred = text_reference(text)
        ref = Reference(inferred, False) if inferred else _month_years(text)
        ref_source = "text" if inferred else None
    seen: set[tuple[str, str, str]] = set()
    dates = []
    furniture = publication_lines(text)
    for mention in find_dates(text, ref):
        if any(s <= mention.start < e for s, e in furniture):
            continue
        key = (mention.text.lower(), mention.value, mention.granularity)
        if key not in seen:
            seen.add(key)
            dates.append(mention.as_dict())
    return article.replace(
        published_at=published_at.isoformat() if published_at else None,
        published_at_source=published_source,
        dates=dates,
        date_reference=ref.day.isoformat() if ref and ref.day else None,
        date_reference_source=ref_source,
    )
