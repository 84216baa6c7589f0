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
there is none, the latest full date (day, month and year) the text itself prints. The reference used is
recorded (`date_reference`, `date_reference_source`); with no reference at all, relative and yearless
mentions are left out rather than resolved against today.
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
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Spellings Hindi outlets use that dateparser's locale does not list.
_HI_EXTRA = {"february": ["फरवरी"], "april": ["अप्रेल"], "october": ["अक्टूबर", "अक्तूबर"], "august": ["अगस्‍त"]}
_HI_NUMBERS = str.maketrans("०१२३४५६७८९", "0123456789")
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split())}
_NUMBER_WORDS.update({"a": 1, "an": 1, "few": 3, "twenty": 20, "thirty": 30})
_HI_NUMBER_WORDS = {"एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "सात": 7, "आठ": 8, "नौ": 9,
                    "दस": 10}
# A four-digit number followed by one of these counts things; it is not a year.
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|per ?cent|troops|soldiers|personnel|people|km|kms|kilomet|metres|meters|m\b|ft\b|feet|crore|lakh|"
    r"million|billion|tonnes|tons|MW|units|cases|votes|runs|sq|hectares|acres|किमी|किलोमीटर|सैनिक|करोड़|लाख|मीटर|लोग)",
    re.IGNORECASE,
)
_NOT_YEAR_BEFORE = re.compile(r"(?:Rs\.?|INR|USD|US\$|\$|₹|€|£|No\.?|number|G|Class|Rule|Section|Article)\s*$", re.IGNORECASE)


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
    day: date
    from_publication: bool  # False: inferred from the text, so only a lower bound on the publication date


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


# ---------------------------------------------------------------------------------------------- resolution
def _day(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _shift_month(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + (d.month - 1) + months
    return index // 12, index % 12 + 1


# Future tense right next to a weekday: "will meet on Friday", "शुक्रवार को होगा".
_FUTURE_BEFORE = re.compile(r"\bwill\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
_FUTURE_AFTER = re.compile(r"\s*को\s+(?:[\u0900-\u097F]+\s+){0,3}?(?:होगा|होगी|होंगे|होगें|जाएगा|जाएगी|जाएंगे|करेगा|करेगी|करेंगे|मिलेंगे)"
                           r"(?![\u0900-\u0963\u0966-\u097F])")


def _future(m: re.Match[str]) -> bool:
    """Whether the weekday in `m` is in a future-tense clause (then it is the next such day)."""
    text = m.string
    before = text[max(0, m.start() - 40):m.start()]
    return bool(_FUTURE_BEFORE.search(before) or _FUTURE_AFTER.match(text, m.end() - 3 if text[m.end() - 3:m.end()] == " को"
                                                                      else m.end()))


def _infer_year(month: int, day: int | None, ref: Reference | None) -> int | None:
    """The year of a yearless date: the reference's, or the one before when that would be > 6 months ahead."""
    if ref is None:
        return None
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
        """"February 17 to 20, 2025", "18-19 November", "17-20 फरवरी": both ends, each a day."""
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
        return [(m.start("mon1"), m.end("mon1"), f"{y:04d}-{first:02d}", "month"),
                (m.start("mon"), m.end(), f"{y:04d}-{second:02d}", "month")]

    def yearless_day(month_of):
        def handle(m, ref):
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
            if ref is None:
                return []
            y = ref.day.year + rel_year[m.group("rel").lower()]
            return [(m.start(), m.end(), f"{y:04d}-{month_of(m):02d}", "month")]
        return handle

    def relative_month(month_of):
        """'last October' said in February 2025 is October 2024; 'next March' said in May is next year's."""
        def handle(m, ref):
            if ref is None:
                return []
            mon, rel, y = month_of(m), m.group("rel").lower(), ref.day.year
            if rel in ("last", "previous") and mon >= ref.day.month:
                y -= 1
            elif rel == "next" and mon <= ref.day.month:
                y += 1
            return [(m.start(), m.end(), f"{y:04d}-{mon:02d}", "month")]
        return handle

    def relative_unit(m, ref):
        if ref is None:
            return []
        offset = rel_year[m.group("rel").lower()]
        unit = m.group("unit").lower()
        if unit in ("year", "वर्ष", "साल"):
            return [(m.start(), m.end(), f"{ref.day.year + offset:04d}", "year")]
        y, mon = _shift_month(ref.day, offset)
        return [(m.start(), m.end(), f"{y:04d}-{mon:02d}", "month")]

    def ago(m, ref):
        if ref is None:
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

    day_words = {"yesterday": -1, "today": 0, "tomorrow": 1, "आज": 0}

    def day_word(m, ref):
        if ref is None:
            return []
        return [(m.start(), m.end(), (ref.day + timedelta(days=day_words[m.group("w").lower()])).isoformat(), "day")]

    def weekday(days):
        def handle(m, ref):
            if ref is None:
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
        before = text[max(0, m.start() - 12):m.start()]
        if before.endswith("-") and not re.search(r"(?:pre|post|mid|late|early)-$", before, re.I):
            return []
        if _NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(text, m.end()):
            return []
        if ref is not None and y > ref.day.year + 10:
            return []
        return [(m.start(), m.end(), f"{y:04d}", "year")]

    en_rel = r"(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]revious)"
    table: list[tuple[str, Handler, bool, str]] = [  # (pattern, handler, absolute, script it needs)
        (rf"\b{MON}\s+(?P<d>\d{{1,2}}){ORD}(?:\s*[-–]\s*|\s+(?:to|and)\s+)(?P<d2>\d{{1,2}}){ORD}(?:,?\s+(?P<y>\d{{4}}))?(?![\d:])",
         day_range(en_m), True, "en"),
        (rf"(?<!\d)(?P<d>\d{{1,2}}){ORD}(?:\s*[-–]\s*|\s+(?:to|and)\s+)(?P<d2>\d{{1,2}}){ORD}\s+(?:of\s+)?{MON}(?:,?\s+(?P<y>\d{{4}}))?(?![\d:])",
         day_range(en_m), True, "en"),
        (rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?:[-–]|से)\s*(?P<d2>\d{{1,2}})\s+{HMON}(?:,?\s+(?P<y>\d{{4}}))?{HB}(?!\s*\d)",
         day_range(hi_m), True, "hi"),
        (r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)", iso, True, "any"),
        (rf"(?<!\d)(?P<d>\d{{1,2}}){ORD}\s+(?:of\s+)?{MON},?\s+(?P<y>\d{{4}})(?!\d)", full(en_m), True, "en"),
        (rf"\b{MON}\s+(?P<d>\d{{1,2}}){ORD},?\s+(?P<y>\d{{4}})(?!\d)", full(en_m), True, "en"),
        (rf"(?<!\d)(?P<d>\d{{1,2}})\s+{HMON},?\s+(?P<y>\d{{4}})(?!\d)", full(hi_m), True, "hi"),
        (rf"\b(?P<mon1>{_alt(full_en)})(?:\s+(?:and|or|to)\s+|\s*[-–]\s*){MONF},?\s+(?P<y>\d{{4}})(?!\d)", month_pair, False, "en"),
        (rf"\b{MON},?\s+(?P<y>\d{{4}})(?!\d)", month_year(en_m), False, "en"),
        (rf"{HMON},?\s+(?P<y>\d{{4}})(?!\d)", month_year(hi_m), False, "hi"),
        (rf"\b{MONF}\s+{en_rel}\s+year\b", month_relative_year(en_m), False, "en"),
        (rf"\b{en_rel}\s+{MONF}\b", relative_month(en_m), False, "en"),
        (rf"(?P<rel>पिछले|इस|अगले|गत)\s+(?:वर्ष|साल)\s+(?:(?:के|की)\s+)?(?:(?:शुरू|अंत|आखिर)\s+(?:में|के)\s+)?{HMON}{HB}",
         month_relative_year(hi_m), False, "hi"),
        (rf"(?<!\d)(?P<d>\d{{1,2}}){ORD}\s+(?:of\s+)?{MON}(?![A-Za-z])", yearless_day(en_m), False, "en"),
        (rf"\b{MON}\s+(?P<d>\d{{1,2}}){ORD}(?![\d:])", yearless_day(en_m), False, "en"),
        (rf"(?<!\d)(?P<d>\d{{1,2}})\s+{HMON}{HB}", yearless_day(hi_m), False, "hi"),
        (rf"\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Ff]rom|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?|end of|beginning of)\s+{MONF}\b",
         yearless_month(en_m), False, "en"),
        (rf"{HMON}\s+(?=में|महीने)", yearless_month(hi_m), False, "hi"),
        (rf"\b(?:(?:[Ee]arly|[Ll]ate|[Mm]id-?|[Ee]arlier|[Ll]ater)\s+)?{en_rel}\s+(?P<unit>month|year)\b", relative_unit, False,
         "en"),
        (r"(?P<rel>पिछले|इस|अगले|गत)\s+(?P<unit>वर्ष|साल|महीने|माह)" + HB, relative_unit, False, "hi"),
        (r"\b(?P<n>\d{1,2}|[A-Za-z]+)\s+(?P<unit>days|months|years)\s+ago\b", ago, False, "en"),
        (r"(?P<n>\d{1,2}|[\u0900-\u097F]+)\s+(?P<unit>दिन|महीने|साल|वर्ष)\s+पहले" + HB, ago, False, "hi"),
        (r"\b(?P<w>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b", day_word, False, "en"),
        (r"(?<![\u0900-\u0963\u0966-\u097F])(?P<w>आज)" + HB, day_word, False, "hi"),
        (rf"\b(?:(?P<rel>[Oo]n|[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?P<wd>{_alt(en_days)})\b", weekday(en_days), False, "en"),
        (rf"(?P<rel>)(?<![\u0900-\u0963\u0966-\u097F])(?P<wd>{_alt(hi_days)})\s+को", weekday(hi_days), False, "hi"),
        (r"(?<![\w₹$£€.,/])(?P<y>(?:19|20)\d{2})(?![\d,]\d|\.\d|s\b|\d|वें|th\b)", year, False, "any"),
    ]
    return [(re.compile(p), h, absolute, script) for p, h, absolute, script in table]


_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3}")
_PREFILTER = re.compile(r"\d|[A-Z][a-z]+day\b|\b(?:last|this|next|previous|ago|today|yesterday|tomorrow)\b|"
                        r"पिछले|इस|अगले|गत|आज|वार\s+को", re.IGNORECASE)


def find_dates(text: str, ref: Reference | None, *, absolute_only: bool = False) -> list[Mention]:
    """Every date mention in `text`, resolved against `ref` where needed, in text order."""
    if not text or not _PREFILTER.search(text):
        return []
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
    return _outside_names(text, found)


# A month or weekday word may be part of a person's name ("Dong Jun", "ली जून", "April Lee"). Mentions
# that start with a word (not a number) right after a name-like word are checked against the names the
# entities stage finds (gazetteer people, title + name); the check runs only then, as it costs a pass.
_LEAD_WORD = re.compile(r"(?i:on|in|last|this|next|previous|since|until|till|by|from|during|early|late|mid|end|"
                        r"beginning|earlier|later|yesterday|today|tomorrow)\b|पिछले|इस|अगले|गत|आज")
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


# ---------------------------------------------------------------------------------------------- published
_TZ_NAMES = {"IST": "+0530", "GMT": "+0000", "UTC": "+0000", "UT": "+0000"}
_LABEL = re.compile(r"^(?:published|updated|last updated|first published|posted)(?:\s+on)?\s*:?\s*", re.I)
_TZ_WORD = re.compile(r"\(?\b(IST|GMT|UTC|UT)\b\)?")
# TOI prints "Sun, 30Mar 2025 12:41:13 +0530" and "Mon, 31 Mar 202510:50:41 +0530".
_GLUED = re.compile(r"(?<=\d)(?=[A-Za-z])|(?<=[A-Za-z])(?=\d)|(?<=\s\d{4})(?=\d{1,2}:\d{2})")
# RFC 822 as feeds print it (email.utils would also accept, and misread, "Nov 20, 2024 10:04 PM IST").
_RFC822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s*[A-Za-z]{3}\s*\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[+-]\d{4}|GMT|UTC?|Z))?$")


@lru_cache(maxsize=8192)
def parse_published(value: str | None) -> datetime | None:
    """The publication instant printed as `value` (timezone-aware; no zone given -> IST), or None."""
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
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=IST)
    import dateparser

    fixed = _TZ_WORD.sub(lambda m: _TZ_NAMES[m.group(1)], _LABEL.sub("", s))  # dateparser would read IST as Israel time
    parsed = dateparser.parse(
        fixed,
        languages=["en", "hi"],
        settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "Asia/Kolkata", "DATE_ORDER": "DMY",
                  "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month", "day"]},
    )
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


def normalise(article: Article) -> Article:
    """Set `published_at`, `dates` and the reference date relative dates were resolved against."""
    published_at, clamped = _not_in_future(parse_published(article.published), article.fetched_at)
    text = f"{article.title or ''}\n{article.text or ''}" if article.title else (article.text or "")
    if published_at is not None:
        ref = Reference(published_at.date(), True)
        ref_source = "published_at"
    else:
        inferred = latest_full_date(text)
        ref = Reference(inferred, False) if inferred else None
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
        published_at_source=("fetched" if clamped else article.published_at_source) if published_at else None,
        dates=dates,
        date_reference=ref.day.isoformat() if ref else None,
        date_reference_source=ref_source,
    )
