"""End to end: the ingest DAG (dag.test()) indexes the seed feed served on 127.0.0.1; its documents
match the JSON Schema; the webhooks DAG run after it delivers them to a webhook receiver; the change
feed and the downstream DAG see them."""

from __future__ import annotations

import json

import jsonschema

from pipeline import secretbox, subscriptions
from pipeline.search import Filters
from tests.conftest import ROOT, SEEDS
from tests.integration.conftest import run_dag, run_record, task_return
from tests.integration.receiver import Receiver

SCHEMA = json.loads((ROOT / "schema" / "article-v1.schema.json").read_text())


def test_ingest_dag_documents_match_the_schema_and_reach_subscribers_once(
    dag_env, settings, es, http_server, monkeypatch
):
    monkeypatch.setenv(secretbox.KEY_ENV, secretbox.new_key())
    dag_env([("fixture-seeds", http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes()), False)])
    with Receiver() as receiver:
        subscriptions.add_subscription(
            es, settings, "hindi-desk", receiver.url("/hook"), "secret", Filters(languages=("hi",))
        )
        first = run_dag()
        first_webhooks = run_dag("border_news_webhooks")
        second = run_dag()
        second_webhooks = run_dag("border_news_webhooks")
    es.indices.refresh(index=settings.read_alias)
    hits = es.search(index=settings.read_alias, size=100, sort=[{"ingest_seq": "asc"}])["hits"]["hits"]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    delivered = [json.loads(r.body)["document"] for r in receiver.received]
    hindi = [h["_source"]["id"] for h in hits if h["_source"]["language"] == "hi"]
    assert len(hits) == 5
    assert {h["_id"]: [e.message for e in validator.iter_errors(h["_source"])] for h in hits} == {
        h["_id"]: [] for h in hits
    }
    assert [h["_source"]["ingest_seq"] for h in hits] == [1, 2, 3, 4, 5]
    assert [d["id"] for d in delivered] == hindi
    assert len(hindi) == 2
    # Deliveries are counted by the webhooks DAG's runs; ingest run records no longer carry them.
    assert [task_return(r, "deliver_webhooks")["delivered"] for r in (first_webhooks, second_webhooks)] == [
        2,
        0,
    ]
    assert "delivered" not in run_record(es, settings, first)
    assert "delivered" not in run_record(es, settings, second)
    changes = list(subscriptions.follow(es, settings, "0", stop_when_idle=True))
    assert [c.document["id"] for c in changes] == [h["_id"] for h in hits]


def test_downstream_dag_after_an_ingest_run_logs_every_new_article(
    dag_env, settings, es, http_server, capsys
):
    dag_env([("fixture-seeds", http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes()), False)])
    run_dag()
    run_dag("border_news_downstream_example")
    assert capsys.readouterr().out.count("new article #") == 5
    # The 5 articles take numbers 1-5 of the change sequence, their 3 story records 6-8 (stories are
    # followed through the same sequence): the cursor ends at the sequence's last number.
    assert subscriptions.load_cursor(es, settings, "downstream-example") == f"8@{settings.index_prefix}-v1"
