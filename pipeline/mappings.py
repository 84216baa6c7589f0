"""Index mappings: every index the pipeline creates has its mapping in `pipeline/data/mapping-<name>.json`.

One loader for all of them, so a reader finds each index's fields in one place and tests can check
every mapping the same way (aggregatable fields for Kibana, no dynamic fields where a contract holds).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def _load_text(name: str) -> str:
    path = DATA_DIR / f"mapping-{name}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no mapping named {name!r}: {path} does not exist")
    return path.read_text(encoding="utf-8")


def load_mapping(name: str) -> dict[str, Any]:
    """The mapping called `name` (`"v1"` is version 1 of the article index), as a fresh dict.

    A fresh copy each call: callers adapt a mapping to their cluster (drop analyzers it lacks) and
    must not change what the next caller reads.
    """
    return json.loads(_load_text(name))


def mapping_names() -> list[str]:
    """Names of every mapping file, for tests that check them all."""
    return sorted(p.name[len("mapping-") : -len(".json")] for p in DATA_DIR.glob("mapping-*.json"))
