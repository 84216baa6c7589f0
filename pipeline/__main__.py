"""Command line: `python -m pipeline COMMAND ...` (see `python -m pipeline --help`)."""

from __future__ import annotations

import argparse
import sys

from pipeline import index
from pipeline.settings import Settings


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    """Print how many documents each project index holds, and one sample search."""
    es = index.client(settings)
    names = [settings.index("raw"), settings.read_alias, settings.index("deadletter"), settings.index("runs")]
    for name in names:
        if es.indices.exists(index=name):
            es.indices.refresh(index=name)
            print(f"{name:<32} {es.count(index=name)['count']:>8} documents")
    target = settings.read_alias if es.indices.exists(index=settings.read_alias) else settings.index("raw")
    if es.indices.exists(index=target):
        query = {"multi_match": {"query": args.query, "fields": ["title", "text", "raw_title", "raw_text", "raw_html"]}}
        hits = es.search(index=target, query=query, size=3)["hits"]
        print(f'\nsample search in {target} for "{args.query}": {hits["total"]["value"]} hits')
        for hit in hits["hits"]:
            src = hit["_source"]
            title = src.get("title") or src.get("raw_title") or "(untitled)"
            print(f"  {hit['_score']:.2f}  {title[:90]}  <{src.get('url') or src.get('raw_url')}>")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("summary", help="documents per index and a sample search")
    p.add_argument("--query", default="Rajnath Singh Dong Jun")
    p.set_defaults(func=cmd_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return int(args.func(args, settings) or 0)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the CLI's boundary: one clear line, not a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if "--debug" in sys.argv:
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())

