"""Relevance stage: is the article about the India-China border relationship?

A transparent weighted-term score over bilingual (Latin + Devanagari) terms kept in
`pipeline/data/relevance.yaml`: border places, military and diplomatic mechanisms in, sport / trade /
film out, and both an India and a China mention needed (a place such as Galwan or the LAC stands
for both). A sentence that names both sides with border, military or diplomatic vocabulary adds a
pair bonus, so a two-sentence report ("भारत और चीन के सैनिकों के बीच झड़प हुई।") is kept as reliably as
a long one; Hindi is matched with nukta, chandrabindu and zero-width joiners folded. There is no length
normalisation: a long article is not penalised for its other words, a short one is carried by its
pair sentence. Border places are the gazetteer's places with a `sector` (all aliases, both scripts): a
pass or pasture stands for both sides, a state or district for India; a place alone, without a
military, diplomatic or border-administration term, is not enough unless India and China are named.
Sets `relevant` and `relevance_score` (0..1).
It does not drop anything: the DAG keeps rejected articles out of the main index and counts them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.article import Article
from pipeline.entities import derived_from_gazetteer

STAGE = "relevance"
DATA = Path(__file__).parent / "data" / "relevance.yaml"
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_ACRONYM = re.compile(r"^[A-Z0-9]{2,6}$")


_TOKEN = re.compile(r"[A-Za-z0-9]+|[\u0900-\u0963\u0966-\u097F\u200c\u200d]+")


# Hindi spellings vary in the nukta (ज़/ज, फ़ौज/फौज), chandrabindu vs anusvara (पहुँच/पहुंच) and
# zero-width joiners: terms and text are compared with all three folded away.
_FOLD = str.maketrans({"\u093c": None, "\u0901": "\u0902", "\u200c": None, "\u200d": None})


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_FOLD) if _DEVANAGARI.search(text) else text


def _key(term: str) -> str:
    return " ".join(_fold(term).split()).lower()


def _tokens(term: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(_fold(term)))


class _Matcher:
    """Longest-match, left-to-right scan of word tokens against the terms (one dict lookup per n-gram).

    Token lookups are much cheaper than one regex alternation of hundreds of terms tried at every
    character. Latin tokens compare lower-cased, except ALL-CAPS acronyms which must match exactly;
    a Devanagari term's last word matches at a word start (Hindi inflects by suffix).
    """

    def __init__(self, terms: list[str]) -> None:
        self.entries: dict[tuple[str, ...], tuple[str, tuple[str, ...] | None]] = {}
        self.max_len = 1
        self.devanagari_last: set[str] = set()
        for term in terms:
            toks = _tokens(term)
            if not toks:
                continue
            exact = toks if _ACRONYM.match(term) else None
            self.entries[tuple(t.lower() for t in toks)] = (_key(term), exact)
            self.max_len = max(self.max_len, len(toks))
            if _DEVANAGARI.search(toks[-1]):
                self.devanagari_last.add(toks[-1])

    @lru_cache(maxsize=65536)  # noqa: B019  (one matcher per process; tokens repeat across articles)
    def _forms(self, token: str) -> tuple[str, ...]:
        """The token itself and, for Devanagari, its prefixes that end a term ("चीनी" -> "चीनी", "चीन")."""
        if not _DEVANAGARI.match(token):
            return (token,)
        return (token,) + tuple(
            token[:k] for k in range(len(token) - 1, 0, -1) if token[:k] in self.devanagari_last
        )

    def counts(self, text: str) -> dict[str, int]:
        original = _TOKEN.findall(_fold(text))
        lowered = [t.lower() for t in original]
        counts: dict[str, int] = {}
        i, n = 0, len(lowered)
        entries = self.entries
        while i < n:
            matched = 0
            for length in range(min(self.max_len, n - i), 0, -1):
                head = tuple(lowered[i : i + length - 1])
                for last in self._forms(lowered[i + length - 1]):
                    entry = entries.get(head + (last,))
                    if entry is None:
                        continue
                    key, exact = entry
                    if exact is not None and tuple(original[i : i + length]) != exact:
                        continue
                    counts[key] = counts.get(key, 0) + 1
                    matched = length
                    break
                if matched:
                    break
            i += matched or 1
        return counts


@dataclass(frozen=True)
class Terms:
    threshold: float
    scale: float
    no_context_factor: float
    pair_bonus: float
    pair_min_weight: float
    weights: dict[str, float]  # lower-cased term -> weight (negative for negative terms)
    india: frozenset[str]
    china: frozenset[str]
    both: frozenset[str]
    border_with_china: frozenset[str]  # stand for both in the article, not for the pair bonus
    places: frozenset[str]  # border places (gazetteer sector places): a side, never the context
    lac_places: frozenset[str]  # the specific ones (passes, pastures, valleys): on the LAC, both sides
    third_countries: frozenset[str]  # with one named and India not, a border place is not India's
    matcher: _Matcher


@derived_from_gazetteer  # border places come from the gazetteer's sectors
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
    both = {_key(t) for t in data.get("implies_both", [])}
    border_with_china = frozenset(_key(t) for t in data.get("border_with_china", []))
    places, lac_places = _sector_places(data.get("sector_places") or {}, weights)
    for key, w in places.items():
        weights.setdefault(key, w)
    everything = (
        list(data.get("positive") or {})
        + list(data.get("negative") or {})
        + data["india"]
        + data["china"]
        + data.get("implies_both", [])
        + data.get("border_with_china", [])
        + list(places)
    )
    # "Galwan Valley" is matched as one term (longest match) and stands for both sides as "Galwan" does.
    both = frozenset(both | {k for k in map(_key, everything) if any(k.startswith(b + " ") for b in both)})
    return Terms(
        threshold=float(data.get("threshold", 0.5)),
        scale=float(data.get("scale", 6.0)),
        no_context_factor=float(data.get("no_context_factor", 0.25)),
        pair_bonus=float(data.get("pair_bonus", 0.0)),
        pair_min_weight=float(data.get("pair_min_weight", 1.5)),
        weights=weights,
        india=india,
        china=china,
        both=both,
        border_with_china=border_with_china,
        places=frozenset(places),
        lac_places=frozenset(lac_places),
        third_countries=frozenset(_key(t) for t in data.get("third_countries", [])),
        matcher=_Matcher(everything),
    )


def _sector_places(config: dict, listed: dict[str, float]) -> tuple[dict[str, float], set[str]]:
    """Every alias (both scripts) of the gazetteer's places on or near the LAC (those with a `sector`),
    weighted by kind: a pass, pasture, valley or village is border evidence and stands for both sides
    (it lies on the LAC), a state, district or city weighs much less and stands for India only (Sikkim,
    Leh and Chamoli are in the news for many other reasons). The gazetteer stays the one list of border
    places. A place with an alias listed in relevance.yaml weighs what the highest listed alias weighs
    ("अरुणाचल प्रदेश" as "Arunachal"). Returns the weights and the specific places."""
    from pipeline.entities import gazetteer  # the gazetteer is read once per process

    broad = set(config.get("broad_kinds", []))
    skip = set(config.get("skip_kinds", []))
    specific_w, broad_w = float(config.get("specific", 3.0)), float(config.get("broad", 1.0))
    places: dict[str, float] = {}
    lac: set[str] = set()
    for entity in gazetteer().entities.values():
        if entity.type != "location" or not entity.sector or entity.generic or entity.kind in skip:
            continue
        keys = [_key(a) for a in entity.aliases if _tokens(a)]
        weight = max(
            (listed[k] for k in keys if listed.get(k, 0) > 0),
            default=broad_w if entity.kind in broad else specific_w,
        )
        for k in keys:
            places.setdefault(k, weight)
            if entity.kind not in broad:
                lac.add(k)
    return places, lac


_SENTENCE = re.compile(r"(?<=[.?!।|])\s+|\n+")
PAIR = "(india+china)"  # pseudo-term in the explanation counts: the pair bonus was given


def _sentence_counts(t: Terms, text: str) -> tuple[dict[str, int], int]:
    """Term counts of `text` (one scan, sentence by sentence), and the number of sentences naming an
    India side and a China side together with border, military or diplomatic vocabulary (net weight
    at least `pair_min_weight`: "army" alone is not enough; a place alone is not vocabulary): the
    statement a short report is about, however few words it has."""
    total: dict[str, int] = {}
    pairs = 0
    for sentence in _SENTENCE.split(text):
        counts = t.matcher.counts(sentence)
        if not counts:
            continue
        for k, n in counts.items():
            total[k] = total.get(k, 0) + n
        implied = not _third_country_only(t, counts) and any(k in t.both or k in t.lac_places for k in counts)
        india = implied or any(k in t.india or (k in t.places and k not in t.lac_places) for k in counts)
        china = implied or any(k in t.china for k in counts)
        if (
            india
            and china
            and _has_context(t, counts)
            and sum(t.weights.get(k, 0.0) for k in counts) >= t.pair_min_weight
        ):
            pairs += 1
    return total, pairs


def _third_country_only(t: Terms, counts: dict[str, int]) -> bool:
    """Bhutan or Nepal is named and India is not: Doklam or Lipulekh is then a place of their border
    with China ("Bhutan and China held boundary talks on Doklam"), not India's (an Indian state such
    as Sikkim still is India's)."""
    return any(k in t.third_countries for k in counts) and not any(k in t.india for k in counts)


def _has_context(t: Terms, counts: dict[str, int]) -> bool:
    """A positive term that is not a place: a military, diplomatic or border-administration word."""
    return any(t.weights.get(k, 0.0) > 0 and k not in t.places for k in counts)


def relevance_score(text: str) -> tuple[float, dict[str, int]]:
    """Score in 0..1 for `text`, and the matched terms with their counts (for explanations)."""
    t = terms()
    counts, pairs = _sentence_counts(t, text)
    if pairs and t.pair_bonus:
        counts[PAIR] = pairs
    positive = negative = 0.0
    for key, n in counts.items():
        w = t.pair_bonus if key == PAIR else t.weights.get(key, 0.0)
        contribution = abs(w) * (1 + math.log(n))
        if w > 0:
            positive += contribution
        elif w < 0:
            negative += contribution
    raw = positive - negative
    score = 1 - math.exp(-raw / t.scale) if raw > 0 else 0.0
    named_india = any(k in t.india for k in counts)
    named_china = any(k in t.china for k in counts)
    third = _third_country_only(t, counts)
    implied = not third and any(k in t.both or k in t.border_with_china or k in t.lac_places for k in counts)
    # an Indian state or district is India's whoever else is named; a pass on the border is not
    has_india = implied or named_india or any(k in t.places and k not in t.lac_places for k in counts)
    has_china = implied or named_china
    if not (has_india and has_china):
        score *= t.no_context_factor
    # A border place alone is not the border relationship: a festival in Tawang or tourists at Pangong
    # need a military, diplomatic or border-administration word besides the place, unless the report
    # itself frames it as India and China.
    elif not (named_india and named_china) and not _has_context(t, counts):
        score *= t.no_context_factor
    return round(score, 4), counts


def score(article: Article) -> Article:
    """Set `relevant` and `relevance_score` from the title and text."""
    value, _ = relevance_score(f"{article.title or ''}\n{article.text or ''}")
    return article.replace(relevance_score=value, relevant=value >= terms().threshold)
