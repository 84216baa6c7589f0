"""The ingest DAG on the production topology: triggered through Airflow's REST API, run by the Celery
workers, writing over TLS with the pipeline's file-realm user; the analyst's and the downstream app's
users are refused what their roles do not grant (real 403s from the cluster)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from pipeline import index, subscriptions
from pipeline.settings import Settings

DAG_ID = "border_news_ingest"


@pytest.fixture(scope="module")
def airflow(stack):
    """An httpx client on the api-server with a JWT of the stack's admin user."""
    base = stack["STACK_API_URL"]
    token = httpx.post(
        f"{base}/auth/token",
        json={"username": stack["STACK_AIRFLOW_USER"], "password": stack["STACK_AIRFLOW_PASSWORD"]},
        timeout=30,
    )
    assert token.status_code in (200, 201), token.text
    client = httpx.Client(
        base_url=f"{base}/api/v2",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        timeout=30,
    )
    yield client
    client.close()


def pipeline_settings(stack) -> Settings:
    return Settings.from_env(stack)


def es_as(stack, user: str, password: str) -> httpx.Client:
    """Plain HTTPS to node 2 of the cluster as `user`, verifying the stack's CA."""
    node = stack["STACK_ES_URLS"].split(",")[1]
    return httpx.Client(base_url=node, auth=(user, password), verify=stack["ES_CA_CERTS"], timeout=30)


def wait_for(check, timeout: float, what: str, every: float = 2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def quiet_window(airflow, needed_s: float = 120):
    """Wait until no run of the DAG is queued or running and its next scheduled run is at least
    `needed_s` away, so that this test's run is the one that sees the feed first."""

    def quiet():
        runs = airflow.get(f"/dags/{DAG_ID}/dagRuns", params={"state": ["queued", "running"]}).json()
        if runs["total_entries"]:
            return False
        dag = airflow.get(f"/dags/{DAG_ID}").json()
        after = dag.get("next_dagrun_run_after")
        if not after:
            return True
        left = datetime.fromisoformat(after.replace("Z", "+00:00")) - datetime.now(UTC)
        return left.total_seconds() > needed_s

    wait_for(quiet, 600, "a quiet window between scheduled runs", every=5)


def forget_earlier_runs(es, prefix: str) -> None:
    """Empty what earlier runs on this stack left (articles, raw entries, feed state, run records),
    keeping the article index itself (its replica and aliases), so this run ingests the seeds anew."""
    es.indices.delete(
        index=[f"{prefix}-{kind}" for kind in ("raw", "state", "runs", "deadletter", "stories-v1")],
        ignore_unavailable=True,
    )
    # By id: this distribution has no `_delete_by_query` (module reindex).
    hits = es.search(index=f"{prefix}-write", size=1000, source=False)["hits"]["hits"]
    for hit in hits:
        es.delete(index=hit["_index"], id=hit["_id"])
    es.indices.refresh(index=f"{prefix}-write")
    assert es.count(index=prefix)["count"] == 0


def test_cluster_is_three_nodes_green_with_tls_only_and_a_replicated_article_index(stack):
    es = index.client(pipeline_settings(stack))
    health = es.cluster.health(index=stack["BORDER_INDEX_PREFIX"], wait_for_status="green", timeout="60s")
    assert (health["number_of_nodes"], health["status"]) == (3, "green")
    shards = es.cat.shards(index=stack["BORDER_INDEX_PREFIX"], format="json")
    assert sorted(s["prirep"] for s in shards) == ["p", "r"]  # one primary, one replica
    assert len({s["node"] for s in shards}) == 2  # on two different nodes
    with pytest.raises(httpx.HTTPError):  # plain HTTP is not served
        httpx.get(stack["ES_URL"].replace("https://", "http://"), timeout=10)
    anonymous = httpx.get(stack["ES_URL"], verify=stack["ES_CA_CERTS"], timeout=10)
    assert anonymous.status_code == 401


def test_ingest_dag_runs_on_the_celery_workers_and_indexes_the_seeds(stack, airflow):
    t0 = time.monotonic()
    wait_for(lambda: airflow.get(f"/dags/{DAG_ID}").status_code == 200, 180, "the DAG to be parsed")
    # Unpaused first: on a new stack that creates the run of the latest schedule point at once, and
    # the quiet window below waits for it, so the seeds are new to this test's run.
    assert airflow.patch(f"/dags/{DAG_ID}", json={"is_paused": False}).status_code == 200
    time.sleep(5)
    quiet_window(airflow)
    es = index.client(pipeline_settings(stack))
    prefix = stack["BORDER_INDEX_PREFIX"]
    forget_earlier_runs(es, prefix)
    run_id = f"stack-test-{uuid.uuid4().hex[:8]}"
    t_trigger = time.monotonic()
    trigger = airflow.post(f"/dags/{DAG_ID}/dagRuns", json={"dag_run_id": run_id, "logical_date": None})
    assert trigger.status_code == 200, trigger.text

    def finished():
        state = airflow.get(f"/dags/{DAG_ID}/dagRuns/{run_id}").json()["state"]
        return state if state in ("success", "failed") else None

    state = wait_for(finished, 600, f"run {run_id}", every=3)
    waited, elapsed = t_trigger - t0, time.monotonic() - t_trigger
    tis = airflow.get(f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances").json()["task_instances"]
    summary = [(t["task_id"], t["map_index"], t["state"], t["hostname"], t["queue"]) for t in tis]
    assert state == "success", summary
    ran = [t for t in tis if t["state"] == "success"]
    assert {t["task_id"] for t in ran} >= {"list_feeds", "fetch_feed", "process_and_index", "run_summary"}
    # Every task ran in a Celery worker of the stack (the hostname callable adds the worker's name)
    # from the default Celery queue.
    for t in ran:
        assert t["hostname"].split(".")[0] in {"worker-1", "worker-2"}, summary
        assert t["queue"] == "default", summary
    print(f"\nrun {run_id}: {state} {elapsed:.1f} s after the trigger (waited {waited:.1f} s for a quiet")
    print(f"window); tasks: {json.dumps(summary)}")

    es.indices.refresh(index=f"{prefix}*")
    record = es.get(index=f"{prefix}-runs", id=run_id)["_source"]
    assert (record["feeds_fetched"], record["entries_seen"]) == (1, 5)
    assert es.count(index=f"{prefix}-raw")["count"] == 5
    # The five seeds are accounted for: indexed, or marked irrelevant/duplicate by the pipeline.
    assert record["indexed"] + record["irrelevant"] + record["duplicates"] == 5
    hits = es.search(index=prefix, size=20, query={"match_all": {}})["hits"]["hits"]
    assert len(hits) >= 4
    assert len(hits) == record["indexed"]
    assert {h["_source"]["feed"] for h in hits} == {"fixture-seeds"}
    # Searchable: a full-text query finds them through the read alias.
    found = es.search(index=prefix, query={"multi_match": {"query": "China", "fields": ["title", "text"]}})
    assert found["hits"]["total"]["value"] >= 1


def test_analyst_reads_the_aliases_and_is_refused_writes_raw_and_dead_letters(stack):
    prefix = stack["BORDER_INDEX_PREFIX"]
    with es_as(stack, stack["STACK_ANALYST_USER"], stack["STACK_ANALYST_PASSWORD"]) as es:
        assert es.get(f"/{prefix}/_count").status_code == 200  # the credentials work
        doc = {"title": "written by an analyst"}
        assert es.post(f"/{prefix}-write/_doc", json=doc).status_code == 403
        assert es.put(f"/{prefix}/_doc/analyst-write", json=doc).status_code == 403
        for kind in ("raw", "deadletter", "runs", "state"):
            assert es.get(f"/{prefix}-{kind}/_search").status_code == 403, kind
        # Not through a wildcard either: the raw index is left out of the results, not shown.
        wide = es.get(f"/{prefix}*/_search", params={"size": 100}).json()
        assert {h["_index"] for h in wide["hits"]["hits"]} <= {f"{prefix}-v1", f"{prefix}-stories-v1"}
        assert es.delete(f"/{prefix}-v1").status_code == 403


def test_downstream_app_reads_the_alias_and_only_its_own_cursor(stack):
    prefix = stack["BORDER_INDEX_PREFIX"]
    subscriptions.save_cursor(
        index.client(pipeline_settings(stack)), pipeline_settings(stack), "other-app", "x"
    )
    with es_as(stack, stack["STACK_APP_USER"], stack["STACK_APP_PASSWORD"]) as es:
        assert es.get(f"/{prefix}/_count").status_code == 200
        assert es.get(f"/{prefix}-raw/_search").status_code == 403
        assert es.post(f"/{prefix}-write/_doc", json={"title": "x"}).status_code == 403
        own = {"consumer": stack["STACK_APP_USER"], "cursor": "c1"}
        put = es.put(
            f"/{prefix}-cursors/_doc/{stack['STACK_APP_USER']}", params={"refresh": "true"}, json=own
        )
        assert put.status_code in (200, 201), put.text
        seen = es.get(f"/{prefix}-cursors/_search").json()["hits"]["hits"]
        assert [h["_id"] for h in seen] == [stack["STACK_APP_USER"]]  # not the other app's cursor
