"""The webhooks DAG, run for real with dag.test() next to the ingest DAG, against the real cluster, with
receivers on 127.0.0.1: a slow, a failing and a refusing receiver delay no ingest run, and the good
subscribers receive every document exactly once."""

from __future__ import annotations

import json
import time

from pipeline import secretbox, subscriptions, webhooks
from pipeline.search import Filters
from tests.conftest import SEEDS
from tests.integration.conftest import run_dag, run_note, task_return
from tests.integration.receiver import Receiver
from tests.integration.servers import RawServer, drips_headers
from tests.integration.test_ingest_dag import feed_with_new_item

SECRET = webhooks.new_secret()
BUDGET_S = 8.0  # per subscription and webhooks run (BORDER_WEBHOOK_BUDGET_S)
MAX_DELAY_S = 5.0  # issue 12: what bad receivers may add to an ingest run at most


def _ids(received) -> list[str]:
    return [json.loads(r.body)["document"]["id"] for r in received]


def _timed_ingest_run() -> tuple[float, float]:
    """One ingest run: its wall time, and the seconds from the end of its indexing task to the end of
    the run (what the next run waits for beyond indexing; inline deliveries used to sit there)."""
    from airflow.models.dagrun import DagRun
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    t0 = time.monotonic()
    run = run_dag()
    wall_s = time.monotonic() - t0
    with create_session() as session:
        run_end = session.scalar(select(DagRun.end_date).where(DagRun.run_id == run.run_id))
        indexed_at = session.scalar(
            select(TaskInstance.end_date).where(
                TaskInstance.run_id == run.run_id, TaskInstance.task_id == "process_and_index"
            )
        )
    return wall_s, (run_end - indexed_at).total_seconds()


def _indexed(es, settings) -> list[dict]:
    es.indices.refresh(index=settings.read_alias)
    hits = es.search(index=settings.read_alias, size=100, sort=[{"ingest_seq": "asc"}])["hits"]["hits"]
    return [h["_source"] for h in hits]


def _health(es, settings, name: str) -> dict:
    return es.get(index=settings.index("subscriptions"), id=name)["_source"]["health"]


def test_slow_failing_and_refusing_receivers_delay_no_ingest_run_and_good_ones_get_each_document_once(
    dag_env, settings, es, http_server, monkeypatch, capsys
):
    monkeypatch.setenv(secretbox.KEY_ENV, secretbox.new_key())
    monkeypatch.setenv("BORDER_WEBHOOK_BUDGET_S", str(BUDGET_S))
    seeds = (SEEDS / "feed.xml").read_bytes()
    dag_env([("seeds", http_server.add("/feed.xml", seeds), False)])
    with (
        RawServer(lambda conn: drips_headers(conn, interval=0.5)) as slow,
        Receiver(lambda n, path, headers, body: (503, b"down")) as failing,
        Receiver(lambda n, path, headers, body: (422, b"no")) as refusing,
        Receiver() as everything,
        Receiver() as hindi,
    ):
        subscriptions.add_subscription(es, settings, "slow", slow.url + "hook", SECRET)
        subscriptions.add_subscription(es, settings, "failing", failing.url("/hook"), SECRET)
        subscriptions.add_subscription(es, settings, "refusing", refusing.url("/hook"), SECRET)
        subscriptions.add_subscription(es, settings, "everything", everything.url("/hook"), SECRET)
        subscriptions.add_subscription(
            es, settings, "hindi", hindi.url("/hook"), SECRET, Filters(languages=("hi",))
        )
        with_subscribers_s, with_subscribers_tail_s = _timed_ingest_run()
        posts_during_ingest = (
            slow.connections + len(failing.received) + len(refusing.received) + len(everything.received)
        )
        first_webhooks = run_dag("border_news_webhooks")

        http_server.routes["/feed.xml"].body = feed_with_new_item()
        run_dag()
        second_webhooks = run_dag("border_news_webhooks")
        failing_posts = len(failing.received)
        # No new article: the run the time schedule starts still retries the failing receiver.
        quiet_webhooks = run_dag("border_news_webhooks")
        failing_retried = len(failing.received) - failing_posts

    # The same first run with no subscriber at all, on a prefix of its own.
    http_server.routes["/feed.xml"].body = seeds
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix + "base")
    baseline_s, baseline_tail_s = _timed_ingest_run()
    # The delay is measured on the part of the run after indexing: the whole run's time also holds
    # the processing stages, whose time on a shared machine varies by more than the limit itself.
    delay_s = with_subscribers_tail_s - baseline_tail_s
    with capsys.disabled():
        print(
            f"\ningest run with slow+failing+refusing subscribers: {with_subscribers_s:.2f} s, "
            f"{with_subscribers_tail_s:.2f} s after indexing; without subscribers: {baseline_s:.2f} s, "
            f"{baseline_tail_s:.2f} s after indexing; delay {delay_s:+.2f} s"
        )
    assert delay_s < MAX_DELAY_S
    assert posts_during_ingest == 0  # the ingest run posts nothing: deliveries are the webhooks DAG's

    docs = _indexed(es, settings)
    assert len(docs) == 6
    assert _ids(everything.received) == [d["id"] for d in docs]  # each once, in ingest order
    assert _ids(hindi.received) == [d["id"] for d in docs if d["language"] == "hi"]
    assert len(hindi.received) == 2

    reports = [task_return(r, "deliver_webhooks") for r in (first_webhooks, second_webhooks, quiet_webhooks)]
    assert [r["delivered"] for r in reports] == [5 + 2, 1, 0]
    assert reports[0]["subscriptions"] == 5
    assert run_note(first_webhooks) == reports[0]["message"]  # the listener plugin set the run's note
    assert run_note(first_webhooks).startswith("webhooks: 7 delivered, ")
    assert "refusing" in reports[0]["unhealthy"] and reports[0]["parked"] >= 1
    assert failing_retried >= 1
    assert [_health(es, settings, n)["status"] for n in ("slow", "failing", "refusing", "everything")] == [
        "retrying",
        "retrying",
        "unhealthy",
        "ok",
    ]
    assert _health(es, settings, "refusing")["parked"] >= 3


def test_the_webhooks_dag_runs_on_the_index_asset_and_on_a_timer_one_run_at_a_time():
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable

    from pipeline.assets import INDEX_ASSET_URI

    bag = DagBag(dag_folder=str(SEEDS.parent / "dags"))
    dag = bag.get_dag("border_news_webhooks")
    ingest = bag.get_dag("border_news_ingest")
    assert isinstance(dag.timetable, AssetOrTimeSchedule)
    condition = dag.timetable.asset_condition  # a list given as schedule becomes an all-of condition
    assert [a.uri for a in getattr(condition, "objects", [condition])] == [INDEX_ASSET_URI]
    assert isinstance(dag.timetable.timetable, CronTriggerTimetable)
    assert dag.max_active_runs == 1
    assert "deliver_webhooks" not in ingest.task_ids
