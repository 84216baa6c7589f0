"""The linked matcher: gazetteer aliases found in the text, longest first, in one left-to-right pass
over the tokens; Devanagari spelling variants of multi-word aliases; weak aliases ("Singh", "सिंह")
resolved to the entity named in full, or a news agency's credit; bare-named ministries qualified by
another country. Unknown names are left to the title and open-world passes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.entities.gazetteer_index import ANCHOR_CUTOFF, MAX_ALIAS_TOKENS, Gazetteer
from pipeline.entities.romanise import phonetic_key
from pipeline.entities.text import Token, is_devanagari
from pipeline.entities.words import MONTHS_DAYS, NATIONALITIES


@dataclass
class Found:
    """One name mention: linked (`entity_id`), weak (`weak_candidates`) or unlinked (`unlinked_name`)."""

    start: int
    end: int
    surface: str
    entity_id: str | None = None  # gazetteer id, or None for an unlinked name
    weak_candidates: tuple[str, ...] = ()
    unlinked_name: str = ""
    unlinked_type: str = "person"
    dropped: bool = False  # a place name that turned out to be part of a person's name
    weak_type: bool = (
        False  # typed only by a preposition, a list or a naming verb (a surname rule may retype)
    )
    split_before_of: bool = False  # the part of a capitalised run before "of" ("the Elite Panel of ...")


def type_of(f: Found, gaz: Gazetteer) -> str | None:
    if f.entity_id:
        return gaz.entities[f.entity_id].type
    return f.unlinked_type if f.unlinked_name else None


def gap_ok(text: str, end: int, start: int, allow_dot: bool = False) -> bool:
    gap = text[end:start]
    return gap == " " or (allow_dot and gap in (". ", "."))


# What may separate the words of one alias in the text: "S. Jaishankar", "Meeting-Plus", "People's".
_ALIAS_GAP_RE = re.compile(r"[ \t\u00A0\-\u2010\u2011.'\u2019]{0,3}")


def _longest_alias(gaz: Gazetteer, text: str, tokens: list[Token], i: int) -> tuple[int, list | None]:
    """Last token and entries of the longest alias starting at token i (-1, None when there is none)."""
    best_j, best_entries = -1, None
    key: tuple[str, ...] = ()
    for j in range(i, min(len(tokens), i + MAX_ALIAS_TOKENS)):
        if j > i and not _ALIAS_GAP_RE.fullmatch(text, tokens[j - 1][2], tokens[j][1]):
            break  # an alias does not span a line, a bracket or a clause
        key = key + (tokens[j][0],)
        entries = gaz.phrases.get(key)
        if entries is not None:
            best_j, best_entries = j, entries
        if key not in gaz.prefixes:
            break
    return best_j, best_entries


def gazetteer_pass(gaz: Gazetteer, text: str, tokens: list[Token]) -> tuple[list[Found], list[bool]]:
    """Every alias of the gazetteer in the text (the longest at each position) and the tokens taken."""
    found: list[Found] = []
    covered = [False] * len(tokens)
    i = 0
    while i < len(tokens):
        best_j, best_entries = _longest_alias(gaz, text, tokens, i)
        if best_entries is None:
            i += 1
            continue
        start, end = tokens[i][1], tokens[best_j][2]
        strong = [eid for eid, weak in best_entries if not weak]
        item = Found(start, end, text[start:end])
        if strong:
            item.entity_id = strong[0]
        else:
            item.weak_candidates = tuple(eid for eid, _ in best_entries)
        found.append(item)
        for k in range(i, best_j + 1):
            covered[k] = True
        i = best_j + 1
    return found, covered


def anchor_pass(gaz: Gazetteer, text: str, tokens: list[Token], covered: list[bool]) -> list[Found]:
    """Devanagari spelling variants of multi-word aliases whose first word matched exactly."""
    found = []
    for i, (tok, _start, _end) in enumerate(tokens):
        if covered[i] or tok not in gaz.anchors:
            continue
        best: tuple[float, int, str] | None = None
        for length, alias_pkey, eid in gaz.anchors[tok]:
            for span in {length - 1, length, length + 1}:
                j = i + span - 1
                if span < 2 or j >= len(tokens) or any(covered[i : j + 1]):
                    continue
                if not all(is_devanagari(t[0]) for t in tokens[i : j + 1]):
                    continue
                surface = text[tokens[i][1] : tokens[j][2]]
                score = fuzz.ratio(phonetic_key(surface), alias_pkey)
                if score >= ANCHOR_CUTOFF and (best is None or score > best[0]):
                    best = (score, j, eid)
        if best:
            _, j, eid = best
            found.append(Found(tokens[i][1], tokens[j][2], text[tokens[i][1] : tokens[j][2]], entity_id=eid))
            for k in range(i, j + 1):
                covered[k] = True
    return found


def one_word_matches(tokens: list[Token], matched: list[Found]) -> dict[int, Found]:
    """Token index -> one-word gazetteer match of a place or organisation there."""
    starts = {start: k for k, (_, start, _) in enumerate(tokens)}
    result = {}
    for f in matched:
        k = starts.get(f.start)
        if (
            k is not None
            and tokens[k][2] == f.end
            and (f.weak_candidates or f.entity_id and not f.entity_id.startswith("person/"))
        ):
            result[k] = f  # a place, an organisation or a weak alias ("Singh") may continue a name
    return result


_HOME_COUNTRY = "location/india"  # a ministry named without its country ("Defence Ministry") is India's
_HI_GENITIVE = {"के", "की", "का"}


def qualified_ministries(gaz: Gazetteer, text: str, found: list[Found]) -> None:
    """A ministry the gazetteer holds under its bare name ("विदेश मंत्रालय", "Defence Ministry") is India's
    only when no other country qualifies it: "भूटान के विदेश मंत्रालय", "Nepal's Defence Ministry" and
    "Nepalese Defence Ministry" are that country's ministry, kept unlinked."""
    by_end = {f.end: f for f in found if f.entity_id}
    for f in found:
        entity = gaz.entities.get(f.entity_id or "")
        if entity is None or getattr(entity, "kind", None) != "ministry":
            continue
        before = text[max(0, f.start - 40) : f.start]
        country = qualifier = None
        m = re.search(r"(\S+) $", before)
        if m and m.group(1) in _HI_GENITIVE:
            country = by_end.get(f.start - len(m.group()) - 1)
        elif before.endswith(("'s ", "’s ")):
            country = by_end.get(f.start - 3)
        elif before.endswith(" ") and not is_devanagari(f.surface) and f.start - 1 in by_end:
            country = by_end[f.start - 1]  # "Nepal Ministry of Home Affairs": the place is part of the name
            place = gaz.entities[country.entity_id]
            if place.type == "location" and place.id != _HOME_COUNTRY:
                country.dropped = True
                f.start = country.start
                f.surface = text[f.start : f.end]
                f.entity_id, f.unlinked_type, f.unlinked_name = None, "organization", f.surface
            continue
        elif m and m.group(1) in NATIONALITIES and m.group(1) != "Indian":
            qualifier = m.group(1)
        if country is not None:
            place = gaz.entities[country.entity_id]
            if place.type != "location" or place.id == _HOME_COUNTRY or place.name in entity.name:
                continue
            head = "Ministry of Foreign Affairs" if entity.id == "organization/mea" else entity.name
            f.entity_id, f.unlinked_type, f.unlinked_name = None, "organization", f"{head} of {place.name}"
        elif qualifier and qualifier not in entity.name and not any(qualifier in a for a in entity.aliases):
            f.start -= len(qualifier) + 1
            f.surface = text[f.start : f.end]
            f.entity_id, f.unlinked_type, f.unlinked_name = None, "organization", f.surface


MONTH_HI = (
    "(?:जनवरी|फरवरी|फ़रवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर)"
)
MONTH_HI_RE = re.compile(MONTH_HI)


def credit(gaz: Gazetteer, text: str, f: Found) -> str | None:
    """A news agency's weak alias as a credit: alone in brackets ("(भाषा)", "(AP)") or after a dash at the
    end of a line ("... – Bhasha"); the word alone ("भाषा", language) is not the agency."""
    agencies = [eid for eid in f.weak_candidates if getattr(gaz.entities[eid], "kind", None) == "agency"]
    if not agencies:
        return None
    before, after = text[max(0, f.start - 2) : f.start].strip(), text[f.end : f.end + 2].strip()
    bracketed = before.endswith("(") and after.startswith(")")
    if bracketed:  # a credit, not a short name after a name ("Andhra Pradesh (AP)")
        rest = text[f.end + 1 : f.end + 4].lstrip(" ")
        prior = text[max(0, f.start - 30) : f.start - 1].rstrip()
        last_word = prior.split()[-1] if prior.split() else ""
        bracketed = (
            not rest
            or rest[0] in "-–—:\n"
            or not prior
            or prior[-1] in ".।|!?\n:,"
            or last_word.isdigit()
            or last_word.rstrip(".") in MONTHS_DAYS
            or bool(MONTH_HI_RE.fullmatch(last_word))
        )
    line_end = text.find("\n", f.end)
    tail = text[f.end : len(text) if line_end < 0 else line_end].strip(" .)")
    credited = before[-1:] in ("-", "–", "—", "/") and not tail
    return agencies[0] if bracketed or credited else None


def resolve_weak(f: Found, strong_positions: dict[str, list[int]]) -> str | None:
    """The candidate named in full nearest before the weak mention (else nearest after), if any."""
    best: tuple[int, str] | None = None
    for eid in f.weak_candidates:
        for pos in strong_positions.get(eid, []):
            distance = f.start - pos if pos <= f.start else 10**9 + pos - f.start
            if best is None or distance < best[0]:
                best = (distance, eid)
    return best[1] if best else None
