"""The change feed (pull): documents of the read alias in `ingest_seq` order, from a cursor (the last
number seen), never past the sequence watermark (`pipeline.sequence`).

A concurrent writer whose documents are not yet searchable can never be overtaken: nothing is
skipped, and nothing is repeated because the cursor only moves forward over numbers every one of which
was looked at. Named consumers keep their cursor in `<prefix>-cursors`. Webhooks
(`pipeline.subscriptions`) read the same feed, one cursor per subscription.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from pipeline import mappings, sequence
from pipeline.article_index import current_index
from pipeline.elastic import ensure_index
from pipeline.search import Filters, es_query
from pipeline.settings import Settings

CURSORS_MAPPING: dict[str, Any] = mappings.load_mapping("cursors")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Position:
    """Where a reader is: the last sequence number it has passed, in which concrete index."""

    seq: int = 0
    index: str | None = None

    def __str__(self) -> str:
        return f"{self.seq}@{self.index}" if self.index else str(self.seq)


def parse_cursor(cursor: str | int | None) -> Position:
    """The position a cursor stands for: `<seq>@<index>`, or a bare `<seq>` (None/"" = the beginning)."""
    if cursor is None or cursor == "":
        return Position()
    seq, _, index_name = str(cursor).partition("@")
    if not (seq.isascii() and seq.isdigit()):
        raise ValueError(f"not a change-feed cursor: {cursor!r} (expected <number> or <number>@<index>)")
    return Position(int(seq), index_name or None)


@dataclass(frozen=True)
class Change:
    document: dict[str, Any]
    cursor: str  # resume after this document with this cursor
    seq: int = 0  # the document's ingest_seq


@dataclass
class ChangePage:
    changes: list[Change] = field(default_factory=list)
    cursor: str = "0"  # resume after this page with this cursor (may be past the last document)


def current_cursor(es: Elasticsearch, settings: Settings) -> str:
    """A cursor at 'now': following from it yields only documents indexed later."""
    return str(Position(sequence.watermark(es, settings), current_index(es, settings)))


def check_position(settings: Settings, position: Position, watermark: int, target: str) -> None:
    """Refuse a cursor that cannot come from this feed, instead of replaying everything or waiting for
    ever: one naming an index that is not an article index of this prefix (a typo, another prefix), or
    one ahead of the watermark in the index being read (the watermark never goes down, so no reader
    was ever given it: a cursor from another cluster, or a sequence that was reset)."""
    if position.index and not re.fullmatch(
        rf"{re.escape(settings.index_prefix)}-v\d+(-r\d+)?", position.index
    ):
        raise ValueError(
            f"cursor {position} names the index {position.index!r}, which is not an article index of "
            f"{settings.index_prefix!r} ({settings.index_prefix}-v<N>): start again from 0 or 'now'"
        )
    if position.index in (None, target) and position.seq > watermark:
        raise ValueError(
            f"cursor {position} is ahead of the change feed, which has reached {watermark} in {target}: "
            "it was not given by this cluster (or the sequence was reset); start again from 0 or 'now'"
        )


def read_changes(
    es: Elasticsearch,
    settings: Settings,
    cursor: str | int | None = None,
    filters: Filters | None = None,
    size: int = 100,
) -> ChangePage:
    """One page of the change feed: matching documents after `cursor`, oldest first.

    Reads the concrete index behind the read alias. When the alias has moved since the cursor was
    made (a reprocess filled a new index version and switched), the reader goes back to just before the
    first number of the new index: it receives every reprocessed document once more (a new version),
    and none that first appeared in the new index is skipped."""
    position = parse_cursor(cursor)
    limit = sequence.watermark(es, settings)  # read BEFORE searching: all below it is searchable
    target = current_index(es, settings)
    if target is None:
        return ChangePage(cursor=str(position))
    check_position(settings, position, limit, target)
    after = position.seq
    if position.index and position.index != target:
        first = es.search(index=target, size=0, aggs={"first": {"min": {"field": "ingest_seq"}}})[
            "aggregations"
        ]["first"]["value"]
        # A number below `first` not yet searchable is above `limit` (everything up to it is
        # searchable), so it is still ahead of the reader.
        after = min(after, limit, int(first) - 1 if first is not None else limit)
    if limit <= after:
        return ChangePage(cursor=str(Position(after, target)))
    query = es_query(filters or Filters())
    query["bool"]["filter"].append({"range": {"ingest_seq": {"gt": after, "lte": limit}}})
    hits = es.search(
        index=target,
        query=query,
        sort=[{"ingest_seq": "asc"}],
        size=size,
        source_excludes=["minhash"],
    )["hits"]["hits"]
    changes = [
        Change(
            document=h["_source"],
            cursor=str(Position(h["_source"]["ingest_seq"], target)),
            seq=h["_source"]["ingest_seq"],
        )
        for h in hits
    ]
    # A full page may have more after it; a short one means every number up to the watermark was seen.
    return ChangePage(
        changes=changes, cursor=changes[-1].cursor if len(hits) == size else str(Position(limit, target))
    )


def follow(
    es: Elasticsearch,
    settings: Settings,
    cursor: str | int | None = None,
    filters: Filters | None = None,
    *,
    batch_size: int = 100,
    poll_interval_s: float = 2.0,
    stop_when_idle: bool = False,
) -> Iterator[Change]:
    """Every new matching document, in ingest order, for ever (or until caught up with
    `stop_when_idle`); resume later from the `cursor` of the last change you handled."""
    position = str(parse_cursor(cursor))
    while True:
        page = read_changes(es, settings, position, filters, size=batch_size)
        yield from page.changes
        position = page.cursor
        if not page.changes or len(page.changes) < batch_size:
            if stop_when_idle:
                return
            time.sleep(poll_interval_s)


def consume(
    es: Elasticsearch,
    settings: Settings,
    consumer: str,
    handle: Callable[[Change], None],
    filters: Filters | None = None,
    *,
    batch_size: int = 100,
) -> tuple[int, str]:
    """Hand every document that is new for the named `consumer` to `handle`, in ingest order, then
    return `(how many, cursor)`. The cursor is kept in Elasticsearch after each page, once `handle`
    returned for all of it (so a crash re-hands at most that page)."""
    cursor = load_cursor(es, settings, consumer) or "0"
    handled = 0
    while True:
        page = read_changes(es, settings, cursor, filters, size=batch_size)
        for change in page.changes:
            handle(change)
            handled += 1
        if page.cursor != cursor:
            cursor = page.cursor
            save_cursor(es, settings, consumer, cursor)
        if len(page.changes) < batch_size:
            return handled, cursor


def load_cursor(es: Elasticsearch, settings: Settings, consumer: str) -> str | None:
    """The cursor a named consumer saved, or None."""
    try:
        return es.get(index=settings.index("cursors"), id=consumer)["_source"]["cursor"]
    except NotFoundError:
        return None


def save_cursor(es: Elasticsearch, settings: Settings, consumer: str, cursor: str) -> None:
    """Keep a named consumer's cursor in Elasticsearch (any worker can resume from it)."""
    ensure_index(es, settings.index("cursors"), CURSORS_MAPPING)
    es.index(
        index=settings.index("cursors"),
        id=consumer,
        document={"consumer": consumer, "cursor": cursor, "updated_at": _now()},
        refresh=True,
    )
