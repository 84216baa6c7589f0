"""Sizes of modules and functions, and the table of the largest for docs/code-size.md.

    .venv/bin/python scripts/code_size.py [--top 15] > docs/code-size.md

The limits are checked by tests/test_code_health.py.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

MODULE_LINES = 400
FUNCTION_LINES = 60
ROOT = Path(__file__).resolve().parent.parent


def module_sizes(folder: Path) -> list[tuple[str, int]]:
    """(path relative to the repository, line count) of every Python module under `folder`."""
    return [
        (str(path.relative_to(ROOT)), len(path.read_text(encoding="utf-8").splitlines()))
        for path in sorted(folder.rglob("*.py"))
    ]


def function_sizes(folder: Path) -> list[tuple[str, str, int]]:
    """(path, qualified name, lines from `def` to its last line) of every function under `folder`."""
    rows = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rows.extend(_functions(tree, str(path.relative_to(ROOT)), prefix=""))
    return rows


def _functions(node: ast.AST, path: str, prefix: str) -> list[tuple[str, str, int]]:
    rows = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + child.name
            rows.append((path, name, child.end_lineno - child.lineno + 1))
            rows.extend(_functions(child, path, name + "."))
        elif isinstance(child, ast.ClassDef):
            rows.extend(_functions(child, path, prefix + child.name + "."))
    return rows


def table(top: int) -> str:
    modules = sorted(module_sizes(ROOT / "pipeline"), key=lambda r: -r[1])[:top]
    functions = sorted(function_sizes(ROOT / "pipeline"), key=lambda r: -r[2])[:top]
    lines = [
        "# Code size",
        "",
        f"The largest modules and functions of `pipeline/`. Limits: {MODULE_LINES} lines a module, "
        f"{FUNCTION_LINES} a function",
        "(checked by `tests/test_code_health.py`). Made by `scripts/code_size.py`.",
        "",
        "| module | lines |",
        "|---|---:|",
        *(f"| `{path}` | {n} |" for path, n in modules),
        "",
        "| function | module | lines |",
        "|---|---|---:|",
        *(f"| `{name}` | `{path}` | {n} |" for path, name, n in functions),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15)
    print(table(parser.parse_args().top), end="")


if __name__ == "__main__":
    main()
