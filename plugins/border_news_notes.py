"""Airflow listener plugin: when a `border_news_ingest` (or reprocess) run ends, its summary becomes the
run's note; when a `border_news_webhooks` run ends, its delivery counts do.

Tasks cannot write a DAG run's note through the Task SDK (the execution API has no such call); a
listener runs in the scheduler (or in `dag.test()`) on the DagRun itself, so it sets the note there
from the run's record in the runs index, written by the `run_summary` task. Elasticsearch comes from
`BorderNewsHook` (the connection `border_news_es`, else the environment), as in the DAG's tasks.
A webhooks run keeps no record in Elasticsearch: its note is the line its task returned (XCom).
"""

from __future__ import annotations

import logging

from airflow.listeners import hookimpl
from airflow.plugins_manager import AirflowPlugin

log = logging.getLogger(__name__)

DAG_IDS = ("border_news_ingest", "border_news_reprocess")
WEBHOOKS_DAG_ID, WEBHOOKS_TASK_ID = "border_news_webhooks", "deliver_webhooks"


def _summary_note(dag_run) -> str | None:
    """The run's summary from the runs index, as its note; None if there is none."""
    from border_news_hook import BorderNewsHook

    from pipeline import runs

    hook = BorderNewsHook()
    settings = hook.get_settings()
    with hook.get_conn() as es:
        exists = es.indices.exists(index=settings.index("runs"))
        summary = runs.load(es, settings, dag_run.run_id) if exists else None
    return None if summary is None else summary.note()


def _webhooks_note(dag_run) -> str | None:
    """The delivery line the webhooks task returned; None if it returned nothing (it failed)."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import inspect

    query = XComModel.get_many(
        run_id=dag_run.run_id, dag_ids=dag_run.dag_id, task_ids=WEBHOOKS_TASK_ID, key="return_value"
    )
    own = inspect(dag_run).session  # in the scheduler: read in its session, not beside it
    if own is not None:
        row = own.scalars(query).first()
    else:
        with create_session() as session:
            row = session.scalars(query).first()
    value = None if row is None else XComModel.deserialize_value(row)
    return value.get("message") if isinstance(value, dict) else None


def set_summary_note(dag_run) -> None:
    """Set the DagRun's note to its run summary (ingest, reprocess) or delivery counts (webhooks)."""
    if dag_run.dag_id in DAG_IDS:
        note = _summary_note(dag_run)
    elif dag_run.dag_id == WEBHOOKS_DAG_ID:
        note = _webhooks_note(dag_run)
    else:
        return
    if note is None:
        return
    from sqlalchemy import inspect, select

    if inspect(dag_run).session is not None:  # the scheduler's own session: set it there
        dag_run.note = note
        return
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:  # dag.test() hands over a detached DagRun
        attached = session.scalar(
            select(DagRun).where(DagRun.dag_id == dag_run.dag_id, DagRun.run_id == dag_run.run_id)
        )
        if attached is not None:
            attached.note = note


class RunNoteListener:
    @hookimpl
    def on_dag_run_success(self, dag_run, msg: str) -> None:
        set_summary_note(dag_run)

    @hookimpl
    def on_dag_run_failed(self, dag_run, msg: str) -> None:
        set_summary_note(dag_run)


class BorderNewsNotesPlugin(AirflowPlugin):
    name = "border_news_notes"
    listeners = [RunNoteListener()]
