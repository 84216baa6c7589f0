"""Fixtures and helpers for the DAG tests: feeds on 127.0.0.1, the environment the DAGs read, runs."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS


@pytest.fixture
def dag_env(monkeypatch, settings, tmp_path):
    def configure(feeds: list[tuple[str, str, bool]]):
        lines = ["feeds:"]
        for name, url, full_page in feeds:
            lines += [
                f"  - name: {name}",
                f"    url: {url}",
                f"    fetch_full_page: {str(full_page).lower()}",
                "    allow_private_network: true",
            ]
        path = tmp_path / "feeds.yaml"
        path.write_text("\n".join(lines) + "\n")
        monkeypatch.setenv("BORDER_FEEDS_FILE", str(path))

    monkeypatch.setenv("ES_URL", settings.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix)
    monkeypatch.setenv("BORDER_ALLOW_PRIVATE_NETWORKS", "true")
    monkeypatch.setenv("BORDER_FETCH_TIMEOUT", "5")
    monkeypatch.setenv("BORDER_TASK_RETRIES", "0")  # a transient failure is dead-lettered on the first try
    return configure


def run_dag(dag_id: str = "border_news_ingest"):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(SEEDS.parent / "dags"))
    assert bag.import_errors == {}
    run = bag.get_dag(dag_id).test()
    assert run.state == "success", f"{dag_id} run {run.run_id} ended {run.state}"
    return run


def counts(es, settings) -> tuple[int, int]:
    es.indices.refresh(index=f"{settings.index_prefix}*")
    return es.count(index=settings.index("raw"))["count"], es.count(index=settings.read_alias)["count"]


def run_note(run) -> str | None:
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        [stored] = DagRun.find(dag_id=run.dag_id, run_id=run.run_id, session=session)
        return stored.note


def run_record(es, settings, run) -> dict:
    return es.get(index=settings.index("runs"), id=run.run_id)["_source"]


def asset_events(run) -> list[dict]:
    """The `extra` of each Asset event on the index Asset that this run emitted."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    from pipeline.assets import INDEX_ASSET_URI

    with create_session() as session:
        rows = session.scalars(
            select(AssetEvent)
            .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
            .where(AssetModel.uri == INDEX_ASSET_URI, AssetEvent.source_run_id == run.run_id)
        ).all()
        return [dict(r.extra) for r in rows]


def map_index_names(run, task_id: str = "fetch_feed") -> list[str]:
    """The names the UI shows for a mapped task's instances (rendered `map_index_template`)."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.execute(
            select(TaskInstance.map_index, TaskInstance.rendered_map_index)
            .where(
                TaskInstance.dag_id == run.dag_id,
                TaskInstance.run_id == run.run_id,
                TaskInstance.task_id == task_id,
            )
            .order_by(TaskInstance.map_index)
        ).all()
        return [r.rendered_map_index for r in rows]


def task_return(run, task_id: str):
    """What a task of this run returned (its `return_value` XCom), or None."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        query = XComModel.get_many(
            run_id=run.run_id, dag_ids=run.dag_id, task_ids=task_id, key="return_value"
        )
        row = session.scalars(query).first()
        return None if row is None else XComModel.deserialize_value(row)
