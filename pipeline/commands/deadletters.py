"""`python -m pipeline deadletters list|show|retry`: read the dead-letter index and re-drive records
after a fix (`pipeline.redrive` says what a retry does). `list` and `retry` take the same filters
(`--stage`, `--feed`, `--since`); `retry` takes record ids or, with `--all-matching`, every unresolved
record the filters select."""

from __future__ import annotations

import argparse
import json

from pipeline import index, redrive
from pipeline.settings import Settings

STATUSES = ("unresolved", "open", "retried", "resolved", "all")


def _since(value: str) -> str:
    try:
        return redrive.parse_since(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _size(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise argparse.ArgumentTypeError(f"--size {value!r}: a whole number from 1 to 10000")
    return int(value)


def _filters(args: argparse.Namespace) -> dict:
    return {"stage": args.stage, "feed": args.feed, "since": args.since}


def _line(rec: dict) -> str:
    error = " ".join(str(rec.get("error") or "").split())[:100]
    return (
        f"{rec['id']}  {rec['status']:<8} {rec.get('stage') or '-':<8} {rec.get('feed') or '-':<16} "
        f"x{rec.get('attempts') or 1:<3} {rec.get('last_seen_at') or '-'}  {rec.get('item') or '-'}\n"
        f"    {rec.get('error_type')}: {error}"
    )


def _list(es, settings: Settings, args: argparse.Namespace) -> int:
    records = redrive.list_records(es, settings, status=args.status, size=args.size, **_filters(args))
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        for rec in records:
            print(_line(rec))
        print(f"{len(records)} records")
    return 0


def _show(es, settings: Settings, args: argparse.Namespace) -> int:
    rec = redrive.show(es, settings, args.id)
    if rec is None:
        print(f"error: no dead-letter record {args.id!r}")
        return 1
    print(json.dumps(rec, ensure_ascii=False, indent=2))
    return 0


def _retry(es, settings: Settings, args: argparse.Namespace) -> int:
    if args.ids and args.all_matching:
        raise ValueError("give record ids or --all-matching, not both")
    if args.ids:
        records = [redrive.show(es, settings, i) or {"id": i, "missing": True} for i in args.ids]
    elif args.all_matching:
        records = redrive.list_records(es, settings, status="unresolved", size=args.size, **_filters(args))
    else:
        raise ValueError("give the ids of the records to retry, or --all-matching with filters")
    results = [
        {"id": r["id"], "action": "skipped", "detail": "no such record"}
        if r.get("missing")
        else redrive.retry_one(es, settings, r)
        for r in records
    ]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for r in results:
            print(f"{r['id']}  {r['action']:<8} {r['detail']}")
        print(f"{sum(r['action'] != 'skipped' for r in results)} of {len(results)} records retried")
    return 1 if any(r["detail"] == "no such record" for r in results) else 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    es = index.client(settings)
    return {"list": _list, "show": _show, "retry": _retry}[args.action](es, settings, args)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deadletters", help="list, show and retry dead-letter records")
    actions = p.add_subparsers(dest="action", required=True)

    def filtered(name: str, help_text: str) -> argparse.ArgumentParser:
        q = actions.add_parser(name, help=help_text)
        q.add_argument("--stage", help="only records of this stage (fetch, parse, page, raw, index, ...)")
        q.add_argument("--feed", help="only records of this feed")
        q.add_argument("--since", type=_since, help="last seen since: ISO date/time or an age (6h, 2d)")
        q.add_argument("--size", type=_size, default=100, help="at most this many records (1-10000)")
        q.add_argument("--json", action="store_true", help="JSON instead of lines")
        return q

    lst = filtered("list", "records, most recent first (unresolved unless --status)")
    lst.add_argument("--status", choices=STATUSES, default="unresolved")
    show = actions.add_parser("show", help="one record in full, with its input")
    show.add_argument("id")
    retry = filtered("retry", "hand records back to the next ingest run")
    retry.add_argument("ids", nargs="*", help="record ids (from list)")
    retry.add_argument(
        "--all-matching", action="store_true", help="every unresolved record the filters select"
    )
    p.set_defaults(func=run)
