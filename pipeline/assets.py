"""Airflow Asset URIs shared by the ingest DAG (producer) and downstream DAGs (consumers).

Plain strings, so that `pipeline` stays importable without Airflow; a DAG wraps them in
`airflow.sdk.Asset(INDEX_ASSET_URI)`. The ingest DAG emits an event on this Asset after a run that
indexed at least one new article; downstream DAGs use `schedule=[Asset(INDEX_ASSET_URI)]`.
"""

from __future__ import annotations

# The article index (read alias `border-news`). One constant for every deployment: the Asset names
# the product, not a concrete versioned index (reprocessing switches versions behind the alias).
INDEX_ASSET_URI = "elasticsearch://border-news/articles"
