"""Ingest DAG: feeds -> raw index -> processing stages -> article index -> Asset event.
Wiring only; the logic lives in `pipeline.ingest`, Elasticsearch comes from the hook. Webhooks go out
from their own DAG (`border_news_webhooks`), scheduled on the Asset this one emits."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Asset, dag, get_current_context, task
from border_news_hook import BorderNewsHook

from pipeline.assets import DAG_DEFAULTS, INDEX_ASSET_URI

# Read when the file is parsed (schedule, retries): the environment only, no connection lookup.
SETTINGS = BorderNewsHook.env_settings()
INDEX_ASSET = Asset(INDEX_ASSET_URI)

DOC = f"""
### border_news_ingest
Every `BORDER_SCHEDULE` (default every 5 minutes; one run at a time, no catch-up):

1. **list_feeds** reads the feed list (`BORDER_FEEDS_FILE`, default `config/feeds.yaml`).
2. **fetch_feed** (one mapped task per feed, named after the feed) sends a conditional GET (ETag /
   Last-Modified kept in `<prefix>-state`), fetches the full page of new summary-only entries, and stores
   new entries in the raw index `<prefix>-raw` (first copy of an entry wins).
3. **process_and_index** runs the processing stages over every raw entry still pending and bulk-indexes
   the kept ones (relevant, not duplicates) through the write alias under stable ids.
4. **publish_index_asset** emits an event on the Asset `{INDEX_ASSET_URI}` when something new was indexed
   (downstream DAGs schedule on it, among them `border_news_webhooks`, which posts new documents to
   subscribers in runs of its own: no subscriber delays this DAG; skipped otherwise).
5. **run_summary** writes one record to `<prefix>-runs` and logs it; the run's note shows the same numbers.

Elasticsearch: the Airflow connection `border_news_es` when it exists, else `ES_URL` and friends.
Failures land in `<prefix>-deadletter` with the stage, feed, article and a hint, and the run goes on.
**Re-running** is safe: clear the DAG run (or one feed's mapped task) in the UI, or
`airflow dags test border_news_ingest`; ids are stable, so nothing is duplicated.
"""


@dag(
    dag_id="border_news_ingest",
    schedule=SETTINGS.schedule,
    **DAG_DEFAULTS,
    dagrun_timeout=timedelta(minutes=30),
    doc_md=DOC,
    default_args={"retries": 0},
)
def border_news_ingest():
    @task(
        doc_md="""Reads the feed list and splits it into groups of `BORDER_FEEDS_PER_TASK` feeds (default 1:
one mapped task per feed). Fails the run if the YAML is invalid: fix the file, then clear this task."""
    )
    def list_feeds() -> list[list[dict]]:
        from pipeline.ingest.fetching import feed_groups

        return feed_groups(SETTINGS)

    @task(
        map_index_template="{{ task.op_kwargs['feeds'] | map(attribute='name') | join(', ') }}",
        retries=SETTINGS.task_retries,
        retry_delay=timedelta(seconds=15),
        retry_exponential_backoff=2.0,
        max_retry_delay=timedelta(minutes=2),
        execution_timeout=timedelta(minutes=10),
        doc_md="""One feed: conditional GET, full pages of new summary-only entries, new entries into the raw
index. Transient errors (network, timeout, HTTP 5xx/429) are retried with exponential backoff; on the
last try, and at once for permanent errors (4xx, not a feed, too large), the failure is dead-lettered
and the task succeeds so the other feeds go on. Re-run one feed: clear its mapped task instance.""",
    )
    def fetch_feed(feeds: list[dict]) -> list[dict]:
        from pipeline.ingest.fetching import ingest_feed_group

        hook, ti = BorderNewsHook(), get_current_context()["ti"]
        with hook.get_conn() as es:
            final = ti.try_number > ti.max_tries
            return ingest_feed_group(es, hook.get_settings(), feeds, run_id=ti.run_id, final_attempt=final)

    @task(
        retries=SETTINGS.task_retries,
        retry_delay=timedelta(seconds=15),
        retry_exponential_backoff=2.0,
        doc_md="""Processes every raw entry still pending (this run's and any left by an earlier run), indexes
the kept ones, and marks each raw entry with its outcome. An article that fails a stage is
dead-lettered and the rest go on; Elasticsearch errors fail the task (retried). Re-run: clear it.""",
    )
    def process_and_index(outcomes: list[list[dict]]) -> dict:
        from pipeline.ingest import process_pending

        hook, ti = BorderNewsHook(), get_current_context()["ti"]
        with hook.get_conn() as es:
            counts = process_pending(es, hook.get_settings(), run_id=ti.run_id)
        print(counts.line())
        return counts.to_dict()

    @task(
        outlets=[INDEX_ASSET],
        doc_md=f"Emits an event on `{INDEX_ASSET_URI}` when the run indexed new articles; skipped otherwise.",
    )
    def publish_index_asset(result: dict) -> int:
        from airflow.sdk.exceptions import AirflowSkipException

        if not result["indexed"]:
            raise AirflowSkipException("nothing new indexed: no Asset event")
        get_current_context()["outlet_events"][INDEX_ASSET].extra = {"indexed": result["indexed"]}
        return result["indexed"]

    @task(
        trigger_rule="all_done",
        doc_md="""Writes the run's summary to `<prefix>-runs`, prints it here, and fails
the run if an earlier task failed (after recording what it could).""",
    )
    def run_summary(outcomes: list[list[dict]] | None = None) -> dict:
        from pipeline.ingest import summarize

        ctx, hook = get_current_context(), BorderNewsHook()
        ti = ctx["ti"]
        with hook.get_conn() as es:
            summary = summarize(
                es,
                hook.get_settings(),
                run_id=ti.run_id,
                started_at=ctx["dag_run"].start_date,
                outcomes=[o for group in outcomes or [] for o in group],
                processed=ti.xcom_pull(task_ids="process_and_index"),
            )
        print(summary.note())
        if summary.state != "success":
            from airflow.sdk.exceptions import AirflowFailException

            raise AirflowFailException(
                "an earlier task failed: see its log; the summary above counts what was done"
            )
        return summary.to_dict()

    outcomes = fetch_feed.expand(feeds=list_feeds())
    result = process_and_index(outcomes)
    publish_index_asset(result)
    result >> run_summary(outcomes)


border_news_ingest()
