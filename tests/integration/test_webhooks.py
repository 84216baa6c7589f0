"""Webhook subscriptions on the real cluster, delivering to a real receiver on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from standardwebhooks import Webhook

from pipeline import index, secretbox, subscriptions
from pipeline.search import Filters
from tests.integration.articles import numbered_articles
from tests.integration.receiver import Receiver

SECRET = "whsec_" + "c2VjcmV0LWZvci10ZXN0cy1vbmx5LTMyLWJ5dGVzISE="


@pytest.fixture(autouse=True)
def secret_key(monkeypatch):
    """The key subscription secrets are sealed with (a fresh one per test)."""
    key = secretbox.new_key()
    monkeypatch.setenv(secretbox.KEY_ENV, key)
    return key


def _bodies(received):
    return [json.loads(r.body) for r in received]


def test_listing_subscriptions_never_returns_the_secret(es, settings):
    subscriptions.add_subscription(es, settings, "app", "http://127.0.0.1:9/hook", SECRET)
    listed = subscriptions.list_subscriptions(es, settings)
    assert [s["name"] for s in listed] == ["app"]
    assert set(listed[0]) == {"name", "url", "filters", "cursor", "created_at", "updated_at", "health"}
    assert SECRET not in json.dumps(listed)


def test_new_matching_documents_are_posted_once_signed_per_standard_webhooks(es, settings):
    with Receiver() as receiver:
        subscriptions.add_subscription(
            es, settings, "hindi", receiver.url("/hook"), SECRET, Filters(languages=("hi",))
        )
        index.index_articles(es, settings, numbered_articles("a", 4))
        first = subscriptions.deliver_new(es, settings, backoff_s=0.01)
        second = subscriptions.deliver_new(es, settings, backoff_s=0.01)
    bodies = _bodies(receiver.received)
    assert (first.delivered, first.failed, second.delivered) == (2, 0, 0)
    assert [b["document"]["id"] for b in bodies] == ["a-0", "a-2"]
    for r in receiver.received:
        assert Webhook(SECRET).verify(r.body, r.headers) == json.loads(r.body)
        assert (
            r.headers["webhook-id"]
            == r.headers["x-border-watch-delivery"]
            == json.loads(r.body)["delivery_id"]
        )
    es.indices.refresh(index=settings.index("deliveries"))
    log = es.search(index=settings.index("deliveries"), sort=[{"ingest_seq": "asc"}])["hits"]["hits"]
    assert [(h["_source"]["document_id"], h["_source"]["status"], h["_source"]["attempts"]) for h in log] == [
        ("a-0", "delivered", 1),
        ("a-2", "delivered", 1),
    ]


def test_receiver_failing_twice_then_succeeding_gets_every_document_exactly_once(es, settings):
    def flaky(n, path, headers, body):
        return (500, b"down") if n < 2 else (200, b"{}")

    with Receiver(flaky) as receiver:
        subscriptions.add_subscription(es, settings, "all", receiver.url("/hook"), SECRET)
        index.index_articles(es, settings, numbered_articles("a", 3))
        report = subscriptions.deliver_new(es, settings, backoff_s=0.01)
    accepted = {(r.headers["x-border-watch-delivery"], r.body) for r in receiver.accepted()}
    assert [r.status for r in receiver.received] == [500, 500, 200, 200, 200]
    assert (report.delivered, report.failed) == (3, 0)
    assert sorted(json.loads(body)["document"]["id"] for _, body in accepted) == ["a-0", "a-1", "a-2"]
    assert len({delivery for delivery, _ in accepted}) == 3


def test_an_undelivered_document_keeps_the_cursor_and_is_retried_with_the_same_delivery_id(es, settings):
    state = {"up": False}

    def switchable(n, path, headers, body):
        return (200, b"{}") if state["up"] else (503, b"down")

    with Receiver(switchable) as receiver:
        subscriptions.add_subscription(es, settings, "all", receiver.url("/hook"), SECRET)
        index.index_articles(es, settings, numbered_articles("a", 2))
        failed = subscriptions.deliver_new(es, settings, max_attempts=2, backoff_s=0.01)
        state["up"] = True
        retried = subscriptions.deliver_new(es, settings, max_attempts=2, backoff_s=0.01)
    ids = [
        (json.loads(r.body)["document"]["id"], r.headers["x-border-watch-delivery"], r.status)
        for r in receiver.received
    ]
    assert (failed.delivered, failed.failed, retried.delivered, retried.failed) == (0, 1, 2, 0)
    assert [(doc, status) for doc, _, status in ids] == [
        ("a-0", 503),
        ("a-0", 503),
        ("a-0", 200),
        ("a-1", 200),
    ]
    assert ids[0][1] == ids[2][1]


def test_subscription_starts_from_now_unless_asked_for_everything(es, settings):
    index.index_articles(es, settings, numbered_articles("old", 2))
    with Receiver() as receiver:
        subscriptions.add_subscription(es, settings, "new-only", receiver.url("/a"), SECRET)
        subscriptions.add_subscription(
            es, settings, "backfill", receiver.url("/b"), SECRET, from_beginning=True
        )
        index.index_articles(es, settings, numbered_articles("new", 1))
        subscriptions.deliver_new(es, settings, backoff_s=0.01)
    got = sorted((r.path, json.loads(r.body)["document"]["id"]) for r in receiver.received)
    assert got == [("/a", "new-0"), ("/b", "new-0"), ("/b", "old-0"), ("/b", "old-1")]


def test_a_private_target_is_refused_unless_private_networks_are_allowed(settings):
    from dataclasses import replace

    with pytest.raises(ValueError, match="private address"):
        subscriptions.check_target_url(
            "http://127.0.0.1:8080/hook", replace(settings, allow_private_networks=False)
        )
    subscriptions.check_target_url("http://127.0.0.1:8080/hook", settings)
