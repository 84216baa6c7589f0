"""`python -m pipeline follow [--query ...] [--entity ...] [--lang ...] [--cursor ...]`: the change feed.

Prints one JSON line per new document, `{"cursor": ..., "document": {...}}`, in ingest order. Resume
with `--cursor` set to the last cursor printed (or keep it in Elasticsearch with `--consumer NAME`).
"""

from __future__ import annotations

import argparse
import json
import sys

from pipeline import index
from pipeline.changes import current_cursor, follow, load_cursor, parse_cursor, save_cursor
from pipeline.search import Filters
from pipeline.settings import Settings


def _cursor(value: str) -> str:
    if value == "now":
        return value
    try:
        return str(parse_cursor(value))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _poll(value: str) -> float:
    seconds = float(value)
    if not 0.1 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"--poll is 0.1 to 3600 seconds, not {value}")
    return seconds


def run(args: argparse.Namespace, settings: Settings) -> int:
    es = index.client(settings)
    filters = Filters(
        query=args.query, entities=tuple(args.entity), languages=tuple(args.lang), stories=tuple(args.story)
    )
    cursor = args.cursor
    if cursor is None and args.consumer:
        cursor = load_cursor(es, settings, args.consumer)
    if cursor == "now":
        cursor = current_cursor(es, settings)
    last = cursor or "0"
    try:
        for change in follow(
            es, settings, cursor, filters, poll_interval_s=args.poll, stop_when_idle=args.until_idle
        ):
            print(
                json.dumps({"cursor": change.cursor, "document": change.document}, ensure_ascii=False),
                flush=True,
            )
            last = change.cursor
            if args.consumer:
                save_cursor(es, settings, args.consumer, last)
    finally:
        print(f"cursor: {last}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("follow", help="stream new documents in ingest order (JSON lines), resumable")
    p.add_argument("--query", help="free text the documents must match")
    p.add_argument(
        "--entity", action="append", default=[], help="entity id or name; repeat for all of several"
    )
    p.add_argument("--lang", action="append", default=[], help="language code; repeat for any of several")
    p.add_argument("--story", action="append", default=[], help="story id")
    p.add_argument(
        "--cursor",
        type=_cursor,
        help="resume after this cursor ('0': from the beginning, 'now': only what comes next)",
    )
    p.add_argument("--consumer", help="keep the cursor in Elasticsearch under this name and resume from it")
    p.add_argument("--poll", type=_poll, default=2.0, help="seconds between polls when caught up")
    p.add_argument(
        "--until-idle", action="store_true", help="exit once caught up instead of waiting for more"
    )
    p.set_defaults(func=run)
