"""Words of a text as the entities stage sees them: one tokenisation for both scripts and the
matching key of each word (Devanagari spelling variants folded, Latin words case-folded unless they
are acronyms)."""

from __future__ import annotations

import functools
import re
import unicodedata

# Word characters: \w plus the whole Devanagari block except the dandas (।॥), plus ZWJ/ZWNJ.
TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0900-\u0963\u0966-\u097F\u200C\u200D])+")
DEVANAGARI_RE = re.compile(r"[\u0900-\u097F]")
# Nukta forms and chandrabindu are spelled both ways in Hindi news: fold them for matching.
_DEVANAGARI_FOLD = str.maketrans(
    {
        "\u093c": None,  # nukta
        "\u0901": "\u0902",  # chandrabindu -> anusvara
        "\u0958": "\u0915",
        "\u0959": "\u0916",
        "\u095a": "\u0917",
        "\u095b": "\u091c",
        "\u095c": "\u0921",
        "\u095d": "\u0922",
        "\u095e": "\u092b",
        "\u095f": "\u092f",
        "\u200c": None,
        "\u200d": None,
    }
)

Token = tuple[str, int, int]  # (matching key, start, end)


def fold_devanagari(word: str) -> str:
    """A Devanagari word without nukta and chandrabindu variants (Latin text is unchanged)."""
    return word.translate(_DEVANAGARI_FOLD)


@functools.lru_cache(maxsize=1 << 16)
def is_devanagari(token: str) -> bool:
    return bool(DEVANAGARI_RE.search(token))


@functools.lru_cache(maxsize=1 << 16)  # news vocabulary repeats: most words are normalised once
def normalise_token(token: str) -> str:
    """Matching key of one word: Devanagari folded; Latin case-folded unless an ALL-CAPS acronym."""
    if is_devanagari(token):
        return token.translate(_DEVANAGARI_FOLD)
    if not token.isascii():
        token = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
    if len(token) > 1 and token.isupper():
        return token  # "LAC", "SCO", "PLA": only as acronyms, never the word "lac"
    return token.casefold()


def tokenize(text: str) -> list[Token]:
    """(matching key, start, end) of every word of `text`."""
    return [(normalise_token(m.group()), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def alias_key(alias: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in tokenize(alias))
