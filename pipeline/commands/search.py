"""`python -m pipeline search "text" [--entity ...] [--lang ...] [--since ...] [--story ...] [--json]`.

Arguments are checked by the parser, before any request: a bad `--since` or `--size`, or a query
over the caps of `pipeline.search`, ends with a usage error (exit code 2) naming what is allowed.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from pipeline import index
from pipeline.search import (
    MAX_SIZE,
    Filters,
    QueryError,
    check_filters,
    check_query,
    format_hit,
    parse_since,
    parse_size,
    search,
)
from pipeline.settings import Settings
from pipeline.story_index import get_stories


def checked(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse `type` from a parser raising `QueryError` (argparse then prints its message)."""

    def convert(value: str) -> Any:
        try:
            return parse(value)
        except QueryError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = parse.__name__  # argparse names the type in some messages
    return convert


def filters_from(args: argparse.Namespace) -> Filters:
    return check_filters(
        Filters(
            query=args.text or None,
            entities=tuple(args.entity),
            languages=tuple(args.lang),
            since=args.since,
            stories=tuple(args.story),
        )
    )


def story_header(story: dict[str, Any]) -> str:
    """One line naming a story `--story` asks for: headline, articles and languages, event day."""
    languages = ", ".join(story.get("languages") or []) or "?"
    return (
        f"story {story['story_id']}: {story.get('headline') or '(no articles left)'} | "
        f"{story['article_count']} articles ({languages}) | event day {story.get('event_day') or 'unknown'}"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    filters = filters_from(args)
    es = index.client(settings)
    result = search(es, settings, filters, size=args.size)
    if args.json:
        data = {"total": result.total, "timed_out": result.timed_out, "hits": result.hits}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for story in get_stories(es, settings, filters.stories):
        print(story_header(story))
    print(
        f"{result.total} articles in {settings.read_alias}"
        + (f", showing {len(result.hits)}" if result.hits else "")
        + (" (search timed out: partial results)" if result.timed_out else "")
    )
    for n, hit in enumerate(result.hits, 1):
        print(f"\n{n:>2}. {format_hit(hit)}")
    return 0


def add_filter_arguments(p: argparse.ArgumentParser, what: str = "articles") -> None:
    """`--entity`, `--lang`, `--since`, `--size`, `--json`: shared by `search` and `stories`."""
    p.add_argument(
        "--entity",
        action="append",
        default=[],
        help="entity id, name, alias or close spelling in either script; repeat for all of several",
    )
    p.add_argument(
        "--lang", action="append", default=[], help="language code, e.g. en, hi; repeat for any of several"
    )
    p.add_argument(
        "--since",
        type=checked(parse_since),
        help="published at or after: ISO date or 30m, 24h, 7d, 2w, 1M, 1y",
    )
    p.add_argument("--size", type=checked(parse_size), default=10, help=f"{what} to show, 1 to {MAX_SIZE}")
    p.add_argument("--json", action="store_true", help="machine-readable output (docs/analysts.md)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search the article index (readable or --json)")
    p.add_argument(
        "text",
        nargs="?",
        default="",
        type=checked(lambda v: check_query(v) or ""),
        help='free text: words, "phrases", -excluded, a | b; names of known entities match in any language',
    )
    add_filter_arguments(p)
    p.add_argument(
        "--story", action="append", default=[], help="story id: the story's articles, any language"
    )
    p.set_defaults(func=run)
