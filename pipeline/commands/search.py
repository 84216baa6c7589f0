"""`python -m pipeline search "text" [--entity ...] [--lang ...] [--since ...] [--story ...] [--json]`."""

from __future__ import annotations

import argparse
import json

from pipeline import index
from pipeline.search import Filters, format_hit, search
from pipeline.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    filters = Filters(
        query=args.text or None,
        entities=tuple(args.entity),
        languages=tuple(args.lang),
        since=args.since,
        stories=tuple(args.story),
    )
    result = search(index.client(settings), settings, filters, size=args.size)
    if args.json:
        print(json.dumps({"total": result.total, "hits": result.hits}, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{result.total} articles in {settings.read_alias}"
        + (f", showing {len(result.hits)}" if result.hits else "")
    )
    for n, hit in enumerate(result.hits, 1):
        print(f"\n{n:>2}. {format_hit(hit)}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search the article index (readable or --json)")
    p.add_argument("text", nargs="?", default="", help='free text: words, "phrases", -excluded, a | b')
    p.add_argument(
        "--entity",
        action="append",
        default=[],
        help="entity id or name (any type); repeat for all of several",
    )
    p.add_argument(
        "--lang", action="append", default=[], help="language code, e.g. en, hi; repeat for any of several"
    )
    p.add_argument("--since", help="published at or after: ISO date or 30m, 24h, 7d, 2w, 1M, 1y")
    p.add_argument("--story", action="append", default=[], help="story id")
    p.add_argument("--size", type=int, default=10)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)
