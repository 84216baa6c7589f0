"""Datelines ("NEW DELHI, Dec 5 (PTI) –", "LEH:", "लेह, 5 दिसंबर (भाषा)"): the place opening a text or
a paragraph, matched case-insensitively against the gazetteer and kept as a place when unknown."""

from __future__ import annotations

import re

from pipeline.entities.gazetteer_index import FUZZY_CUTOFF, LATIN_FUZZY_CUTOFF, Gazetteer, fuzzy_link
from pipeline.entities.linked import MONTH_HI, Found
from pipeline.entities.romanise import romanize
from pipeline.entities.text import Token, is_devanagari
from pipeline.entities.words import GENERIC, HI_STOPS, MONTHS_DAYS, zipf

_MONTH_EN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# A dateline: the place opening the text or a paragraph, before a comma and a date or an agency credit
# ("NEW DELHI, Dec 5 (PTI) –", "Gangtok, March 3", "लेह, 5 दिसंबर (भाषा)"), or alone before a colon ("LEH:").
_DATELINE_RE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Za-z.'’]*(?:[ -][A-Z][A-Za-z.'’]*){0,3}"
    r"|[\u0900-\u097F]+(?: [\u0900-\u097F]+){0,2})"
    rf"(?=\s*,\s*(?:{_MONTH_EN}\s*\d{{1,2}}\b|\d{{1,2}}\s*(?:{_MONTH_EN}|{MONTH_HI})|\(|[A-Z][a-z]+day\b)"
    r"|\s*\((?:[A-Z]{2,5}|Reuters|Xinhua|Bloomberg|भाषा|वार्ता|[\u0900-\u097F]+)\)\s*[:–—-]|[ \t]*:)"
)


def datelines(text: str, tokens: list[Token]) -> list[tuple[int, int, bool]]:
    """Token ranges [i, j] of dateline places, and whether only a colon follows; their Latin keys are
    case-folded so that "NEW DELHI" and "LEH" match the gazetteer's "New Delhi" and "Leh" (capitals
    elsewhere only match acronyms)."""
    if not _DATELINE_RE.search(text):
        return []
    token_at = {s: k for k, (_, s, _) in enumerate(tokens)}
    ends = {e: k for k, (_, _, e) in enumerate(tokens)}
    spans = []
    for m in _DATELINE_RE.finditer(text):
        place = m.group("place").rstrip(".")
        start, end = m.start("place"), m.start("place") + len(place)
        i, j = token_at.get(start), ends.get(end)
        if i is None or j is None:
            continue
        colon = text[m.end() :].lstrip()[:1] == ":"
        if colon and not is_devanagari(place) and len(place.split()) > 1 and not place.isupper():
            continue  # "Also Read:", "Key Points:": a label in Title Case, not a place
        spans.append((i, j, colon and not re.match(r"\s*,", text[m.end() :])))
        for k in range(i, j + 1):
            key, s, e = tokens[k]
            if not is_devanagari(key):
                tokens[k] = (key.casefold(), s, e)
    return spans


def _dateline_name(tokens: list[Token], i: int, j: int, surface: str) -> str | None:
    """The name of an unknown dateline place, or None when its words are not a name."""
    words = surface.replace("-", " ").split()
    if is_devanagari(surface):
        if any(tokens[k][0] in HI_STOPS for k in range(i, j + 1)):
            return None
        return " ".join(w.capitalize() for w in romanize(surface).split())
    if any(w.capitalize() in MONTHS_DAYS or w.capitalize() in GENERIC for w in words):
        return None
    if all(zipf(w.lower(), "en") >= 4.0 for w in words):
        return None  # "UPDATE:", "NOTE:", "WATCH:": a label, not a place
    return " ".join(w.capitalize() if w.isupper() else w for w in words)


def dateline_places(
    text: str, tokens: list[Token], covered: list[bool], spans: list[tuple[int, int, bool]], gaz: Gazetteer
) -> list[Found]:
    """A dateline place the gazetteer does not hold is still a place (not a common word or a month)."""
    out = []
    for i, j, colon_only in spans:
        if any(covered[i : j + 1]):
            continue
        start, end = tokens[i][1], tokens[j][2]
        surface = text[start:end]
        name = _dateline_name(tokens, i, j, surface)
        if name is None:
            continue
        f = Found(start, end, surface, unlinked_name=name, unlinked_type="location")
        if colon_only and (is_devanagari(surface) or not surface.isupper()):
            continue  # "Adolescence: what teens think", "बैडमिंटन: ...": a title or a topic before a colon
        eid = fuzzy_link(gaz, name, LATIN_FUZZY_CUTOFF if not is_devanagari(surface) else FUZZY_CUTOFF)
        if eid and gaz.entities[eid].type == "location":
            f.entity_id = eid
        out.append(f)
        for k in range(i, j + 1):
            covered[k] = True
    return out
