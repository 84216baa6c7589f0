"""Finding date mentions in a text: the patterns in priority order, a later one never overlapping an
earlier match, and the month or weekday words that belong to a person's name left out; the
references read from the text alone (`latest_full_date`, `text_reference`, the months printed with a
year)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from pipeline.dates.patterns import _patterns
from pipeline.dates.resolve import MENTION_YEARS, Mention, Reference
from pipeline.dates.vocabulary import _DEVANAGARI, _HI_NUMBERS

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
                if int(value[:4]) in MENTION_YEARS:
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


_LINE = re.compile(r"[^\n]+")
_PIPE = re.compile(r"\s*\|\s*")
_HI_WEEKDAY = re.compile(r"[\u0900-\u097F]+वार,?\s+")


def publication_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines of `text` that only print when the article was published or updated
    ("Updated: Mar 12, 2025 10:04 IST", "Posted On: 12 MAR 2025 5:30PM by PIB Delhi", "By Staff
    Reporter | 12 March 2025 10:04 IST"): the clean stage takes such a line at the top as the
    publication date; elsewhere it is page furniture, and its date is not one the report mentions."""
    from pipeline.clean import _DATE_LINE  # the clean stage's date-line pattern: one definition

    spans = []
    for m in _LINE.finditer(text):
        line = m.group().strip()
        if not line or len(line) > 100 or not any(c.isdigit() for c in line):
            continue
        line = _HI_WEEKDAY.sub("", line)  # "प्रकाशित तिथि: बुधवार, 12 मार्च 2025"
        variants = (line, _PIPE.sub(" ", line), line.rsplit("|", 1)[-1].strip())
        if any(_DATE_LINE.match(v) for v in variants):
            spans.append((m.start(), m.end()))
    return spans
