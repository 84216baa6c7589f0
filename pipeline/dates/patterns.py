"""The date patterns, in priority order: full dates and day ranges first, then months with a year,
yearless and relative dates, holidays, day words, weekdays, and a year alone last. Each is compiled
once, with the handler that reads it (`pipeline.dates.handlers`), whether it is absolute (needs no
reference) and the script it needs ("en", "hi" or "any")."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pipeline.dates import handlers as h
from pipeline.dates.handlers import Handler
from pipeline.dates.vocabulary import _DEVANAGARI, _HOLIDAYS, _alt, _vocabulary

Row = tuple[str, Handler, bool, str]  # (pattern, handler, absolute, script it needs)
ORD = r"(?:st|nd|rd|th)?"
HB = r"(?![\u0900-\u0963\u0966-\u097F])"  # end of a Devanagari word
HW = r"(?<![\u0900-\u0963\u0966-\u097F])"  # start of a Devanagari word
EN_REL = r"(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]revious)"
HI_REL = r"(?P<rel>पिछले|इस|अगले|गत)"
RANGE_EN = r"(?:\s*[-–]\s*|\s+(?:to|and)\s+)"
RANGE_HI = r"(?:\s*(?:[-–]|से)\s*|\s+(?:और|व|तथा)\s+)"


class Words(NamedTuple):
    mon: str  # an English month name or abbreviation, with an optional full stop
    monf: str  # full English month names only, where a bare name could be a word
    hmon: str  # a Hindi month name
    full_en: str  # the full English names as an alternation (no group)


def _words() -> Words:
    en_months, hi_months, _, _ = _vocabulary()
    full_en = {w: n for w, n in en_months.items() if len(w) > 3 or w == "May"}
    return Words(
        rf"(?P<mon>{_alt(en_months)})\.?",
        rf"(?P<mon>{_alt(full_en)})",
        rf"(?P<mon>{_alt(hi_months)})",
        _alt(full_en),
    )


def _full_dates(w: Words) -> list[Row]:
    """Day ranges, ISO dates and dates with day, month and year."""
    year = r"(?:,?\s+(?P<y>\d{4}))?(?![\d:])"
    return [
        (
            rf"\b{w.mon}\s+(?P<d>\d{{1,2}}){ORD}{RANGE_EN}(?P<d2>\d{{1,2}}){ORD}{year}",
            h.day_range(h.en_month),
            True,
            "en",
        ),
        (
            rf"(?<!\d)(?P<d>\d{{1,2}}){ORD}{RANGE_EN}(?P<d2>\d{{1,2}}){ORD}\s+(?:of\s+)?{w.mon}{year}",
            h.day_range(h.en_month),
            True,
            "en",
        ),
        (
            rf"(?<!\d)(?P<d>\d{{1,2}}){RANGE_HI}(?P<d2>\d{{1,2}})\s+{w.hmon}(?:,?\s+(?P<y>\d{{4}}))?{HB}(?!\s*\d)",
            h.day_range(h.hi_month),
            True,
            "hi",
        ),
        (r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)", h.iso, True, "any"),
        (
            rf"(?<!\d)(?P<d>\d{{1,2}}){ORD}\s+(?:of\s+)?{w.mon},?\s+(?P<y>\d{{4}})(?!\d)",
            h.full(h.en_month),
            True,
            "en",
        ),
        (rf"\b{w.mon}\s+(?P<d>\d{{1,2}}){ORD},?\s+(?P<y>\d{{4}})(?!\d)", h.full(h.en_month), True, "en"),
        (rf"(?<!\d)(?P<d>\d{{1,2}})\s+{w.hmon},?\s+(?P<y>\d{{4}})(?!\d)", h.full(h.hi_month), True, "hi"),
    ]


def _months_and_yearless(w: Words) -> list[Row]:
    """Months with a year or a relative year, and days and months without a year."""
    since = (
        r"(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Ff]rom|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?|"
        r"end of|beginning of)"
    )
    hi_rel_year = rf"{HI_REL}\s+(?:वर्ष|साल)\s+(?:(?:के|की)\s+)?(?:(?:शुरू|अंत|आखिर)\s+(?:में|के)\s+)?{w.hmon}{HB}"
    return [
        (
            rf"\b(?P<mon1>{w.full_en})(?:\s+(?:and|or|to)\s+|\s*[-–]\s*){w.monf},?\s+(?P<y>\d{{4}})(?!\d)",
            h.month_pair,
            False,
            "en",
        ),
        (rf"\b{w.mon},?\s+(?P<y>\d{{4}})(?!\d)", h.month_year(h.en_month), False, "en"),
        (rf"{w.hmon},?\s+(?P<y>\d{{4}})(?!\d)", h.month_year(h.hi_month), False, "hi"),
        (rf"\b{w.monf}\s+{EN_REL}\s+year\b", h.month_relative_year(h.en_month), False, "en"),
        (rf"\b{EN_REL}\s+{w.monf}\b", h.relative_month(h.en_month), False, "en"),
        (hi_rel_year, h.month_relative_year(h.hi_month), False, "hi"),
        (
            rf"(?<!\d)(?P<d>\d{{1,2}}){ORD}\s+(?:of\s+)?{w.mon}(?![A-Za-z])",
            h.yearless_day(h.en_month),
            False,
            "en",
        ),
        (rf"\b{w.mon}\s+(?P<d>\d{{1,2}}){ORD}(?![\d:])", h.yearless_day(h.en_month), False, "en"),
        (rf"(?<!\d)(?P<d>\d{{1,2}})\s+{w.hmon}{HB}", h.yearless_day(h.hi_month), False, "hi"),
        (rf"\b{since}\s+{w.monf}\b", h.yearless_month(h.en_month), False, "en"),
        (rf"{w.hmon}\s+(?=में|महीने)", h.yearless_month(h.hi_month), False, "hi"),
    ]


def _relative(w: Words) -> list[Row]:
    """Relative months and years, "ago", holidays, day words, weekdays and a year alone."""
    _, _, en_days, hi_days = _vocabulary()
    en_holidays = _alt(k for k in _HOLIDAYS if not _DEVANAGARI.search(k))
    hi_holidays = _alt(k for k in _HOLIDAYS if _DEVANAGARI.search(k))
    hi_weekday_after = r"(?:\s+को|(?=\s+(?:की|के|से|तक|देर|शाम|सुबह|रात|दोपहर)" + HB + "))"
    return [
        (
            rf"\b(?:(?:[Ee]arly|[Ll]ate|[Mm]id-?|[Ee]arlier|[Ll]ater)\s+)?{EN_REL}\s+(?P<unit>month|year)\b",
            h.relative_unit,
            False,
            "en",
        ),
        (HI_REL + r"\s+(?P<unit>वर्ष|साल|महीने|माह)" + HB, h.relative_unit, False, "hi"),
        (r"\b(?P<n>\d{1,2}|[A-Za-z]+)\s+(?P<unit>days|months|years)\s+ago\b", h.ago, False, "en"),
        (r"(?P<n>\d{1,2}|[\u0900-\u097F]+)\s+(?P<unit>दिन|महीने|साल|वर्ष)\s+पहले" + HB, h.ago, False, "hi"),
        (rf"\b(?P<h>{en_holidays})(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?(?![\w\d])", h.holiday, False, "en"),
        (
            rf"{HW}(?P<h>{hi_holidays})(?:\s+(?P<y>(?:19|20)\d{{2}}))?{HB}(?=\s*(?:के\s+(?:दिन|मौके|अवसर)|पर|को))",
            h.holiday,
            False,
            "hi",
        ),
        (r"\b(?P<w>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b", h.day_word, False, "en"),
        (HW + r"(?P<w>आज)" + HB, h.day_word, False, "hi"),
        (
            rf"\b(?:(?P<rel>[Oo]n|[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?P<wd>{_alt(en_days)})\b",
            h.weekday(en_days),
            False,
            "en",
        ),
        (rf"(?P<rel>){HW}(?P<wd>{_alt(hi_days)}){hi_weekday_after}", h.weekday(hi_days), False, "hi"),
        (r"(?<![\w₹$£€.,/])(?P<y>(?:19|20)\d{2})(?![\d,]\d|\.\d|s\b|\d|वें|th\b)", h.year, False, "any"),
    ]


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], Handler, bool, str]]:
    """(pattern, handler, absolute, script) in priority order; a later pattern never overlaps an
    earlier match."""
    w = _words()
    table = _full_dates(w) + _months_and_yearless(w) + _relative(w)
    return [(re.compile(p), handler, absolute, script) for p, handler, absolute, script in table]
