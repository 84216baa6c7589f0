"""Reprocess DAG: every raw article through the processing stages again into a new index version,
then an atomic alias switch. Wiring only; the logic lives in `pipeline.reprocess`."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, get_current_context, task

from pipeline.assets import INDEX_ASSET_URI
from pipeline.settings import Settings

SETTINGS = Settings.from_env()
INDEX_ASSET = Asset(INDEX_ASSET_URI)

DOC = f"""
### border_news_reprocess
Run by hand after the gazetteer, relevance terms or a processing stage changed (no schedule).

**reprocess_all** creates a new index of the current schema version, `<prefix>-v<schema>-r<generation>`, replays every article of the raw
index `<prefix>-raw` through the processing stages into it (in fetch order, with fresh dedupe and story
registries), then moves the read alias `<prefix>` and the write alias `<prefix>-write` to it in one
atomic request (searches never see an empty index), and finally processes again the raw entries that
arrived meanwhile. The old version is kept: to roll back, point the aliases at it
(`pipeline.index.switch_aliases`) and delete the new one. It emits an event on `{INDEX_ASSET_URI}`.

Re-running creates one more version; nothing is lost or duplicated (ids are stable).
"""


@dag(
    dag_id="border_news_reprocess",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["border-watch"],
    doc_md=DOC,
)
def border_news_reprocess():
    @task(outlets=[INDEX_ASSET], execution_timeout=timedelta(hours=6), doc_md=DOC)
    def reprocess_all() -> dict:
        from pipeline import index, runs
        from pipeline.reprocess import reprocess
        from pipeline.settings import settings_for_airflow

        ctx = get_current_context()
        es = index.client(settings_for_airflow())  # the Airflow connection border_news_es when it exists
        report = reprocess(es, SETTINGS, run_id=ctx["ti"].run_id)
        o = report.outcome
        summary = runs.RunSummary(
            run_id=ctx["ti"].run_id,
            dag_id="border_news_reprocess",
            started_at=ctx["dag_run"].start_date.isoformat(),
            finished_at=runs.now_iso(),
            duration_s=report.duration_s,
            entries_seen=report.raw + report.caught_up,
            processed=o.processed,
            irrelevant=o.irrelevant,
            duplicates=o.duplicates,
            indexed=o.indexed,
            index_failed=o.index_failed,
            process_failed=o.process_failed,
            dead_lettered=o.dead_lettered,
            durations_s={k: round(v, 3) for k, v in o.durations_s.items()},
        )
        runs.write(es, SETTINGS, summary)
        print(
            f"reprocessed {report.raw} raw articles (+{report.caught_up} caught up) from {report.old_index} "
            f"({report.old_count} documents) into {report.new_index} ({report.new_count} documents); aliases switched"
        )
        print("\n".join(summary.lines()))
        return report.to_dict()

    reprocess_all()


border_news_reprocess()
