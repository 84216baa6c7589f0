"""`python -m pipeline stories [--since 7d] [--entity ...] [--lang ...] [--json]`: the largest stories;
`stories refresh [--all | STORY_ID ...]`: recompute story records; `stories follow`: story changes.

Listing reads the stories index (`pipeline.story_index`); arguments are checked before any request.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from pipeline import index
from pipeline.commands.search import add_filter_arguments
from pipeline.settings import Settings
from pipeline.story_index import list_stories, read_changes, refresh_all, refresh_stories, stories_alias


def _story_lines(n: int, story: dict) -> list[str]:
    languages = ", ".join(story.get("languages") or []) or "?"
    span = story.get("first_seen") or "?"
    if story.get("last_seen") and story.get("last_seen") != story.get("first_seen"):
        span += f" .. {story['last_seen']}"
    lines = [
        f"{n:>2}. {story.get('headline') or '(untitled)'}",
        f"    {story['article_count']} article{'' if story['article_count'] == 1 else 's'} ({languages})"
        + (f", {story['duplicate_count']} duplicates" if story.get("duplicate_count") else "")
        + f" | event day {story.get('event_day') or 'unknown'} | seen {span}",
        f"    outlets: {', '.join(story.get('sources') or []) or '?'}",
    ]
    for language, headline in sorted((story.get("headlines") or {}).items()):
        if headline != story.get("headline"):
            lines.append(f"    [{language}] {headline}")
    for label, name in (("people", "people"), ("places", "locations"), ("events", "events")):
        if story.get(name):
            lines.append(f"    {label}: {', '.join(story[name][:6])}")
    lines.append(f"    story: {story['story_id']}  (search --story {story['story_id']})")
    return lines


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    total, stories = list_stories(
        index.client(settings),
        settings,
        since=args.since,
        entities=args.entity,
        languages=args.lang,
        size=args.size,
    )
    if args.json:
        print(json.dumps({"total": total, "stories": stories}, ensure_ascii=False, indent=2))
        return 0
    print(f"{total} stories in {stories_alias(settings)}" + (f", showing {len(stories)}" if stories else ""))
    for n, story in enumerate(stories, 1):
        print()
        print("\n".join(_story_lines(n, story)))
    return 0


def run_refresh(args: argparse.Namespace, settings: Settings) -> int:
    es = index.client(settings)
    if args.all == bool(args.story_ids):
        print("error: give --all or one or more story ids", file=sys.stderr)
        return 2
    report = refresh_all(es, settings) if args.all else refresh_stories(es, settings, args.story_ids)
    print(json.dumps(report.to_dict()))
    return 0


def run_follow(args: argparse.Namespace, settings: Settings) -> int:
    es = index.client(settings)
    cursor = args.cursor
    try:
        while True:
            docs, cursor = read_changes(es, settings, cursor)
            for doc in docs:
                print(json.dumps({"cursor": doc["ingest_seq"], "story": doc}, ensure_ascii=False), flush=True)
            if not docs and args.until_idle:
                return 0
            if not docs:
                time.sleep(args.poll)
    finally:
        print(f"cursor: {cursor}", file=sys.stderr)


def _cursor(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r}: a story cursor is a whole number (0: from the start)")
    return int(value)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stories", help="the largest stories (by articles, then recency); refresh, follow")
    add_filter_arguments(p, what="stories")
    p.set_defaults(func=run_list)
    actions = p.add_subparsers(dest="stories_action")
    refresh = actions.add_parser("refresh", help="recompute story records from the article index")
    refresh.add_argument("story_ids", nargs="*", help="story ids to recompute")
    refresh.add_argument("--all", action="store_true", help="every story (after a reprocess, or to repair)")
    refresh.set_defaults(func=run_refresh)
    follow = actions.add_parser("follow", help="story changes in sequence order (JSON lines), resumable")
    follow.add_argument("--cursor", type=_cursor, default=0, help="resume after this cursor")
    follow.add_argument("--poll", type=float, default=2.0, help="seconds between polls when caught up")
    follow.add_argument("--until-idle", action="store_true", help="exit once caught up")
    follow.set_defaults(func=run_follow)
