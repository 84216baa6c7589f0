"""border-watch: news ingestion for the India-China border.

A plain Python package (no Airflow import): one stage per module, each a small function or class over
one `Article` record; I/O (HTTP, Elasticsearch) stays at the edges. The Airflow DAGs in `dags/` only
wire these stages together.
"""

from pipeline.article import Article

__all__ = ["Article"]
