"""Search the article index (through the read alias): the query analysts type, plus filters on
entities, language, date and story. Also builds the filters the change feed and webhooks share.

It reads only; it does not index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from elasticsearch import Elasticsearch

from pipeline.search_entities import NamedEntity, aliases, named_entities, resolve_entity
from pipeline.settings import Settings

# Full-text fields; the language sub-fields exist only where the cluster has the analyzers, and a
# query on a field that is not mapped simply matches nothing there.
TEXT_FIELDS = ["title^3", "title.en^3", "title.hi^3", "text", "text.en", "text.hi"]
ENTITY_KEYWORD_FIELDS = ["entity_ids", "people", "organizations", "locations", "events"]
_RELATIVE = re.compile(r"^(\d+)([mhdwMy])$")
# Score of each entity the free text names, on an article tagged with it: below the text score of a
# title match (BM25 on title^3 is several points), so reports that also match as text rank first.
ENTITY_BOOST = 1.0


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


class QueryError(ValueError):
    """A query or argument refused before any request: the message says what is allowed."""


MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 40  # words, phrases and operators of the free text
MAX_FILTER_VALUES = 50  # values of all filters together
MAX_SIZE = 500
SEARCH_TIMEOUT = "10s"  # Elasticsearch stops collecting hits after this and returns what it has
REQUEST_TIMEOUT_S = 15  # the client waits a little longer than Elasticsearch searches
_OPERATORS = re.compile(r'["|+*()~]|(?:^|\s)-')
_MAX_RELATIVE = 100_000


def parse_since(value: str) -> str:
    """`value` checked: an ISO date or date-time, or a relative span (30m, 24h, 7d, 2w, 1M, 1y)."""
    text = value.strip()
    match = _RELATIVE.match(text)
    if match:
        if int(match.group(1)) > _MAX_RELATIVE:
            raise QueryError(f"{value!r}: at most {_MAX_RELATIVE} units")
        return text
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(
            f"{value!r} is neither an ISO date or date-time (2024-11-20, 2024-11-20T10:00:00Z) "
            "nor a relative span (30m, 24h, 7d, 2w, 1M, 1y)"
        ) from None
    return text


def parse_size(value: str | int, maximum: int = MAX_SIZE) -> int:
    """A result count between 1 and `maximum`."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise QueryError(f"{value!r} is not a whole number") from None
    if not 1 <= size <= maximum:
        raise QueryError(f"{size}: give 1 to {maximum}")
    return size


def check_query(query: str | None) -> str | None:
    """The free text checked against the length and term caps (None or blank: no free text)."""
    if query is None or not query.strip():
        return None
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query has {len(query)} characters; at most {MAX_QUERY_CHARS} are allowed")
    terms = len(query.split()) + len(_OPERATORS.findall(query))
    if terms > MAX_QUERY_TERMS:
        raise QueryError(f"the query has {terms} words and operators; at most {MAX_QUERY_TERMS} are allowed")
    return query


def check_filters(filters: Filters) -> Filters:
    """`filters` checked before any request (query caps, `since`, the number of filter values)."""
    check_query(filters.query)
    if filters.since:
        parse_since(filters.since)
    values = len(filters.entities) + len(filters.languages) + len(filters.stories)
    if values > MAX_FILTER_VALUES:
        raise QueryError(f"{values} filter values; at most {MAX_FILTER_VALUES} are allowed")
    for value in (*filters.entities, *filters.languages, *filters.stories):
        if not value.strip() or len(value) > 200:
            raise QueryError(f"filter value {value[:40]!r}: give 1 to 200 characters")
    return filters


def since_bound(since: str) -> str:
    """A `range` bound for `since`: relative values become date math (`7d` -> `now-7d`)."""
    match = _RELATIVE.match(since.strip())
    return f"now-{match.group(1)}{match.group(2)}" if match else since.strip()


def entity_clause(entity: str) -> dict[str, Any]:
    """Matches an entity by id or by name of any type, ignoring case; a name or spelling the
    gazetteer resolves (either script, close spellings) also matches its id."""
    should: list[dict[str, Any]] = [
        {"term": {name: {"value": entity, "case_insensitive": True}}} for name in ENTITY_KEYWORD_FIELDS
    ]
    resolved = resolve_entity(entity)
    if resolved and resolved != entity:
        should.append({"term": {"entity_ids": resolved}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


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


def query_entities(query: str | None) -> list[NamedEntity]:
    """The known entities a plain free-text query names (none when it uses operators: then the
    reader asked for exactly that text)."""
    if not query or _OPERATORS.search(query):
        return []
    return named_entities(query)


def entity_branch(query: str, named: list[NamedEntity]) -> dict[str, Any]:
    """Articles tagged with every entity the query names (any language), whose text matches the
    query's other words; each named entity scores ENTITY_BOOST, the other words as text."""
    rest, last = [], 0
    for found in named:
        rest.append(query[last : found.start])
        last = found.end
    rest.append(query[last:])
    leftover = " ".join(" ".join(rest).split())
    must: list[dict[str, Any]] = [
        {"constant_score": {"filter": {"term": {"entity_ids": eid}}, "boost": ENTITY_BOOST}}
        for eid in dict.fromkeys(n.id for n in named)
    ]
    if leftover:
        must.append(text_clause(leftover))
    return {"bool": {"must": must}}


def scoring_clause(query: str) -> dict[str, Any]:
    """The free text, and when it names known entities, also those entities' ids (see entity_branch):
    a `bool` whose `should` adds up the scores of the branches that match."""
    named = query_entities(query)
    if not named:
        return text_clause(query)
    return {"bool": {"should": [text_clause(query), entity_branch(query, named)], "minimum_should_match": 1}}


def es_query(filters: Filters) -> dict[str, Any]:
    """The Elasticsearch query for `filters` (checked first: `QueryError` when over a cap)."""
    check_filters(filters)
    must = [scoring_clause(filters.query)] if filters.query and filters.query.strip() else []
    return {"bool": {"must": must or [{"match_all": {}}], "filter": filter_clauses(filters)}}


def highlight_query(filters: Filters) -> dict[str, Any] | None:
    """What to mark in titles and texts: the query's words, and the mentions (any alias, either
    script) of the entities the query names or the filters ask for."""
    ids = [n.id for n in query_entities(filters.query)]
    ids += [r for e in filters.entities if (r := resolve_entity(e))]
    should: list[dict[str, Any]] = [text_clause(filters.query)] if filters.query else []
    for alias in [a for eid in dict.fromkeys(ids) for a in aliases(eid)]:
        should.append({"multi_match": {"query": alias, "type": "phrase", "fields": ["title", "text"]}})
    return {"bool": {"should": should}} if should else None


@dataclass
class SearchResult:
    total: int
    hits: list[dict[str, Any]] = field(default_factory=list)  # {"id", "score", "document", "highlights"}
    timed_out: bool = False  # Elasticsearch stopped at SEARCH_TIMEOUT: the hits are partial


def search(es: Elasticsearch, settings: Settings, filters: Filters, size: int = 10) -> SearchResult:
    """Best matches first when there is free text, else the newest first.

    Checked before any request (`QueryError`); Elasticsearch is given SEARCH_TIMEOUT, and the client
    does not send the search again on a timeout or an error (a query that timed out once would time
    out again, at the cost of every other search)."""
    query = es_query(filters)
    size = parse_size(size)
    if not es.indices.exists_alias(name=settings.read_alias):
        return SearchResult(total=0)
    newest = {"published_at": {"order": "desc", "missing": "_last"}}
    sort: list[Any] = ["_score", newest] if filters.query else [newest, {"ingest_seq": "desc"}]
    highlight: dict[str, Any] = {
        "fields": {
            "title": {"number_of_fragments": 0},
            "text": {"fragment_size": 160, "number_of_fragments": 2},
        },
        "pre_tags": ["«"],
        "post_tags": ["»"],
    }
    marked = highlight_query(filters)
    if marked:
        highlight["highlight_query"] = marked
    response = es.options(max_retries=0, retry_on_timeout=False, request_timeout=REQUEST_TIMEOUT_S).search(
        index=settings.read_alias,
        query=query,
        sort=sort,
        size=size,
        track_total_hits=True,
        timeout=SEARCH_TIMEOUT,
        source_excludes=["minhash", "minhash_bands"],
        highlight=highlight,
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
    return SearchResult(
        total=response["hits"]["total"]["value"], hits=hits, timed_out=bool(response.get("timed_out"))
    )


def format_hit(hit: dict[str, Any]) -> str:
    """A few readable lines for one hit: title, outlet, date, language, entities, highlights, link."""
    doc = hit["document"]
    title = (hit["highlights"].get("title") or [doc.get("title") or "(untitled)"])[0]
    outlet = doc.get("source") or doc.get("feed") or "?"
    when = doc.get("published_at") or "date unknown"
    lines = [title, f"    {outlet} | {when} | {doc.get('language') or '?'}"]
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
