"""Places named with a compass or position word before a place: "North Sikkim", "Upper Siang",
"उत्तरी सिक्किम", "निचली दिबांग घाटी" (a district or a valley, not the state or the river: a new place,
unlinked, named in English), and in Hindi a compass word before a rare name-like word ("पश्चिम
कामेंग"). Not before a generic entry (India, China) nor one the gazetteer holds with its compass word
("Eastern Ladakh", "पूर्वी लद्दाख" are matched first). A Hindi adjective before a known place and an area
noun says which part of it ("पश्चिमी लद्दाख क्षेत्र", the western Ladakh region: still Ladakh)."""

from __future__ import annotations

import re

from pipeline.entities.gazetteer_index import Gazetteer, fuzzy_link
from pipeline.entities.hindi_people import hi_name_evidence
from pipeline.entities.linked import Found, type_of
from pipeline.entities.romanise import display_name
from pipeline.entities.text import Token, fold_devanagari, is_devanagari
from pipeline.entities.words import (
    COMPASS_PREFIXES,
    HI_AREA_NOUNS,
    HI_COMPASS_ADJECTIVES,
    HI_COMPASS_PREFIXES,
    HI_STOPS,
    zipf,
)

_LATIN_BEFORE = re.compile(r"(?<![A-Za-z])([A-Z][a-z]+)$")
_DEVANAGARI_BEFORE = re.compile(r"(?<![\u0900-\u097F])([\u0900-\u097F]+)$")
_AREA_AFTER = re.compile(r" (?:" + "|".join(sorted(HI_AREA_NOUNS)) + r")(?![\u0900-\u097F])")
_HI_RARE_ZIPF = 3.0  # a word this rare in Hindi after a compass word is the name of a place


def _prefix(text: str, f: Found) -> tuple[int, str] | None:
    """Start and English word of a compass word right before mention f, if there is one."""
    if f.start < 2 or text[f.start - 1] != " ":
        return None
    before = text[max(0, f.start - 14) : f.start - 1]
    if is_devanagari(f.surface):
        m = _DEVANAGARI_BEFORE.search(before)
        word = m and fold_devanagari(m.group(1))
        english = m and HI_COMPASS_PREFIXES.get(word)
        area = _AREA_AFTER.match(text, f.end)  # "पश्चिमी लद्दाख क्षेत्र": a part of Ladakh
        if m and not english and not area:
            english = HI_COMPASS_ADJECTIVES.get(word)
    else:
        m = _LATIN_BEFORE.search(before)
        english = m and m.group(1) in COMPASS_PREFIXES and m.group(1)
    return (f.start - 1 - len(m.group(1)), english) if english else None


def compass_places(gaz: Gazetteer, text: str, found: list[Found]) -> list[Found]:
    """A compass word before a known or unlinked place names another place."""
    out = []
    for f in found:
        if f.dropped or type_of(f, gaz) != "location" or f.entity_id and gaz.entities[f.entity_id].generic:
            continue
        prefix = _prefix(text, f)
        if prefix is None:
            continue
        start, english = prefix
        place = gaz.entities[f.entity_id].name if f.entity_id else f.unlinked_name
        f.dropped = True
        out.append(
            Found(
                start,
                f.end,
                text[start : f.end],
                unlinked_name=f"{english} {place}",
                unlinked_type="location",
            )
        )
    return out


def hindi_compass_names(gaz: Gazetteer, text: str, tokens: list[Token], covered: list[bool]) -> list[Found]:
    """ "पश्चिम कामेंग": a compass word before a rare, name-like Devanagari word that ends at a boundary."""
    out = []
    for k in range(len(tokens) - 1):
        english = HI_COMPASS_PREFIXES.get(tokens[k][0]) or HI_COMPASS_ADJECTIVES.get(tokens[k][0])
        j = k + 1
        if not english or covered[k] or covered[j] or text[tokens[k][2] : tokens[j][1]] != " ":
            continue
        word = text[tokens[j][1] : tokens[j][2]]
        if not is_devanagari(word) or tokens[j][0] in HI_STOPS or zipf(word, "hi") >= _HI_RARE_ZIPF:
            continue
        if not hi_name_evidence(word)[1]:
            continue
        after = tokens[j + 1][0] if j + 1 < len(tokens) else None
        if after is not None and text[tokens[j][2] : tokens[j + 1][1]] == " " and after not in HI_STOPS:
            continue  # the name may go on: not guessed
        start, end = tokens[k][1], tokens[j][2]
        name = f"{english} {display_name(word)}"
        eid = fuzzy_link(gaz, name)
        item = Found(start, end, text[start:end], unlinked_name=name, unlinked_type="location")
        if eid and gaz.entities[eid].type == "location":
            item.entity_id = eid
        out.append(item)
        covered[k] = covered[j] = True
    return out
