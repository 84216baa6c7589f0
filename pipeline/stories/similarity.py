"""Whether two articles are one story: the similarity of their story keys, the vetoes (different
people, rounds, border places) and the date agreement."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.entities import derived_from_gazetteer, gazetteer
from pipeline.stories.keys import EVENT_WINDOW_DAYS, _day
from pipeline.stories.names import NAME, ROUND, _fuzzy_pairs, _type_of, _unlinked  # noqa: F401

DATE_TOLERANCE_DAYS = 1
ENTITY_THRESHOLD = 0.2
UNDATED_ENTITY_THRESHOLD = 0.4
TYPE_WEIGHTS = {"person": 3.0, "event": 2.0, "organization": 1.0, "location": 1.0, "round": 2.0}
# Names the gazetteer does not know weigh less than linked ones: the name finder can be wrong.
UNLINKED_WEIGHTS = {"person": 2.0, "organization": 1.0, "location": 1.0}
# A short report (a two-sentence preview) names a few of the entities a full report names: the share of
# the smaller key found in the larger, times this factor, counts as a similarity when dates agree.
CONTAINMENT_FACTOR = 0.6
CONTAINMENT_MIN_WEIGHT = 2.0  # the smaller key must weigh this much (one place alone is not a story)
# Gazetteer kinds of places too wide to tell two events at the border apart.
_WIDE_PLACE_KINDS = frozenset(
    {"state", "union territory", "district", "city", "town", "corridor", "region", "line", "country"}
)
_RECURRING_WORDS = re.compile(
    r"\b(?:mechanism|talks|meeting|summit|dialogue|consultations?|yatra)\b|वार्ता|बैठक|तंत्र|शिखर", re.IGNORECASE
)


def _weight(entity_id: str) -> float:
    if _unlinked(entity_id):
        return UNLINKED_WEIGHTS.get(_type_of(entity_id), 1.0)
    return TYPE_WEIGHTS.get(_type_of(entity_id), 1.0)


def entity_similarity(a: list[str] | tuple[str, ...], b: list[str] | tuple[str, ...]) -> float:
    """Weighted Jaccard similarity of two sets of entity ids (weights by the id's type; an unlinked
    name counts as shared when the other names it in another spelling)."""
    sa, sb = set(a), set(b)
    if not sa | sb:
        return 0.0
    # A name shared in two spellings counts once, at the lower of its two weights.
    shared = sum(_weight(i) for i in sa & sb) + sum(
        min(_weight(i), _weight(j)) for i, j in _fuzzy_pairs(sa, sb)
    )
    total = sum(_weight(i) for i in sa) + sum(_weight(i) for i in sb) - shared
    return shared / total if total else 0.0


def containment(a: list[str] | tuple[str, ...], b: list[str] | tuple[str, ...]) -> float:
    """Weighted share of the smaller key that the larger one also names (0 when the smaller key weighs
    less than CONTAINMENT_MIN_WEIGHT): a preview or a report that only adds local officials."""
    sa, sb = set(a), set(b)
    wa, wb = sum(map(_weight, sa)), sum(map(_weight, sb))
    small = min(wa, wb)
    if small < CONTAINMENT_MIN_WEIGHT:
        return 0.0
    pairs = _fuzzy_pairs(sa, sb)
    if not pairs and (sa & sb) <= wide_place_ids():
        return 0.0  # "Ladakh" and "Eastern Ladakh" alone are in every report from there
    shared = sum(_weight(i) for i in sa & sb) + sum(min(_weight(i), _weight(j)) for i, j in pairs)
    return shared / small


@derived_from_gazetteer
@lru_cache(maxsize=1)
def wide_place_ids() -> frozenset[str]:
    """Gazetteer places of a wide kind (states, districts, cities, regions, countries)."""
    return frozenset(
        e.id
        for e in gazetteer().entities.values()
        if e.type == "location" and getattr(e, "kind", None) in _WIDE_PLACE_KINDS
    )


@derived_from_gazetteer
@lru_cache(maxsize=1)
def border_place_ids() -> frozenset[str]:
    """Gazetteer places on the LAC narrow enough to tell two events apart (a pass, a pasture, a valley,
    a village: the entities with a `sector` and a narrow `kind`)."""
    return frozenset(
        e.id
        for e in gazetteer().entities.values()
        if e.type == "location"
        and getattr(e, "sector", None)
        and getattr(e, "kind", None)
        and e.kind not in _WIDE_PLACE_KINDS
    )


@derived_from_gazetteer
@lru_cache(maxsize=1)
def recurring_ids() -> frozenset[str]:
    """Gazetteer events and organisations that meet again and again (talks, mechanisms, summits): two
    reports of them are one story only when their event days agree, not when one recalls the other's."""
    return frozenset(
        e.id
        for e in gazetteer().entities.values()
        if getattr(e, "kind", None) == "mechanism"
        or (
            e.type in ("event", "organization")
            and any(_RECURRING_WORDS.search(x) for x in (e.name, *e.aliases))
        )
    )


@dataclass(frozen=True)
class StoryKey:
    id: str
    story_id: str
    entities: tuple[str, ...]
    story_date: str | None
    story_dates: tuple[str, ...]

    @classmethod
    def from_source(cls, doc_id: str, src: dict[str, Any]) -> StoryKey:
        return cls(
            doc_id,
            src.get("story_id") or doc_id,
            tuple(src.get("story_entities") or ()),
            src.get("story_date"),
            tuple(src.get("story_dates") or ()),
        )


def _dates_agree(a: StoryKey, b: StoryKey, *, strict: bool = False) -> bool | None:
    """True/False when both have a story date, None when dates cannot tell. `strict`: the two event
    days must agree (a day one merely mentions does not count)."""
    da, db = _day(a.story_date), _day(b.story_date)
    if da is None or db is None:
        return None
    tolerance = dt.timedelta(days=DATE_TOLERANCE_DAYS)
    if strict:
        return abs(da - db) <= tolerance
    # A day an article mentions long before its own event day is a recalled event ("the previous round
    # was held on February 19"): it does not make the dates agree.
    window = dt.timedelta(days=EVENT_WINDOW_DAYS)
    days_b = {d for d in (_day(x) for x in (*b.story_dates, b.story_date)) if d and abs(d - db) <= window}
    days_a = {d for d in (_day(x) for x in (*a.story_dates, a.story_date)) if d and abs(d - da) <= window}
    return any(abs(da - d) <= tolerance for d in days_b) or any(abs(db - d) <= tolerance for d in days_a)


def _persons(key: StoryKey) -> set[str]:
    return {i for i in key.entities if i.startswith("person/")}


def vetoed(a: StoryKey, b: StoryKey) -> bool:
    """Whether two articles cannot be one story whatever else they share: they name linked people and
    none in common, or meetings with different counterparts (each names two people or more, they
    share one, and each names one the other does not: "Jaishankar met Wang Yi", "Doval met Wang
    Yi"), different rounds, or different border places and none in common."""
    persons_a, persons_b = _persons(a), _persons(b)
    if persons_a and persons_b:
        shared = persons_a & persons_b
        if not shared:
            return True
        if len(shared) == 1 and len(persons_a) >= 2 and len(persons_b) >= 2 and persons_a != persons_b:
            if persons_a - shared and persons_b - shared:
                return True
    rounds_a = {i for i in a.entities if i.startswith(ROUND)}
    rounds_b = {i for i in b.entities if i.startswith(ROUND)}
    if rounds_a and rounds_b and not rounds_a & rounds_b:
        return True  # the 21st and the 22nd round of the same talks
    places_a = border_place_ids().intersection(a.entities)
    places_b = border_place_ids().intersection(b.entities)
    # patrols at Depsang and at Demchok, meetings at Bum La and at Kibithu
    return bool(places_a and places_b and not places_a & places_b)


def story_score(a: StoryKey, b: StoryKey) -> float:
    """Entity similarity of two articles if they can be the same story, else 0."""
    if vetoed(a, b):
        return 0.0
    similarity = entity_similarity(a.entities, b.entities)
    if not similarity:
        return 0.0
    places_a = border_place_ids().intersection(a.entities)
    places_b = border_place_ids().intersection(b.entities)
    # Talks that recur, and events at different border places (patrols resuming at one friction point,
    # then at the next, a report naming both), are one story only when their own days agree, not when
    # one recalls the other's day.
    strict = bool(set(a.entities) & set(b.entities) & recurring_ids()) or bool(
        places_a and places_b and places_a != places_b
    )
    agree = _dates_agree(a, b, strict=strict)
    if agree is False:
        return 0.0
    if agree:
        similarity = max(similarity, CONTAINMENT_FACTOR * containment(a.entities, b.entities))
    threshold = ENTITY_THRESHOLD if agree else UNDATED_ENTITY_THRESHOLD
    return similarity if similarity >= threshold else 0.0
