"""Entities stage: tag people, organisations, places and events in English and Hindi text.

Passes over one tokenisation of the text (a token taken by one pass is not reused by a later one),
one module each:

0. **Datelines** (`datelines`: "NEW DELHI, Dec 5 (PTI) –", "LEH:", "लेह, 5 दिसंबर (भाषा)") are matched
   case-insensitively; an unknown dateline place is kept as a place.
1. **Gazetteer** (`gazetteer`, `linked`; `pipeline/data/gazetteer.yaml`): every alias, in either
   script, is a sequence of normalised word tokens (`text`) in one token trie; one left-to-right pass
   finds the longest alias at each position. Tokens are runs of word characters *including the
   Devanagari combining signs* (matras, virama, anusvara...), so word boundaries are right for Hindi,
   where Python's `\\b` is not. Weak aliases ("Singh", "सिंह") count only when their entity is
   otherwise named in the same article (a news agency's weak alias also as a credit, "(भाषा)"); a
   bare-named ministry qualified by another country ("भूटान के विदेश मंत्रालय") is that country's, not
   India's. Devanagari spelling variants of multi-word aliases follow.
2. **Titles** (`titles`): a title or honorific ("Lt Gen", "Ambassador", "Mr", "श्री", "प्रवक्ता",
   "रक्षा मंत्री") followed by a name gives a person, linked when the name is close to a known one.
3. **Open-world names** the gazetteer does not hold. English (`latin_runs`, `latin`, `latin_types`):
   runs of capitalised words typed by a head word, a role word or apposition, a possessive before a
   role word, a preposition of place, a list or naming verb shared with a typed name. Hindi (`hindi`,
   `hindi_people`): a head word after the name, the name running back to the nearest postposition or
   function word; one-word names from their context; people without a title from the grammar ("X ने
   कहा", "नेतृत्व X ने", "X के अनुसार") when their words are name-like by word frequency. A surname alone
   after an unlinked person's full name is that person.
4. **Transliteration + fuzzy match** (`romanise`): names found by rules 2-3, and Devanagari words that
   match no alias, are romanised and compared with the known Latin names (rapidfuzz). A match links to
   the gazetteer entity; otherwise the name is kept with `"linked": false` and an id
   `unlinked/<type>/<slug>`.

The word lists the rules read (titles, head words, stop words, postpositions...) are data:
`pipeline/data/entity-words-en.yaml` and `entity-words-hi.yaml` (`words`).

Output per entity: {"id", "name", "type", "mentions": [surface forms], "linked"}, plus "sector" and
"coordinates" {"lat", "lon"} when the gazetteer entry has them. It does not resolve pronouns or decide
relevance. See docs/processing.md ("Entities").
"""

from pipeline.entities.gazetteer_index import (
    ANCHOR_CUTOFF,
    FUZZY_CUTOFF,
    GAZETTEER_PATH,
    LATIN_FUZZY_CUTOFF,
    MAX_ALIAS_TOKENS,
    ONE_WORD_CUTOFF,
    SECTORS,
    TYPES,
    Entity,
    Gazetteer,
    derived_from_gazetteer,
    gazetteer,
    load_gazetteer,
    reload_gazetteer,
    resolve,
)
from pipeline.entities.romanise import phonetic_key, romanize, romanize_word, slug
from pipeline.entities.stage import find_entities, person_spans, tag
from pipeline.entities.text import TOKEN_RE, alias_key, is_devanagari, normalise_token, tokenize
from pipeline.entities.words import HI_FUNCTION_WORDS

STAGE = "entities"

__all__ = [
    "ANCHOR_CUTOFF",
    "FUZZY_CUTOFF",
    "GAZETTEER_PATH",
    "HI_FUNCTION_WORDS",
    "LATIN_FUZZY_CUTOFF",
    "MAX_ALIAS_TOKENS",
    "ONE_WORD_CUTOFF",
    "SECTORS",
    "STAGE",
    "TOKEN_RE",
    "TYPES",
    "Entity",
    "Gazetteer",
    "alias_key",
    "derived_from_gazetteer",
    "find_entities",
    "gazetteer",
    "is_devanagari",
    "load_gazetteer",
    "normalise_token",
    "person_spans",
    "phonetic_key",
    "reload_gazetteer",
    "resolve",
    "romanize",
    "romanize_word",
    "slug",
    "tag",
    "tokenize",
]
