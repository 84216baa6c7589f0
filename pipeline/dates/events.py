"""Event days: the days an article mentions, the likely day of its event first (the text's own
clauses before a statement's day and the dateline's)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pipeline.article import Article
from pipeline.dates.mentions import _month_years, find_dates
from pipeline.dates.resolve import Reference
from pipeline.dates.vocabulary import _DEVANAGARI

# A statement is made on one day about an event on another: "the minister told Parliament on Tuesday
# that Chinese troops tried to transgress on December 9". The clause of a speech verb gives the day of
# the statement, not of the event.
_EVENT_CLAUSE_START = re.compile(r"[.;:!?\n।]|,\s+|\bthat\b|\bafter\b|\bwhen\b", re.I)
_SPEECH_EN = re.compile(
    r"\b(?:said|says|told|informed|briefed|briefing|statement|announced|stated|"
    r"added|asserted|remarked|press conference|addressing|spoke)\b",
    re.I,
)
_HI_EVENT_CLAUSE_END = re.compile(r"[।|.?!;:\n]|\s+कि(?![\u0900-\u0963\u0966-\u097F])")
_SPEECH_HI = re.compile(
    r"(?<![\u0900-\u0963\u0966-\u097F])(?:कहा|बताया|बयान|जानकारी\s+दी|सूचित|संबोधित|"
    r"प्रेस\s+वार्ता|प्रेस\s+कॉन्फ्रेंस)"
)


def dated_text(article: Article) -> str:
    """The text the dates are read from: title and text, the title left out when it is the lead
    sentence (`title_source: "lead"`), which the text already holds."""
    if article.title and article.title_source != "lead":
        return f"{article.title}\n{article.text or ''}"
    return article.text or ""


def _article_reference(article: Article, text: str) -> Reference | None:
    """The reference the dates stage resolved `article.dates` against (its `date_reference`)."""
    if article.date_reference:
        try:
            day = date.fromisoformat(article.date_reference[:10])
        except ValueError:
            return None
        return Reference(day, article.date_reference_source in ("published_at", "fetched"))
    return _month_years(text)


def _dateline_end(article: Article, text: str) -> int:
    """Where the dateline ("NEW DELHI, Feb 20 (PTI) – ") ends in `text`, or 0: its date is the day the
    report was filed, not the day of the event."""
    from pipeline.clean import _DATELINE_LEAD  # the clean stage's dateline pattern: one definition

    body = article.text or ""
    offset = text.find(body) if body else -1
    if offset < 0:
        return 0
    m = _DATELINE_LEAD.match(body)
    return offset + m.end() if m else 0


DATELINE_LAG_DAYS = 3


def _dateline_day(article: Article, text: str, published: date) -> date | None:
    """The day a wire copy's dateline prints ("NEW DELHI, Feb 20 (PTI) –"), when it lies up to
    DATELINE_LAG_DAYS before the publication day: "today" and "on Monday" were written on that day,
    and an outlet often publishes the copy the next morning."""
    end = _dateline_end(article, text)
    if not end:
        return None
    for mention in find_dates(text[:end], Reference(published, True)):
        if mention.granularity == "day":
            day = date.fromisoformat(mention.value)
            return day if published - timedelta(days=DATELINE_LAG_DAYS) <= day <= published else None
    return None


def event_days(article: Article) -> list[str]:
    """The days (ISO) the article mentions, the likely day of its event first: days in the text's own
    clauses in text order, then days of statements about it ("told Parliament on Tuesday", "ने गुरुवार
    को बताया"), then the dateline's. Resolved as `dates` was (same reference); it does not decide
    whether a day is too old or in the future (the stories stage does)."""
    text = dated_text(article)
    ref = _article_reference(article, text)
    dateline_end = _dateline_end(article, text)
    ranked: list[tuple[int, int, str]] = []
    for i, mention in enumerate(find_dates(text, ref)):
        if mention.granularity != "day":
            continue
        if mention.start < dateline_end:
            rank = 2
        elif _DEVANAGARI.search(mention.text):
            clause = _HI_EVENT_CLAUSE_END.split(text[mention.end : mention.end + 120], 1)[0]
            rank = 1 if _SPEECH_HI.search(clause) else 0
        else:
            before = text[max(0, mention.start - 80) : mention.start]
            cuts = list(_EVENT_CLAUSE_START.finditer(before))
            clause = before[cuts[-1].end() :] if cuts else before
            rank = 1 if _SPEECH_EN.search(clause) else 0
        ranked.append((rank, i, mention.value))
    seen: list[str] = []
    for _, _, value in sorted(ranked):
        if value not in seen:
            seen.append(value)
    return seen
