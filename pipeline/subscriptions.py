"""Downstream apps receive what is new: a change feed (pull) and webhooks (push).

Change feed: documents of the read alias in `ingest_seq` order, from a cursor (the last number seen),
never past the sequence watermark (`pipeline.sequence`), so a concurrent writer whose documents are
not yet searchable can never be overtaken: nothing is skipped, and nothing is repeated because the
cursor only moves forward over numbers every one of which was looked at.

Webhooks: subscriptions (name, filters, target URL, secret) in `<prefix>-subscriptions`. `deliver_new`
POSTs each new matching document, signed with HMAC-SHA256 over the raw body, with a delivery id that is
the same on every retry (receivers de-duplicate on it), retries with exponential backoff, logs every
delivery in `<prefix>-deliveries`, and moves a subscription's cursor only past delivered documents.
The secret is stored to sign with, and never returned by any function or command here.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from elasticsearch import Elasticsearch, NotFoundError

from pipeline import sequence
from pipeline.index import current_index, ensure_index
from pipeline.search import Filters, es_query
from pipeline.settings import Settings

SIGNATURE_HEADER = "X-Border-Watch-Signature"
DELIVERY_HEADER = "X-Border-Watch-Delivery"
SUBSCRIPTION_HEADER = "X-Border-Watch-Subscription"

SUBSCRIPTIONS_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "name": {"type": "keyword"},
        "url": {"type": "keyword"},
        "secret": {"type": "keyword", "index": False, "doc_values": False},
        "filters": {"type": "object", "enabled": False},
        "cursor": {"type": "keyword"},
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
    },
}
DELIVERIES_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "delivery_id": {"type": "keyword"},
        "subscription": {"type": "keyword"},
        "document_id": {"type": "keyword"},
        "ingest_seq": {"type": "long"},
        "url": {"type": "keyword"},
        "status": {"type": "keyword"},  # delivered | failed
        "attempts": {"type": "integer"},
        "http_status": {"type": "integer"},
        "error": {"type": "text"},
        "first_attempt_at": {"type": "date"},
        "last_attempt_at": {"type": "date"},
    },
}
CURSORS_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "consumer": {"type": "keyword"},
        "cursor": {"type": "keyword"},
        "updated_at": {"type": "date"},
    },
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# --- Change feed -------------------------------------------------------------------------------


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
    if not seq.isdigit():
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


# --- Webhook subscriptions -----------------------------------------------------------------------


def check_target_url(url: str, settings: Settings) -> None:
    """Refuse non-HTTP(S) targets, and private/loopback ones unless the settings allow them."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"webhook target must be an http(s) URL: {url!r}")
    if settings.allow_private_networks:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise ValueError(f"webhook target host does not resolve: {parts.hostname} ({exc})") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise ValueError(f"webhook target {parts.hostname} is a private address ({address}); refused")


def _ensure_subscription_indices(es: Elasticsearch, settings: Settings) -> None:
    ensure_index(es, settings.index("subscriptions"), SUBSCRIPTIONS_MAPPING)
    ensure_index(es, settings.index("deliveries"), DELIVERIES_MAPPING)


def add_subscription(
    es: Elasticsearch,
    settings: Settings,
    name: str,
    url: str,
    secret: str,
    filters: Filters | None = None,
    *,
    from_beginning: bool = False,
) -> dict[str, Any]:
    """Store a subscription (replacing one of the same name); it receives documents indexed from now on,
    or all of them with `from_beginning`. Returns it without the secret."""
    if not name or not secret:
        raise ValueError("a subscription needs a name and a secret")
    check_target_url(url, settings)
    _ensure_subscription_indices(es, settings)
    cursor = "0" if from_beginning else current_cursor(es, settings)
    doc = {
        "name": name,
        "url": url,
        "secret": secret,
        "filters": (filters or Filters()).to_dict(),
        "cursor": cursor,
        "created_at": _now(),
        "updated_at": _now(),
    }
    es.index(index=settings.index("subscriptions"), id=name, document=doc, refresh=True)
    return {k: v for k, v in doc.items() if k != "secret"}


def list_subscriptions(es: Elasticsearch, settings: Settings) -> list[dict[str, Any]]:
    """All subscriptions, without their secrets."""
    if not es.indices.exists(index=settings.index("subscriptions")):
        return []
    hits = es.search(
        index=settings.index("subscriptions"),
        query={"match_all": {}},
        sort=[{"name": "asc"}],
        size=1000,
        source_excludes=["secret"],
    )["hits"]["hits"]
    return [h["_source"] for h in hits]


def remove_subscription(es: Elasticsearch, settings: Settings, name: str) -> bool:
    """Delete a subscription; False if there was none of that name."""
    try:
        es.delete(index=settings.index("subscriptions"), id=name, refresh=True)
    except NotFoundError:
        return False
    return True


def signature(secret: str, body: bytes) -> str:
    """The signature header value: `sha256=<hex HMAC-SHA256 of the raw body>`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def delivery_id(subscription: str, document: dict[str, Any]) -> str:
    """Same for every attempt at one document version for one subscription."""
    key = f"{subscription}\x00{document.get('id')}\x00{document.get('ingest_seq')}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def delivery_body(subscription: str, change: Change, delivery: str) -> bytes:
    """The JSON body of one delivery (bytes exactly as signed and sent)."""
    payload = {
        "delivery_id": delivery,
        "subscription": subscription,
        "cursor": change.cursor,
        "document": change.document,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    subscriptions: int = 0
    errors: list[str] = field(default_factory=list)  # one line per subscription stopped by a failure


def _post_with_retries(
    http: httpx.Client,
    url: str,
    body: bytes,
    headers: dict[str, str],
    max_attempts: int,
    backoff_s: float,
) -> tuple[bool, int, int | None, str | None]:
    """(delivered, attempts, last HTTP status, last error)."""
    status: int | None = None
    error: str | None = None
    for attempt in range(1, max_attempts + 1):
        try:
            response = http.post(url, content=body, headers=headers)
            status, error = response.status_code, None
            if 200 <= status < 300:
                return True, attempt, status, None
            error = f"HTTP {status}"
            if 400 <= status < 500 and status not in (408, 409, 425, 429):
                return False, attempt, status, error  # the receiver refuses this request: retrying won't help
        except httpx.HTTPError as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"
        if attempt < max_attempts:
            time.sleep(backoff_s * (2 ** (attempt - 1)))
    return False, max_attempts, status, error


def deliver_new(
    es: Elasticsearch,
    settings: Settings,
    indexed_ids: Iterable[str] | None = None,
    *,
    http: httpx.Client | None = None,
    max_attempts: int = 4,
    backoff_s: float = 1.0,
    batch_size: int = 100,
    timeout_s: float = 10.0,
) -> DeliveryReport:
    """Deliver every new matching document to every subscription (the ingest DAG's last step).

    Per subscription, in ingest order; a document that cannot be delivered after `max_attempts`
    stops that subscription for this call (its cursor stays before it, so the next call retries it)
    while the other subscriptions go on. What is new is decided by each subscription's cursor, not by
    `indexed_ids` (the ids the calling run indexed): a document a failed earlier call did not deliver
    must go out now even if this run indexed nothing. `indexed_ids` is accepted for the caller's
    convenience and not used."""
    del indexed_ids
    report = DeliveryReport()
    if not es.indices.exists(index=settings.index("subscriptions")):
        return report
    _ensure_subscription_indices(es, settings)
    own = http is None
    http = http or httpx.Client(timeout=timeout_s, follow_redirects=False)
    try:
        es.indices.refresh(index=settings.index("subscriptions"))
        hits = es.search(
            index=settings.index("subscriptions"), query={"match_all": {}}, size=1000, source=False
        )["hits"]["hits"]
        for hit in hits:
            # Real-time GET: the cursor as the last call left it, refreshed or not.
            try:
                sub = es.get(index=settings.index("subscriptions"), id=hit["_id"])["_source"]
            except NotFoundError:
                continue  # removed meanwhile
            report.subscriptions += 1
            _deliver_subscription(es, settings, sub, http, report, max_attempts, backoff_s, batch_size)
    finally:
        if own:
            http.close()
    return report


def _deliver_subscription(
    es: Elasticsearch,
    settings: Settings,
    sub: dict[str, Any],
    http: httpx.Client,
    report: DeliveryReport,
    max_attempts: int,
    backoff_s: float,
    batch_size: int,
) -> None:
    name, url, secret = sub["name"], sub["url"], sub["secret"]
    try:
        check_target_url(url, settings)
    except ValueError as exc:
        report.failed += 1
        report.errors.append(f"subscription {name}: {exc}")
        return
    filters = Filters.from_dict(sub.get("filters"))
    cursor = sub.get("cursor") or "0"
    while True:
        page = read_changes(es, settings, cursor, filters, size=batch_size)
        for change in page.changes:
            delivery = delivery_id(name, change.document)
            body = delivery_body(name, change, delivery)
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature(secret, body),
                DELIVERY_HEADER: delivery,
                SUBSCRIPTION_HEADER: name,
                "User-Agent": settings.user_agent,
            }
            started = _now()
            ok, attempts, status, error = _post_with_retries(
                http, url, body, headers, max_attempts, backoff_s
            )
            es.index(
                index=settings.index("deliveries"),
                id=delivery,
                document={
                    "delivery_id": delivery,
                    "subscription": name,
                    "document_id": change.document.get("id"),
                    "ingest_seq": change.document.get("ingest_seq"),
                    "url": url,
                    "status": "delivered" if ok else "failed",
                    "attempts": attempts,
                    "http_status": status,
                    "error": error,
                    "first_attempt_at": started,
                    "last_attempt_at": _now(),
                },
            )
            if not ok:
                report.failed += 1
                report.errors.append(
                    f"subscription {name}: document {change.document.get('id')} not delivered to {url} after "
                    f"{attempts} attempts ({error}); it will be retried from cursor {cursor} on the next call"
                )
                return
            report.delivered += 1
            cursor = change.cursor
            _save_subscription_cursor(es, settings, name, cursor)
        if page.cursor != cursor:
            cursor = page.cursor
            _save_subscription_cursor(es, settings, name, cursor)
        if len(page.changes) < batch_size:
            return


def _save_subscription_cursor(es: Elasticsearch, settings: Settings, name: str, cursor: str) -> None:
    es.update(index=settings.index("subscriptions"), id=name, doc={"cursor": cursor, "updated_at": _now()})
