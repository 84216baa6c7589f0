"""`python -m pipeline subscriptions add|list|remove|deliver`: webhook subscriptions.

The secret is read from a file or an environment variable (never from the command line, where it
would land in shell history and process lists) and is never printed by any subcommand.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from pipeline import index, subscriptions
from pipeline.search import Filters
from pipeline.settings import Settings


def _secret(args: argparse.Namespace) -> str:
    if args.secret_file:
        return Path(args.secret_file).read_text(encoding="utf-8").strip()
    value = os.environ.get(args.secret_env or "")
    if not value:
        raise ValueError(f"no secret: set --secret-file, or the environment variable {args.secret_env!r}")
    return value


def run(args: argparse.Namespace, settings: Settings) -> int:
    es = index.client(settings)
    if args.action == "add":
        filters = Filters(
            query=args.query,
            entities=tuple(args.entity),
            languages=tuple(args.lang),
            stories=tuple(args.story),
        )
        sub = subscriptions.add_subscription(
            es, settings, args.name, args.url, _secret(args), filters, from_beginning=args.from_beginning
        )
        print(f"subscription {sub['name']} -> {sub['url']} from cursor {sub['cursor']}")
    elif args.action == "list":
        listed = subscriptions.list_subscriptions(es, settings)
        if args.json:
            print(json.dumps(listed, ensure_ascii=False, indent=2))
        for sub in [] if args.json else listed:
            active = {k: v for k, v in sub["filters"].items() if v}
            print(
                f"{sub['name']:<20} {sub['url']}  cursor={sub['cursor']}  filters={json.dumps(active, ensure_ascii=False)}"
            )
    elif args.action == "remove":
        if not subscriptions.remove_subscription(es, settings, args.name):
            print(f"no subscription named {args.name}")
            return 1
        print(f"removed {args.name}")
    elif args.action == "deliver":
        report = subscriptions.deliver_new(es, settings)
        print(f"delivered {report.delivered}, failed {report.failed}, subscriptions {report.subscriptions}")
        for line in report.errors:
            print(f"  {line}")
        return 1 if report.failed else 0
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("subscriptions", help="webhook subscriptions: add, list, remove, deliver")
    actions = p.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add (or replace) a subscription")
    add.add_argument("name")
    add.add_argument("url", help="http(s) URL that receives a signed JSON POST per new document")
    add.add_argument("--secret-file", help="file holding the HMAC secret")
    add.add_argument("--secret-env", default="BORDER_WEBHOOK_SECRET", help="environment variable holding it")
    add.add_argument("--query", help="free text the documents must match")
    add.add_argument("--entity", action="append", default=[])
    add.add_argument("--lang", action="append", default=[])
    add.add_argument("--story", action="append", default=[])
    add.add_argument("--from-beginning", action="store_true", help="also deliver what is already indexed")
    lst = actions.add_parser("list", help="list subscriptions (never their secrets)")
    lst.add_argument("--json", action="store_true")
    rm = actions.add_parser("remove", help="remove a subscription")
    rm.add_argument("name")
    actions.add_parser("deliver", help="deliver what is new now (the ingest DAG's last step does this)")
    p.set_defaults(func=run)
