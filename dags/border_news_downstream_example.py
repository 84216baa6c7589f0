"""Example downstream DAG: runs whenever the ingest DAG updates the article index (Airflow Asset) and
reads what is new through the change feed. Copy it as the start of your own consumer."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import Asset, dag, task
from border_news_hook import BorderNewsHook

from pipeline.assets import INDEX_ASSET_URI

DOC = f"""
### border_news_downstream_example
Scheduled on the Asset `{INDEX_ASSET_URI}`: the ingest DAG emits an event on it after a run that
indexed something, and this DAG then runs once. Its task reads every document indexed since its last
run, in ingest order, from the change feed (`pipeline.subscriptions.consume`), and logs one line per
document. Its cursor is kept in Elasticsearch (`<prefix>-cursors`, consumer `downstream-example`), so
a re-run or another worker resumes where it stopped, never skipping a document; clearing the task
re-runs it safely (it logs only what came after the saved cursor). Elasticsearch: the connection
`border_news_es` when it exists, else `ES_URL` and friends (`BorderNewsHook`).
"""


@dag(
    dag_id="border_news_downstream_example",
    schedule=[Asset(INDEX_ASSET_URI)],
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["border-watch", "example"],
    doc_md=DOC,
)
def border_news_downstream_example():
    @task
    def log_new_articles() -> dict:
        """Log each article indexed since this consumer's cursor, then move the cursor."""
        from pipeline import subscriptions

        def log(change: subscriptions.Change) -> None:  # your consumer's work goes here
            doc = change.document
            print(
                f"new article #{change.seq}: [{doc.get('language')}] {doc.get('title')} ({doc.get('source')})"
            )

        hook = BorderNewsHook()
        with hook.get_conn() as es:
            handled, cursor = subscriptions.consume(es, hook.get_settings(), "downstream-example", log)
        print(f"{handled} new articles; cursor now {cursor}")
        return {"new": handled, "cursor": cursor}

    log_new_articles()


border_news_downstream_example()
