"""Capital letters in Latin text, the evidence English names are found by: which capitalised words
may be name words, which lines are headlines (Title Case or capitals: no evidence there), where a
sentence starts, and whether a capitalised word qualifies the noun after it ("Nazi death camps")."""

from __future__ import annotations

import functools
import re

from pipeline.entities.text import is_devanagari
from pipeline.entities.words import FOLLOWING_VERBS_AND_FUNCTION_WORDS

_LATIN_WORD_RE = re.compile(r"(?<![A-Za-z'’-])[A-Za-z][A-Za-z'’-]*")
_CAPITALISED_WORD_RE = re.compile(r"(?<![A-Za-z'’-])[A-Z][A-Za-z'’-]*")
_UPPER_WORD_RE = re.compile(r"(?<![A-Za-z'’-])[A-Z][A-Z'’-]+(?![A-Za-z])")
_SMALL_CAPITALISED_RE = re.compile(r"(?<=\S )(?:And|To|Of|In|For|On|With|At|As|From|Over)(?= )")
CAP_START_RE = re.compile(r"(?<![^\W\d_])[A-Z]")
MID_SENTENCE_CAP_RE = re.compile(r"[a-z,][ \t]+([A-Z][^\W_]*)")  # a capitalised word after a lower-case word

_PINYIN_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_PINYIN_FINAL = (
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|"
    r"a|e|i|o|u|v)"
)
PINYIN_RE = re.compile(
    rf"(?:{_PINYIN_INITIAL}{_PINYIN_FINAL}){{1,2}}(?:-(?:{_PINYIN_INITIAL}{_PINYIN_FINAL}))?"
)


@functools.lru_cache(maxsize=1 << 15)
def is_cap_word(word: str) -> bool:
    """A capitalised Latin word that may be part of a name ("Galwan", "McMahon", "D'Souza"), not an
    acronym."""
    if not (word[0].isupper() and word.isalpha() and (len(word) == 1 or not word.isupper())) or is_devanagari(
        word
    ):
        return False
    # CamelCase is a product or a handle ("ChatGPT", "YouTuber"), except Mc/Mac/O'/De/Di/La/Le names
    inner = [i for i in range(1, len(word)) if word[i].isupper()]
    return not inner or inner[0] in (2, 3) and word[: inner[0]] in ("Mc", "Mac", "De", "Di", "La", "Le", "Du")


def headline_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in Title Case or capitals (headlines, banners): no open-world names there."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        if 20 <= len(line) < 300:  # a paragraph is no headline
            n_words = len(_LATIN_WORD_RE.findall(line))
            if n_words >= 4:
                caps = len(_CAPITALISED_WORD_RE.findall(line))
                upper = len(_UPPER_WORD_RE.findall(line))
                small = _SMALL_CAPITALISED_RE.search(line)
                if upper >= n_words * 0.6 or caps >= n_words * 0.8 or (small and caps >= n_words * 0.6):
                    spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start].rstrip(" \t\u00a0\"'“‘(")
    return not before or before[-1] in ".!?:;|\n—–"


def qualifies_a_noun(after: str) -> bool:
    """The text after a name starts with a lower-case noun ("Nubian kingdoms", "Nazi death camps")."""
    modifier = re.match(r" ([a-z]+)\b", after)
    return (
        bool(modifier)
        and modifier.group(1) not in FOLLOWING_VERBS_AND_FUNCTION_WORDS
        and not modifier.group(1).endswith(("ed", "ing"))
    )
