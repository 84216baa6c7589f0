"""Hindi people named without a title, by the grammar around them: "X ने कहा/बताया/किया", "X के अनुसार",
"X उपस्थित थे", "नेतृत्व/अध्यक्षता X ने", "X और Y ने", "X (संयुक्त सचिव)". Whether a Devanagari word is
name-like is decided by word frequencies (wordfreq), in Hindi and romanised in English."""

from __future__ import annotations

import functools

from pipeline.entities.gazetteer_index import Gazetteer, fuzzy_link
from pipeline.entities.linked import Found
from pipeline.entities.romanise import display_name, romanize_word
from pipeline.entities.text import Token, is_devanagari
from pipeline.entities.words import (
    HI_AGENT_BEFORE,
    HI_AGENT_CUES,
    HI_AND,
    HI_DESIGNATION_FIRST,
    HI_LOC_HEADS,
    HI_NEVER_IN_NAME,
    HI_ORG_HEADS,
    HI_PRESENT,
    HI_STOPS,
    HI_TITLES,
    zipf,
)

# A Hindi word is name-like when it is not frequent in Hindi (below the most frequent name word measured,
# "सिंह" at zipf 5.83) and either rare in Hindi (< 3.0: "गौरांग", "नामग्याल"; abstract nouns such as "विघटन"
# are at 3.5) or, romanised, a word of English text (>= 2.0: Indian names are written there, "ramesh",
# "mehta"; Hindi common nouns romanised are not: "nyayalay", "prashasan", "vibhag" are 0).
_HI_NAME_MAX_ZIPF = 5.9
_HI_RARE_ZIPF = 3.0
_EN_ROMANISED_NAME_ZIPF = 2.0
_EN_ROMANISED_MIN_ZIPF = 1.2
_NAME_ZIPF_GAP = 2.5


def _english_zipf(word: str) -> float:
    """Frequency in English of a Devanagari word romanised the ways English text spells Indian names: the
    schwa kept at the end ("surendr" is written "Surendra"), व as w ("Rawat")."""
    roman = romanize_word(word)
    forms = {roman, roman.replace("v", "w")}
    if roman[-1:] not in "aeiou":
        forms |= {f + "a" for f in forms}
    return max(zipf(f, "en") for f in forms)


@functools.lru_cache(maxsize=1 << 14)
def written_in_english(word: str) -> bool:
    """A Devanagari word that, romanised, is a word of English text about as often as of Hindi text (a
    name: "राजीव", "चौहान"), unlike a Hindi common noun ("यात्री", "पर्यटक")."""
    hi, en = zipf(word, "hi"), _english_zipf(word)
    # A name is used in English text about as much as in Hindi text; a common Hindi noun is not ("पक्ष"
    # hi 5.1, "paksha" en 1.3): names measured are within 2.5 of each other ("बिष्ट" 3.8 / 1.4).
    return en >= _EN_ROMANISED_NAME_ZIPF or en >= _EN_ROMANISED_MIN_ZIPF and en - hi >= -_NAME_ZIPF_GAP


@functools.lru_cache(maxsize=1 << 14)
def hi_name_evidence(word: str) -> tuple[bool, bool]:
    """(may be part of a name, shows it is a name) for one Devanagari word, by word frequencies."""
    hi = zipf(word, "hi")
    if hi >= _HI_NAME_MAX_ZIPF or word.endswith(("ों", "ओं")):
        return False, False  # a frequent word, or a plural oblique noun ("ग्रामीणों"): never a name
    return True, hi < _HI_RARE_ZIPF or written_in_english(word)


class _Agents:
    def __init__(
        self, gaz: Gazetteer, text: str, tokens: list[Token], covered: list[bool], weak: dict[int, Found]
    ):
        self.gaz, self.text, self.tokens, self.covered, self.weak = gaz, text, tokens, covered, weak
        self.out: list[Found] = []

    def nameable(self, k: int) -> bool:
        key = self.tokens[k][0]
        if (
            self.covered[k]
            and k not in self.weak
            or not is_devanagari(key)
            or len(key) < 2
            or key in HI_STOPS
            or key in HI_NEVER_IN_NAME
            or key in HI_TITLES
            or key in HI_LOC_HEADS
            or key in HI_ORG_HEADS
            or key in HI_AGENT_BEFORE
        ):
            return False
        return hi_name_evidence(self.text[self.tokens[k][1] : self.tokens[k][2]])[0]

    def run_before(self, end: int) -> int | None:
        """Start of the run of name-like words ending at token `end` (None if there is none)."""
        k = end
        while (
            k >= 0
            and end - k < 4
            and self.nameable(k)
            and (k == end or self.text[self.tokens[k][2] : self.tokens[k + 1][1]] == " ")
        ):
            k -= 1
        return k + 1 if k < end else None

    def evident(self, k: int) -> bool:
        return hi_name_evidence(self.text[self.tokens[k][1] : self.tokens[k][2]])[1]

    def take(self, k: int, j: int) -> bool:
        """Tag tokens k..j as a person if the run qualifies; True when tagged."""
        tokens, text = self.tokens, self.text
        trimmed = False
        while j - k >= 2 and k not in self.weak and not self.evident(k):
            k, trimmed = k + 1, True  # "उपमुख्यमंत्री तागे ताकी ने": a common word before the name
        size = j - k + 1
        if k in self.weak or not (
            2 <= size <= 3 or size == 1 and k > 0 and tokens[k - 1][0] in HI_AGENT_BEFORE
        ):
            return False  # a family name (a weak alias) may end a name, not start one
        if not trimmed and k > 0 and text[tokens[k - 1][2] : tokens[k][1]] == " " and self.nameable(k - 1):
            return False  # the run is longer than a name: a clause
        words = [text[tokens[q][1] : tokens[q][2]] for q in range(k, j + 1)]
        evident = sum(hi_name_evidence(w)[1] for w in words)
        if 2 * evident < size or not hi_name_evidence(words[0])[1]:  # "सफल विघटन ने": no
            return False
        start, end = tokens[k][1], tokens[j][2]
        surface = text[start:end]
        eid = fuzzy_link(self.gaz, surface)
        if eid is not None and self.gaz.entities[eid].type != "person":
            return False
        self.out.append(
            Found(
                start,
                end,
                surface,
                entity_id=eid,
                unlinked_name=display_name(surface),
                unlinked_type="person",
            )
        )
        for q in range(k, j + 1):
            self.covered[q] = True
            if q in self.weak:
                self.weak[q].dropped = True  # "अमित गुप्ता": the family name is part of this name
        return True

    def is_cue(self, c: int) -> bool:
        """Token c follows a name of a person: "ने", "उपस्थित/मौजूद", "के अनुसार", or a designation in
        brackets ("X (संयुक्त सचिव)")."""
        tokens = self.tokens
        key = tokens[c][0]
        gap = self.text[tokens[c - 1][2] : tokens[c][1]]
        if gap == " (" and (key in HI_TITLES or key in HI_DESIGNATION_FIRST):
            return True
        if gap != " ":
            return False
        if key == "ने" or key in HI_PRESENT:
            return True
        return any(tuple(t[0] for t in tokens[c : c + len(cue)]) == cue for cue in HI_AGENT_CUES)


def hindi_agent_names(
    gaz: Gazetteer, text: str, tokens: list[Token], covered: list[bool], weak: dict[int, Found]
) -> list[Found]:
    """People named without a title, by the grammar around them: "X ने कहा/बताया/किया", "X के अनुसार",
    "X उपस्थित थे", "नेतृत्व/अध्यक्षता X ने", "X और Y ने". The run is two or three name-like words between
    boundaries (one after नेतृत्व/अध्यक्षता), the first and at least half of them evidently names, and not a
    known place or body."""
    scan = _Agents(gaz, text, tokens, covered, weak)
    for c in range(1, len(tokens)):
        if not scan.is_cue(c):
            continue
        k = scan.run_before(c - 1)
        if k is None:
            continue
        second = scan.take(k, c - 1)
        # "X और Y ने": the first of two named people (Y needs two words or more)
        if second and k >= 2 and tokens[k - 1][0] in HI_AND and c - k >= 2:
            k0 = scan.run_before(k - 2)
            if k0 is not None:
                scan.take(k0, k - 2)
    return scan.out
