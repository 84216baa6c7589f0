"""Webhooks DAG: delivers newly indexed documents to subscribers, outside the ingest DAG's runs.
Wiring only; the logic lives in `pipeline.subscriptions`, Elasticsearch comes from the hook."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, dag, task
from border_news_hook import BorderNewsHook

from pipeline.assets import DAG_DEFAULTS, INDEX_ASSET_URI

# Read when the file is parsed: the environment only, no connection lookup.
SETTINGS = BorderNewsHook.env_settings()
# Runs without new articles too, so deliveries a receiver failed (5xx, 429, timeouts, budget used up)
# are retried even on a quiet day.
RETRY_CRON = "*/10 * * * *"

DOC = f"""
### border_news_webhooks
Runs after every ingest run that indexed something (an event on the Asset `{INDEX_ASSET_URI}`) and,
to retry what receivers failed, every 10 minutes (`{RETRY_CRON}`, UTC); one run at a time. What goes
out is decided by each subscription's cursor, not by the event: the next run delivers all that is new.

**deliver_webhooks** posts every document indexed since each subscription's cursor
(`pipeline.subscriptions.deliver_new`): subscriptions side by side, each within `BORDER_WEBHOOK_BUDGET_S`
seconds (default 30) per run, each POST within a total deadline. 2xx moves the cursor; 429/5xx and
timeouts are retried with backoff and, when they persist, wait for the next run with the cursor
before the document; other 4xx park the document after 3 refusals (the subscription's dead-letter list,
`python -m pipeline subscriptions parked NAME`) and mark the subscription unhealthy. The task log,
its return value (XCom) and the run's note hold the run's counts; each subscription's `health` (and
the "Border news" page) what its last call did. A failing receiver does not fail the run: see the
subscription's health.

The ingest DAG does not wait for this one: a slow subscriber delays neither fetching nor indexing.
"""


@dag(
    dag_id="border_news_webhooks",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable(RETRY_CRON, timezone="UTC"), assets=[Asset(INDEX_ASSET_URI)]
    ),
    **DAG_DEFAULTS,
    dagrun_timeout=timedelta(minutes=30),
    doc_md=DOC,
    default_args={"retries": 0},
)
def border_news_webhooks():
    @task(
        execution_timeout=timedelta(minutes=20),
        doc_md="""Delivers what is new for every subscription within its time budget; what is left
undelivered goes out on a later run with the same delivery ids. Re-run: clear it (safe: cursors say
what was delivered).""",
    )
    def deliver_webhooks() -> dict:
        from pipeline import subscriptions

        hook = BorderNewsHook()
        settings = hook.get_settings()
        with hook.get_conn() as es:
            report = subscriptions.deliver_new(es, settings, budget_s=settings.webhook_budget_s)
        for line in report.errors:
            print(f"webhook delivery: {line}")
        counts = {
            "delivered": report.delivered,
            "failed": report.failed,
            "parked": report.parked,
            "subscriptions": report.subscriptions,
            "unhealthy": sorted(report.unhealthy),
        }
        message = (
            f"webhooks: {report.delivered} delivered, {report.failed} failed (retried later), "
            f"{report.parked} parked, {report.subscriptions} subscriptions"
            + (f"; unhealthy: {', '.join(counts['unhealthy'])}" if report.unhealthy else "")
        )
        print(message)
        return {**counts, "message": message}  # the listener makes `message` the run's note

    deliver_webhooks()


border_news_webhooks()
