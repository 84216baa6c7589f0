"""The stories index: one document per story (`pipeline.story_records`), kept exact by recomputing.

`<prefix>-stories-v1` behind the read alias `<prefix>-stories` (mapping
`pipeline/data/mapping-stories-v1.json`, contract `schema/story-v1.schema.json`).

`refresh_stories(es, settings, story_ids, article_ids=...)` recomputes each named story from *all* the
articles of the article index that carry its `story_id` (so a re-run, a reprocess, articles arriving
out of order or twice all give the same document), plus every story whose stored `article_ids` hold
one of `article_ids` (an article relabelled to another story leaves its old story). It writes a
document only when its content changed, under the next number of the ingest sequence
(`pipeline.sequence`, the counter articles use), with the same lease rule: the numbers are released
only once the documents are searchable, so `read_changes` below never skips a story change.

Concurrent writers: each write is conditional on the stored document being the one read before the
articles were read (`if_seq_no`), and a conflict recomputes that story. A story whose articles are
all gone is written as a dissolved story (`article_count` 0) rather than deleted, so followers learn
it; `stories refresh --all` recomputes every story and also dissolves those left over by a reprocess.

It does not assign stories (the stories stage does) nor touch articles.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch, helpers

from pipeline import mappings, sequence
from pipeline.index import ensure_index
from pipeline.search import Filters, check_filters, entity_clause, parse_size, since_bound
from pipeline.settings import Settings
from pipeline.story_records import ARTICLE_FIELDS, content, story_document

STORIES_VERSION = 1
CHUNK = 200  # stories recomputed per round trip
ROUNDS = 12  # tries for a story whose stored document keeps changing under us
BACKOFF_S = 0.05  # first wait after a lost write; doubles each round (jittered, at most 2 s)


def stories_alias(settings: Settings) -> str:
    return settings.index("stories")


def stories_index_name(settings: Settings, version: int = STORIES_VERSION) -> str:
    return f"{stories_alias(settings)}-v{version}"


def ensure_stories_index(es: Elasticsearch, settings: Settings) -> str:
    """Create `<prefix>-stories-v1` and its read alias on first use; return the alias."""
    alias = stories_alias(settings)
    if es.indices.exists_alias(name=alias):
        return alias
    name = stories_index_name(settings)
    ensure_index(es, name, mappings.load_mapping(f"stories-v{STORIES_VERSION}"))
    es.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
    sequence.ensure_counter(es, settings)
    return alias


@dataclass
class StoriesReport:
    checked: int = 0
    written: int = 0
    dissolved: int = 0
    unchanged: int = 0
    conflicts: int = 0
    written_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "written_ids"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _scan(es: Elasticsearch, index: str, query: dict[str, Any], source: Any) -> Iterator[dict[str, Any]]:
    yield from helpers.scan(es, index=index, query={"query": query, "_source": source}, size=1000)


def stories_holding(es: Elasticsearch, settings: Settings, article_ids: Iterable[str]) -> set[str]:
    """Ids of the stored stories whose `article_ids` include one of `article_ids`."""
    ids = sorted(set(article_ids))
    found: set[str] = set()
    for start in range(0, len(ids), 1000):
        query = {"terms": {"article_ids": ids[start : start + 1000]}}
        found.update(h["_id"] for h in _scan(es, stories_alias(settings), query, False))
    return found


def articles_by_story(
    es: Elasticsearch, articles_index: str, story_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Every article document of the given stories (the fields a story is computed from)."""
    grouped: dict[str, list[dict[str, Any]]] = {sid: [] for sid in story_ids}
    if not es.indices.exists(index=articles_index):
        return grouped
    for hit in _scan(es, articles_index, {"terms": {"story_id": story_ids}}, ARTICLE_FIELDS):
        source = hit["_source"]
        grouped.setdefault(source.get("story_id"), []).append({"id": hit["_id"], **source})
    return grouped


def refresh_stories(
    es: Elasticsearch,
    settings: Settings,
    story_ids: Iterable[str | None],
    *,
    article_ids: Iterable[str | None] = (),
    articles_index: str | None = None,
) -> StoriesReport:
    """Recompute the named stories (and those holding any of `article_ids`) from the article index
    (the read alias, or `articles_index`); write the changed ones under new sequence numbers."""
    ensure_stories_index(es, settings)
    wanted = {s for s in story_ids if s}
    held = [a for a in article_ids if a]
    if held:
        es.indices.refresh(index=stories_alias(settings))
        wanted |= stories_holding(es, settings, held)
    ordered = sorted(wanted)
    report = StoriesReport(checked=len(ordered))
    for start in range(0, len(ordered), CHUNK):
        pending = ordered[start : start + CHUNK]
        for attempt in range(ROUNDS):
            pending = _refresh_chunk(es, settings, pending, articles_index or settings.read_alias, report)
            if not pending:
                break
            # Writers that lost the same race would collide again at once: wait a jittered, growing time.
            time.sleep(random.uniform(0, min(2.0, BACKOFF_S * 2**attempt)))
        else:
            raise RuntimeError(f"stories {pending[:5]} kept changing during {ROUNDS} recomputations")
    return report


def _stored(es: Elasticsearch, settings: Settings, ids: list[str]) -> dict[str, dict[str, Any]]:
    docs = es.mget(index=stories_alias(settings), ids=ids, realtime=True)["docs"]
    return {d["_id"]: d for d in docs if d.get("found")}


def _refresh_chunk(
    es: Elasticsearch, settings: Settings, ids: list[str], articles_index: str, report: StoriesReport
) -> list[str]:
    """One round: read stored docs, then articles; write what changed. Returns ids to redo."""
    stored = _stored(es, settings, ids)  # before the articles: see the module docstring
    es.indices.refresh(index=articles_index)
    grouped = articles_by_story(es, articles_index, ids)
    changed: list[tuple[str, dict[str, Any]]] = []
    for sid in ids:
        doc = story_document(sid, grouped.get(sid, []))
        old = stored.get(sid)
        if old is None and not doc["article_ids"]:
            continue  # never stored, nothing to dissolve
        if old is not None and content(old["_source"]) == doc:
            report.unchanged += 1
            continue
        changed.append((sid, doc))
    if not changed:
        return []
    lease = sequence.allocate(es, settings, len(changed))
    return _write(es, settings, changed, stored, lease, report)


def _write(
    es: Elasticsearch,
    settings: Settings,
    changed: list[tuple[str, dict[str, Any]]],
    stored: dict[str, dict[str, Any]],
    lease: sequence.Lease,
    report: StoriesReport,
) -> list[str]:
    now = _now()
    actions = []
    for (sid, doc), seq in zip(changed, lease.numbers(), strict=True):
        action: dict[str, Any] = {
            "_index": stories_index_name(settings),
            "_id": sid,
            "_source": {**doc, "ingest_seq": seq, "updated_at": now},
        }
        if sid in stored:
            action.update(if_seq_no=stored[sid]["_seq_no"], if_primary_term=stored[sid]["_primary_term"])
        else:
            action["_op_type"] = "create"
        actions.append(action)
    retry: list[str] = []
    errors: list[Any] = []
    for ok, item in helpers.streaming_bulk(es, actions, raise_on_error=False, raise_on_exception=False):
        result = next(iter(item.values()))
        if ok:
            report.written_ids.append(result["_id"])
        elif result.get("status") == 409:
            retry.append(result["_id"])  # another writer changed it since we read it: recompute
        else:
            errors.append(result)
    es.indices.refresh(index=stories_alias(settings))  # searchable before the numbers are released
    held = sequence.release(es, settings, lease)
    _count(changed, retry, errors, report)
    if errors:
        raise RuntimeError(f"{len(errors)} story documents were refused: {errors[0]}")
    if not held:
        # The lease expired: a reader may have passed these numbers. Write them again, new numbers.
        written = {sid for sid, _ in changed} - set(retry)
        forced = {sid: es.get(index=stories_alias(settings), id=sid) for sid in written}
        return retry + _rewrite(es, settings, forced, report)
    return retry


def _count(
    changed: list[tuple[str, dict[str, Any]]], retry: list[str], errors: list[Any], report: StoriesReport
) -> None:
    failed = set(retry) | {e.get("_id") for e in errors}
    report.conflicts += len(retry)
    for sid, doc in changed:
        if sid not in failed:
            report.written += 1
            report.dissolved += doc["article_count"] + doc["duplicate_count"] == 0


def _rewrite(
    es: Elasticsearch, settings: Settings, found: dict[str, dict[str, Any]], report: StoriesReport
) -> list[str]:
    """Index the stored documents `found` again under new numbers (nothing else changes)."""
    if not found:
        return []
    changed = [(sid, content(d["_source"]) or {}) for sid, d in found.items()]
    lease = sequence.allocate(es, settings, len(changed))
    return _write(es, settings, changed, found, lease, report)


def all_story_ids(es: Elasticsearch, settings: Settings, articles_index: str | None = None) -> set[str]:
    """Every story id the article index names, and every story the stories index holds."""
    ids: set[str] = set()
    source = articles_index or settings.read_alias
    after: dict[str, Any] | None = None
    while es.indices.exists(index=source):
        composite: dict[str, Any] = {"size": 1000, "sources": [{"s": {"terms": {"field": "story_id"}}}]}
        if after:
            composite["after"] = after
        agg = es.search(index=source, size=0, aggs={"ids": {"composite": composite}})["aggregations"]["ids"]
        ids.update(b["key"]["s"] for b in agg["buckets"])
        after = agg.get("after_key")
        if not after or not agg["buckets"]:
            break
    ids.update(h["_id"] for h in _scan(es, stories_alias(settings), {"match_all": {}}, False))
    return ids


def refresh_all(es: Elasticsearch, settings: Settings, articles_index: str | None = None) -> StoriesReport:
    """Recompute every story (after a reprocess, or to repair): exact whatever happened before."""
    ensure_stories_index(es, settings)
    es.indices.refresh(index=stories_alias(settings))
    ids = all_story_ids(es, settings, articles_index)
    return refresh_stories(es, settings, sorted(ids), articles_index=articles_index)


def read_changes(
    es: Elasticsearch, settings: Settings, cursor: int = 0, size: int = 100
) -> tuple[list[dict[str, Any]], int]:
    """The story change feed: stories changed after `cursor` (an `ingest_seq`), oldest change first,
    never past the sequence watermark; returns them and the cursor to resume from."""
    limit = sequence.watermark(es, settings)  # read BEFORE searching: all below it is searchable
    if limit <= cursor or not es.indices.exists_alias(name=stories_alias(settings)):
        return [], max(cursor, 0)
    hits = es.search(
        index=stories_alias(settings),
        query={"range": {"ingest_seq": {"gt": cursor, "lte": limit}}},
        sort=[{"ingest_seq": "asc"}],
        size=size,
    )["hits"]["hits"]
    docs = [h["_source"] for h in hits]
    return docs, (docs[-1]["ingest_seq"] if len(docs) == size else limit)


def list_stories(
    es: Elasticsearch,
    settings: Settings,
    *,
    since: str | None = None,
    entities: Iterable[str] = (),
    languages: Iterable[str] = (),
    size: int = 20,
) -> tuple[int, list[dict[str, Any]]]:
    """Stories with articles, largest first, then the most recently seen: those seen `since` (their
    `last_seen`), naming every one of `entities` (any spelling `search` resolves), in any of
    `languages`. Returns the number matching and the first `size`."""
    wanted = check_filters(Filters(entities=tuple(entities), languages=tuple(languages), since=since))
    size = parse_size(size)
    alias = stories_alias(settings)
    if not es.indices.exists_alias(name=alias):
        return 0, []
    clauses: list[dict[str, Any]] = [{"range": {"article_count": {"gte": 1}}}]
    clauses += [entity_clause(e) for e in wanted.entities]
    if wanted.languages:
        clauses.append({"terms": {"languages": list(wanted.languages)}})
    if wanted.since:
        clauses.append({"range": {"last_seen": {"gte": since_bound(wanted.since)}}})
    response = es.search(
        index=alias,
        query={"bool": {"filter": clauses}},
        sort=[
            {"article_count": "desc"},
            {"last_seen": {"order": "desc", "missing": "_last"}},
            {"story_id": "asc"},
        ],
        size=size,
        track_total_hits=True,
    )
    return response["hits"]["total"]["value"], [h["_source"] for h in response["hits"]["hits"]]


def get_stories(es: Elasticsearch, settings: Settings, story_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The stored documents of the given stories that exist, in the order asked."""
    ids = list(dict.fromkeys(story_ids))
    if not ids or not es.indices.exists_alias(name=stories_alias(settings)):
        return []
    docs = es.mget(index=stories_alias(settings), ids=ids)["docs"]
    return [d["_source"] for d in docs if d.get("found")]
