"""The ingest sequence: a monotonic number (`ingest_seq`) on every indexed article, and a watermark
below which every allocated number is searchable. The change feed reads up to the watermark only.

Why a watermark: a writer takes its numbers *before* it indexes, so numbers can become searchable out
of order (writer A takes 1-10, writer B takes 11-20, B's refresh lands first). A reader that advanced
its cursor to 20 would then never see 1-10. So every allocation is also a *lease* recorded in the
same counter document, and a writer releases its lease only after its documents are refreshed
(searchable). The watermark is `min(lease starts) - 1` while leases are held, else the last allocated
number. Everything at or below it is searchable, and every later allocation is above it.

The counter is one document in `<prefix>-sequence`, changed only with optimistic concurrency
(`if_seq_no`/`if_primary_term`: no scripts), read with a real-time GET. Leases expire (a crashed
writer must not stall readers for ever): an expired lease is dropped by the next allocation or
watermark read. A writer that finds its lease gone when it releases re-indexes its documents under
new numbers, so nothing is skipped (a reader may then see such a document twice, the only case).
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

from elasticsearch import ApiError, ConflictError, Elasticsearch, NotFoundError

from pipeline import mappings
from pipeline.settings import Settings

COUNTER_ID = "ingest_seq"
DEFAULT_LEASE_TTL_S = 900.0


def sequence_index(settings: Settings) -> str:
    return settings.index("sequence")


@dataclass(frozen=True)
class Lease:
    id: str
    start: int  # first number of the block
    end: int  # last number of the block (inclusive)

    def numbers(self) -> range:
        return range(self.start, self.end + 1)


def ensure_counter(es: Elasticsearch, settings: Settings) -> None:
    """Create the counter index and document if missing (idempotent, safe to race)."""
    index = sequence_index(settings)
    if not es.indices.exists(index=index):
        try:
            es.indices.create(
                index=index,
                mappings=mappings.load_mapping("sequence"),
                settings={"number_of_shards": 1, "number_of_replicas": 0},
            )
        except Exception as exc:  # a concurrent writer created it first
            if "resource_already_exists_exception" not in str(exc):
                raise
    es.cluster.health(index=index, wait_for_status="yellow", timeout="30s")
    try:
        es.create(index=index, id=COUNTER_ID, document={"next": 0, "leases": []})
    except ConflictError:
        pass


def _read(es: Elasticsearch, settings: Settings) -> tuple[dict[str, Any], int, int] | None:
    for attempt in range(50):
        try:
            doc = es.get(index=sequence_index(settings), id=COUNTER_ID, realtime=True)
        except NotFoundError:
            return None
        except ApiError as exc:
            # Just created by another writer, its shard not started yet: wait a moment.
            if exc.status_code != 503 or attempt == 49:
                raise
            time.sleep(0.05)
            continue
        return doc["_source"], doc["_seq_no"], doc["_primary_term"]
    return None


def _write(
    es: Elasticsearch, settings: Settings, source: dict[str, Any], seq_no: int, primary_term: int
) -> bool:
    """Compare-and-set the counter; False when another writer changed it first."""
    try:
        es.index(
            index=sequence_index(settings),
            id=COUNTER_ID,
            document=source,
            if_seq_no=seq_no,
            if_primary_term=primary_term,
        )
    except ConflictError:
        return False
    return True


def _backoff(attempt: int) -> None:
    time.sleep(min(0.2, 0.005 * (2 ** min(attempt, 6))) * random.random())


def allocate(es: Elasticsearch, settings: Settings, count: int, ttl_s: float = DEFAULT_LEASE_TTL_S) -> Lease:
    """Take the next `count` numbers as a lease (released by `release` once they are searchable)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    attempt = 0
    while True:
        state = _read(es, settings)
        if state is None:
            ensure_counter(es, settings)
            continue
        source, seq_no, term = state
        now = time.time()
        leases = [lease for lease in source.get("leases", []) if lease["expires_at"] > now]
        lease = Lease(uuid.uuid4().hex, source["next"] + 1, source["next"] + count)
        leases.append({"id": lease.id, "start": lease.start, "end": lease.end, "expires_at": now + ttl_s})
        if _write(es, settings, {"next": lease.end, "leases": leases}, seq_no, term):
            return lease
        attempt += 1
        _backoff(attempt)


def release(es: Elasticsearch, settings: Settings, lease: Lease) -> bool:
    """Drop the lease; True if it was still held, False if it had expired and been dropped."""
    attempt = 0
    while True:
        state = _read(es, settings)
        if state is None:
            return False
        source, seq_no, term = state
        leases = source.get("leases", [])
        kept = [entry for entry in leases if entry["id"] != lease.id]
        if len(kept) == len(leases):
            return False
        if _write(es, settings, {**source, "leases": kept}, seq_no, term):
            return True
        attempt += 1
        _backoff(attempt)


def watermark(es: Elasticsearch, settings: Settings) -> int:
    """The highest number at or below which every allocated number is searchable (0: none yet)."""
    attempt = 0
    while True:
        state = _read(es, settings)
        if state is None:
            return 0
        source, seq_no, term = state
        leases = source.get("leases", [])
        now = time.time()
        live = [lease for lease in leases if lease["expires_at"] > now]
        if len(live) != len(leases) and not _write(es, settings, {**source, "leases": live}, seq_no, term):
            attempt += 1
            _backoff(attempt)
            continue  # reaped by someone else meanwhile: read again
        if live:
            return min(lease["start"] for lease in live) - 1
        return int(source["next"])
