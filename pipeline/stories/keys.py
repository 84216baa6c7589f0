"""The story key of an article: the entities that name its story (`story_entities`) and its event
day (`story_date`, `story_dates`)."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.article import Article
from pipeline.dates import MENTION_YEARS, event_days
from pipeline.entities import gazetteer
from pipeline.stories.names import NAME, ROUND, name_key  # noqa: F401

LEAD_MIN_CHARS, LEAD_CHARS = 250, 600
EVENT_WINDOW_DAYS = 14


# "the 21st round of Corps Commander-level talks", "the 32nd meeting of the WMCC", "19th Corps
# Commander-level meeting", "कोर कमांडर स्तर की 21वें दौर की बातचीत", "डब्ल्यूएमसीसी की 32वीं बैठक".
_ROUND_EN = re.compile(
    r"(?<![\w-])(?P<n>\d{1,3})(?:st|nd|rd|th)\s+(?:[A-Za-z][\w'’-]*\s+){0,4}?"
    r"(?:round|meeting|edition|session|summit)s?\b",
    re.IGNORECASE,
)
_ROUND_HI = re.compile(
    r"(?<![\d\u0900-\u097F])(?P<n>\d{1,3})\s*(?:वीं|वें|वां|वाँ|वा)\s+(?:[\u0900-\u097F]+\s+){0,3}?"
    r"(?:दौर|बैठक|राउंड|चरण|सम्मेलन|वार्ता)"
)
_HI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def _day(value: str | None) -> dt.date | None:
    """The day of an ISO date or instant, or None (also for a year outside MENTION_YEARS: such a
    value was not read by the dates stage, and day arithmetic on it would leave the calendar)."""
    if not value or len(value) < 10:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if day.year in MENTION_YEARS else None


def lead_text(article: Article) -> str:
    """Title and the first paragraphs, until LEAD_MIN_CHARS (at most LEAD_CHARS) of text."""
    parts = [article.title or ""]
    size = 0
    for paragraph in (article.text or "").split("\n"):
        if not paragraph.strip():
            continue
        parts.append(paragraph[: LEAD_CHARS - size])
        size += len(parts[-1])
        if size >= LEAD_MIN_CHARS:
            break
    return "\n".join(parts)


def rounds(text: str) -> list[str]:
    """Story keys of the numbered rounds or meetings printed in `text` ("21st round" -> "round/21")."""
    work = text.translate(_HI_DIGITS)
    found = {int(m.group("n")) for pattern in (_ROUND_EN, _ROUND_HI) for m in pattern.finditer(work)}
    return [f"{ROUND}{n}" for n in sorted(found) if 0 < n < 1000]


def story_entities(article: Article) -> list[str]:
    """Ids that name the story (see module doc): the linked, non-generic entities in the lead, the
    unlinked names in the lead, and the numbered rounds the lead prints."""
    gaz = gazetteer()
    generic = gaz.generic_ids
    lead = lead_text(article)
    dateline = (article.dateline or "").casefold()
    # The place a report is filed from ("New Delhi:", "LEH, March 3") is not what it is about, nor is the
    # agency that distributed it ("(PTI)", "(भाषा)"): two outlets' reports of one event differ in both.
    named = [
        e
        for e in article.entities
        if e["id"] not in generic
        and getattr(gaz.entities.get(e["id"]), "kind", None) != "agency"
        and not (dateline and all(m.casefold() in dateline for m in e.get("mentions", [])))
    ]
    linked = [e for e in named if e.get("linked")]
    chosen = {e["id"] for e in linked if any(m and m in lead for m in e.get("mentions", []))}
    if len(chosen) < 2:
        chosen = {e["id"] for e in linked}
    # "Eastern Ladakh" implies "Ladakh" whether or not the text also says "Ladakh" on its own.
    chosen |= {i for e in list(chosen) if e in gaz.entities for i in gaz.entities[e].implies}
    # Officers and officials the gazetteer does not know often name the story in both languages: their
    # key is the consonant skeleton of the (romanised) name, so "अमित रावत" and "Amit Rawat" share one.
    names = {
        name_key(e["id"])
        for e in named
        if not e.get("linked")
        and e["id"].startswith("unlinked/")
        and any(m and m in lead for m in e.get("mentions", []))
    }
    return sorted(chosen - generic) + sorted(names - {None}) + rounds(lead)


def story_dates(article: Article) -> tuple[str | None, list[str]]:
    """(`story_date`, `story_dates`) of an article, from the dates stage's day-granularity dates; the
    event day is the first of `dates.event_days` (the text's own days before a statement's and the
    dateline's) in the window."""
    days = [d["value"] for d in article.dates if d.get("granularity") == "day" and _day(d.get("value"))]
    ordered = [d for d in event_days(article) if d in days] + days
    published = _day(article.published_at)
    story_date = None
    if article.published_at_source == "fetched" and published is not None:
        # First seen is only an upper bound on the event day (an archive may be fetched years later):
        # it is neither the event day nor a day the article mentions.
        story_date = next(
            (d for d in map(_day, ordered) if d is not None and d <= published + dt.timedelta(days=1)), None
        )
        return (story_date.isoformat() if story_date else None), sorted(set(days))
    for first in map(_day, ordered):
        if first is not None and (
            published is None
            or (published - dt.timedelta(days=EVENT_WINDOW_DAYS) <= first <= published + dt.timedelta(days=1))
        ):
            story_date = first
            break
    if story_date is None and published is not None:
        story_date = published
    all_days = set(days)
    if published is not None:
        all_days.add(published.isoformat())
    return (story_date.isoformat() if story_date else None), sorted(all_days)


def with_story_key(article: Article) -> Article:
    """Set `story_entities`, `story_date` and `story_dates` (pure)."""
    story_date, days = story_dates(article)
    return article.replace(story_entities=story_entities(article), story_date=story_date, story_dates=days)
