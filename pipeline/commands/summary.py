"""`python -m pipeline summary`: documents per index and one sample search."""

from __future__ import annotations

import argparse

from pipeline import index
from pipeline.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    es = index.client(settings)
    names = [settings.index("raw"), settings.read_alias, settings.index("deadletter"), settings.index("runs")]
    for name in names:
        if es.indices.exists(index=name):
            es.indices.refresh(index=name)
            print(f"{name:<32} {es.count(index=name)['count']:>8} documents")
    target = settings.read_alias if es.indices.exists(index=settings.read_alias) else settings.index("raw")
    if es.indices.exists(index=target):
        query = {"multi_match": {"query": args.query, "fields": ["title", "text", "raw_title"]}}
        hits = es.search(index=target, query=query, size=3)["hits"]
        print(f'\nsample search in {target} for "{args.query}": {hits["total"]["value"]} hits')
        for hit in hits["hits"]:
            src = hit["_source"]
            title = src.get("title") or src.get("raw_title") or "(untitled)"
            print(f"  {hit['_score']:.2f}  {title[:90]}  <{src.get('url') or src.get('raw_url')}>")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="documents per index and a sample search")
    p.add_argument("--query", default="Rajnath Singh Dong Jun")
    p.set_defaults(func=run)
