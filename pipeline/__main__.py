"""Command line: `python -m pipeline COMMAND ...` (see `python -m pipeline --help`).

Each module in `pipeline/commands/` adds one subcommand through `register(subparsers)`; its handler
takes `(args, settings)` and returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from pipeline import commands
from pipeline.settings import Settings, SettingsError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="border-watch pipeline")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(find_local_node=True)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.func(args, settings) or 0)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the CLI's boundary: one clear line on stderr, not a traceback
        print(f"error: {type(exc).__name__}: {settings.redact(str(exc))}", file=sys.stderr)
        if args.debug:
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())
