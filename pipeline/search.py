"""Search the article index (through the read alias): the query analysts type, plus filters on
entities, language, date and story. Also builds the filters the change feed and webhooks share.

It reads only; it does not index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch

from pipeline.settings import Settings

# Full-text fields; the language sub-fields exist only where the cluster has the analyzers, and a
# query on a field that is not mapped simply matches nothing there.
TEXT_FIELDS = ["title^3", "title.en^3", "title.hi^3", "text", "text.en", "text.hi"]
ENTITY_KEYWORD_FIELDS = ["entity_ids", "people", "organizations", "locations", "events"]
_RELATIVE = re.compile(r"^(\d+)([mhdwMy])$")


@dataclass(frozen=True)
class Filters:
    """What a reader wants: free text plus exact filters (all must hold; several values of one
    filter mean any of them)."""

    query: str | None = None
    entities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: str | None = None  # ISO date/time, or relative: 30m, 24h, 7d, 2w, 1M, 1y
    stories: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "entities": list(self.entities),
            "languages": list(self.languages),
            "since": self.since,
            "stories": list(self.stories),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Filters:
        data = data or {}
        return cls(
            query=data.get("query") or None,
            entities=tuple(data.get("entities") or ()),
            languages=tuple(data.get("languages") or ()),
            since=data.get("since") or None,
            stories=tuple(data.get("stories") or ()),
        )


def since_bound(since: str) -> str:
    """A `range` bound for `since`: relative values become date math (`7d` -> `now-7d`)."""
    match = _RELATIVE.match(since.strip())
    return f"now-{match.group(1)}{match.group(2)}" if match else since.strip()


def entity_clause(entity: str) -> dict[str, Any]:
    """Matches an entity by id or by name of any type, ignoring case."""
    return {
        "bool": {
            "should": [
                {"term": {name: {"value": entity, "case_insensitive": True}}}
                for name in ENTITY_KEYWORD_FIELDS
            ],
            "minimum_should_match": 1,
        }
    }


def filter_clauses(filters: Filters) -> list[dict[str, Any]]:
    """The exact (non-scoring) clauses of `filters`."""
    clauses: list[dict[str, Any]] = [entity_clause(e) for e in filters.entities]
    if filters.languages:
        clauses.append({"terms": {"language": list(filters.languages)}})
    if filters.stories:
        clauses.append({"terms": {"story_id": list(filters.stories)}})
    if filters.since:
        clauses.append({"range": {"published_at": {"gte": since_bound(filters.since)}}})
    return clauses


def text_clause(query: str) -> dict[str, Any]:
    """Free text as analysts type it: words all required, "quoted phrases", -excluded, a | b."""
    return {"simple_query_string": {"query": query, "fields": TEXT_FIELDS, "default_operator": "and"}}


def es_query(filters: Filters) -> dict[str, Any]:
    """The Elasticsearch query for `filters`."""
    must = [text_clause(filters.query)] if filters.query else []
    return {"bool": {"must": must or [{"match_all": {}}], "filter": filter_clauses(filters)}}


@dataclass
class SearchResult:
    total: int
    hits: list[dict[str, Any]] = field(default_factory=list)  # {"id", "score", "document", "highlights"}


def search(es: Elasticsearch, settings: Settings, filters: Filters, size: int = 10) -> SearchResult:
    """Best matches first when there is free text, else the newest first."""
    if not es.indices.exists_alias(name=settings.read_alias):
        return SearchResult(total=0)
    sort: list[Any] = (
        ["_score", {"published_at": {"order": "desc", "missing": "_last"}}]
        if filters.query
        else [{"published_at": {"order": "desc", "missing": "_last"}}, {"ingest_seq": "desc"}]
    )
    response = es.search(
        index=settings.read_alias,
        query=es_query(filters),
        sort=sort,
        size=size,
        track_total_hits=True,
        source_excludes=["minhash"],
        highlight={
            "fields": {
                "title": {"number_of_fragments": 0},
                "text": {"fragment_size": 160, "number_of_fragments": 2},
            },
            "pre_tags": ["«"],
            "post_tags": ["»"],
        },
    )
    hits = [
        {
            "id": h["_id"],
            "score": h.get("_score"),
            "document": h["_source"],
            "highlights": h.get("highlight", {}),
        }
        for h in response["hits"]["hits"]
    ]
    return SearchResult(total=response["hits"]["total"]["value"], hits=hits)


def format_hit(hit: dict[str, Any]) -> str:
    """A few readable lines for one hit: title, outlet, date, language, entities, highlights, link."""
    doc = hit["document"]
    title = (hit["highlights"].get("title") or [doc.get("title") or "(untitled)"])[0]
    head = f"{title}\n    {doc.get('source') or doc.get('feed') or '?'} | {doc.get('published_at') or 'date unknown'} | {doc.get('language') or '?'}"
    lines = [head]
    for label, name in (
        ("people", "people"),
        ("places", "locations"),
        ("organizations", "organizations"),
        ("events", "events"),
    ):
        if doc.get(name):
            lines.append(f"    {label}: {', '.join(doc[name][:8])}")
    if doc.get("story_id"):
        lines.append(f"    story: {doc['story_id']}")
    for fragment in hit["highlights"].get("text", []):
        lines.append(f"    … {' '.join(fragment.split())} …")
    if doc.get("url"):
        lines.append(f"    <{doc['url']}>")
    return "\n".join(lines)
