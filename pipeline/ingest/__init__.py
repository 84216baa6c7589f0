"""Ingestion edges, one module per job; used by the `border_news_ingest` and `border_news_reprocess`
DAGs, the CLI and the benchmarks alike (the DAGs only wire these calls):

- `rawqueue`: the raw-entry queue `<prefix>-raw` (its schema, entry ids, pending entries, marks);
- `fetching` (with `pages`): one feed -> its new entries, with full pages, into the queue;
- `indexing`: pending entries -> processing stages -> article index, one result per entry;
- `summary`: the run's record from the tasks' counts.

The per-entry results and the one function that counts them (the run's vocabulary) are
`pipeline.outcomes`.

Only ids and counts go through XCom; the raw index is the hand-over between tasks.
"""

from pipeline.ingest.fetching import FeedOutcome, ingest_feed, ingest_feeds
from pipeline.ingest.indexing import (
    Processor,
    StageProcessor,
    es_processor,
    index_refuses_writes,
    process_hits,
    process_pending,
)
from pipeline.ingest.pages import fetch_page, needs_page, page_html
from pipeline.ingest.rawqueue import (
    ensure_raw_index,
    entry_id,
    mark_processed,
    now_iso,
    pending_batches,
    raw_document,
    store_raw,
)
from pipeline.ingest.summary import summarize
from pipeline.outcomes import ItemResult, ProcessCounts, freshness_lag_s, tally

__all__ = [
    "FeedOutcome",
    "ItemResult",
    "ProcessCounts",
    "Processor",
    "StageProcessor",
    "ensure_raw_index",
    "entry_id",
    "es_processor",
    "fetch_page",
    "freshness_lag_s",
    "index_refuses_writes",
    "ingest_feed",
    "ingest_feeds",
    "mark_processed",
    "needs_page",
    "now_iso",
    "page_html",
    "pending_batches",
    "process_hits",
    "process_pending",
    "raw_document",
    "store_raw",
    "summarize",
    "tally",
]
