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
names (gazetteer people, title + name, in both scripts), is not a date. Relative expressions ("On Monday", "late last month", "पिछले
साल") and dates without a year are resolved against a reference date: the publication date, or when
there is none, the fetch time, and only then the latest full date (day, month and year) the text prints. The reference used is
recorded (`date_reference`, `date_reference_source`); with no reference at all, relative and yearless
mentions are left out rather than resolved against today.

An article with no printed date that was fetched (from a feed or a page; JSON Lines input may carry
"fetched_at") gets `published_at` = the fetch time, `published_at_source` "fetched", and its dates
resolve against that day (`date_reference_source` "fetched"). Only without any of these is the text
itself read for a reference (`text_reference`: the latest full date, unless a later year is printed).
"""

from __future__ import annotations

import email.utils
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

from pipeline.article import Article

STAGE = "dates"
IST = timezone(timedelta(hours=5, minutes=30))
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Spellings Hindi outlets use that dateparser's locale does not list.
_HI_EXTRA = {"february": ["फरवरी"], "april": ["अप्रेल"], "october": ["अक्टूबर", "अक्तूबर"], "august": ["अगस्‍त"]}
_HI_NUMBERS = str.maketrans("०१२३४५६७८९", "0123456789")
_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
    )
}
_NUMBER_WORDS.update({"a": 1, "an": 1, "few": 3, "twenty": 20, "thirty": 30})
_HI_NUMBER_WORDS = {
    "एक": 1,
    "दो": 2,
    "तीन": 3,
    "चार": 4,
    "पांच": 5,
    "पाँच": 5,
    "छह": 6,
    "सात": 7,
    "आठ": 8,
    "नौ": 9,
    "दस": 10,
}
# A four-digit number followed by one of these counts things; it is not a year.
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|per ?cent|troops|soldiers|personnel|people|km|kms|kilomet|metres|meters|m\b|ft\b|feet|crore|lakh|"
    r"million|billion|tonnes|tons|MW|units|cases|votes|runs|sq|hectares|acres|किमी|किलोमीटर|सैनिक|करोड़|लाख|मीटर|लोग)",
    re.IGNORECASE,
)
# "2025-26", "2024–25", "2023/24": a year split over two calendar years (budgets, academic years).
_SPLIT_YEAR = re.compile(r"\s?[-–/]\s?(\d{2})(?!\d)")
_NOT_YEAR_BEFORE = re.compile(
    r"(?:Rs\.?|INR|USD|US\$|\$|₹|€|£|No\.?|number|G|Class|Rule|Section|Article)\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    value: str
    granularity: str  # day | month | year

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "value": self.value, "granularity": self.granularity}


@dataclass(frozen=True)
class Reference:
    day: date | None
    from_publication: bool  # False: inferred from the text, so only a lower bound on the publication date
    # (month, year) the text prints with a year ("September 2024"): the year of a yearless date in that
    # month when there is no reference day (`day` None: relative dates stay unresolved)
    month_years: tuple[tuple[int, int], ...] = ()


# ---------------------------------------------------------------------------------------------- vocabulary
@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
    """(English month -> n, Hindi month -> n, English weekday -> n, Hindi weekday -> n) from dateparser's locales."""
    from dateparser.languages import default_loader

    en, hi = default_loader.get_locale("en"), default_loader.get_locale("hi")
    en_months, hi_months, en_days, hi_days = {}, {}, {}, {}
    for n, name in enumerate(MONTHS, 1):
        for word in en.info[name]:
            if len(word) >= 3:
                en_months[word.capitalize()] = n
        for word in hi.info[name] + _HI_EXTRA.get(name, []):
            if "॰" not in word:
                hi_months[unicodedata.normalize("NFC", word)] = n
    for n, name in enumerate(WEEKDAYS):
        for word in en.info[name]:
            if len(word) > 3:
                en_days[word.capitalize()] = n
        for word in hi.info[name]:
            if word.endswith("वार"):
                hi_days[unicodedata.normalize("NFC", word)] = n
        if name == "thursday":
            hi_days["बृहस्पतिवार"] = n
    return en_months, hi_months, en_days, hi_days


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Fixed-date days a report may name instead of the date (month, day); keys as printed.
_HOLIDAYS = {
    "New Year's Day": (1, 1),
    "New Year’s Day": (1, 1),
    "New Year's Eve": (12, 31),
    "New Year’s Eve": (12, 31),
    "Christmas Day": (12, 25),
    "Republic Day": (1, 26),
    "Independence Day": (8, 15),
    "नए साल": (1, 1),
    "नव वर्ष": (1, 1),
    "नववर्ष": (1, 1),
    "गणतंत्र दिवस": (1, 26),
    "स्वतंत्रता दिवस": (8, 15),
}
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _holiday_key(printed: str) -> str:
    return next(k for k in _HOLIDAYS if k.lower() == printed.lower())


# ---------------------------------------------------------------------------------------------- resolution
def _day(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _shift_month(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + (d.month - 1) + months
    return index // 12, index % 12 + 1


_RELATIVE_YEAR_AFTER = re.compile(
    r"\s*,?\s*(?:of\s+)?(?:last|this|next|previous)\s+year|\s*(?:पिछले|अगले|इस|गत)\s+(?:साल|वर्ष)", re.IGNORECASE
)
# A weekday in a clause about what is to come is the next such day. English: a modal or plan word
# earlier in the same clause ("will meet in Tianjin on Tuesday", "is scheduled to begin on Friday",
# "ahead of Tuesday's meeting", "booked until Sunday"); Hindi: the clause ends in a future verb
# (-गा/-गी/-गे after a vowel sign: होगी, करेंगे, मिलेंगे, जाएगा) or "होनी है", "होने वाली है".
_FUTURE_BEFORE = re.compile(
    r"(?P<w>\bwill|\bshall|\w'll|’ll|\b(?:is|are)\s+(?:due|set|scheduled|expected|slated|likely|going|to)\b|"
    r"\b(?:scheduled|slated|due|planned|plans?|set|expected|likely)\s+(?:to|for|on)\b|\bto\s+be\s+held\b|"
    r"\bahead\s+of|\bupcoming|\b(?:until|till))\b[^.;:!?\n]*$",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"[.;:!?\n।]|,\s+(?:who|which|when|after|as|while)\b", re.I)
_PAST_IN_CLAUSE = re.compile(r"\b(?:was|were|had|lasted|ended|remained|stayed|continued)\b", re.IGNORECASE)
# "China will respond, the ministry said on Tuesday": the weekday is the statement's, in the past.
_SAID_AFTER = re.compile(
    r"\b(?:said|told|announced|stated|added|confirmed|reported|met|held)\b", re.IGNORECASE
)
_HI_CLAUSE_END = re.compile(r"[।|.?!,;:\n]")
_HI_FUTURE = re.compile(
    r"(?:[ेोंएओ]|ें|ों|ूं|ूँ)(?:गा|गी|गे)$|^(?:होनी|होना|करनी|जानी)$|^(?:वाला|वाली|वाले)$|^प्रस्तावित$|^निर्धारित$"
)
_HI_PAST_AFTER = re.compile(
    r"\s*(?:को\s+)?(?:हुई|हुए|हुआ|हुईं|की\s+गई|किया|की|गई|गए|गया)"
    r"(?![\u0900-\u0963\u0966-\u097F])"
)


def _future(m: re.Match[str]) -> bool:
    """Whether the weekday in `m` is in a clause about what is to come (then it is the next such day)."""
    text = m.string
    if _DEVANAGARI.search(m.group("wd")):
        after = text[m.end() :]
        if _HI_PAST_AFTER.match(after):  # "सोमवार को हुई बैठक": a participle of what happened
            return False
        clause = _HI_CLAUSE_END.split(after, 1)[0]
        # up to the next weekday: "सोमवार को हुई बैठक के बाद बुधवार को मिलेंगे" is about Wednesday
        words = re.split(r"\s+", clause.strip())[:12]
        for i, word in enumerate(words):
            if word.endswith("वार") and i > 0:
                words = words[:i]
                break
        return any(_HI_FUTURE.search(w.strip("\u200c\u200d")) for w in words[-3:])
    start = max(0, m.start() - 80)
    before = text[start : m.start()]
    cuts = list(_CLAUSE_START.finditer(before))
    clause = before[cuts[-1].end() :] if cuts else before
    found = _FUTURE_BEFORE.search(clause)
    if not found:
        return False
    if found.group("w").lower() in ("until", "till") and _PAST_IN_CLAUSE.search(clause):
        return False  # "the talks lasted until Sunday"
    return not _SAID_AFTER.search(clause, found.end("w"))


def _infer_year(month: int, day: int | None, ref: Reference | None) -> int | None:
    """The year of a yearless date: the reference's, or the one before when that would be > 6 months ahead."""
    if ref is None:
        return None
    if ref.day is None:  # only a day of a month printed with its year ("September 12" by "September 2024")
        return dict(ref.month_years).get(month) if day is not None else None
    year = ref.day.year
    if ref.from_publication:
        candidate = date(year, month, min(day or 1, 28))
        if candidate > ref.day + timedelta(days=183):
            year -= 1
    return year


# ---------------------------------------------------------------------------------------------- patterns
Handler = Callable[[re.Match[str], Reference | None], list[tuple[int, int, str, str]]]


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], Handler, bool, str]]:
    """(pattern, handler, absolute) in priority order; a later pattern never overlaps an earlier match."""
    en_months, hi_months, en_days, hi_days = _vocabulary()
    full_en = {w: n for w, n in en_months.items() if len(w) > 3 or w == "May"}
    MON = rf"(?P<mon>{_alt(en_months)})\.?"  # noqa: N806
    MONF = rf"(?P<mon>{_alt(full_en)})"  # noqa: N806  (full names only where a bare name could be a word)
    HMON = rf"(?P<mon>{_alt(hi_months)})"  # noqa: N806
    ORD = r"(?:st|nd|rd|th)?"  # noqa: N806
    HB = r"(?![\u0900-\u0963\u0966-\u097F])"  # noqa: N806  end of a Devanagari word
    en_m = lambda m: en_months[m.group("mon").rstrip(".").capitalize()]  # noqa: E731
    hi_m = lambda m: hi_months[m.group("mon")]  # noqa: E731

    def full(month_of):
        def handle(m, ref):
            value = _day(int(m.group("y")), month_of(m), int(m.group("d")))
            return [(m.start(), m.end(), value, "day")] if value else []

        return handle

    def iso(m, ref):
        value = _day(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return [(m.start(), m.end(), value, "day")] if value else []

    def day_range(month_of):
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

    def month_year(month_of):
        def handle(m, ref):
            y, mon = int(m.group("y")), month_of(m)
            return [(m.start(), m.end(), f"{y:04d}-{mon:02d}", "month")]

        return handle

    def month_pair(m, ref):
        y = int(m.group("y"))
        first = en_months[m.group("mon1").capitalize()]
        second = en_months[m.group("mon").capitalize()]
        return [
            (m.start("mon1"), m.end("mon1"), f"{y:04d}-{first:02d}", "month"),
            (m.start("mon"), m.end(), f"{y:04d}-{second:02d}", "month"),
        ]

    def yearless_day(month_of):
        def handle(m, ref):
            if ref is not None and ref.day is None and _RELATIVE_YEAR_AFTER.match(m.string, m.end()):
                return []  # "April 12 last year": the year printed with April elsewhere is not this one
            mon, d = month_of(m), int(m.group("d"))
            y = _infer_year(mon, d, ref)
            value = _day(y, mon, d) if y else None
            return [(m.start(), m.end(), value, "day")] if value else []

        return handle

    def yearless_month(month_of):
        def handle(m, ref):
            mon = month_of(m)
            y = _infer_year(mon, None, ref)
            return [(m.start("mon"), m.end("mon"), f"{y:04d}-{mon:02d}", "month")] if y else []

        return handle

    rel_year = {"last": -1, "previous": -1, "this": 0, "next": 1, "पिछले": -1, "गत": -1, "इस": 0, "अगले": 1}

    def month_relative_year(month_of):
        def handle(m, ref):
            if ref is None or ref.day is None:
                return []
            y = ref.day.year + rel_year[m.group("rel").lower()]
            return [(m.start(), m.end(), f"{y:04d}-{month_of(m):02d}", "month")]

        return handle

    def relative_month(month_of):
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

    def relative_unit(m, ref):
        if ref is None or ref.day is None:
            return []
        offset = rel_year[m.group("rel").lower()]
        unit = m.group("unit").lower()
        if unit in ("year", "वर्ष", "साल"):
            return [(m.start(), m.end(), f"{ref.day.year + offset:04d}", "year")]
        y, mon = _shift_month(ref.day, offset)
        return [(m.start(), m.end(), f"{y:04d}-{mon:02d}", "month")]

    def ago(m, ref):
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

    def holiday(m, ref):
        """A fixed-date national day or festival ("on New Year's Day", "गणतंत्र दिवस पर"): border
        personnel meetings and ceremonies are reported by the day's name. Another country's day
        ("Pakistan's Independence Day") is not India's."""
        if re.search(
            r"(?:'s|’s|\b(?:Chinese|Pakistani|Bangladeshi|Nepali|American|US|China|Pakistan))\s+$",
            m.string[max(0, m.start() - 14) : m.start()],
        ):
            return []
        mon, d = _HOLIDAYS[_holiday_key(m.group("h"))]
        y = int(m.group("y")) if m.groupdict().get("y") else _infer_year(mon, d, ref)
        value = _day(y, mon, d) if y else None
        return [(m.start("h"), m.end(), value, "day")] if value else []

    day_words = {"yesterday": -1, "today": 0, "tomorrow": 1, "आज": 0}

    def day_word(m, ref):
        if ref is None or ref.day is None:
            return []
        return [
            (
                m.start(),
                m.end(),
                (ref.day + timedelta(days=day_words[m.group("w").lower()])).isoformat(),
                "day",
            )
        ]

    def weekday(days):
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

    def year(m, ref):
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

    en_rel = r"(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]revious)"
    table: list[tuple[str, Handler, bool, str]] = [  # (pattern, handler, absolute, script it needs)
        (
            rf"\b{MON}\s+(?P<d>\d{{1,2}}){ORD}(?:\s*[-–]\s*|\s+(?:to|and)\s+)(?P<d2>\d{{1,2}}){ORD}(?:,?\s+(?P<y>\d{{4}}))?(?![\d:])",
            day_range(en_m),
            True,
            "en",
        ),
        (
            rf"(?<!\d)(?P<d>\d{{1,2}}){ORD}(?:\s*[-–]\s*|\s+(?:to|and)\s+)(?P<d2>\d{{1,2}}){ORD}\s+(?:of\s+)?{MON}(?:,?\s+(?P<y>\d{{4}}))?(?![\d:])",
            day_range(en_m),
            True,
            "en",
        ),
        (
            rf"(?<!\d)(?P<d>\d{{1,2}})(?:\s*(?:[-–]|से)\s*|\s+(?:और|व|तथा)\s+)(?P<d2>\d{{1,2}})\s+{HMON}(?:,?\s+(?P<y>\d{{4}}))?{HB}(?!\s*\d)",
            day_range(hi_m),
            True,
            "hi",
        ),
        (r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)", iso, True, "any"),
        (rf"(?<!\d)(?P<d>\d{{1,2}}){ORD}\s+(?:of\s+)?{MON},?\s+(?P<y>\d{{4}})(?!\d)", full(en_m), True, "en"),
        (rf"\b{MON}\s+(?P<d>\d{{1,2}}){ORD},?\s+(?P<y>\d{{4}})(?!\d)", full(en_m), True, "en"),
        (rf"(?<!\d)(?P<d>\d{{1,2}})\s+{HMON},?\s+(?P<y>\d{{4}})(?!\d)", full(hi_m), True, "hi"),
        (
            rf"\b(?P<mon1>{_alt(full_en)})(?:\s+(?:and|or|to)\s+|\s*[-–]\s*){MONF},?\s+(?P<y>\d{{4}})(?!\d)",
            month_pair,
            False,
            "en",
        ),
        (rf"\b{MON},?\s+(?P<y>\d{{4}})(?!\d)", month_year(en_m), False, "en"),
        (rf"{HMON},?\s+(?P<y>\d{{4}})(?!\d)", month_year(hi_m), False, "hi"),
        (rf"\b{MONF}\s+{en_rel}\s+year\b", month_relative_year(en_m), False, "en"),
        (rf"\b{en_rel}\s+{MONF}\b", relative_month(en_m), False, "en"),
        (
            rf"(?P<rel>पिछले|इस|अगले|गत)\s+(?:वर्ष|साल)\s+(?:(?:के|की)\s+)?(?:(?:शुरू|अंत|आखिर)\s+(?:में|के)\s+)?{HMON}{HB}",
            month_relative_year(hi_m),
            False,
            "hi",
        ),
        (rf"(?<!\d)(?P<d>\d{{1,2}}){ORD}\s+(?:of\s+)?{MON}(?![A-Za-z])", yearless_day(en_m), False, "en"),
        (rf"\b{MON}\s+(?P<d>\d{{1,2}}){ORD}(?![\d:])", yearless_day(en_m), False, "en"),
        (rf"(?<!\d)(?P<d>\d{{1,2}})\s+{HMON}{HB}", yearless_day(hi_m), False, "hi"),
        (
            rf"\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Ff]rom|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?|end of|beginning of)\s+{MONF}\b",
            yearless_month(en_m),
            False,
            "en",
        ),
        (rf"{HMON}\s+(?=में|महीने)", yearless_month(hi_m), False, "hi"),
        (
            rf"\b(?:(?:[Ee]arly|[Ll]ate|[Mm]id-?|[Ee]arlier|[Ll]ater)\s+)?{en_rel}\s+(?P<unit>month|year)\b",
            relative_unit,
            False,
            "en",
        ),
        (r"(?P<rel>पिछले|इस|अगले|गत)\s+(?P<unit>वर्ष|साल|महीने|माह)" + HB, relative_unit, False, "hi"),
        (r"\b(?P<n>\d{1,2}|[A-Za-z]+)\s+(?P<unit>days|months|years)\s+ago\b", ago, False, "en"),
        (r"(?P<n>\d{1,2}|[\u0900-\u097F]+)\s+(?P<unit>दिन|महीने|साल|वर्ष)\s+पहले" + HB, ago, False, "hi"),
        (
            rf"\b(?P<h>{_alt(k for k in _HOLIDAYS if not _DEVANAGARI.search(k))})(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?(?![\w\d])",
            holiday,
            False,
            "en",
        ),
        (
            rf"(?<![\u0900-\u0963\u0966-\u097F])(?P<h>{_alt(k for k in _HOLIDAYS if _DEVANAGARI.search(k))})"
            rf"(?:\s+(?P<y>(?:19|20)\d{{2}}))?{HB}(?=\s*(?:के\s+(?:दिन|मौके|अवसर)|पर|को))",
            holiday,
            False,
            "hi",
        ),
        (r"\b(?P<w>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b", day_word, False, "en"),
        (r"(?<![\u0900-\u0963\u0966-\u097F])(?P<w>आज)" + HB, day_word, False, "hi"),
        (
            rf"\b(?:(?P<rel>[Oo]n|[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?P<wd>{_alt(en_days)})\b",
            weekday(en_days),
            False,
            "en",
        ),
        (
            rf"(?P<rel>)(?<![\u0900-\u0963\u0966-\u097F])(?P<wd>{_alt(hi_days)})(?:\s+को|(?=\s+(?:की|के|से|तक|देर|शाम|सुबह|रात|दोपहर)"
            rf"{HB}))",
            weekday(hi_days),
            False,
            "hi",
        ),
        (r"(?<![\w₹$£€.,/])(?P<y>(?:19|20)\d{2})(?![\d,]\d|\.\d|s\b|\d|वें|th\b)", year, False, "any"),
    ]
    return [(re.compile(p), h, absolute, script) for p, h, absolute, script in table]


_LATIN_WORD = re.compile(r"[A-Za-z]{3}")
_PREFILTER = re.compile(
    r"\d|[A-Z][a-z]+day\b|\b(?:last|this|next|previous|ago|today|yesterday|tomorrow)\b|"
    r"New Year|Christmas|Republic Day|Independence Day|"
    r"पिछले|इस|अगले|गत|आज|वार\s|नए साल|नव\s?वर्ष|दिवस",
    re.IGNORECASE,
)


def find_dates(text: str, ref: Reference | None, *, absolute_only: bool = False) -> list[Mention]:
    """Every date mention in `text`, resolved against `ref` where needed, in text order."""
    # One article's text is read several times (its reference, its mentions, its event days: in the
    # dates and the stories stage); the mentions are immutable, so the last few texts are remembered.
    from pipeline import entities  # names-as-dates need the gazetteer: a reloaded one is a new key

    return list(_find_dates(text, ref, absolute_only, id(entities.gazetteer())))


@lru_cache(maxsize=32)
def _find_dates(
    text: str, ref: Reference | None, absolute_only: bool, _gazetteer: int
) -> tuple[Mention, ...]:
    if not text or not _PREFILTER.search(text):
        return ()
    has_hindi = bool(_DEVANAGARI.search(text))
    work = text.translate(_HI_NUMBERS) if has_hindi else text
    scripts = {"any", "en"} | ({"hi"} if has_hindi else set())
    if has_hindi and not _LATIN_WORD.search(text):
        scripts.discard("en")
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for pattern, handler, absolute, script in _patterns():
        if script not in scripts or (absolute_only and not absolute):
            continue
        for m in pattern.finditer(work):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            results = handler(m, ref)
            if results:
                taken.append((m.start(), m.end()))
            for s, e, value, granularity in results:
                found.append(Mention(s, e, text[s:e].strip(), value, granularity))
    found.sort(key=lambda x: x.start)
    return tuple(_outside_names(text, found))


# A month or weekday word may be part of a person's name ("Dong Jun", "ली जून", "April Lee"). Mentions
# that start with a word (not a number) right after a name-like word are checked against the names the
# entities stage finds (gazetteer people, title + name); the check runs only then, as it costs a pass.
_LEAD_WORD = re.compile(
    r"(?i:on|in|last|this|next|previous|since|until|till|by|from|during|early|late|mid|end|"
    r"beginning|earlier|later|yesterday|today|tomorrow)\b|पिछले|इस|अगले|गत|आज"
)
_WORD_BEFORE = re.compile(r"(?:[A-Z][\w'’.-]*|[\u0900-\u0963\u0966-\u097F]+)[ \t\u00A0]+$")


def _outside_names(text: str, found: list[Mention]) -> list[Mention]:
    from pipeline import entities  # the entities stage does not import this one

    suspect = False
    for m in found:
        if m.text[:1].isdigit() or _LEAD_WORD.match(m.text):
            continue  # "15 June", "on Monday", "पिछले साल": the month word is not next to a preceding name
        before = _WORD_BEFORE.search(text, max(0, m.start - 30), m.start)
        if before and entities.normalise_token(before.group().split()[-1]) not in entities.HI_FUNCTION_WORDS:
            suspect = True
            break
    if not suspect:
        return found
    spans = entities.person_spans(text)
    return [m for m in found if not any(s < m.end and m.start < e for s, e in spans)]


def latest_full_date(text: str) -> date | None:
    """The latest date with day, month and year printed in `text` (a lower bound on its publication)."""
    best = None
    for mention in find_dates(text, None, absolute_only=True):
        if mention.granularity == "day":
            d = date.fromisoformat(mention.value)
            best = d if best is None or d > best else best
    return best


# A year after one of these is a deadline or a plan ("by 2030", "2030 तक"), not something that happened.
_PLAN_BEFORE = re.compile(
    r"(?:\bby|\btill|\buntil|\btarget|\bvision|\bbefore)\s+(?:the\s+)?(?:end\s+of\s+)?$", re.I
)
_PLAN_AFTER = re.compile(r"\s*(?:तक|के\s+लक्ष्य)")


def text_reference(text: str) -> date | None:
    """A reference date read from the text alone (no publication date, no fetch time), or None.

    The latest full date (day, month, year) printed, but only when no later year is printed anywhere
    (as "August 2023", "in 2023", "2023 में"; deadlines such as "by 2030" do not count): a report of
    talks in August 2023 that recalls "June 15, 2020" prints 2023 somewhere, and then 2020 is a
    recalled event, not the time of the report, so there is no reference rather than a wrong one.
    A year alone is never a reference (the day and month of the report would be guessed)."""
    best = latest_full_date(text)
    if best is None:
        return None
    for mention in find_dates(text, None):
        year = int(mention.value[:4])
        if year <= best.year:
            continue
        before = text[max(0, mention.start - 20) : mention.start]
        if mention.granularity == "year" and (
            _PLAN_BEFORE.search(before) or _PLAN_AFTER.match(text, mention.end)
        ):
            continue
        return None
    return best


def _month_years(text: str) -> Reference | None:
    """Without any reference day: the months the text prints with exactly one year ("the talks in
    September 2024 ... on September 12" -> September 12, 2024), or None when there are none."""
    years: dict[int, set[int]] = {}
    for mention in find_dates(text, None):
        if mention.granularity in ("day", "month"):
            years.setdefault(int(mention.value[5:7]), set()).add(int(mention.value[:4]))
    found = tuple(sorted((mon, ys.pop()) for mon, ys in years.items() if len(ys) == 1))
    return Reference(None, False, found) if found else None


def _fetched_time(fetched_at: str | None) -> datetime | None:
    """The fetch time as an aware datetime (a naive one is UTC, as the fetcher writes it), or None."""
    if not fetched_at:
        return None
    try:
        seen = datetime.fromisoformat(fetched_at.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return seen if seen.tzinfo else seen.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------------------- published
_TZ_NAMES = {"IST": "+0530", "GMT": "+0000", "UTC": "+0000", "UT": "+0000"}
_LABEL = re.compile(
    r"^(?:(?:published|updated|last updated|first published|posted)(?:\s+on)?|"
    r"(?:प्रकाशित|अपडेटेड|अपडेट|प्रकाशन)(?:\s+तिथि)?)\s*:?\s*",
    re.I,
)
_TZ_WORD = re.compile(r"\(?\b(IST|GMT|UTC|UT)\b\)?")
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
    parsed = dateparser.parse(
        fixed, languages=["en", "hi"], settings={**settings, "RETURN_AS_TIMEZONE_AWARE": zoned}
    )
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=IST)
    offset = parsed.utcoffset()
    return parsed.replace(tzinfo=timezone(offset) if offset is not None else IST)


# Outlets that publish on India's clock although their domain is not .in: an instant they print in
# UTC or another zone is moved to IST so that its day is the outlet's own day.
INDIAN_OUTLETS = frozenset(
    "hindustantimes.com ndtv.com thehindu.com indiatimes.com indianexpress.com news18.com livemint.com amarujala.com "
    "bhaskar.com jagran.com livehindustan.com patrika.com abplive.com zeenews.com india.com deccanherald.com "
    "tribuneindia.com business-standard.com firstpost.com moneycontrol.com financialexpress.com outlookindia.com "
    "deccanchronicle.com telegraphindia.com newindianexpress.com thehindubusinessline.com wionews.com "
    "republicworld.com thequint.com economictimes.com navbharattimes.com".split()
)


def indian_outlet(article: Article) -> bool:
    """Whether the article comes from an Indian outlet: a .in domain, a known Indian outlet, or Hindi."""
    source = (article.source or "").lower()
    return source.endswith(".in") or source in INDIAN_OUTLETS or article.language == "hi"


def local_published(article: Article) -> datetime | None:
    """`published` parsed, in the outlet's own offset: as printed for a foreign outlet, IST for an Indian one
    (whose pages often print UTC: 20:00Z on Dec 31 is Jan 1 in the newsroom)."""
    parsed = parse_published(article.published)
    if parsed is not None and indian_outlet(article) and parsed.utcoffset() != IST.utcoffset(None):
        parsed = parsed.astimezone(IST)
    return parsed


# A publication date later than the fetch (or now) by more than this is not believed: a wrong year, a
# scheduled post or a hostile feed would otherwise sort first in every "latest" view for years. The
# fetch time is used instead, `published_at_source` says "fetched", and `published` keeps what was printed.
MAX_FUTURE_SKEW = timedelta(days=1)


def _not_in_future(published_at: datetime | None, fetched_at: str | None) -> tuple[datetime | None, bool]:
    """`published_at`, or the fetch time when it lies too far in the future; and whether it was clamped."""
    if published_at is None:
        return None, False
    seen = None
    if fetched_at:
        try:
            seen = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
        except ValueError:
            seen = None
    if seen is None or seen.tzinfo is None:
        seen = datetime.now(UTC)
    if published_at > seen + MAX_FUTURE_SKEW:
        return seen, True
    return published_at, False


# ---------------------------------------------------------------------------------------------- event day
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


def normalise(article: Article) -> Article:
    """Set `published_at`, `dates` and the reference date relative dates were resolved against."""
    # The offset kept is the outlet's, so that `published_at[:10]` (story_date, the reference day) is its day.
    published_at, clamped = _not_in_future(local_published(article), article.fetched_at)
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
    for mention in find_dates(text, ref):
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
