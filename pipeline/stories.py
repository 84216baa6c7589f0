"""Stories stage: articles that report the same event share a `story_id`, across outlets and languages.

The story key of an article is language-independent:
- `story_entities`: the linked, non-generic entity ids named in its *lead* (title and first
  paragraphs, LEAD_MIN_CHARS to LEAD_CHARS characters: who met whom, where, at which forum) — the entities stage gives
  the same ids for "राजनाथ सिंह" and "Rajnath Singh". When the lead names fewer than two, every
  linked entity of the article is used; entities they imply are added ("Eastern Ladakh" -> "Ladakh");
  the dateline's place ("New Delhi:") is left out. Names in the lead that the gazetteer does not know
  are added as `name/<type>/<consonant skeleton>` ("अमित रावत" and "Amit Rawat" -> "name/person/mt-rwt"),
  and the numbered rounds the lead prints as `round/<n>` ("21st round", "32वीं बैठक" -> "round/21",
  "round/32").
- `story_date`: the day of the event: the first day-granularity date the text mentions, when it is
  not after the publication day (+1) nor more than EVENT_WINDOW_DAYS before it; else the publication
  day; else None. `story_dates`: every day mentioned, plus the publication day. A publication time that
  is only the fetch time (`published_at_source` "fetched") is an upper bound, not a day of the story.

Two articles are in the same story when
- their entity similarity (weighted Jaccard: people 3, events and rounds 2, organisations and places 1,
  unknown names 2 for people else 1; an unknown name counts as shared with another spelling of it,
  linked or not; or, when the dates agree, CONTAINMENT_FACTOR times the share of the smaller key the
  larger names: a preview) is at least ENTITY_THRESHOLD, they name no two different sets of border
  places without one in common (then the event days themselves must agree when the places differ), they share at least one linked person when both name
  linked people, and they share a round when both print one (the 21st and the 22nd round are two
  stories whatever else they share), and
- their dates agree: one's `story_date` is within DATE_TOLERANCE_DAYS of a day the other mentions
  within EVENT_WINDOW_DAYS of its own story date (a recalled earlier event does not count). When they
  share a recurring mechanism (talks, meetings, summits: `recurring_ids`), the two story dates
  themselves must agree. When either has no `story_date` (a preview without a date), dates cannot
  tell, and the entity similarity must reach UNDATED_ENTITY_THRESHOLD instead.
The article joins the story of its best-scoring match; otherwise it starts a story whose id is its
own id. A duplicate joins the story of the article it duplicates.

`MemoryStoryIndex` matches within the given inputs; `ElasticsearchStoryIndex` looks candidates up in
the index (a `terms` query on `story_entities` filtered by a date window, so the cost does not grow
with the index) and in the current batch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from elastic_transport import TransportError
from elasticsearch import Elasticsearch, NotFoundError

from pipeline.article import Article
from pipeline.dates import event_days
from pipeline.dedupe import members, push
from pipeline.entities import derived_from_gazetteer, gazetteer
from pipeline.errors import TransientError
from pipeline.settings import Settings

STAGE = "stories"
LEAD_MIN_CHARS, LEAD_CHARS = 250, 600
EVENT_WINDOW_DAYS = 14
DATE_TOLERANCE_DAYS = 1
ENTITY_THRESHOLD = 0.25
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
FUZZY_NAME_RATIO = 0.85  # similarity of the consonant skeletons of two spellings of one name
ROUND = "round/"  # story key "round/21": the 21st round or meeting of a recurring mechanism
NAME = "name/"  # story key "name/person/mt-rwt": a name the gazetteer does not know (see `name_key`)

# "the 21st round of Corps Commander-level talks", "the 32nd meeting of the WMCC", "19th Corps
# Commander-level meeting", "कोर कमांडर स्तर की 21वें दौर की बातचीत", "डब्ल्यूएमसीसी की 32वीं बैठक".
_ROUND_EN = re.compile(
    r"(?<![\w-])(?P<n>\d{1,3})(?:st|nd|rd|th)\s+(?:[A-Za-z][\w'’-]*\s+){0,4}?"
    r"(?:round|meeting|edition|session|summit)s?\b",
    re.IGNORECASE,
)
_ROUND_HI = re.compile(
    r"(?<![\d\u0900-\u097F])(?P<n>\d{1,3})\s*(?:वीं|वें|वां|वाँ|वा)\s+(?:[\u0900-\u097F]+\s+){0,3}?"
    r"(?:दौर|बैठक|राउंड|चरण|सम्मेलन|वार्ता)"
)
_HI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_RECURRING_WORDS = re.compile(
    r"\b(?:mechanism|talks|meeting|summit|dialogue|consultations?|yatra)\b|वार्ता|बैठक|तंत्र|शिखर", re.IGNORECASE
)


def _day(value: str | None) -> dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def lead_text(article: Article) -> str:
    """Title and the first paragraphs, until LEAD_MIN_CHARS (at most LEAD_CHARS) of text."""
    parts = [article.title or ""]
    size = 0
    for paragraph in (article.text or "").split("\n"):
        if not paragraph.strip():
            continue
        parts.append(paragraph[: LEAD_CHARS - size])
        size += len(parts[-1])
        if size >= LEAD_MIN_CHARS:
            break
    return "\n".join(parts)


def rounds(text: str) -> list[str]:
    """Story keys of the numbered rounds or meetings printed in `text` ("21st round" -> "round/21")."""
    work = text.translate(_HI_DIGITS)
    found = {int(m.group("n")) for pattern in (_ROUND_EN, _ROUND_HI) for m in pattern.finditer(work)}
    return [f"{ROUND}{n}" for n in sorted(found) if 0 < n < 1000]


def story_entities(article: Article) -> list[str]:
    """Ids that name the story (see module doc): the linked, non-generic entities in the lead, the
    unlinked names in the lead, and the numbered rounds the lead prints."""
    gaz = gazetteer()
    generic = gaz.generic_ids
    lead = lead_text(article)
    dateline = (article.dateline or "").casefold()
    # The place a report is filed from ("New Delhi:", "LEH, March 3") is not what it is about, nor is the
    # agency that distributed it ("(PTI)", "(भाषा)"): two outlets' reports of one event differ in both.
    named = [
        e
        for e in article.entities
        if e["id"] not in generic
        and getattr(gaz.entities.get(e["id"]), "kind", None) != "agency"
        and not (dateline and all(m.casefold() in dateline for m in e.get("mentions", [])))
    ]
    linked = [e for e in named if e.get("linked")]
    chosen = {e["id"] for e in linked if any(m and m in lead for m in e.get("mentions", []))}
    if len(chosen) < 2:
        chosen = {e["id"] for e in linked}
    # "Eastern Ladakh" implies "Ladakh" whether or not the text also says "Ladakh" on its own.
    chosen |= {i for e in list(chosen) if e in gaz.entities for i in gaz.entities[e].implies}
    # Officers and officials the gazetteer does not know often name the story in both languages: their
    # key is the consonant skeleton of the (romanised) name, so "अमित रावत" and "Amit Rawat" share one.
    names = {
        name_key(e["id"])
        for e in named
        if not e.get("linked")
        and e["id"].startswith("unlinked/")
        and any(m and m in lead for m in e.get("mentions", []))
    }
    return sorted(chosen - generic) + sorted(names - {None}) + rounds(lead)


def story_dates(article: Article) -> tuple[str | None, list[str]]:
    """(`story_date`, `story_dates`) of an article, from the dates stage's day-granularity dates; the
    event day is the first of `dates.event_days` (the text's own days before a statement's and the
    dateline's) in the window."""
    days = [d["value"] for d in article.dates if d.get("granularity") == "day" and _day(d.get("value"))]
    ordered = [d for d in event_days(article) if d in days] + days
    published = _day(article.published_at)
    story_date = None
    if article.published_at_source == "fetched" and published is not None:
        # First seen is only an upper bound on the event day (an archive may be fetched years later):
        # it is neither the event day nor a day the article mentions.
        story_date = next(
            (d for d in map(_day, ordered) if d is not None and d <= published + dt.timedelta(days=1)), None
        )
        return (story_date.isoformat() if story_date else None), sorted(set(days))
    for first in map(_day, ordered):
        if first is not None and (
            published is None
            or (published - dt.timedelta(days=EVENT_WINDOW_DAYS) <= first <= published + dt.timedelta(days=1))
        ):
            story_date = first
            break
    if story_date is None and published is not None:
        story_date = published
    all_days = set(days)
    if published is not None:
        all_days.add(published.isoformat())
    return (story_date.isoformat() if story_date else None), sorted(all_days)


def _type_of(entity_id: str) -> str:
    parts = entity_id.split("/")
    return parts[1] if parts[0] in ("unlinked", "name") and len(parts) > 2 else parts[0]


def _unlinked(entity_id: str) -> bool:
    return entity_id.startswith(("unlinked/", NAME))


def _weight(entity_id: str) -> float:
    if _unlinked(entity_id):
        return UNLINKED_WEIGHTS.get(_type_of(entity_id), 1.0)
    return TYPE_WEIGHTS.get(_type_of(entity_id), 1.0)


_SKELETON_MAP = str.maketrans({"v": "w", "z": "j", "q": "k", "c": "k", "x": "k"})


@lru_cache(maxsize=65536)
def _skeleton(entity_id: str) -> str:
    """Consonant skeleton of the name in an id: "unlinked/person/amit-ravat" and "person/amit-rawat"
    -> "mt rwt". Vowels, h (aspiration), doubled letters and v/w, z/j spellings differ between a
    romanised Devanagari name and the English spelling of the same name."""
    slug = entity_id.rsplit("/", 1)[-1].lower().replace("ph", "f").translate(_SKELETON_MAP)
    words = []
    for word in slug.split("-"):
        letters = re.sub(r"[aeiouyh\d]", "", word)
        words.append(re.sub(r"(.)\1+", r"\1", letters))
    return " ".join(w for w in words if w)


def name_key(entity_id: str) -> str | None:
    """Story key of an unlinked name: "unlinked/person/amit-ravat" -> "name/person/mt-rwt" (None when
    the skeleton is too short to tell names apart)."""
    skeleton = _skeleton(entity_id)
    if len(skeleton.replace(" ", "")) < 3:
        return None
    return f"{NAME}{_type_of(entity_id)}/{skeleton.replace(' ', '-')}"


def _same_name(a: str, b: str) -> bool:
    """Whether two ids of the same type, at least one unlinked, are spellings of one name."""
    if _type_of(a) != _type_of(b):
        return False
    ka, kb = _skeleton(a), _skeleton(b)
    if len(ka.replace(" ", "")) < 3 or len(kb.replace(" ", "")) < 3:
        return False
    return ka == kb or (ka[0] == kb[0] and SequenceMatcher(None, ka, kb).ratio() >= FUZZY_NAME_RATIO)


def _fuzzy_pairs(sa: set[str], sb: set[str]) -> list[tuple[str, str]]:
    """Pairs (id of `sa`, id of `sb`) that are not equal but spell one name: at least one of them an
    unlinked name, both of one type, their skeletons alike. Each id is in at most one pair."""
    only_a, only_b = sorted(sa - sb), sorted(i for i in sb - sa if not i.startswith(ROUND))
    if not (any(map(_unlinked, only_a)) or any(map(_unlinked, only_b))):
        return []
    pairs, used = [], set()
    for i in only_a:
        if i.startswith(ROUND):
            continue
        for j in only_b:
            if j not in used and (_unlinked(i) or _unlinked(j)) and _same_name(i, j):
                pairs.append((i, j))
                used.add(j)
                break
    return pairs


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


def story_score(a: StoryKey, b: StoryKey) -> float:
    """Entity similarity of two articles if they can be the same story, else 0."""
    persons_a = {i for i in a.entities if i.startswith("person/")}
    persons_b = {i for i in b.entities if i.startswith("person/")}
    if persons_a and persons_b and not persons_a & persons_b:
        return 0.0
    rounds_a = {i for i in a.entities if i.startswith(ROUND)}
    rounds_b = {i for i in b.entities if i.startswith(ROUND)}
    if rounds_a and rounds_b and not rounds_a & rounds_b:
        return 0.0  # the 21st and the 22nd round of the same talks
    places_a = border_place_ids().intersection(a.entities)
    places_b = border_place_ids().intersection(b.entities)
    if places_a and places_b and not places_a & places_b:
        return 0.0  # patrols at Depsang and at Demchok, meetings at Bum La and at Kibithu
    similarity = entity_similarity(a.entities, b.entities)
    if not similarity:
        return 0.0
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


def with_story_key(article: Article) -> Article:
    """Set `story_entities`, `story_date` and `story_dates` (pure)."""
    story_date, days = story_dates(article)
    return article.replace(story_entities=story_entities(article), story_date=story_date, story_dates=days)


def _key(article: Article, story_id: str | None = None) -> StoryKey:
    return StoryKey(
        article.id or article.input,
        story_id or article.story_id or article.id or article.input,
        tuple(article.story_entities or ()),
        article.story_date,
        tuple(article.story_dates or ()),
    )


def best_match(key: StoryKey, candidates: list[StoryKey]) -> StoryKey | None:
    best: tuple[float, StoryKey] | None = None
    for other in candidates:
        if other.id == key.id:
            continue
        score = story_score(key, other)
        if score > 0 and (best is None or score > best[0]):
            best = (score, other)
    return best[1] if best else None


def _days_around(
    values: tuple[str | None, ...] | list[str | None], tolerance: int = DATE_TOLERANCE_DAYS
) -> set[str]:
    days = {_day(v) for v in values} - {None}
    return {(d + dt.timedelta(days=n)).isoformat() for d in days for n in range(-tolerance, tolerance + 1)}


class MemoryStoryIndex:
    """Stories among the articles seen by this object (one run's inputs), in order of arrival.

    Candidates are looked up in buckets keyed by (entity id, day), each holding the BUCKET_SIZE most
    recent articles, and only the CANDIDATES sharing the most entities are scored: the cost per
    article stays flat however many articles mention "Rajnath Singh" on the same day.
    """

    BUCKET_SIZE = 50
    CANDIDATES = 30

    def __init__(self) -> None:
        self._keys: dict[str, StoryKey] = {}
        self._order: dict[str, int] = {}
        # Buckets of the most recent ids (see dedupe.push: not deques, which cost ~600 bytes each).
        self._by_day: dict[tuple[str, str], str | list[str]] = {}  # (entity, any day B mentions)
        self._by_story_date: dict[tuple[str, str], str | list[str]] = {}  # (entity, B's story date)
        self._undated: dict[str, str | list[str]] = {}  # entity -> B without a story date
        self._recent: dict[str, str | list[str]] = {}  # entity -> every B, for undated A

    def story_of(self, article_id: str | None) -> str | None:
        key = self._keys.get(article_id or "")
        return key.story_id if key else None

    def candidates(self, key: StoryKey) -> list[StoryKey]:
        """The recent articles sharing the most entities with `key` whose dates may agree with it."""
        shared: Counter[str] = Counter()
        for e in key.entities:
            if key.story_date:
                for d in _days_around([key.story_date]):
                    shared.update(members(self._by_day, (e, d)))
                for d in _days_around(key.story_dates):
                    shared.update(members(self._by_story_date, (e, d)))
                shared.update(members(self._undated, e))
            else:
                shared.update(members(self._recent, e))
        best = sorted(shared, key=lambda i: (-shared[i], -self._order[i]))[: self.CANDIDATES]
        return [self._keys[i] for i in best]

    def add(self, key: StoryKey) -> None:
        if key.id in self._keys:
            return
        self._keys[key.id] = key
        self._order[key.id] = len(self._order)
        days = {x for x in (*key.story_dates, key.story_date) if x}
        for e in key.entities:
            push(self._recent, e, key.id, self.BUCKET_SIZE)
            if key.story_date:
                push(self._by_story_date, (e, key.story_date), key.id, self.BUCKET_SIZE)
            else:
                push(self._undated, e, key.id, self.BUCKET_SIZE)
            for d in days:
                push(self._by_day, (e, d), key.id, self.BUCKET_SIZE)

    def assign(self, article: Article) -> Article:
        """Set the story key fields and `story_id`, and remember the article."""
        article = with_story_key(article)
        key = _key(article)
        story_id = self.story_of(article.duplicate_of) or self.story_of(article.id)
        if story_id is None:
            match = best_match(key, self.candidates(key))
            story_id = match.story_id if match else key.id
        self.add(_key(article, story_id))
        return article.replace(story_id=story_id)


class ElasticsearchStoryIndex:
    """Stories of the indexed articles (looked up in Elasticsearch) and of the current batch."""

    CANDIDATES = 30
    WINDOW_DAYS = 7  # candidates' story_date within this many days of the article's

    def __init__(self, es: Elasticsearch, settings: Settings, index: str | None = None) -> None:
        self.es = es
        self.settings = settings
        self.index = index or settings.read_alias  # another index: a reprocess reads the one it fills
        self.batch = MemoryStoryIndex()
        self.lookups = 0

    def _search(self, query: dict[str, Any], size: int, article: Article) -> list[dict[str, Any]]:
        self.lookups += 1
        try:
            response = self.es.search(
                index=self.index,
                query=query,
                size=size,
                source=["story_id", "story_entities", "story_date", "story_dates"],
            )
        except NotFoundError:
            return []
        except TransportError as exc:
            raise TransientError(STAGE, f"story lookup failed: {exc}", item=article.input) from exc
        return response["hits"]["hits"]

    def indexed_lookup(self, article: Article) -> tuple[str | None, list[StoryKey]]:
        """One search: the story of `article` itself if it is already indexed (a re-run keeps its
        story), and the indexed articles sharing an entity with it in its date window (or undated),
        best first."""
        clauses: list[dict[str, Any]] = []
        if article.id:
            clauses.append({"ids": {"values": [article.id], "boost": 1000}})
        if article.story_entities:
            candidates: dict[str, Any] = {
                "bool": {"filter": [{"terms": {"story_entities": article.story_entities}}]}
            }
            day = _day(article.story_date)
            if day is not None:
                window = dt.timedelta(days=self.WINDOW_DAYS)
                candidates["bool"]["filter"].append(
                    {
                        "bool": {
                            "should": [
                                {
                                    "range": {
                                        "story_date": {
                                            "gte": (day - window).isoformat(),
                                            "lte": (day + window).isoformat(),
                                        }
                                    }
                                },
                                {
                                    "terms": {
                                        "story_dates": [
                                            (day + dt.timedelta(days=n)).isoformat() for n in (-1, 0, 1)
                                        ]
                                    }
                                },
                                {"bool": {"must_not": {"exists": {"field": "story_date"}}}},
                            ],
                            "minimum_should_match": 1,
                        }
                    }
                )
            # More shared entities score higher: the best candidates come first.
            candidates["bool"]["should"] = [{"term": {"story_entities": e}} for e in article.story_entities]
            clauses.append(candidates)
        if not clauses:
            return None, []
        query = {"bool": {"should": clauses, "minimum_should_match": 1}}
        own, found = None, []
        for hit in self._search(query, self.CANDIDATES + 1, article):
            if hit["_id"] == article.id:
                own = hit["_source"].get("story_id") or hit["_id"]
            else:
                found.append(StoryKey.from_source(hit["_id"], hit["_source"]))
        return own, found[: self.CANDIDATES]

    def _indexed_story_of(self, article_id: str, article: Article) -> str | None:
        hits = self._search({"ids": {"values": [article_id]}}, 1, article)
        return (hits[0]["_source"].get("story_id") or hits[0]["_id"]) if hits else None

    def assign(self, article: Article) -> Article:
        """Set the story key fields and `story_id`: an indexed story first, else one of this batch."""
        article = with_story_key(article)
        key = _key(article)
        story_id = self.batch.story_of(article.duplicate_of)
        if story_id is None and article.duplicate_of:
            story_id = self._indexed_story_of(article.duplicate_of, article)
        if story_id is None:
            story_id, candidates = self.indexed_lookup(article)
            if story_id is None:
                match = best_match(key, candidates) or best_match(key, self.batch.candidates(key))
                story_id = match.story_id if match else key.id
        self.batch.add(_key(article, story_id))
        return article.replace(story_id=story_id)
