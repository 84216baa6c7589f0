"""`python -m pipeline kibana-import --url http://kibana:5601`: load the saved objects (data views,
visualizations, a map, the analysts' and the pipeline-health dashboards) from
kibana/border-news.ndjson into Kibana, with ids, references and data view titles moved to
`BORDER_INDEX_PREFIX` (pipeline.kibana.for_prefix)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pipeline import kibana
from pipeline.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    objects = kibana.for_prefix(kibana.load_objects(Path(args.file)), settings.index_prefix)
    result = kibana.import_objects(
        args.url,
        objects,
        space=args.space,
        username=os.environ.get("KIBANA_USERNAME") or settings.es_username,
        password=os.environ.get("KIBANA_PASSWORD") or settings.es_password,
        api_key=os.environ.get("KIBANA_API_KEY") or settings.es_api_key,
        wait_s=args.wait,
        verify=settings.es_ca_certs or settings.es_verify_certs,
    )
    print(
        f"imported {result.success_count} of {len(objects)} saved objects into {args.url}"
        + ("" if result.success else f"; {len(result.errors)} errors")
    )
    for error in result.errors:
        print(f"  {error.get('type')}/{error.get('id')}: {error.get('error')}")
    return 0 if result.success else 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kibana-import", help="load the Kibana saved objects through Kibana's import API")
    p.add_argument(
        "--url", default=os.environ.get("KIBANA_URL", "http://127.0.0.1:5601"), help="Kibana base URL"
    )
    p.add_argument("--file", default=str(kibana.OBJECTS_FILE), help="NDJSON export to import")
    p.add_argument("--space", help="Kibana space id (default space when omitted)")
    p.add_argument("--wait", type=float, default=0.0, help="seconds to keep retrying while Kibana starts")
    p.set_defaults(func=run)
