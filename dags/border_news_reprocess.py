"""Reprocess DAG: every raw article through the processing stages again into a new index version,
then an atomic alias switch. Wiring only; the logic lives in `pipeline.reprocess`, Elasticsearch
comes from the hook."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Asset, dag, get_current_context, task
from border_news_hook import BorderNewsHook

from pipeline.assets import DAG_DEFAULTS, INDEX_ASSET_URI

INDEX_ASSET = Asset(INDEX_ASSET_URI)

DOC = f"""
### border_news_reprocess
Run by hand after the gazetteer, relevance terms or a processing stage changed (no schedule).

**reprocess_all** creates a new index of the current schema version,
`<prefix>-v<schema>-r<generation>`, replays every article of the raw index `<prefix>-raw` through
the processing stages into it (in fetch order, with the same Elasticsearch-backed dedupe and story
lookups as ingest, reading the new index as it fills), then moves the read alias `<prefix>` and the
write alias `<prefix>-write` to it in one atomic request (searches never see an empty index), and
finally processes again the raw entries that arrived meanwhile. The old version is kept: to roll
back, point the aliases at it (`pipeline.index.switch_aliases`) and delete the new one. It emits an
event on `{INDEX_ASSET_URI}`.

Re-running creates one more version; nothing is lost or duplicated (ids are stable).
"""


@dag(
    dag_id="border_news_reprocess",
    schedule=None,
    **DAG_DEFAULTS,
    doc_md=DOC,
)
def border_news_reprocess():
    @task(outlets=[INDEX_ASSET], execution_timeout=timedelta(hours=6), doc_md=DOC)
    def reprocess_all() -> dict:
        from pipeline.reprocess import record_run, report_line, reprocess

        ctx, hook = get_current_context(), BorderNewsHook()
        run_id, settings = ctx["ti"].run_id, hook.get_settings()
        with hook.get_conn() as es:
            report = reprocess(es, settings, run_id=run_id)
            summary = record_run(es, settings, report, run_id=run_id, started_at=ctx["dag_run"].start_date)
        print(report_line(report))
        print(summary.note())
        return report.to_dict()

    reprocess_all()


border_news_reprocess()
