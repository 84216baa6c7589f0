"""Feed health and recent runs for operators, read from the state, raw, dead-letter and runs indices.

Used by the Airflow UI plugin (`plugins/border_news_view.py`) and usable from the CLI.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from pipeline import runs, state
from pipeline.settings import Settings


def _per_feed_counts(
    es: Elasticsearch, index: str, time_field: str, since: str = "now-24h"
) -> dict[str, int]:
    if not es.indices.exists(index=index):
        return {}
    es.indices.refresh(index=index)
    response = es.search(
        index=index,
        size=0,
        query={"range": {time_field: {"gte": since}}},
        aggs={"feeds": {"terms": {"field": "feed", "size": 1000}}},
    )
    return {b["key"]: b["doc_count"] for b in response["aggregations"]["feeds"]["buckets"]}


def feed_health(es: Elasticsearch, settings: Settings) -> list[dict[str, Any]]:
    """One row per known feed: status, last success, last error, items and failures in the last 24 h."""
    items = _per_feed_counts(es, settings.index("raw"), "fetched_at")
    failures = _per_feed_counts(es, settings.index("deadletter"), "last_seen_at")
    rows = []
    for doc in state.all_states(es, settings):
        name = doc["feed"]
        failing = doc.get("last_status") == "failed"
        rows.append(
            {
                "feed": name,
                "url": doc.get("url"),
                "status": "failing" if failing else ("ok" if doc.get("last_success_at") else "unknown"),
                "last_status": doc.get("last_status"),
                "last_fetch_at": doc.get("last_fetch_at"),
                "last_success_at": doc.get("last_success_at"),
                "last_error_at": doc.get("last_error_at"),
                "last_error": doc.get("last_error"),
                "consecutive_failures": doc.get("consecutive_failures") or 0,
                "items_24h": items.get(name, 0),
                "dead_letters_24h": failures.get(name, 0),
            }
        )
    return rows


def overview(es: Elasticsearch, settings: Settings, runs_size: int = 10) -> dict[str, Any]:
    """Everything the operators' view shows."""
    return {
        "feeds": feed_health(es, settings),
        "runs": runs.recent(es, settings, size=runs_size),
        "index_prefix": settings.index_prefix,
    }
