"""Webhook receivers that are slow, refuse, fail or are hostile, on 127.0.0.1, against the real cluster:
a total deadline per POST, a time budget per subscription, a policy per outcome, signatures a
Standard Webhooks library verifies, secrets sealed at rest, names checked before any request."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta

import pytest
import standardwebhooks.webhooks as swh
from standardwebhooks import Webhook

from pipeline import index, secretbox, subscription_store, subscriptions, webhooks
from tests.integration.articles import numbered_articles
from tests.integration.receiver import Receiver
from tests.integration.servers import RawServer, drips_headers

SECRET = webhooks.new_secret()


@pytest.fixture(autouse=True)
def secret_key(monkeypatch):
    key = secretbox.new_key()
    monkeypatch.setenv(secretbox.KEY_ENV, key)
    return key


def _ids(received, path=None):
    return [json.loads(r.body)["document"]["id"] for r in received if path is None or r.path == path]


def _record(es, settings, name):
    return es.get(index=settings.index("subscriptions"), id=name)["_source"]


def _deliveries(es, settings, name):
    es.indices.refresh(index=settings.index("deliveries"))
    hits = es.search(
        index=settings.index("deliveries"),
        query={"term": {"subscription": name}},
        sort=[{"ingest_seq": "asc"}],
    )["hits"]["hits"]
    return [(h["_source"]["document_id"], h["_source"]["status"], h["_source"]["attempts"]) for h in hits]


# --- Finding 1: one slow receiver blocked delivery for minutes ----------------------------------------


def test_a_receiver_dripping_its_headers_is_cut_at_the_post_deadline_and_the_budget(es, settings):
    # One header byte every 0.2 s: each read ends well within the 1 s read timeout, so only a total
    # deadline stops it (before: the per-read timeout never fired and the POST lasted ~200 s).
    with RawServer(lambda conn: drips_headers(conn, interval=0.2)) as slow:
        subscriptions.add_subscription(es, settings, "slow", slow.url + "hook", SECRET)
        index.index_articles(es, settings, numbered_articles("a", 3))
        t0 = time.monotonic()
        report = subscriptions.deliver_new(
            es, settings, timeout_s=1.0, post_deadline_s=1.5, backoff_s=0.1, budget_s=4.0
        )
        elapsed = time.monotonic() - t0
    record = _record(es, settings, "slow")
    assert elapsed < 4.0 + 2.0  # the budget, plus the call's own Elasticsearch requests
    assert (report.delivered, report.failed, report.parked) == (0, 1, 0)
    assert record["cursor"] == "0"  # still before a-0
    assert record["health"]["status"] == "retrying"
    assert record["health"]["consecutive_failures"] == 1
    assert "deadline" in record["health"]["last_error"] or "budget" in record["health"]["last_error"]
    assert slow.connections >= 2  # it was retried within the budget, each POST cut at 1.5 s


def test_slow_refusing_and_failing_receivers_together_delay_neither_the_call_nor_a_good_one(es, settings):
    with (
        RawServer(lambda conn: drips_headers(conn, interval=0.2)) as slow,
        Receiver(lambda n, path, headers, body: (200, b"{}")) as good,
        Receiver(lambda n, path, headers, body: (422, b"no")) as refusing,
        Receiver(lambda n, path, headers, body: (503, b"down")) as failing,
    ):
        subscriptions.add_subscription(es, settings, "slow", slow.url + "hook", SECRET)
        subscriptions.add_subscription(es, settings, "good", good.url("/hook"), SECRET)
        subscriptions.add_subscription(es, settings, "refusing", refusing.url("/hook"), SECRET)
        subscriptions.add_subscription(es, settings, "failing", failing.url("/hook"), SECRET)
        index.index_articles(es, settings, numbered_articles("a", 4))
        t0 = time.monotonic()
        first = subscriptions.deliver_new(
            es, settings, timeout_s=1.0, post_deadline_s=1.0, backoff_s=0.05, budget_s=3.0
        )
        elapsed = time.monotonic() - t0
        index.index_articles(es, settings, numbered_articles("b", 1))
        second = subscriptions.deliver_new(
            es, settings, timeout_s=1.0, post_deadline_s=1.0, backoff_s=0.05, budget_s=3.0
        )
    assert elapsed < 4.5  # subscriptions run side by side, each within its 3 s budget
    assert _ids(good.accepted()) == ["a-0", "a-1", "a-2", "a-3", "b-0"]  # every document once
    assert (first.parked, second.parked) == (4, 1)
    assert sorted(first.unhealthy) == ["refusing"]
    assert {
        n: _record(es, settings, n)["health"]["status"] for n in ("slow", "good", "refusing", "failing")
    } == {
        "slow": "retrying",
        "good": "ok",
        "refusing": "unhealthy",
        "failing": "retrying",
    }


# --- Finding 2: a 4xx stopped a subscription forever ------------------------------------------------


def test_a_document_the_receiver_refuses_is_parked_after_n_tries_and_delivery_goes_on(es, settings):
    def refuses_a1(n, path, headers, body):
        return (400, b"bad") if json.loads(body)["document"]["id"] == "a-1" else (200, b"{}")

    with Receiver(refuses_a1) as receiver:
        subscriptions.add_subscription(es, settings, "desk", receiver.url("/hook"), SECRET)
        index.index_articles(es, settings, numbered_articles("a", 3))
        first = subscriptions.deliver_new(es, settings, backoff_s=0.01, max_refusals=3)
        second = subscriptions.deliver_new(es, settings, backoff_s=0.01, max_refusals=3)
    record = _record(es, settings, "desk")
    assert [(i, r.status) for i, r in zip(_ids(receiver.received), receiver.received, strict=True)] == [
        ("a-0", 200),
        ("a-1", 400),
        ("a-1", 400),
        ("a-1", 400),
        ("a-2", 200),
    ]
    assert (first.delivered, first.parked, first.failed, first.unhealthy) == (2, 1, 0, ["desk"])
    assert (second.delivered, second.parked, second.failed) == (0, 0, 0)
    assert record["cursor"] == f"3@{settings.index_prefix}-v1"
    assert _deliveries(es, settings, "desk") == [
        ("a-0", "delivered", 1),
        ("a-1", "parked", 3),
        ("a-2", "delivered", 1),
    ]
    health = record["health"]
    assert (health["status"], health["parked"], health["last_call_parked"], health["last_http_status"]) == (
        "unhealthy",
        1,
        0,
        400,
    )
    assert "a-1 refused by the receiver (HTTP 400)" in health["last_error"]


def test_parked_documents_are_redelivered_once_the_receiver_is_fixed_with_their_history_kept(es, settings):
    state = {"fixed": False}

    def refuses_a1_until_fixed(n, path, headers, body):
        refused = json.loads(body)["document"]["id"] == "a-1" and not state["fixed"]
        return (400, b"bad") if refused else (200, b"{}")

    with Receiver(refuses_a1_until_fixed) as receiver:
        subscriptions.add_subscription(es, settings, "desk", receiver.url("/hook"), SECRET)
        index.index_articles(es, settings, numbered_articles("a", 3))
        subscriptions.deliver_new(es, settings, backoff_s=0.01)
        parked = [p["document_id"] for p in subscriptions.parked_deliveries(es, settings, "desk")]
        state["fixed"] = True
        again = subscriptions.redeliver_parked(es, settings, "desk")
        nothing_left = subscriptions.redeliver_parked(es, settings, "desk")
    es.indices.refresh(index=settings.index("deliveries"))
    log = {
        h["_source"]["document_id"]: h["_source"]
        for h in es.search(index=settings.index("deliveries"))["hits"]["hits"]
    }
    assert parked == ["a-1"]
    assert (again.delivered, again.parked, nothing_left.delivered) == (1, 0, 0)
    assert [(i, r.status) for i, r in zip(_ids(receiver.received), receiver.received, strict=True)][-1] == (
        "a-1",
        200,
    )
    assert _ids(receiver.accepted()) == ["a-0", "a-2", "a-1"]
    assert (log["a-1"]["status"], log["a-1"]["attempts"], bool(log["a-1"]["parked_at"])) == (
        "delivered",
        4,
        True,
    )
    assert _record(es, settings, "desk")["health"]["status"] == "ok"
    assert subscriptions.parked_deliveries(es, settings, "desk") == []


def test_a_parked_version_replaced_by_a_newer_one_is_superseded_not_redelivered(es, settings):
    articles = numbered_articles("a", 1)
    with Receiver(lambda n, path, headers, body: (400, b"bad") if n < 3 else (200, b"{}")) as receiver:
        subscriptions.add_subscription(es, settings, "desk", receiver.url("/hook"), SECRET)
        index.index_articles(es, settings, articles)
        subscriptions.deliver_new(es, settings, backoff_s=0.01)  # a-0 version 1: parked
        index.index_articles(es, settings, [articles[0].replace(title="Corrected")])
        subscriptions.deliver_new(es, settings, backoff_s=0.01)  # version 2 through the cursor
        again = subscriptions.redeliver_parked(es, settings, "desk")
    assert [json.loads(r.body)["document"]["ingest_seq"] for r in receiver.accepted()] == [2]
    assert again.delivered == 0
    assert _deliveries(es, settings, "desk") == [("a-0", "superseded", 3), ("a-0", "delivered", 1)]


# --- 5xx, 429 and Retry-After ------------------------------------------------------------------------


def test_a_failing_receiver_keeps_the_cursor_and_a_429_retry_after_is_honoured(es, settings):
    answers = iter([(503, b"down"), (503, b"down"), (429, b"slow down", {"Retry-After": "1"})])

    def scripted(n, path, headers, body):
        return next(answers, (200, b"{}"))

    with Receiver(scripted) as receiver:
        subscriptions.add_subscription(es, settings, "desk", receiver.url("/hook"), SECRET)
        index.index_articles(es, settings, numbered_articles("a", 1))
        failed = subscriptions.deliver_new(es, settings, backoff_s=0.01, max_attempts=2)
        cursor_after_failure = _record(es, settings, "desk")["cursor"]
        retried = subscriptions.deliver_new(es, settings, backoff_s=0.01, max_attempts=2)
    statuses = [r.status for r in receiver.received]
    assert statuses == [503, 503, 429, 200]
    assert receiver.received[3].at - receiver.received[2].at >= 1.0  # waited as the receiver asked
    assert (failed.failed, failed.delivered, retried.delivered) == (1, 0, 1)
    assert cursor_after_failure == "0"
    assert _record(es, settings, "desk")["health"]["status"] == "ok"


def test_a_retry_after_beyond_the_budget_stops_for_this_call_instead_of_waiting(es, settings):
    with Receiver(lambda n, path, headers, body: (429, b"later", {"Retry-After": "3600"})) as receiver:
        subscriptions.add_subscription(es, settings, "desk", receiver.url("/hook"), SECRET)
        index.index_articles(es, settings, numbered_articles("a", 2))
        t0 = time.monotonic()
        report = subscriptions.deliver_new(es, settings, budget_s=5.0)
        elapsed = time.monotonic() - t0
    assert elapsed < 2.0
    assert (len(receiver.received), report.failed, report.delivered) == (1, 1, 0)


# --- Finding 9: signatures per Standard Webhooks, not replayable --------------------------------------


class _SixMinutesLater(datetime):
    """The receiver's clock six minutes on: past the library's five-minute tolerance."""

    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) + timedelta(minutes=6)


def test_a_receiver_verifying_with_standardwebhooks_accepts_deliveries_and_refuses_tampering_and_replay(
    es, settings, monkeypatch
):
    verifier = Webhook(SECRET)

    def verifying(n, path, headers, body):
        try:
            verifier.verify(body, headers)
        except swh.WebhookVerificationError as exc:
            return 401, str(exc).encode()
        return 200, b"{}"

    with Receiver(verifying) as receiver:
        subscriptions.add_subscription(es, settings, "desk", receiver.url("/hook"), SECRET)
        index.index_articles(es, settings, numbered_articles("a", 2))
        report = subscriptions.deliver_new(es, settings, backoff_s=0.01)
    captured = receiver.received[0]
    assert [r.status for r in receiver.received] == [200, 200]
    assert report.delivered == 2
    with pytest.raises(swh.WebhookVerificationError, match="No matching signature"):
        verifier.verify(captured.body.replace(b"a-0", b"a-9"), captured.headers)
    monkeypatch.setattr(swh, "datetime", _SixMinutesLater)
    with pytest.raises(swh.WebhookVerificationError, match="too old"):
        verifier.verify(captured.body, captured.headers)


# --- Finding 8 (part): secrets at rest -----------------------------------------------------------------


def _everything_stored(es, settings) -> str:
    es.indices.refresh(index=f"{settings.index_prefix}*")
    hits = es.search(index=f"{settings.index_prefix}*", size=1000, query={"match_all": {}})["hits"]["hits"]
    return json.dumps([h["_source"] for h in hits])


def test_secrets_are_stored_sealed_and_never_returned_printed_or_logged(
    es, settings, capsys, caplog, monkeypatch
):
    from pipeline.__main__ import main

    monkeypatch.setenv("ES_URL", settings.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix)
    monkeypatch.setenv("BORDER_ALLOW_PRIVATE_NETWORKS", "true")
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    with Receiver(lambda n, path, headers, body: (400, b"no")) as receiver:
        assert (
            main(["subscriptions", "add", "desk", receiver.url("/hook"), "--secret-env", "HOOK_SECRET"]) == 0
        )
        index.index_articles(es, settings, numbered_articles("a", 1))
        assert main(["subscriptions", "deliver"]) == 1  # parked
        assert main(["subscriptions", "list", "--json"]) == 0
    stored = _everything_stored(es, settings)
    out = capsys.readouterr()
    assert SECRET not in stored and SECRET[6:] not in stored
    assert "secret_sealed" in stored
    assert SECRET not in out.out + out.err + caplog.text
    assert secretbox.unseal(_record(es, settings, "desk")["secret_sealed"]) == SECRET


def test_a_subscription_stored_in_clear_is_sealed_by_its_first_delivery_and_still_verifies(es, settings):
    with Receiver() as receiver:
        subscriptions.add_subscription(es, settings, "old", receiver.url("/hook"), SECRET)
        record = _record(es, settings, "old")
        legacy = {k: v for k, v in record.items() if k != "secret_sealed"}
        legacy["secret"] = "an old plain secret"  # a record as the earlier version stored it
        es.indices.put_mapping(
            index=settings.index("subscriptions"), properties={"secret": {"type": "keyword"}}
        )
        es.index(index=settings.index("subscriptions"), id="old", document=legacy, refresh=True)
        index.index_articles(es, settings, numbered_articles("a", 1))
        subscriptions.deliver_new(es, settings)
    migrated = _record(es, settings, "old")
    assert "secret" not in migrated
    assert secretbox.unseal(migrated["secret_sealed"]) == "an old plain secret"
    received = receiver.received[0]
    Webhook(webhooks.standard_secret("an old plain secret")).verify(received.body, received.headers)


def test_rotate_key_re_encrypts_so_the_old_key_can_be_dropped(es, settings, monkeypatch, secret_key):
    subscriptions.add_subscription(es, settings, "desk", "http://127.0.0.1:9/hook", SECRET)
    new = secretbox.new_key()
    monkeypatch.setenv(secretbox.KEY_ENV, f"{new},{secret_key}")
    assert subscriptions.rotate_key(es, settings) == 1
    monkeypatch.setenv(secretbox.KEY_ENV, new)
    assert secretbox.unseal(_record(es, settings, "desk")["secret_sealed"]) == SECRET


def test_a_secret_no_key_opens_marks_the_subscription_unhealthy_without_showing_it(es, settings, monkeypatch):
    subscriptions.add_subscription(es, settings, "desk", "http://127.0.0.1:9/hook", SECRET)
    monkeypatch.setenv(secretbox.KEY_ENV, secretbox.new_key())  # the old key was dropped too early
    report = subscriptions.deliver_new(es, settings)
    record = _record(es, settings, "desk")
    assert report.unhealthy == ["desk"]
    assert "cannot be decrypted" in report.errors[0] and SECRET not in report.errors[0]
    assert record["health"]["status"] == "unhealthy"


def test_without_any_key_a_subscription_is_refused_before_anything_is_stored(es, settings, monkeypatch):
    monkeypatch.delenv(secretbox.KEY_ENV)
    monkeypatch.delenv(secretbox.AIRFLOW_KEY_ENV, raising=False)
    with pytest.raises(secretbox.SecretKeyError, match="BORDER_SECRET_KEY"):
        subscriptions.add_subscription(es, settings, "desk", "http://127.0.0.1:9/hook", SECRET)
    assert not es.indices.exists(index=settings.index("subscriptions"))


# --- Finding 6 (part): names ---------------------------------------------------------------------------


def test_adding_an_existing_name_is_refused_unless_replaced(es, settings):
    subscriptions.add_subscription(es, settings, "desk", "http://127.0.0.1:9/a", SECRET)
    with pytest.raises(subscriptions.SubscriptionExists, match="--replace"):
        subscriptions.add_subscription(es, settings, "desk", "http://127.0.0.1:9/b", SECRET)
    assert _record(es, settings, "desk")["url"] == "http://127.0.0.1:9/a"
    subscriptions.add_subscription(es, settings, "desk", "http://127.0.0.1:9/b", SECRET, replace=True)
    assert _record(es, settings, "desk")["url"] == "http://127.0.0.1:9/b"


def test_a_600_character_name_is_a_clear_error_before_any_request(es, settings, monkeypatch, capsys):
    from pipeline.__main__ import main

    monkeypatch.setenv("ES_URL", settings.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix)
    monkeypatch.setenv("BORDER_WEBHOOK_SECRET", SECRET)
    with pytest.raises(ValueError, match="1-128 letters"):
        subscriptions.add_subscription(es, settings, "n" * 600, "http://127.0.0.1:9/a", SECRET)
    with pytest.raises(SystemExit) as exited:
        main(["subscriptions", "add", "n" * 600, "http://127.0.0.1:9/a"])
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert "a subscription name is 1-128 letters" in err and "(600 characters)" in err
    assert not es.indices.exists(index=settings.index("subscriptions"))
    subscriptions.add_subscription(es, settings, "हिंदी-desk", "http://127.0.0.1:9/a", SECRET)


def test_concurrent_adds_of_one_name_store_exactly_one(es, settings):
    subscription_store.ensure_indices(es, settings)
    outcomes: list[str] = []

    def add(n: int) -> None:
        try:
            subscriptions.add_subscription(es, settings, "desk", f"http://127.0.0.1:9/{n}", SECRET)
            outcomes.append("added")
        except subscriptions.SubscriptionExists:
            outcomes.append("refused")

    threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["added", "refused", "refused", "refused"]
