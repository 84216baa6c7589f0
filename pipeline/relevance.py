"""Relevance stage: is the article about the India-China border relationship?

A transparent weighted-term score over bilingual (Latin + Devanagari) terms kept in
`pipeline/data/relevance.yaml`: border places, military and diplomatic mechanisms in, sport / trade /
film out, and both an India and a China mention needed (a place such as Galwan or the LAC stands
for both). Sets `relevant` and `relevance_score` (0..1).
It does not drop anything: the DAG keeps rejected articles out of the main index and counts them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.article import Article

STAGE = "relevance"
DATA = Path(__file__).parent / "data" / "relevance.yaml"
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_ACRONYM = re.compile(r"^[A-Z0-9]{2,6}$")


def _key(term: str) -> str:
    return " ".join(term.split()).lower()


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    """One alternation, longest first; Latin whole-word, Devanagari word-start, acronyms case-sensitive."""
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in term.split())
        if _DEVANAGARI.search(term):
            parts.append(rf"(?<![\u0900-\u097F]){body}")
        elif _ACRONYM.match(term):
            parts.append(rf"(?-i:\b{body}\b)")
        else:
            parts.append(rf"\b{body}\b")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


@dataclass(frozen=True)
class Terms:
    threshold: float
    scale: float
    no_context_factor: float
    weights: dict[str, float]  # lower-cased term -> weight (negative for negative terms)
    india: frozenset[str]
    china: frozenset[str]
    both: frozenset[str]
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def terms(path: Path = DATA) -> Terms:
    """The relevance terms, compiled once."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    weights: dict[str, float] = {}
    for term, w in (data.get("positive") or {}).items():
        weights[_key(term)] = float(w)
    for term, w in (data.get("negative") or {}).items():
        weights[_key(term)] = -float(w)
    india = frozenset(_key(t) for t in data.get("india", []))
    china = frozenset(_key(t) for t in data.get("china", []))
    both = frozenset(_key(t) for t in data.get("implies_both", []))
    everything = list(data.get("positive") or {}) + list(data.get("negative") or {}) + data["india"] + data["china"]
    return Terms(
        threshold=float(data.get("threshold", 0.5)),
        scale=float(data.get("scale", 6.0)),
        no_context_factor=float(data.get("no_context_factor", 0.25)),
        weights=weights,
        india=india,
        china=china,
        both=both,
        pattern=_pattern(everything),
    )


def relevance_score(text: str) -> tuple[float, dict[str, int]]:
    """Score in 0..1 for `text`, and the matched terms with their counts (for explanations)."""
    t = terms()
    counts: dict[str, int] = {}
    for m in t.pattern.finditer(text):
        key = _key(m.group(0))
        counts[key] = counts.get(key, 0) + 1
    positive = negative = 0.0
    for key, n in counts.items():
        w = t.weights.get(key, 0.0)
        contribution = abs(w) * (1 + math.log(n))
        if w > 0:
            positive += contribution
        elif w < 0:
            negative += contribution
    raw = positive - negative
    score = 1 - math.exp(-raw / t.scale) if raw > 0 else 0.0
    implied = any(k in t.both for k in counts)
    has_india = implied or any(k in t.india for k in counts)
    has_china = implied or any(k in t.china for k in counts)
    if not (has_india and has_china):
        score *= t.no_context_factor
    return round(score, 4), counts


def score(article: Article) -> Article:
    """Set `relevant` and `relevance_score` from the title and text."""
    value, _ = relevance_score(f"{article.title or ''}\n{article.text or ''}")
    return article.replace(relevance_score=value, relevant=value >= terms().threshold)
