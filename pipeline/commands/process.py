"""`python -m pipeline process PATH... [--es]`: raw articles in, one JSON object per article out.

stdout carries only JSON Lines (one object per processed article, in input order); every error goes
to stderr as one line naming the input and the stage, and makes the exit code 1. One bad input never
stops the others. Without `--es`, duplicates and stories are found within the given inputs; with
`--es`, against what is already indexed in Elasticsearch (ES_URL) as well.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from pipeline import dedupe, stories
from pipeline.article import Article
from pipeline.errors import BadInputError
from pipeline.process import Failure, StageTimings, process
from pipeline.readers import read_all
from pipeline.settings import Settings

# Raw bodies and the MinHash signature are for the pipeline, not for readers of the output.
OMIT = frozenset({"raw_html", "raw_text", "minhash"})


def output_record(article: Article) -> dict[str, Any]:
    """The JSON object printed for one processed article."""
    return {k: v for k, v in article.to_dict().items() if k not in OMIT}


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.es:
        from pipeline import index

        es = index.client(settings)
        registry = dedupe.ElasticsearchDedupeIndex(es, settings)
        clusters = stories.ElasticsearchStoryIndex(es, settings)
    else:
        registry, clusters = dedupe.MemoryDedupeIndex(), stories.MemoryStoryIndex()
    failed = 0

    def articles() -> Iterator[Article]:
        nonlocal failed
        for item in read_all(args.paths):
            if isinstance(item, BadInputError):
                failed += 1
                print(f"error: {item}", file=sys.stderr)
            else:
                yield item

    timings = StageTimings()
    out = sys.stdout
    for result in process(articles(), registry=registry, clusters=clusters, timings=timings):
        if isinstance(result, Failure):
            failed += 1
            print(f"error: {result.input}: [{result.stage}] {result.error}", file=sys.stderr)
            continue
        out.write(json.dumps(output_record(result), ensure_ascii=False) + "\n")
    out.flush()
    if args.timings:
        print(
            json.dumps({"timings": timings.to_dict(), "input_errors": failed - timings.failures}),
            file=sys.stderr,
        )
    return 1 if failed else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "process", help="clean, date, tag, dedupe and cluster raw articles; JSON Lines on stdout"
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=".txt article, .html page, .xml/.rss/.atom feed or .jsonl file (PATH#N: one entry)",
    )
    p.add_argument(
        "--es", action="store_true", help="dedupe and cluster against what Elasticsearch already holds"
    )
    p.add_argument("--timings", action="store_true", help="print per-stage seconds to stderr at the end")
    p.set_defaults(func=run)
