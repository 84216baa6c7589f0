"""Romanisation of Devanagari names and the spelling-tolerant keys names are compared on.

The letter table is `pipeline/data/romanisation.yaml` (ITRANS-like, lossy); this module adds Hindi
schwa deletion, a phonetic key that folds spelling variants of both scripts ("zh"/"j", "ph"/"f",
doubled letters), and URL-safe slugs. It does not translate: a romanised name is a spelling."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import yaml

from pipeline.entities.text import TOKEN_RE, is_devanagari

_TABLE = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "data" / "romanisation.yaml").read_text(encoding="utf-8")
)
_VOWELS: dict[str, str] = _TABLE["vowels"]
_MATRAS: dict[str, str] = _TABLE["matras"]
_CONSONANTS: dict[str, str] = _TABLE["consonants"]
_NUKTA_CONSONANTS: dict[str, str] = _TABLE["nukta_consonants"]


def _letters(word: str) -> list[list[str]]:
    """[consonant, vowel] units of a word: vowel "" after a virama, "a*" for the inherent a."""
    word = unicodedata.normalize("NFD", word)
    units: list[list[str]] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch in _CONSONANTS:
            roman = _CONSONANTS[ch]
            if i + 1 < len(word) and word[i + 1] == "\u093c":
                roman = _NUKTA_CONSONANTS.get(ch, roman)
                i += 1
            units.append([roman, "a*"])
        elif ch in _MATRAS and units:
            units[-1][1] = _MATRAS[ch]
        elif ch == "\u094d" and units:  # virama: no vowel
            units[-1][1] = ""
        elif ch in _VOWELS:
            units.append(["", _VOWELS[ch]])
        elif ch in "\u0902\u0901":  # anusvara, chandrabindu
            units.append(["n", ""])
        elif ch == "\u0903":
            units.append(["h", ""])
        elif ch.isascii() and ch.isalnum():
            units.append([ch.lower(), ""])
        i += 1
    return units


def romanize_word(word: str) -> str:
    """Romanise one Devanagari word (ITRANS-like, lossy), with Hindi schwa deletion."""
    units = _letters(word)
    # Schwa deletion: the final inherent a, and a medial one between a vowel and a consonant+vowel.
    if units and units[-1][1] == "a*" and len(units) > 1:
        units[-1][1] = ""
    for k in range(1, len(units) - 1):
        prev, cur, nxt = units[k - 1], units[k], units[k + 1]
        if cur[1] == "a*" and cur[0] and prev[1] not in ("", "a*-") and nxt[0] and nxt[1] != "":
            cur[1] = "a*-"  # deleted; the marker stops the next unit from deleting too
    return "".join(c + ("" if v in ("", "a*-") else ("a" if v == "a*" else v)) for c, v in units)


def romanize(text: str) -> str:
    """Romanise Devanagari words, leaving Latin ones as they are."""
    words = (m.group() for m in TOKEN_RE.finditer(text))
    return " ".join(romanize_word(w) if is_devanagari(w) else w.lower() for w in words)


_PHONETIC_RULES = [
    (re.compile(r"zh"), "j"),
    (re.compile(r"x"), "sh"),
    (re.compile(r"q"), "ch"),
    (re.compile(r"w"), "v"),
    (re.compile(r"z"), "j"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"([kgcjtdpbr])h"), r"\1"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"oo"), "u"),
    (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile(r"[^a-z0-9 ]"), ""),
]


@functools.lru_cache(maxsize=1 << 15)
def phonetic_key(text: str) -> str:
    """A spelling-tolerant key of a name in either script, for fuzzy comparison."""
    key = romanize(text)
    for pattern, repl in _PHONETIC_RULES:
        key = pattern.sub(repl, key)
    return " ".join(key.split())


def display_name(surface: str) -> str:
    """The Latin name of a Devanagari name, capitalised word by word from its phonetic key."""
    return " ".join(w.capitalize() for w in phonetic_key(surface).split())


def slug(text: str) -> str:
    """URL-safe ASCII slug of a name in either script."""
    if is_devanagari(text):
        text = phonetic_key(text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
