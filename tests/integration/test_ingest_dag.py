"""The ingest DAG, run for real with dag.test() against the real cluster and a feed on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS


@pytest.fixture
def dag_env(monkeypatch, settings, http_server, tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feed_url = http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes())
    feeds.write_text(f"feeds:\n  - name: fixture-seeds\n    url: {feed_url}\n    allow_private_network: true\n")
    monkeypatch.setenv("ES_URL", settings.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix)
    monkeypatch.setenv("BORDER_FEEDS_FILE", str(feeds))
    monkeypatch.setenv("BORDER_ALLOW_PRIVATE_NETWORKS", "true")
    return settings


def _run_dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(SEEDS.parent / "dags"))
    assert bag.import_errors == {}
    dag = bag.get_dag("border_news_ingest")
    return dag.test()


def test_dag_run_indexes_the_seeds_and_a_rerun_adds_nothing(dag_env, es):
    run = _run_dag()
    assert run.state == "success"
    raw = dag_env.index("raw")
    es.indices.refresh(index=raw)
    assert es.count(index=raw)["count"] == 5
    run = _run_dag()
    assert run.state == "success"
    es.indices.refresh(index=raw)
    assert es.count(index=raw)["count"] == 5
