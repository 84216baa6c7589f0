"""Ingestion edges: one feed -> raw articles, raw articles -> the raw index.

Used by the `border_news_ingest` DAG and the CLI alike; the DAG only wires these calls.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch

from pipeline.article import Article
from pipeline.feeds import FeedConfig, parse_feed
from pipeline.fetch import Fetcher
from pipeline.index import RAW_MAPPING, BulkReport, bulk_index, ensure_index, raw_id
from pipeline.settings import Settings


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fetch_feed(settings: Settings, feed: FeedConfig, fetcher: Fetcher | None = None) -> list[Article]:
    """Fetch and parse one feed into raw articles stamped with their fetch time."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        result = fetcher.get(feed.url, feed=feed.name)
    finally:
        if own:
            fetcher.close()
    fetched_at = now_iso()
    return [a.replace(fetched_at=fetched_at) for a in parse_feed(result.content, feed_name=feed.name, base_url=result.url, outlet=feed.outlet)]


def raw_document(article: Article) -> tuple[str, dict[str, Any]]:
    """The raw-index document of an article: everything as received, for reprocessing later."""
    doc = {k: v for k, v in asdict(article).items() if v not in (None, [], "")}
    doc["ingested_at"] = now_iso()
    return raw_id(article.raw_url, article.input), doc


def store_raw(es: Elasticsearch, settings: Settings, articles: list[Article]) -> BulkReport:
    """Keep raw articles; the first copy of a link wins, so re-runs change nothing."""
    index = settings.index("raw")
    ensure_index(es, index, RAW_MAPPING)
    return bulk_index(es, index, (raw_document(a) for a in articles), op_type="create", refresh="wait_for")
