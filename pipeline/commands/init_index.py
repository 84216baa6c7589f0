"""`python -m pipeline init-index`: install the index template and create the article index
(`<prefix>-v1` behind the read and write aliases) and the sequence counter, if not there yet."""

from __future__ import annotations

import argparse

from pipeline import index
from pipeline.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    es = index.client(settings)
    name = index.ensure_main_index(es, settings)
    index.ensure_template(es, settings)
    analyzers = index.available_analyzers(es)
    print(
        f"{settings.read_alias} (read) and {settings.write_alias} (write) -> {name}; "
        f"language sub-fields: {', '.join(analyzers) or 'none (this cluster has no english/hindi analyzers)'}"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init-index", help="create the index template, the article index and its aliases")
    p.set_defaults(func=run)
