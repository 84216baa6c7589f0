"""`python -m pipeline entities candidates|promote`: names the gazetteer does not know, and adding one.

entities candidates [--since 30d] [--lang en|hi] [--type person|location|organization] [--size N] [--json]
entities promote NAME --type TYPE [--id ID] [--alias A ...] [--coordinates LAT,LON] [--sector S]
                 [--kind K] [--gazetteer PATH]
"""

from __future__ import annotations

import argparse
import json
import sys

from pipeline import discovery, entities, index
from pipeline.settings import Settings


def run_candidates(args: argparse.Namespace, settings: Settings) -> int:
    rows = discovery.candidates(
        index.client(settings),
        settings,
        since=args.since,
        language=args.lang,
        entity_type=args.type,
        size=args.size,
    )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    scope = f" since {args.since}" if args.since else ""
    print(f"{len(rows)} unlinked names in {settings.read_alias}{scope}, most articles first")
    if rows:
        print(discovery.format_candidates(rows))
        print(
            "\nadd one: python -m pipeline entities promote NAME --type TYPE [--alias A ...]"
            " [--coordinates LAT,LON]"
        )
    return 0


def run_promote(args: argparse.Namespace, settings: Settings) -> int:
    try:
        coordinates = discovery.parse_coordinates(args.coordinates) if args.coordinates else None
        result = discovery.promote(
            args.name,
            entity_type=args.type,
            entity_id=args.id,
            aliases=args.alias,
            coordinates=coordinates,
            sector=args.sector,
            kind=args.kind,
            path=args.gazetteer,
        )
    except discovery.PromotionError as exc:
        print(f"error: not promoted: {exc}", file=sys.stderr)
        return 2
    print(f"added {result.entity_id} to {result.path}:\n{result.text}")
    print(
        "New articles are tagged with it from the next ingest run. To re-tag the ones already indexed, "
        "trigger the reprocess DAG: airflow dags trigger border_news_reprocess"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("entities", help="unlinked names in the index; add a reviewed one to the gazetteer")
    actions = p.add_subparsers(dest="entities_command", required=True)

    c = actions.add_parser(
        "candidates", help="the most frequent names the gazetteer does not know (readable or --json)"
    )
    c.add_argument("--since", help="published (else ingested) at or after: ISO date or 24h, 7d, 2w, 1M")
    c.add_argument("--lang", help="language code, e.g. en, hi")
    c.add_argument("--type", choices=[t for t in entities.TYPES if t != "event"], help="entity type")
    c.add_argument("--size", type=int, default=20, help="how many names (default 20)")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.set_defaults(func=run_candidates)

    m = actions.add_parser("promote", help="append a reviewed entry to the gazetteer YAML")
    m.add_argument("name", help="canonical name, e.g. as the candidates list shows it")
    m.add_argument("--type", required=True, choices=list(entities.TYPES))
    m.add_argument("--id", help="stable id <type>/<slug> (default: from the name)")
    m.add_argument("--alias", action="append", default=[], help="another surface form, any script; repeat")
    m.add_argument("--coordinates", help="LAT,LON in decimal degrees (WGS 84); required for a location")
    m.add_argument("--sector", choices=list(discovery.SECTORS), help="LAC sector of a place")
    m.add_argument("--kind", help="e.g. pass, lake, valley, city, army (optional)")
    m.add_argument(
        "--gazetteer", default=str(entities.GAZETTEER_PATH), help="gazetteer file (default: the project's)"
    )
    m.set_defaults(func=run_promote)
