"""`python -m pipeline subscriptions add|list|remove|deliver|parked|redeliver|rotate-key|new-secret|new-key`.

The secret is read from a file or an environment variable (never from the command line, where it
would land in shell history and process lists), stored encrypted (`BORDER_SECRET_KEY`, else Airflow's
`AIRFLOW__CORE__FERNET_KEY`) and never printed by any subcommand. `new-secret` and `new-key` print a
freshly generated value that nothing has stored yet, for the operator to put where it belongs.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from pipeline import index, secretbox, subscriptions, webhooks
from pipeline.search import Filters
from pipeline.settings import Settings


def _secret(args: argparse.Namespace) -> str:
    if args.secret_file:
        return Path(args.secret_file).read_text(encoding="utf-8").strip()
    value = os.environ.get(args.secret_env or "")
    if not value:
        raise ValueError(f"no secret: set --secret-file, or the environment variable {args.secret_env!r}")
    return value


def _name(value: str) -> str:
    try:
        return subscriptions.check_name(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _list(es, settings: Settings, as_json: bool) -> None:
    listed = subscriptions.list_subscriptions(es, settings)
    if as_json:
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return
    for sub in listed:
        active = json.dumps({k: v for k, v in sub["filters"].items() if v}, ensure_ascii=False)
        health = sub.get("health") or {}
        print(
            f"{sub['name']:<20} {sub['url']}  cursor={sub['cursor']}  filters={active}  "
            f"health={health.get('status', 'ok')} parked={health.get('parked', 0)}"
        )


def _deliver(es, settings: Settings, budget_s: float) -> int:
    report = subscriptions.deliver_new(es, settings, budget_s=budget_s)
    print(
        f"delivered {report.delivered}, failed {report.failed}, parked {report.parked}, "
        f"subscriptions {report.subscriptions}, unhealthy {len(report.unhealthy)}"
    )
    for line in report.errors:
        print(f"  {line}")
    return 1 if report.failed or report.parked else 0


def _parked(es, settings: Settings, name: str) -> None:
    for p in subscriptions.parked_deliveries(es, settings, name):
        print(
            f"{p['document_id']}  ingest_seq={p['ingest_seq']}  parked_at={p.get('parked_at')}  "
            f"attempts={p['attempts']}  {p.get('error') or ''}"
        )


def _seconds(value: str) -> float:
    seconds = float(value)
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError(f"a budget is more than 0 and at most 3600 seconds, not {value}")
    return seconds


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "new-secret":
        print(webhooks.new_secret())
        return 0
    if args.action == "new-key":
        print(secretbox.new_key())
        return 0
    es = index.client(settings)
    if args.action == "add":
        filters = Filters(
            query=args.query,
            entities=tuple(args.entity),
            languages=tuple(args.lang),
            stories=tuple(args.story),
        )
        sub = subscriptions.add_subscription(
            es,
            settings,
            args.name,
            args.url,
            _secret(args),
            filters,
            from_beginning=args.from_beginning,
            replace=args.replace,
        )
        print(f"subscription {sub['name']} -> {sub['url']} from cursor {sub['cursor']}")
    elif args.action == "list":
        _list(es, settings, args.json)
    elif args.action == "remove":
        if not subscriptions.remove_subscription(es, settings, args.name):
            print(f"no subscription named {args.name}")
            return 1
        print(f"removed {args.name}")
    elif args.action == "deliver":
        return _deliver(es, settings, args.budget)
    elif args.action == "parked":
        _parked(es, settings, args.name)
    elif args.action == "redeliver":
        report = subscriptions.redeliver_parked(es, settings, args.name, budget_s=args.budget)
        print(f"redelivered {report.delivered}, still parked {report.parked}, failed {report.failed}")
        for line in report.errors:
            print(f"  {line}")
        return 1 if report.failed or report.parked else 0
    elif args.action == "rotate-key":
        print(
            f"re-encrypted {subscriptions.rotate_key(es, settings)} subscription secrets with the newest key"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("subscriptions", help="webhook subscriptions: add, list, remove, deliver, rotate-key")
    actions = p.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a subscription (refused if the name exists, unless --replace)")
    add.add_argument("name", type=_name)
    add.add_argument("url", help="http(s) URL that receives a signed JSON POST per new document")
    add.add_argument("--secret-file", help="file holding the signing secret (whsec_...: see new-secret)")
    add.add_argument("--secret-env", default="BORDER_WEBHOOK_SECRET", help="environment variable holding it")
    add.add_argument("--query", help="free text the documents must match")
    add.add_argument("--entity", action="append", default=[])
    add.add_argument("--lang", action="append", default=[])
    add.add_argument("--story", action="append", default=[])
    add.add_argument("--from-beginning", action="store_true", help="also deliver what is already indexed")
    add.add_argument("--replace", action="store_true", help="replace the subscription of that name")
    lst = actions.add_parser("list", help="list subscriptions with their health (never their secrets)")
    lst.add_argument("--json", action="store_true")
    rm = actions.add_parser("remove", help="remove a subscription")
    rm.add_argument("name")
    deliver = actions.add_parser("deliver", help="deliver what is new now (the ingest DAG does this)")
    deliver.add_argument(
        "--budget",
        type=_seconds,
        default=subscriptions.DEFAULT_BUDGET_S,
        help="seconds each subscription may take in this call (the rest goes out next time)",
    )
    parked = actions.add_parser("parked", help="list a subscription's parked documents (its dead letters)")
    parked.add_argument("name", type=_name)
    again = actions.add_parser("redeliver", help="try a subscription's parked documents again")
    again.add_argument("name", type=_name)
    again.add_argument("--budget", type=_seconds, default=subscriptions.DEFAULT_BUDGET_S)
    actions.add_parser("rotate-key", help="re-encrypt every stored secret with the first BORDER_SECRET_KEY")
    actions.add_parser("new-secret", help="print a fresh whsec_ signing secret (not stored)")
    actions.add_parser("new-key", help="print a fresh key for BORDER_SECRET_KEY (not stored)")
    p.set_defaults(func=run)
