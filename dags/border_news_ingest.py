"""Ingest DAG: feeds -> raw index -> processing stages -> article index -> Asset event and webhooks.
Wiring only; the logic lives in `pipeline` (ingest, state, runs, deadletter, subscriptions)."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, get_current_context, task

from pipeline.assets import INDEX_ASSET_URI
from pipeline.settings import Settings

SETTINGS = Settings.from_env()
INDEX_ASSET = Asset(INDEX_ASSET_URI)

DOC = f"""
### border_news_ingest
Every `BORDER_SCHEDULE` (default every 5 minutes; one run at a time, no catch-up):

1. **list_feeds** reads the feed list (`BORDER_FEEDS_FILE`, default `config/feeds.yaml`).
2. **fetch_feed** (one mapped task per feed, named after the feed) sends a conditional GET (ETag /
   Last-Modified kept in `<prefix>-state`), fetches the full page of new summary-only entries, and stores
   new entries in the raw index `<prefix>-raw` (first copy of a link wins).
3. **process_and_index** runs the processing stages over every raw entry still pending and bulk-indexes
   the relevant, non-duplicate ones through the write alias under stable ids.
4. **publish_index_asset** emits an event on the Asset `{INDEX_ASSET_URI}` when something new was indexed (downstream
   DAGs schedule on it; skipped otherwise).
5. **deliver_webhooks** posts new matching documents to subscribers.
6. **run_summary** writes one record to `<prefix>-runs` and logs it; the run's note shows the same numbers.

Failures land in `<prefix>-deadletter` with the stage, feed, article and a hint, and the run goes on.
**Re-running** is safe: clear the DAG run (or one feed's mapped task) in the UI, or
`airflow dags test border_news_ingest`; ids are stable, so nothing is duplicated.
"""


def _es():
    """The Elasticsearch client: URL, credentials and TLS from the Airflow connection `border_news_es`
    when it exists, else from the environment (ES_URL, ES_API_KEY...)."""
    from pipeline import index
    from pipeline.settings import settings_for_airflow

    return index.client(settings_for_airflow())


@dag(
    dag_id="border_news_ingest",
    schedule=SETTINGS.schedule,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=30),
    tags=["border-watch"],
    doc_md=DOC,
    default_args={"retries": 0},
)
def border_news_ingest():
    @task(
        doc_md="""Reads the feed list and splits it into groups of `BORDER_FEEDS_PER_TASK` feeds (default 1:
one mapped task per feed). Fails the run if the YAML is invalid: fix the file, then clear this task."""
    )
    def list_feeds() -> list[list[dict]]:
        from dataclasses import asdict

        from pipeline.feeds import load_feeds

        feeds = [asdict(f) for f in load_feeds(SETTINGS.feeds_file)]
        size = SETTINGS.feeds_per_task
        print(f"{len(feeds)} feeds from {SETTINGS.feeds_file}, {size} per task")
        return [feeds[i : i + size] for i in range(0, len(feeds), size)]

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
        from pipeline.feeds import FeedConfig
        from pipeline.ingest import ingest_feeds

        ti = get_current_context()["ti"]
        outcomes = ingest_feeds(
            _es(),
            SETTINGS,
            [FeedConfig(**f) for f in feeds],
            run_id=ti.run_id,
            final_attempt=ti.try_number > ti.max_tries,
        )
        for o in outcomes:
            print(
                f"feed {o.feed}: {o.status}; {o.entries} entries, {o.new} new, {o.pages_fetched} pages fetched, "
                f"{o.pages_failed} failed, {o.dead_lettered} dead-lettered"
                + (f"; error: {o.error}" if o.error else "")
            )
        return [o.to_dict() for o in outcomes]

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

        ti = get_current_context()["ti"]
        result = process_pending(_es(), SETTINGS, run_id=ti.run_id).to_dict(with_ids=False)
        print(
            f"processed {result['processed']}: irrelevant {result['irrelevant']}, duplicates {result['duplicates']}, "
            f"indexed {result['indexed']}, failed {result['process_failed'] + result['index_failed']}"
        )
        return result

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
        doc_md="""Delivers the documents indexed since each subscription's cursor as signed JSON POSTs
(`pipeline.subscriptions.deliver_new`: retries with backoff, delivery log in `<prefix>-deliveries`). A
receiver that keeps failing stops only its own subscription; its cursor stays, so the next run retries."""
    )
    def deliver_webhooks(result: dict) -> dict:
        from pipeline import subscriptions

        report = subscriptions.deliver_new(_es(), SETTINGS)
        for line in report.errors:
            print(f"webhook delivery stopped: {line}")
        print(
            f"webhooks: {report.delivered} delivered, {report.failed} failed, {report.subscriptions} subscriptions"
        )
        return {"delivered": report.delivered, "failed": report.failed}

    @task(
        trigger_rule="all_done",
        doc_md="""Writes the run's summary to `<prefix>-runs`, prints it here, and fails
the run if an earlier task failed (after recording what it could).""",
    )
    def run_summary(outcomes: list[list[dict]] | None = None) -> dict:
        from pipeline.ingest import summarize

        ctx = get_current_context()
        ti = ctx["ti"]
        processed = ti.xcom_pull(task_ids="process_and_index")
        delivered = ti.xcom_pull(task_ids="deliver_webhooks")
        summary = summarize(
            _es(),
            SETTINGS,
            run_id=ti.run_id,
            started_at=ctx["dag_run"].start_date,
            outcomes=[o for group in outcomes or [] for o in group],
            processed=processed,
            delivered=delivered,
        )
        print("\n".join(summary.lines()))
        if summary.state != "success":
            from airflow.sdk.exceptions import AirflowFailException

            raise AirflowFailException(
                "an earlier task failed: see its log; the summary above counts what was done"
            )
        return summary.to_dict()

    outcomes = fetch_feed.expand(feeds=list_feeds())
    result = process_and_index(outcomes)
    delivered = deliver_webhooks(result)
    publish_index_asset(result)
    delivered >> run_summary(outcomes)


border_news_ingest()
