"""The raw-entry queue (`<prefix>-raw`): every feed entry as received, kept for reprocessing, and the
hand-over between the feed tasks and the processing task.

An entry is stored once (`op_type=create` under its id, `entry_id`), and is *pending* until
processing marks it (`processed_at`, `outcome`, `reason`, `article_id`, `duplicate_of`). A feed
task only stores; the processing task takes whatever is pending, so a run that died between the two
loses nothing: the next run picks the entries up. This module knows the queue's schema
(`pipeline/data/mapping-raw.json`) and nothing of fetching or processing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch, helpers

from pipeline import redrive
from pipeline.article import Article
from pipeline.dedupe import article_id
from pipeline.errors import TransientError
from pipeline.index import BulkReport, bulk_index, ensure_index
from pipeline.mappings import load_mapping
from pipeline.settings import Settings
from pipeline.urls import canonical_url

PENDING = {"bool": {"must_not": {"exists": {"field": "processed_at"}}}}
_CURRENT: set[str] = set()  # raw indices this process has brought up to the mapping file


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def ensure_raw_index(es: Elasticsearch, settings: Settings) -> str:
    """The raw index, created on first use; one created before a field was added gets it (once per
    process; existing fields are never changed)."""
    index = settings.index("raw")
    mapping = load_mapping("raw")
    if not ensure_index(es, index, mapping) and index not in _CURRENT:
        es.indices.put_mapping(index=index, properties=mapping["properties"])
    _CURRENT.add(index)
    return index


def entry_id(article: Article) -> str:
    """The id of an entry in the raw index: the id its article gets in the article index when it has
    a link (the hash of the canonical url: tracking parameters, fragments and AMP variants do not make
    a second entry), else the hash of where it came from (an entry without link is identified by its
    content only after processing; its raw entry records that `article_id`)."""
    url = canonical_url(article.raw_url) if article.raw_url else None
    return article_id(url, None, article.input)


def raw_document(article: Article) -> tuple[str, dict[str, Any]]:
    """The raw-index document of an article: everything as received, for reprocessing later."""
    doc = {k: v for k, v in asdict(article).items() if v not in (None, [], "")}
    doc_id = entry_id(article)
    doc["raw_id"] = doc_id
    doc["ingested_at"] = now_iso()
    return doc_id, doc


def store_raw(es: Elasticsearch, settings: Settings, articles: Iterable[Article]) -> BulkReport:
    """Keep raw articles; the first copy of an entry wins, so re-runs change nothing."""
    index = ensure_raw_index(es, settings)
    return bulk_index(es, index, (raw_document(a) for a in articles), op_type="create")


def former_entry_id(article: Article) -> str:
    """The id entries were stored under before it followed the canonical url: the hash of the link
    as the feed gave it (or of the entry's input ref). Entries stored so are still recognised."""
    return hashlib.sha256((article.raw_url or article.input).encode("utf-8")).hexdigest()[:32]


def stored_entries(es: Elasticsearch, settings: Settings, by_id: dict[str, Article]) -> dict[str, bool]:
    """For each entry of `by_id` (entry id -> article) already in the queue, under its id or its former
    id: whether it is still pending."""
    former = {former_entry_id(a): i for i, a in by_id.items()}
    former = {old: new for old, new in former.items() if old != new}
    if not by_id:
        return {}
    index = ensure_raw_index(es, settings)
    docs = es.mget(index=index, ids=[*by_id, *former], source_includes=["processed_at"])["docs"]
    found = [d for d in docs if d.get("found")]
    return {former.get(d["_id"], d["_id"]): not d["_source"].get("processed_at") for d in found}


def pending_batches(es: Elasticsearch, settings: Settings, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Batches of raw hits not yet processed, oldest fetch first, until none is left. Each batch must
    be marked (`mark_processed`) before the next is asked for; a cap on rounds guards against a loop
    (entries left pending on purpose are handed out again at most that often)."""
    index = ensure_raw_index(es, settings)
    es.indices.refresh(index=index)
    total = es.count(index=index, query=PENDING)["count"]
    for _ in range(total // max(1, batch_size) + 2):
        hits = es.search(
            index=index,
            size=batch_size,
            query=PENDING,
            sort=[{"fetched_at": {"order": "asc", "unmapped_type": "date"}}],
        )["hits"]["hits"]
        if not hits:
            return
        yield hits


def mark_processed(
    es: Elasticsearch, settings: Settings, marks: Iterable[dict[str, Any]], run_id: str | None
) -> None:
    """Record each raw entry's outcome (`ItemResult.mark()`: raw_id, outcome, reason, article_id,
    duplicate_of): it is no longer pending. Marking again replaces the outcome (reprocessing).
    Retried dead letters of entries that went through are resolved (`pipeline.redrive`)."""
    now = now_iso()
    marks = list(marks)
    actions = (
        {
            "_op_type": "update",
            "_index": settings.index("raw"),
            "_id": m["raw_id"],
            "doc": {
                "processed_at": now,
                "outcome": m["outcome"],
                "reason": m.get("reason"),
                "article_id": m.get("article_id"),
                "duplicate_of": m.get("duplicate_of"),
                "run_id": run_id,
            },
        }
        for m in marks
    )
    _, errors = helpers.bulk(es, actions, raise_on_error=False, refresh=True)
    if errors:
        raise TransientError(
            "raw",
            f"could not mark {len(errors)} raw entries as processed: {errors[0]}; "
            "the next run processes them again",
        )
    redrive.resolve_entries(es, settings, [m["raw_id"] for m in marks if m["outcome"] != "failed"], run_id)
