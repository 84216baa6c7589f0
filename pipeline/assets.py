"""Airflow Asset URIs shared by the ingest DAG (producer) and downstream DAGs (consumers), and the
arguments every border-watch DAG shares.

Plain strings, so that `pipeline` stays importable without Airflow; a DAG wraps them in
`airflow.sdk.Asset(INDEX_ASSET_URI)`. The ingest DAG emits an event on this Asset after a run that
indexed at least one new article; downstream DAGs use `schedule=[Asset(INDEX_ASSET_URI)]`.
"""

from __future__ import annotations

from datetime import datetime

# The article index (read alias `border-news`). One constant for every deployment: the Asset names
# the product, not a concrete versioned index (reprocessing switches versions behind the alias).
INDEX_ASSET_URI = "elasticsearch://border-news/articles"

# The arguments every border-watch DAG passes to `@dag` (plain values: no Airflow import here). One
# run at a time and no catch-up: each run takes whatever is pending, so missed intervals need no run.
DAG_DEFAULTS = {
    "start_date": datetime(2024, 1, 1),
    "catchup": False,
    "max_active_runs": 1,
    "tags": ["border-watch"],
}
