"""Word lists of the entities stage, read once from `pipeline/data/entity-words-en.yaml` and
`pipeline/data/entity-words-hi.yaml` (hand-editable, commented there), as the sets and tables the
passes look words up in. Devanagari words are folded (nukta, chandrabindu) as the tokens are.

Only lists live here; the rules that use them are in the pass modules."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from pipeline.entities.text import fold_devanagari

_DATA = Path(__file__).resolve().parent.parent / "data"


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((_DATA / name).read_text(encoding="utf-8"))


_EN = _load("entity-words-en.yaml")
_HI = _load("entity-words-hi.yaml")


def _en(key: str) -> set[str]:
    return set(_EN[key].split())


def _hi(key: str) -> set[str]:
    return {fold_devanagari(w) for w in _HI[key].split()}


def _hi_map(key: str) -> dict[str, str]:
    return {fold_devanagari(k): v for k, v in _HI[key].items()}


@functools.lru_cache(maxsize=1 << 15)
def zipf(word: str, lang: str) -> float:
    """Word frequency (wordfreq's Zipf scale: 0 unknown, 7 "the"), memoised: news vocabulary repeats."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


# --------------------------------------------------------------------------- Latin script
LATIN_TITLES = dict.fromkeys(_en("titles"), True) | dict.fromkeys(_en("titles_link_only"), False)
RANKED_OFFICE = _en("ranked_office")
ABBREVIATED_TITLES = _en("abbreviated_titles")
LATIN_NOT_NAMES = _en("not_names")
LOC_HEADS = _en("location_heads")
ORG_HEADS = _en("organization_heads")
EVENT_HEADS = _en("event_heads")
HEADS = LOC_HEADS | ORG_HEADS | EVENT_HEADS
TWO_WORD_HEADS = {tuple(k.split()): v for k, v in _EN["two_word_heads"].items()}
EVENT_FIRST = _en("event_first")
PLACE_NAMED_HEADS = _en("place_named_heads")
MEETING_FIRST = _en("meeting_first")
ORG_FIRST = _en("organization_first")
PLACE_FIRST = _en("place_first")
LOC_FIRST = _en("location_first")
NATIONALITIES = _en("nationalities")
PARTICLES = _en("particles")
CONNECTORS = _en("connectors") | PARTICLES
ROLE_WORDS = _en("role_words")
GENERIC = (
    HEADS
    | set(LATIN_TITLES)
    | LATIN_NOT_NAMES
    | _en("generic")
    | {w.capitalize() for w in ROLE_WORDS}
    | _en("generic_role_extras")
)
SPEECH_VERBS = _en("speech_verbs")
PLACE_PREPS = _en("place_prepositions")
MOTION_BEFORE_TO = _en("motion_before_to")
POSSESSIVE_ROLES = _en("possessive_roles")
NAMING_WORDS = _en("naming_words")
HYPHEN_SUFFIXES = _en("hyphen_suffixes")
MONTHS_DAYS = _en("months_days")
# "European Commission" is a name: those qualifiers do not make a headed run a kind of body.
DEPARTMENT_WORDS = (NATIONALITIES - {"European", "Asian", "Western"}) | _en("department_words")
NAMED_BY_NATION = _en("named_by_nation")
NUMBERED_HEADS = _en("numbered_heads")
PRONOUNS = _en("pronouns")
LEADING_FUNCTION = _en("leading_function")
LED_BY = _en("led_by")
CHINESE_SURNAMES = _en("chinese_surnames")
LOWER_PLACE_KINDS = _en("lower_place_kinds")
FOLLOWING_VERBS_AND_FUNCTION_WORDS = _en("following_function_words")
COMPASS_PREFIXES = _en("compass_prefixes")
PLACE_VERBS = _en("place_verbs")

# --------------------------------------------------------------------------- Devanagari
HI_TITLES = dict.fromkeys(_hi("titles"), True) | dict.fromkeys(_hi("titles_link_only"), False)
HI_OFFICE_TITLES = _hi("office_titles")
HI_NUMBER_WORDS = _hi("number_words")
HI_PARTICIPLES = _hi("participles")
HI_VERB_FORMS = _hi("verb_forms")
# Words of classes that are never part of a name: numbers, participles and adjectives of state, verb
# forms, role nouns. A head-word name ("... सेना", "... पुल") does not run back over them ("तैनात सेना",
# "चार पुल"), and a name after a title or before "ने" stops at them ("... श्रीनिवासन उपस्थित थे").
HI_NEVER_IN_NAME = HI_NUMBER_WORDS | HI_PARTICIPLES | HI_VERB_FORMS | _hi("role_nouns")
HI_NOT_NAMES = _hi("not_names") | (HI_NEVER_IN_NAME - {"प्रवक्ता"})
HI_LOC_HEADS = _hi_map("location_heads")
HI_ORG_HEADS = _hi_map("organization_heads")
HI_EVENT_HEADS = _hi_map("event_heads")
HI_TWO_WORD_HEADS = {tuple(k.split()): v for k, v in _hi_map("two_word_heads").items()}
HI_MODIFIERS = _hi("modifiers")
HI_STOPS = (
    HI_NOT_NAMES | HI_MODIFIERS | _hi("function_words") | HI_NUMBER_WORDS | HI_PARTICIPLES | HI_VERB_FORMS
)
HI_FUNCTION_WORDS = frozenset(HI_STOPS)  # words that never start or end a Hindi name (used by dates)
HI_POSTPOSITIONS = _hi("postpositions")
HI_POSSESSIVE_ROLES = [tuple(fold_devanagari(w) for w in p.split()) for p in _HI["possessive_roles"]]
HI_ROLE_FIRST = {r[0] for r in HI_POSSESSIVE_ROLES}
HI_NAMING_VERBS = _hi("naming_verbs")
HI_AFTER_LA = _hi("after_la")
HI_PORTFOLIOS = _hi("portfolios")
HI_GENERIC_SABHA = _hi("generic_sabha")
HI_AREA_NOUNS = frozenset(_hi("area_nouns"))
HI_DESIGNATION_FIRST = _hi("designation_first")
HI_AGENT_BEFORE = _hi("agent_before")
HI_PRESENT = _hi("present")
HI_NAME_ADJECTIVES = _hi("name_adjectives")
HI_KIND_HEADS = _hi("kind_heads")
HI_SETTLEMENTS = _hi("settlements")
HI_COMPASS_PREFIXES = _hi_map("compass_prefixes")
HI_COMPASS_ADJECTIVES = _hi_map("compass_adjectives")
HI_LOCATIVES = [tuple(fold_devanagari(w) for w in c.split()) for c in _HI["locatives"]]
HI_AGENT_CUES = [tuple(fold_devanagari(w) for w in c.split()) for c in _HI["agent_cues"]]
HI_AND = _hi("and_words")
COMMON_HI_FIRST = _hi("common_first_words")
