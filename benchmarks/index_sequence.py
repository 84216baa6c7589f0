"""Cost of the ingest sequence: `index_articles` (mget + leased numbers + refresh per chunk) against a
plain `bulk_index` of the same documents, in the same process, on the cluster in ES_URL.

    make es-start && ES_URL=$(scripts/elasticsearch.sh url) \
        .venv/bin/python benchmarks/index_sequence.py [N] [WRITERS]

Prints documents/s for both, their ratio, the re-run (all unchanged) rate, and with WRITERS>1 the
rate of concurrent writers sharing the counter. Bounded (default 4,000 documents) for a shared machine.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from dataclasses import replace

from pipeline import index
from pipeline.article import Article
from pipeline.settings import Settings


def articles(tag: str, n: int) -> list[Article]:
    return [
        Article(
            input=f"{tag}#{i}",
            id=f"{tag}-{i}",
            title=f"Border talks {i}",
            language="en",
            source="bench.example",
            text=("Troops on the LAC near Galwan. " * 40) + str(i),
            entities=[{"id": "Q1", "name": "Rajnath Singh", "type": "person"}],
        )
        for i in range(n)
    ]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    writers = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    settings = replace(
        Settings.from_env(), es_url=os.environ["ES_URL"], index_prefix=f"bwbench-{uuid.uuid4().hex[:8]}"
    )
    es = index.client(settings)
    try:
        index.ensure_main_index(es, settings)
        docs = [index.article_document(a) for a in articles("plain", n)]
        t0 = time.perf_counter()
        index.bulk_index(es, settings.write_alias, docs, refresh=True)
        plain = n / (time.perf_counter() - t0)

        batch = articles("seq", n)
        t0 = time.perf_counter()
        report = index.index_articles(es, settings, batch)
        seq = n / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        again = index.index_articles(es, settings, batch)
        rerun = n / (time.perf_counter() - t0)
        assert (report.created, again.noop) == (n, n), (report, again)

        per = n // writers

        def write(w: int) -> None:
            index.index_articles(index.client(settings), settings, articles(f"w{w}", per), chunk_size=100)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        concurrent = per * writers / (time.perf_counter() - t0)
        print(f"documents: {n} (~{len(docs[0][1]['text'])} chars of text each)")
        print(f"plain bulk_index:                 {plain:8.0f} docs/s  (baseline)")
        print(f"index_articles (ingest_seq):      {seq:8.0f} docs/s  ratio {seq / plain:.2f}")
        print(f"index_articles re-run, unchanged: {rerun:8.0f} docs/s  ratio {rerun / plain:.2f}")
        print(
            f"{writers} concurrent writers, chunks of 100: {concurrent:8.0f} docs/s  ratio "
            f"{concurrent / plain:.2f}"
        )
    finally:
        es.indices.delete(index=f"{settings.index_prefix}*", expand_wildcards="all")
        es.indices.delete_index_template(name=f"{settings.index_prefix}*")


if __name__ == "__main__":
    main()
