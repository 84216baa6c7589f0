"""Cost of the Elasticsearch-backed dedupe and story lookups as the index grows.

    ES_URL=$(scripts/elasticsearch.sh url) \
        .venv/bin/python benchmarks/dedupe_stories_es.py [--sizes 1000 10000]

Articles come from benchmarks/process.py's generator (recombined, perturbed seed and real-feed text,
10% re-publications), processed in memory. For each size N, the first N are indexed into a throw-away
index prefix; then the next LOOKUPS articles are checked against it with a fresh
`ElasticsearchDedupeIndex` and `ElasticsearchStoryIndex`, one search per stage per article, as the
`--es` CLI does. Printed: ms per lookup for each, and the ratio to the smallest size (flat cost: ~1),
and, as the baseline in the same process, the in-memory registries over the same articles.
The index prefix is deleted at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from process import generate  # noqa: E402

from pipeline import clean, dates, dedupe, entities, language, relevance, stories  # noqa: E402
from pipeline.index import ARTICLE_MAPPING, RAW_ONLY_FIELDS, client, index_articles  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

LOOKUPS = 300


def indexable(a):
    """Fields the article mapping does not have yet (added by other stages) are left out."""
    mapped = set(ARTICLE_MAPPING["properties"])
    return a.replace(
        **{
            f.name: None
            for f in dataclasses.fields(a)
            if f.name not in mapped and f.name not in RAW_ONLY_FIELDS
        }
    )


def prepared(n: int) -> list:
    """n generated articles through the pure stages, with in-memory duplicate and story ids."""
    registry, clusters = dedupe.MemoryDedupeIndex(), stories.MemoryStoryIndex()
    out = []
    for a in generate(n):
        for stage in (
            clean.clean,
            language.detect,
            relevance.score,
            dates.normalise,
            entities.tag,
            dedupe.fingerprint,
        ):
            a = stage(a)
        out.append(indexable(clusters.assign(registry.check(a))))
    return out


def timed(fn, articles) -> float:
    started = time.perf_counter()
    for a in articles:
        fn(a)
    return (time.perf_counter() - started) / len(articles) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    if not os.environ.get("ES_URL"):
        print("set ES_URL (scripts/elasticsearch.sh url)", file=sys.stderr)
        return 2
    articles = prepared(max(args.sizes) + LOOKUPS)
    settings = replace(Settings.from_env(), index_prefix=f"bwbench-{uuid.uuid4().hex[:8]}")
    es = client(settings)
    rows = []
    try:
        indexed = 0
        for size in sorted(args.sizes):
            report = index_articles(es, settings, articles[indexed:size])
            assert not report.failed, report.failed[:1]
            indexed = size
            probe = [a.replace(duplicate_of=None, story_id=None) for a in articles[size : size + LOOKUPS]]
            dedupe_es = dedupe.ElasticsearchDedupeIndex(es, settings)
            stories_es = stories.ElasticsearchStoryIndex(es, settings)
            for a in articles[:20]:  # warm up connections and caches
                dedupe.ElasticsearchDedupeIndex(es, settings).check(a)
                stories.ElasticsearchStoryIndex(es, settings).assign(a)
            ms_dedupe = timed(dedupe_es.check, probe)
            ms_stories = timed(stories_es.assign, probe)
            rows.append((size, ms_dedupe, ms_stories))
        timed(dedupe.MemoryDedupeIndex().check, articles[:LOOKUPS])  # warm-up
        memory = timed(dedupe.MemoryDedupeIndex().check, articles[:LOOKUPS])
        memory_stories = timed(stories.MemoryStoryIndex().assign, articles[:LOOKUPS])
    finally:
        es.indices.delete(
            index=f"{settings.index_prefix}*",
            ignore_unavailable=True,
            allow_no_indices=True,
            expand_wildcards="all",
        )
        es.close()
    base = rows[0]
    print(
        f"{LOOKUPS} lookups per size; in-memory baseline: dedupe {memory:.3f} ms, stories "
        f"{memory_stories:.3f} ms per article"
    )
    for size, ms_dedupe, ms_stories in rows:
        print(
            f"index of {size:>7,} articles   dedupe {ms_dedupe:6.2f} ms/article (x{ms_dedupe / base[1]:.2f})"
            f"   stories {ms_stories:6.2f} ms/article (x{ms_stories / base[2]:.2f})"
            f"   ratio to in-memory dedupe x{ms_dedupe / memory:.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
