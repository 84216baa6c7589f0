"""What a matched date pattern means: each handler turns a match (and the reference) into mentions
`(start, end, value, granularity)`, or none when the match is not a date or cannot be resolved."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from pipeline.dates.resolve import (
    _RELATIVE_YEAR_AFTER,
    Reference,
    _day,
    _future,
    _infer_year,
    _shift_month,
)
from pipeline.dates.vocabulary import _HI_NUMBER_WORDS, _HOLIDAYS, _NUMBER_WORDS, _holiday_key, _vocabulary

Found = list[tuple[int, int, str, str]]
Handler = Callable[[re.Match[str], Reference | None], Found]
MonthOf = Callable[[re.Match[str]], int]

# A four-digit number followed by one of these counts things or is a clock time ("2030 hours"); it
# is not a year.
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|per ?cent|troops|soldiers|personnel|people|km|kms|kilomet|metres|meters|m\b|ft\b|feet|"
    r"crore|lakh|million|billion|tonnes|tons|MW|units|cases|votes|runs|sq|hectares|acres|"
    r"recruits|jawans|vehicles|villages|families|pilgrims|tourists|tents|posts\b|aircraft|tanks|"
    r"hours\b|hrs\b|बजे|"
    r"किमी|किलोमीटर|सैनिक|करोड़|लाख|मीटर|लोग|जवान|वाहन|गांव|गाँव|यात्री|श्रद्धालु|परिवार)",
    re.IGNORECASE,
)
# "2025-26", "2024–25", "2023/24": a year split over two calendar years (budgets, academic years).
_SPLIT_YEAR = re.compile(r"\s?[-–/]\s?(\d{2})(?!\d)")
# ... nor after a currency, a label of numbered things ("Room 2020", "Flight AI 2025", "PIN 2025"),
# or another group of digits (a phone number "1800 2000 100").
_NOT_YEAR_BEFORE = re.compile(
    r"(?:Rs\.?|INR|USD|US\$|\$|₹|€|£|No\.?|number|G|Class|Rule|Section|Article|Room|Flight|Train|"
    r"PIN|Code|Box|Gate|Pillar|Helpline|नंबर|संख्या|कमरा)\s*$|\d[ -]$",
    re.IGNORECASE,
)
_REL_YEAR = {"last": -1, "previous": -1, "this": 0, "next": 1, "पिछले": -1, "गत": -1, "इस": 0, "अगले": 1}
_DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1, "आज": 0}
_FOREIGN_DAY_BEFORE = re.compile(
    r"(?:'s|’s|\b(?:Chinese|Pakistani|Bangladeshi|Nepali|American|US|China|Pakistan))\s+$"
)


def en_month(m: re.Match[str]) -> int:
    return _vocabulary()[0][m.group("mon").rstrip(".").capitalize()]


def hi_month(m: re.Match[str]) -> int:
    return _vocabulary()[1][m.group("mon")]


def full(month_of: MonthOf) -> Handler:
    def handle(m, ref):
        value = _day(int(m.group("y")), month_of(m), int(m.group("d")))
        return [(m.start(), m.end(), value, "day")] if value else []

    return handle


def iso(m: re.Match[str], ref: Reference | None) -> Found:
    value = _day(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return [(m.start(), m.end(), value, "day")] if value else []


def day_range(month_of: MonthOf) -> Handler:
    """ "February 17 to 20, 2025", "18-19 November", "17-20 फरवरी": both ends, each a day."""

    def handle(m, ref):
        mon = month_of(m)
        d1, d2 = int(m.group("d")), int(m.group("d2"))
        if d2 <= d1:
            return []
        y = int(m.group("y")) if m.group("y") else _infer_year(mon, d1, ref)
        first, last = (_day(y, mon, d1), _day(y, mon, d2)) if y else (None, None)
        if not (first and last):
            return []
        first_end = m.end("d")  # "February 17", or "17" in "17-20 फरवरी"
        return [(m.start(), first_end, first, "day"), (m.start("d2"), m.end(), last, "day")]

    return handle


def month_year(month_of: MonthOf) -> Handler:
    def handle(m, ref):
        y, mon = int(m.group("y")), month_of(m)
        return [(m.start(), m.end(), f"{y:04d}-{mon:02d}", "month")]

    return handle


def month_pair(m: re.Match[str], ref: Reference | None) -> Found:
    en_months = _vocabulary()[0]
    y = int(m.group("y"))
    first = en_months[m.group("mon1").capitalize()]
    second = en_months[m.group("mon").capitalize()]
    return [
        (m.start("mon1"), m.end("mon1"), f"{y:04d}-{first:02d}", "month"),
        (m.start("mon"), m.end(), f"{y:04d}-{second:02d}", "month"),
    ]


def yearless_day(month_of: MonthOf) -> Handler:
    def handle(m, ref):
        if ref is not None and ref.day is None and _RELATIVE_YEAR_AFTER.match(m.string, m.end()):
            return []  # "April 12 last year": the year printed with April elsewhere is not this one
        mon, d = month_of(m), int(m.group("d"))
        y = _infer_year(mon, d, ref)
        value = _day(y, mon, d) if y else None
        return [(m.start(), m.end(), value, "day")] if value else []

    return handle


def yearless_month(month_of: MonthOf) -> Handler:
    def handle(m, ref):
        mon = month_of(m)
        y = _infer_year(mon, None, ref)
        return [(m.start("mon"), m.end("mon"), f"{y:04d}-{mon:02d}", "month")] if y else []

    return handle


def month_relative_year(month_of: MonthOf) -> Handler:
    def handle(m, ref):
        if ref is None or ref.day is None:
            return []
        y = ref.day.year + _REL_YEAR[m.group("rel").lower()]
        return [(m.start(), m.end(), f"{y:04d}-{month_of(m):02d}", "month")]

    return handle


def relative_month(month_of: MonthOf) -> Handler:
    """'last October' said in February 2025 is October 2024; 'next March' said in May is next year's."""

    def handle(m, ref):
        if ref is None or ref.day is None:
            return []
        mon, rel, y = month_of(m), m.group("rel").lower(), ref.day.year
        if rel in ("last", "previous") and mon >= ref.day.month:
            y -= 1
        elif rel == "next" and mon <= ref.day.month:
            y += 1
        return [(m.start(), m.end(), f"{y:04d}-{mon:02d}", "month")]

    return handle


def relative_unit(m: re.Match[str], ref: Reference | None) -> Found:
    if ref is None or ref.day is None:
        return []
    offset = _REL_YEAR[m.group("rel").lower()]
    unit = m.group("unit").lower()
    if unit in ("year", "वर्ष", "साल"):
        return [(m.start(), m.end(), f"{ref.day.year + offset:04d}", "year")]
    y, mon = _shift_month(ref.day, offset)
    return [(m.start(), m.end(), f"{y:04d}-{mon:02d}", "month")]


def ago(m: re.Match[str], ref: Reference | None) -> Found:
    if ref is None or ref.day is None:
        return []
    word = m.group("n").lower()
    n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word, _HI_NUMBER_WORDS.get(word))
    if n is None:
        return []
    unit = m.group("unit").lower()
    if unit.startswith(("day", "दिन")):
        return [(m.start(), m.end(), (ref.day - timedelta(days=n)).isoformat(), "day")]
    if unit.startswith(("month", "महीन")):
        y, mon = _shift_month(ref.day, -n)
        return [(m.start(), m.end(), f"{y:04d}-{mon:02d}", "month")]
    return [(m.start(), m.end(), f"{ref.day.year - n:04d}", "year")]


def holiday(m: re.Match[str], ref: Reference | None) -> Found:
    """A fixed-date national day or festival ("on New Year's Day", "गणतंत्र दिवस पर"): border
    personnel meetings and ceremonies are reported by the day's name. Another country's day
    ("Pakistan's Independence Day") is not India's."""
    if _FOREIGN_DAY_BEFORE.search(m.string[max(0, m.start() - 14) : m.start()]):
        return []
    mon, d = _HOLIDAYS[_holiday_key(m.group("h"))]
    y = int(m.group("y")) if m.groupdict().get("y") else _infer_year(mon, d, ref)
    value = _day(y, mon, d) if y else None
    return [(m.start("h"), m.end(), value, "day")] if value else []


def day_word(m: re.Match[str], ref: Reference | None) -> Found:
    if ref is None or ref.day is None:
        return []
    value = (ref.day + timedelta(days=_DAY_WORDS[m.group("w").lower()])).isoformat()
    return [(m.start(), m.end(), value, "day")]


def weekday(days: dict[str, int]) -> Handler:
    def handle(m, ref):
        if ref is None or ref.day is None:
            return []
        target = days[m.group("wd")]
        back = (ref.day.weekday() - target) % 7
        rel = (m.group("rel") or "").lower()
        if rel != "last" and _future(m):
            rel = "next"
        if rel == "last" and back == 0:
            back = 7
        if rel == "next":
            ahead = (target - ref.day.weekday()) % 7 or 7
            return [(m.start(), m.end(), (ref.day + timedelta(days=ahead)).isoformat(), "day")]
        return [(m.start(), m.end(), (ref.day - timedelta(days=back)).isoformat(), "day")]

    return handle


def year(m: re.Match[str], ref: Reference | None) -> Found:
    y = int(m.group("y"))
    text = m.string
    before = text[max(0, m.start() - 12) : m.start()]
    if before.endswith("-") and not re.search(r"(?:pre|post|mid|late|early)-$", before, re.I):
        return []
    if _NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(text, m.end()):
        return []
    span = _SPLIT_YEAR.match(text, m.end())
    if span and int(span.group(1)) == (y + 1) % 100:
        return []  # "2025-26": a financial or academic year, not a date in 2025
    if ref is not None and ref.day is not None and y > ref.day.year + 10:
        return []
    return [(m.start(), m.end(), f"{y:04d}", "year")]
