"""Types of unlinked English names, from the context the open-world pass found them in: the head word
("... Airport", "... Party"), a title or role before ("spokesperson X"), an apposition after ("X, the
spokesperson"), a possessive before a role word ("Bhutan's foreign minister"), a preposition of place
(a weak cue), a list or an equation with a typed name ("Nepal, Bhutan and X", "A (X)"), a surname that
recurs alone ("Elon Musk ... Musk said"). A name with no cue stays untyped and is dropped."""

from __future__ import annotations

import re

from pipeline.entities.capitals import PINYIN_RE, qualifies_a_noun
from pipeline.entities.gazetteer_index import Gazetteer
from pipeline.entities.linked import Found, type_of
from pipeline.entities.words import (
    CHINESE_SURNAMES,
    EVENT_FIRST,
    EVENT_HEADS,
    GENERIC,
    LED_BY,
    LOC_FIRST,
    LOC_HEADS,
    LOWER_PLACE_KINDS,
    MEETING_FIRST,
    MOTION_BEFORE_TO,
    NAMING_WORDS,
    NATIONALITIES,
    NUMBERED_HEADS,
    ORG_FIRST,
    ORG_HEADS,
    PLACE_FIRST,
    PLACE_PREPS,
    PLACE_VERBS,
    POSSESSIVE_ROLES,
    ROLE_WORDS,
    SPEECH_VERBS,
    TWO_WORD_HEADS,
    zipf,
)

_ROLES = "|".join(sorted(ROLE_WORDS))
_APPOSITION_AFTER = re.compile(
    r",\s+(?:(?:the|a|an|his|her|its|their|who\s+is|now)\s+)?(?:[A-Za-z'’-]+\s+){0,4}?(?:"
    + _ROLES
    + r"|MLA|MP|MLC)\b(?!\s+said)"
    r"|,\s+(?:the\s+)?(?:(?:Deputy|Vice|Joint|Additional)\s+)?(?:Director|Secretary)[- ]General\s+of\b"
    r"|,\s+the\s+(?:Director|Chairman|Chairperson|Spokesperson|Ambassador|Head|President)\s+of\b"
)
_DESIGNATION_AFTER = re.compile(
    r" \((?:(?:Joint|Deputy|Additional|Vice|Under|Foreign|Defence|Chief|Principal)\s+)*(?:Secretary|Director|"
    r"Director-General|Minister|Ambassador|Spokesperson|Commander|Adviser|Advisor|Chairman|President|Governor)\b"
)
_WHO_AFTER = re.compile(
    r",\s+who\s+(?!(?:is|are|was|were)\s+(?:in|at|on|from)\b)"
)  # ", who heads ...": a person
_APPOSITION_BEFORE = re.compile(r"\b(?:" + _ROLES + r"),\s*$", re.IGNORECASE)


def _type_from_words(text: str, start: int, words: list[str]) -> str | None:
    """The type the words of the name give themselves: a head word, a first word, initials."""
    last, first = words[-1], words[0]
    if last.isdigit() and len(words) >= 2 and words[-2] in NUMBERED_HEADS:
        return "location"
    if len(words) >= 2 and tuple(words[-2:]) in TWO_WORD_HEADS:
        return TWO_WORD_HEADS[tuple(words[-2:])]
    if first in MEETING_FIRST and last == "Ministers" and "of" in words:
        return "event"
    if first in EVENT_FIRST and len(words) >= 3 and words[1] == "of":
        return "event"
    if len(words) >= 2:
        for heads, etype in ((LOC_HEADS, "location"), (ORG_HEADS, "organization"), (EVENT_HEADS, "event")):
            if last in heads:
                return etype
    if "of" in words and (first in ORG_FIRST or words[words.index("of") - 1] in ORG_HEADS):
        return "organization"
    if "for" in words and words[words.index("for") - 1] in ORG_HEADS:
        return "organization"  # "National Commission for Women"
    if "of" in words and first in LOC_FIRST or first in PLACE_FIRST and len(words) >= 2:
        return "location"
    if (
        len(words) >= 2
        and len(first) == 1
        and text[start + 1 : start + 2] == "."
        and len(last) > 1
        and last not in GENERIC
        and last not in NATIONALITIES
    ):
        return "person"  # "A.P. Sharma", "K. J. Singh": initials before a family name
    return None


def _role_before(before: str, prev_words: list[str], prev: str, words: list[str]) -> bool:
    """A role word, an apposition or "led by" right before the name: a person."""
    in_brackets = before.rfind("(") > before.rfind(")")  # "(Joint Secretary, East Asia)": a portfolio
    role = (
        prev.lower() in ROLE_WORDS and not prev[0].isupper() or prev in ("MP", "MLA", "MLC")
    )  # "Ladakh MP X"
    if role or _APPOSITION_BEFORE.search(before) and not in_brackets:
        return True
    if len(words) >= 2 and [w.lower() for w in prev_words[-2:]] == ["according", "to"]:
        return True  # "according to Tenzin Dorjee"
    # "led by X", "chaired by X": a person leads
    return prev == "by" and len(prev_words) >= 2 and prev_words[-2] in LED_BY and len(words) >= 2


def _role_after(after: str, before: str, words: list[str]) -> bool:
    """An apposition, a designation in brackets, ", who ..." or a verb of speech after the name."""
    if _APPOSITION_AFTER.match(after):
        return True
    if _DESIGNATION_AFTER.match(after) and len(words) >= 2:
        return True  # "Gourangalal Das (Joint Secretary, East Asia)"
    last = words[-1]
    if (
        _WHO_AFTER.match(after)
        and len(words) >= 2
        and not re.search(r"\bthe\s+$", before, re.IGNORECASE)
        and not (last.endswith("s") and zipf(last[:-1].lower(), "en") >= 3.0)
    ):
        return True  # not "The Rajasthan Royals, who": a team, a plural
    if (
        len(words) >= 2
        and before.rstrip().endswith(",")
        and re.match(r",\s+(?:said|says|told|added)\b", after)
    ):
        return True  # "The village headman, Tsering Angchuk, said": a name in apposition before speech
    next_word = re.match(r"\s+([a-z]+)", after)
    return bool(
        next_word and next_word.group(1) in SPEECH_VERBS and len(words) >= 2 and not after.startswith(",")
    )


def _place_cue(after: str, prev_words: list[str], prev: str, possessive: bool) -> str | None:
    """A kind word after, a possessive before a role word, a preposition of place before."""
    kind = re.match(r" ([a-z]+)\b", after)
    if kind and kind.group(1) in LOWER_PLACE_KINDS:
        return "location"  # "the Hotan prefecture", "Dibang Valley district"
    if possessive:
        role = re.match(r"[’']s\s+([A-Za-z]+)", after)
        if role and role.group(1).lower() in POSSESSIVE_ROLES:
            return "location"
    if possessive or after[:2] in ("' ", "’ "):
        owned = re.match(r"[’']s?\s+([A-Za-z]+)", after)
        if owned and owned.group(1).islower():
            return None  # "in Sanju Samson's absence": the preposition is about the thing owned
    if not prev:
        return None
    p = prev.lower()
    if p == "the" and len(prev_words) >= 2:
        p = prev_words[-2].lower()
        prev_words = prev_words[:-1]
        if qualifies_a_noun(after):
            return None  # "in the Nazi death camps": the capitalised word qualifies a noun
    if (
        (p in PLACE_PREPS or p in PLACE_VERBS)
        and prev == prev.lower()
        or p == "to"
        and len(prev_words) >= 2
        and prev_words[-2].lower() in MOTION_BEFORE_TO
    ):
        return "location?"
    if p in NAMING_WORDS:
        return "location?"
    return None


def latin_type(text: str, start: int, after: str, words: list[str], possessive: bool) -> str | None:
    """Type of a capitalised name from its head word, a title or role before it, an apposition, a
    possessive before a role word, or a preposition of place; None when nothing says. A type ending in
    "?" is a weak cue, which a list or a recurring surname may override."""
    etype = _type_from_words(text, start, words)
    if etype:
        return etype
    before = text[max(0, start - 40) : start]
    adjacent = re.search(r"(?:([A-Za-z'’]+) +)?([A-Za-z'’]+) +$", before)  # the words right before
    prev_words = [w for w in adjacent.groups() if w] if adjacent else []
    prev = prev_words[-1] if prev_words else ""
    if _role_before(before, prev_words, prev, words):
        return None if words[-1] in GENERIC else "person"
    if (
        len(words) in (2, 3)
        and words[0] in CHINESE_SURNAMES
        and all(PINYIN_RE.fullmatch(w.lower()) for w in words[1:])
    ):
        return "person"  # "Wang Lutong", "Zhang Xiaoming": a Chinese surname and a pinyin given name
    if _role_after(after, before, words):
        return None if words[-1] in GENERIC else "person"
    return _place_cue(after, prev_words, prev, possessive)


def type_by_surnames(text: str, candidates: list[Found], found: list[Found]) -> None:
    """A run of names whose last word recurs alone ("Elon Musk ... Musk said") is a person, and so is the
    lone word; this overrides the weak cues (a preposition: "from Pamela")."""
    multi = [c for c in candidates if " " in c.surface and (not c.unlinked_type or c.weak_type)]
    singles: dict[str, list[Found]] = {}
    for c in candidates:
        if " " not in c.surface and "-" not in c.surface:
            singles.setdefault(c.surface, []).append(c)
    people = {
        f.surface.split()[-1]: f
        for f in candidates + found
        if f.unlinked_type == "person" and f.unlinked_name and " " in f.surface and not f.weak_type
    }
    for c in multi:
        last = c.surface.split()[-1]
        if (
            any(w in GENERIC for w in c.surface.split())
            or zipf(last.lower(), "en") >= 4.0
            or (last.endswith("s") and zipf(last[:-1].lower(), "en") >= 3.0)
        ):
            continue  # "Tourism Australia", "Rajasthan Royals": a common word or a plural is no surname
        before_last = c.surface.split()[-2]
        if last in singles and any(
            o.start > c.start and not text[max(0, o.start - 40) : o.start].rstrip().endswith(before_last)
            for o in singles[last]
        ):
            c.unlinked_type, c.weak_type = "person", False
            people.setdefault(last, c)
    for word, lone in singles.items():
        person = people.get(word)
        if person is None:
            continue
        for c in lone:
            if c.start > person.start and (not c.unlinked_type or c.weak_type):
                c.unlinked_type, c.weak_type, c.unlinked_name = "person", False, person.unlinked_name


def _by_list(gaz: Gazetteer, text: str, c: Found, spans: dict[int, Found], starts: dict[int, Found]) -> bool:
    """Listed with a typed place or body before or after ("Nepal, Bhutan and X"): that type (weak)."""
    before = text[max(0, c.start - 12) : c.start]
    m = re.search(r"(?:,\s*|\s+and\s+(?:the\s+)?|\s+or\s+)$", before)
    if m and m.group().startswith(",") and re.match(r"\s+(?:from|in|at|of)\s", text[c.end : c.end + 6]):
        m = None  # "Iltaz from Delhi, Munawar from ...": a new item with its own place, not a list of places
    if m:
        other = spans.get(c.start - len(m.group()))
        if other is not None and not other.entity_id and qualifies_a_noun(text[c.end : c.end + 30]):
            other = None  # "Nubian and Kushite kingdoms": adjectives, not a list of places
        t = other and type_of(other, gaz)
        if t in ("location", "organization"):
            c.unlinked_type, c.weak_type = t, True
            return True
    m = re.match(r"(?:,\s*(?:and\s+)?|\s+and\s+(?:the\s+)?|\s+or\s+)", text[c.end : c.end + 12])
    if m:
        other = starts.get(c.end + len(m.group()))
        t = other and type_of(other, gaz)
        if t in ("location", "organization"):
            c.unlinked_type, c.weak_type = t, True
            return True
    return False


def _by_equation(
    gaz: Gazetteer, text: str, c: Found, spans: dict[int, Found], starts: dict[int, Found]
) -> None:
    """Another name of a typed one: "Arunachal Pradesh (Zangnan)", "Zangnan (Arunachal Pradesh)",
    "calls Arunachal Pradesh Zangnan"."""
    if (
        text[c.start - 1 : c.start] == "("
        and text[c.end : c.end + 1] == ")"
        and text[c.end + 1 : c.end + 4].strip()[:1] not in ("-", "—", "–", ":")
    ):  # not "BEIJING (Reuters) -"
        other = spans.get(c.start - 2) or spans.get(c.start - 1)
        t = other and type_of(other, gaz)
        if t == "organization" and other.entity_id and len(c.surface.split()) == 1:
            c.entity_id = other.entity_id  # "Defence Ministry (Raksha Mantralaya)": a known body's other name
            c.unlinked_type = t
            return
        if t:
            c.unlinked_type, c.weak_type = t, True
            return
    if text[c.end : c.end + 2] == " (":
        other = starts.get(c.end + 2)
        t = other and text[other.end : other.end + 1] == ")" and type_of(other, gaz)
        if t:
            c.unlinked_type, c.weak_type = t, True
            return
    other = spans.get(c.start - 1)
    if other and text[c.start - 1] == " ":
        head = re.search(r"\b([a-z]+)\s+$", text[max(0, other.start - 12) : other.start])
        if head and head.group(1) in NAMING_WORDS:
            c.unlinked_type, c.weak_type = type_of(other, gaz) or "", True


def type_by_neighbours(
    gaz: Gazetteer, text: str, candidates: list[Found], by_end: dict[int, Found], by_start: dict[int, Found]
) -> None:
    """Untyped names take the type of a name they are listed or equated with ("Nepal, Bhutan and X")."""
    spans = {**{f.end: f for f in candidates}, **by_end}
    starts = {**{f.start: f for f in candidates}, **by_start}
    for _ in range(2):
        typed = {o.surface: o for o in candidates if o.unlinked_type}
        for c in candidates:
            if c.unlinked_type:
                continue
            same = typed.get(c.surface)
            if same:
                c.unlinked_type = same.unlinked_type
                continue
            words = c.surface.split()
            last = typed.get(words[-1])
            if (
                len(words) >= 2
                and any(w in ORG_HEADS for w in words[:-1])
                and last
                and last.unlinked_type == "location"
            ):
                c.unlinked_type = (
                    "organization"  # "Border Guard Bangladesh", "Tourism Australia": a country's body
                )
                continue
            if not _by_list(gaz, text, c, spans, starts):
                _by_equation(gaz, text, c, spans, starts)
