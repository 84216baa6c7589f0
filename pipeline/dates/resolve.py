"""What a date mention is (`Mention`), what relative and yearless mentions are resolved against
(`Reference`), and the rules that resolve them: the year of a yearless date, whether a weekday is the
last or the next such day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.dates.vocabulary import _DEVANAGARI

# A date whose year is outside these is not one a report means ("0000-00-00", "31 December 9999");
# inside them, resolving relative dates against it stays within the calendar.
MENTION_YEARS = range(1000, 3000)


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
