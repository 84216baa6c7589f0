"""A story's record, computed from its articles: one document of the stories index.

`story_document(story_id, articles)` is a pure function of the *set* of the story's article
documents (as the article index stores them): the same articles give the same document whatever
order they arrived in, however often they were indexed. It does not read or write Elasticsearch
(`pipeline.story_index` does).

- `article_count`: articles of the story that are not duplicates; `duplicate_count`: indexed
  articles of the story with `duplicate_of` set (copies of an original; they name the original's
  story). Neither count includes the other.
- `first_seen` / `last_seen`: the earliest and latest `published_at` of all its articles.
- `event_day`: the `story_date` most of its articles give (the earliest of equally common ones).
- `languages`, `sources`, `feeds`, and per entity type the names and ids: most common first (by
  the number of articles naming it, then alphabetically), at most TOP_PER_TYPE per type.
- `headline` and `headlines[lang]`: the title of the story's most *representative* article (overall,
  and per language): the one whose entities the other articles of the story share most (the sum,
  over its distinct entity ids, of how many other articles name each), an original before a
  duplicate, then the earliest published, then the smallest id. Entity ids do not depend on the
  script, so a Hindi report of the same meeting scores like the English ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 1
TOP_PER_TYPE = 10
TOP_ENTITIES = 40
# Entity types as the entities stage names them -> the story's name and id fields (as on articles).
TYPE_FIELDS: dict[str, tuple[str, str]] = {
    "person": ("people", "people_ids"),
    "location": ("locations", "location_ids"),
    "organization": ("organizations", "organization_ids"),
    "event": ("events", "event_ids"),
}
# Fields of a story document that change without its content changing.
VOLATILE_FIELDS = frozenset({"ingest_seq", "updated_at"})
# Fields of an article the story document is computed from (what the stories index reads).
ARTICLE_FIELDS = [
    "id",
    "title",
    "language",
    "source",
    "feed",
    "published_at",
    "story_id",
    "story_date",
    "duplicate_of",
    "entities.id",
    "entities.name",
    "entities.type",
    "entities.linked",
    "entities.coordinates",
]


def _instant(value: str | None) -> datetime | None:
    """An ISO date/time as an aware datetime (a naive one is taken as UTC), or None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def ranked(counts: Counter[str], limit: int | None = None) -> list[str]:
    """Keys most common first, ties alphabetically (so the order never depends on arrival)."""
    keys = sorted(counts, key=lambda k: (-counts[k], k))
    return keys[:limit] if limit else keys


def _entities(article: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The article's entities by id (first mention wins), skipping malformed ones."""
    out: dict[str, dict[str, Any]] = {}
    for entity in article.get("entities") or []:
        if isinstance(entity, dict) and entity.get("id") and entity.get("name"):
            out.setdefault(str(entity["id"]), entity)
    return out


def _entity_fields(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Per type the top names and ids, `entity_ids`, `top_entities` and the places' points."""
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    types: dict[str, str] = {}
    points: dict[tuple[float, float], None] = {}
    for article in articles:
        for eid, entity in _entities(article).items():
            counts[eid] += 1
            names.setdefault(eid, Counter())[str(entity["name"])] += 1
            types.setdefault(eid, str(entity.get("type") or "").lower())
            point = entity.get("coordinates")
            if entity.get("linked", True) and isinstance(point, dict) and "lat" in point and "lon" in point:
                points[(float(point["lat"]), float(point["lon"]))] = None
    name_of = {eid: ranked(c)[0] for eid, c in names.items()}
    doc: dict[str, Any] = {"entity_ids": ranked(counts)}
    for etype, (names_field, ids_field) in TYPE_FIELDS.items():
        of_type = Counter({eid: n for eid, n in counts.items() if types[eid] == etype})
        ids = ranked(of_type, TOP_PER_TYPE)
        doc[ids_field] = ids
        doc[names_field] = list(dict.fromkeys(name_of[eid] for eid in ids))
    doc["top_entities"] = [
        {"id": eid, "name": name_of[eid], "type": types[eid], "count": counts[eid]}
        for eid in ranked(counts, TOP_ENTITIES)
    ]
    doc["locations_geo"] = [{"lat": lat, "lon": lon} for lat, lon in sorted(points)]
    return doc


def representative(articles: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The article whose entities the others share most (see the module docstring), among those with
    a title; None when none has one."""
    counts: Counter[str] = Counter()
    for article in articles:
        counts.update(_entities(article).keys())
    titled = [a for a in articles if (a.get("title") or "").strip()]
    if not titled:
        return None

    def order(article: dict[str, Any]) -> tuple[Any, ...]:
        shared = sum(counts[eid] - 1 for eid in _entities(article))
        when = _instant(article.get("published_at"))
        return (
            -shared,
            bool(article.get("duplicate_of")),
            when is None,
            when or datetime.min.replace(tzinfo=UTC),
            str(article.get("id")),
        )

    return min(titled, key=order)


def _headlines(articles: list[dict[str, Any]]) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    best = representative(articles)
    if best is None:
        return doc
    doc["headline"] = best["title"].strip()
    by_language: dict[str, list[dict[str, Any]]] = {}
    for article in articles:
        if article.get("language"):
            by_language.setdefault(str(article["language"]), []).append(article)
    headlines, headline_ids = {}, {}
    for language in sorted(by_language):
        chosen = representative(by_language[language])
        if chosen is not None:
            headlines[language] = chosen["title"].strip()
            headline_ids[language] = str(chosen["id"])
    doc["headlines"], doc["headline_ids"] = headlines, headline_ids
    return doc


def _span(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """`first_seen`, `last_seen` (as stored on the articles) and `event_day`."""
    doc: dict[str, Any] = {}
    dated = [(when, a["published_at"]) for a in articles if (when := _instant(a.get("published_at")))]
    if dated:
        doc["first_seen"] = min(dated)[1]
        doc["last_seen"] = max(dated)[1]
    days = Counter(str(a["story_date"])[:10] for a in articles if a.get("story_date"))
    if days:
        doc["event_day"] = min(days, key=lambda d: (-days[d], d))
    return doc


def story_document(story_id: str, articles: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The story's document (without `ingest_seq` and `updated_at`) from its articles' documents.

    No articles: the document of a *dissolved* story (`article_count` 0, no dates, no names): its
    articles moved to other stories or are gone, and followers of the story feed learn it that way."""
    unique = {str(a["id"]): a for a in articles if a.get("id")}
    members = [unique[k] for k in sorted(unique)]
    originals = [a for a in members if not a.get("duplicate_of")]
    doc: dict[str, Any] = {
        "story_id": story_id,
        "schema_version": SCHEMA_VERSION,
        "article_count": len(originals),
        "duplicate_count": len(members) - len(originals),
        "article_ids": [str(a["id"]) for a in members],
        "languages": ranked(Counter(str(a["language"]) for a in members if a.get("language"))),
        "sources": ranked(Counter(str(a["source"]) for a in members if a.get("source"))),
        "feeds": ranked(Counter(str(a["feed"]) for a in members if a.get("feed"))),
    }
    doc.update(_headlines(members))
    doc.update(_span(members))
    doc.update(_entity_fields(members))
    return doc


def content(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a story change is: any field other than `ingest_seq` and `updated_at` differs."""
    if doc is None:
        return None
    return {k: v for k, v in doc.items() if k not in VOLATILE_FIELDS}
