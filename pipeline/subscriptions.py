"""Downstream apps receive what is new: a change feed (pull, `pipeline.changes`) and webhooks (push).

Webhooks: subscriptions (name, filters, target URL, encrypted secret: `pipeline.subscription_store`)
in `<prefix>-subscriptions`. `deliver_new` POSTs each new matching document, in ingest order, signed
per Standard Webhooks with a delivery id that is the same on every retry (`pipeline.webhooks`), and
logs every delivery in `<prefix>-deliveries`. Per outcome: delivered (2xx) moves the subscription's
cursor; retried failures (timeouts, network errors, 408/425/429/5xx) are retried with backoff and,
when they persist, stop that subscription for this call with its cursor before the document; a
document the receiver refuses (other 4xx) `max_refusals` times is parked (status `parked` in the
delivery log: the subscription's own dead-letter list), the cursor moves past it and the subscription
is marked unhealthy. Each subscription has a time budget per call and each POST a total deadline, so
one slow receiver delays neither the others nor the caller for more than that.

This module also re-exports the change feed and the subscription records, so `from
pipeline.subscriptions import follow, add_subscription, ...` keeps working.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from elasticsearch import Elasticsearch, NotFoundError

from pipeline import subscription_store as store
from pipeline.article_index import current_index
from pipeline.changes import (  # noqa: F401 - re-exported
    CURSORS_MAPPING,
    Change,
    ChangePage,
    Position,
    consume,
    current_cursor,
    follow,
    load_cursor,
    parse_cursor,
    read_changes,
    save_cursor,
)
from pipeline.search import Filters
from pipeline.settings import Settings
from pipeline.subscription_store import (  # noqa: F401 - re-exported
    DELIVERIES_MAPPING,
    SUBSCRIPTIONS_MAPPING,
    SubscriptionExists,
    add_subscription,
    check_name,
    check_target_url,
    list_subscriptions,
    remove_subscription,
    rotate_key,
)
from pipeline.webhooks import (  # noqa: F401 - re-exported
    DELIVERY_HEADER,
    SUBSCRIPTION_HEADER,
    Outcome,
    Policy,
    attempt_delivery,
    delivery_body,
    delivery_id,
    http_client,
    signed_headers,
)

DEFAULT_BUDGET_S = 30.0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0  # documents tried and not delivered in this call (retried by the next one)
    parked: int = 0  # documents refused by their receiver and parked (the cursor moved past them)
    subscriptions: int = 0
    unhealthy: list[str] = field(default_factory=list)  # names of subscriptions marked unhealthy
    errors: list[str] = field(default_factory=list)  # one line per subscription stopped or parking
    last_failure: Outcome | None = field(default=None, repr=False)  # the call's last undelivered outcome

    def add(self, other: DeliveryReport) -> None:
        self.delivered += other.delivered
        self.failed += other.failed
        self.parked += other.parked
        self.subscriptions += other.subscriptions
        self.unhealthy += other.unhealthy
        self.errors += other.errors


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
    budget_s: float = DEFAULT_BUDGET_S,
    post_deadline_s: float = 10.0,
    max_refusals: int = 3,
    workers: int = 4,
) -> DeliveryReport:
    """Deliver every new matching document to every subscription, each within `budget_s` seconds
    (subscriptions in parallel, `workers` at a time), each POST within `post_deadline_s`.

    What is new is decided by each subscription's cursor, not by `indexed_ids` (the ids the calling run
    indexed): a document an earlier call did not deliver must go out now even if this run indexed
    nothing. `indexed_ids` is accepted for the caller's convenience and not used. What a call leaves
    undelivered (budget used up, receiver down) the next call delivers, with the same delivery ids."""
    del indexed_ids
    report = DeliveryReport()
    if not es.indices.exists(index=settings.index("subscriptions")):
        return report
    store.ensure_indices(es, settings)
    policy = Policy(max_attempts, max_refusals, backoff_s, post_deadline_s, timeout_s)
    es.indices.refresh(index=settings.index("subscriptions"))
    hits = es.search(index=settings.index("subscriptions"), query={"match_all": {}}, size=1000, source=False)
    names = [h["_id"] for h in hits["hits"]["hits"]]
    own = http is None
    client = http or http_client(timeout_s, settings.allow_private_networks)
    lock = threading.Lock()

    def one(name: str) -> None:
        part = _deliver_subscription(es, settings, name, client, policy, budget_s, batch_size)
        with lock:
            report.add(part)

    try:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(names) or 1))) as pool:
            for future in [pool.submit(one, name) for name in names]:
                future.result()
    finally:
        if own:
            client.close()
    return report


def _deliver_subscription(
    es: Elasticsearch,
    settings: Settings,
    name: str,
    http: httpx.Client,
    policy: Policy,
    budget_s: float,
    batch_size: int,
) -> DeliveryReport:
    """Deliver what is new for one subscription, within `budget_s`; record its health."""
    record = store.get_record(es, settings, name)
    if record is None:
        return DeliveryReport()  # removed meanwhile
    report = DeliveryReport(subscriptions=1)
    deadline = time.monotonic() + budget_s
    try:
        check_target_url(record["url"], settings)
        secret = store.signing_secret(es, settings, record)
    except ValueError as exc:  # a refused target, or a secret no configured key opens
        report.errors.append(f"subscription {name}: {exc}")
        _save_health(es, settings, record, report, Outcome("failed", 0, None, str(exc)), blocked=True)
        return report
    cursor = record.get("cursor") or "0"
    filters = Filters.from_dict(record.get("filters"))
    stop: Outcome | None = None
    while stop is None:
        page = read_changes(es, settings, cursor, filters, size=batch_size)
        for change in page.changes:
            outcome = _deliver_one(es, settings, record, secret, change, http, policy, deadline)
            _count(report, name, change, outcome)
            if outcome.kind in ("failed", "budget"):
                stop = outcome
                break
            cursor = change.cursor
            store.save_cursor(es, settings, name, cursor)
        if stop is None and page.cursor != cursor:
            cursor = page.cursor
            store.save_cursor(es, settings, name, cursor)
        if len(page.changes) < batch_size:
            break
    _save_health(es, settings, record, report, stop)
    return report


def _deliver_one(
    es: Elasticsearch,
    settings: Settings,
    record: dict[str, Any],
    secret: str,
    change: Change,
    http: httpx.Client,
    policy: Policy,
    deadline: float,
    previous: dict[str, Any] | None = None,
) -> Outcome:
    """Deliver one document; log it (merged with its `previous` log record when it is re-driven)."""
    name, url = record["name"], record["url"]
    delivery = delivery_id(name, change.document)
    body = delivery_body(name, change.cursor, change.document, delivery)
    started = _now()
    outcome = attempt_delivery(
        http,
        url,
        body,
        lambda: signed_headers(secret, delivery, name, body, settings.user_agent),
        policy,
        deadline,
    )
    if outcome.attempts:  # a document the budget left untried is not in the log
        status = outcome.kind if outcome.kind in ("delivered", "parked") else "failed"
        log = {
            "delivery_id": delivery,
            "subscription": name,
            "document_id": change.document.get("id"),
            "ingest_seq": change.document.get("ingest_seq"),
            "url": url,
            "status": status,
            "attempts": outcome.attempts,
            "http_status": outcome.http_status,
            "error": outcome.error,
            "first_attempt_at": started,
            "last_attempt_at": _now(),
        }
        if status == "parked":
            log["parked_at"] = log["last_attempt_at"]
        if previous:  # a re-driven parked delivery keeps its history
            log["attempts"] += int(previous.get("attempts") or 0)
            log["first_attempt_at"] = previous.get("first_attempt_at") or started
            log.setdefault("parked_at", previous.get("parked_at"))
        es.index(index=settings.index("deliveries"), id=delivery, document=log)
    return outcome


def _count(report: DeliveryReport, name: str, change: Change, outcome: Outcome) -> None:
    doc_id = change.document.get("id")
    if outcome.kind == "delivered":
        report.delivered += 1
        return
    report.last_failure = outcome
    if outcome.kind == "parked":
        report.parked += 1
        report.errors.append(
            f"subscription {name}: document {doc_id} refused by the receiver ({outcome.error}) "
            f"{outcome.attempts} times: parked, delivery goes on with the next document"
        )
    elif outcome.kind == "failed":
        report.failed += 1
        report.errors.append(
            f"subscription {name}: document {doc_id} not delivered after {outcome.attempts} attempts "
            f"({outcome.error}); the next call retries it"
        )
    else:
        report.failed += 1 if outcome.attempts else 0
        report.errors.append(
            f"subscription {name}: time budget used up at document {doc_id} ({outcome.error}); "
            "the next call goes on from there"
        )


def parked_deliveries(es: Elasticsearch, settings: Settings, name: str, size: int = 1000) -> list[dict]:
    """The subscription's dead-letter list: its parked delivery records, oldest document first."""
    index = settings.index("deliveries")
    if not es.indices.exists(index=index):
        return []
    es.indices.refresh(index=index)
    query = {"bool": {"filter": [{"term": {"subscription": name}}, {"term": {"status": "parked"}}]}}
    hits = es.search(index=index, query=query, sort=[{"ingest_seq": "asc"}], size=size)["hits"]["hits"]
    return [h["_source"] for h in hits]


def redeliver_parked(
    es: Elasticsearch,
    settings: Settings,
    name: str,
    *,
    http: httpx.Client | None = None,
    budget_s: float = DEFAULT_BUDGET_S,
    policy: Policy | None = None,
) -> DeliveryReport:
    """Try the parked documents of a subscription again (after the receiver was fixed), within
    `budget_s`. Delivered ones leave the dead-letter list (status `delivered`, their attempts and
    `parked_at` kept); refused again, they stay parked. A parked version that a newer one of the same
    document has replaced is marked `superseded`: the newer one went through the cursor."""
    record = store.get_record(es, settings, check_name(name))
    if record is None:
        raise ValueError(f"no subscription named {name}")
    policy = policy or Policy()
    report = DeliveryReport(subscriptions=1)
    check_target_url(record["url"], settings)
    secret = store.signing_secret(es, settings, record)
    deadline = time.monotonic() + budget_s
    client = http or http_client(policy.read_timeout_s, settings.allow_private_networks)
    stop: Outcome | None = None
    try:
        for parked in parked_deliveries(es, settings, name):
            change = _current_version(es, settings, parked)
            if change is None:
                es.update(
                    index=settings.index("deliveries"), id=parked["delivery_id"], doc={"status": "superseded"}
                )
                continue
            outcome = _deliver_one(es, settings, record, secret, change, client, policy, deadline, parked)
            _count(report, name, change, outcome)
            if outcome.kind in ("failed", "budget"):
                stop = outcome
                break
    finally:
        if http is None:
            client.close()
    _save_health(es, settings, store.get_record(es, settings, name) or record, report, stop)
    return report


def _current_version(es: Elasticsearch, settings: Settings, parked: dict[str, Any]) -> Change | None:
    """The parked document as a change, if the index still holds that very version."""
    target = current_index(es, settings)
    if target is None:
        return None
    try:
        source = es.get(index=target, id=parked["document_id"], source_excludes=["minhash"])["_source"]
    except NotFoundError:
        return None
    if source.get("ingest_seq") != parked["ingest_seq"]:
        return None
    return Change(
        document=source, cursor=str(Position(source["ingest_seq"], target)), seq=source["ingest_seq"]
    )


def parked_count(es: Elasticsearch, settings: Settings, name: str) -> int:
    """How many documents wait in a subscription's dead-letter list (deliveries with status parked)."""
    index = settings.index("deliveries")
    es.indices.refresh(index=index)
    query = {"bool": {"filter": [{"term": {"subscription": name}}, {"term": {"status": "parked"}}]}}
    return int(es.count(index=index, query=query)["count"])


def _save_health(
    es: Elasticsearch,
    settings: Settings,
    record: dict[str, Any],
    report: DeliveryReport,
    stop: Outcome | None,
    *,
    blocked: bool = False,
) -> None:
    """Health after a call: unhealthy when documents are parked or the subscription cannot be
    delivered at all (`blocked`), retrying when the call stopped on retried failures, else ok."""
    name, now = record["name"], _now()
    previous = record.get("health") or {}
    parked = parked_count(es, settings, name)
    status = "unhealthy" if parked or blocked else ("retrying" if stop else "ok")
    health: dict[str, Any] = {
        "status": status,
        "parked": parked,
        "consecutive_failures": int(previous.get("consecutive_failures") or 0) + 1 if stop else 0,
        "last_call_at": now,
        "last_call_delivered": report.delivered,
        "last_call_parked": report.parked,
    }
    if report.delivered:
        health["last_delivered_at"] = now
    if stop is not None or report.parked:
        failure = stop or report.last_failure
        http_status = failure.http_status if failure is not None else None
        health.update(last_error=report.errors[-1], last_error_at=now, last_http_status=http_status)
    if status == "unhealthy":
        report.unhealthy.append(name)
    store.save_health(es, settings, name, health)
