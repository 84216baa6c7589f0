"""Ingest DAG: feeds -> raw articles -> Elasticsearch. Wiring only; the logic lives in `pipeline`."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

DOC = """
### border_news_ingest
Fetches every feed in the feed list (`BORDER_FEEDS_FILE`, default `config/feeds.yaml`), one mapped
task per feed, and keeps each entry in the raw index (`<prefix>-raw`) under a stable id, so that a
re-run changes nothing. Re-run a failed feed by clearing its mapped task instance.
"""


@dag(
    dag_id="border_news_ingest",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["border-watch"],
    doc_md=DOC,
)
def border_news_ingest():
    @task
    def list_feeds() -> list[dict]:
        """Read the feed list an operator maintains."""
        from dataclasses import asdict

        from pipeline.feeds import load_feeds
        from pipeline.settings import Settings

        return [asdict(f) for f in load_feeds(Settings.from_env().feeds_file)]

    @task(map_index_template="{{ task.op_kwargs['feed']['name'] }}")
    def fetch_feed(feed: dict) -> list[dict]:
        """Fetch and parse one feed into raw articles."""
        from pipeline.feeds import FeedConfig
        from pipeline.ingest import fetch_feed as fetch
        from pipeline.settings import Settings

        return [a.to_dict() for a in fetch(Settings.from_env(), FeedConfig(**feed))]

    @task
    def store_raw(batches: list[list[dict]]) -> dict:
        """Write the raw articles to Elasticsearch (first copy of a link wins)."""
        from pipeline import index, ingest
        from pipeline.article import Article
        from pipeline.settings import Settings

        settings = Settings.from_env()
        articles = [Article.from_dict(d) for batch in batches for d in batch]
        report = ingest.store_raw(index.client(settings), settings, articles)
        summary = {"seen": len(articles), "new": report.created, "unchanged": report.noop, "failed": len(report.failed)}
        print(f"raw index: {summary}")
        return summary

    store_raw(fetch_feed.expand(feed=list_feeds()))


border_news_ingest()
