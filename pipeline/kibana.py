"""Kibana saved objects (kibana/*.ndjson): read them, move them to an index prefix, and load them into a
Kibana through its saved-objects import API (`POST /api/saved_objects/_import?overwrite=true`,
multipart/form-data with one `file` part, header `kbn-xsrf`).

It does not build the objects (scripts/build_kibana_objects.py does) and it does not talk to
Elasticsearch.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from pipeline.settings import PROJECT_ROOT

OBJECTS_FILE = PROJECT_ROOT / "kibana" / "border-news.ndjson"
DEFAULT_PREFIX = "border-news"  # the index prefix the objects are written for


def load_objects(path: Path = OBJECTS_FILE) -> list[dict[str, Any]]:
    """The saved objects of an NDJSON export, one per non-empty line."""
    objects = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                objects.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not a JSON object: {exc}") from None
    return objects


# The attribute people pick an object by, which says the prefix when it is not the default one.
_PREFIXED_LABEL = {"index-pattern": "name", "dashboard": "title"}


def _moved(value: str, prefix: str) -> str:
    if value == DEFAULT_PREFIX or value.startswith(DEFAULT_PREFIX + "-"):
        return prefix + value[len(DEFAULT_PREFIX) :]
    return value


def for_prefix(objects: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """The objects for the indices of `prefix` instead of `border-news`: object ids, reference ids and
    data view titles start with `prefix`, and dashboard and data view names say which prefix, so two
    deployments with different prefixes can share a Kibana space without overwriting each other."""
    if prefix == DEFAULT_PREFIX:
        return objects
    out = []
    for obj in objects:
        attributes = dict(obj["attributes"])
        if obj["type"] == "index-pattern":
            attributes["title"] = _moved(attributes["title"], prefix)
        label = _PREFIXED_LABEL.get(obj["type"])
        if label and attributes.get(label):
            attributes[label] = f"{attributes[label]} [{prefix}]"
        references = [{**ref, "id": _moved(ref["id"], prefix)} for ref in obj.get("references", [])]
        out.append(
            {**obj, "id": _moved(obj["id"], prefix), "attributes": attributes, "references": references}
        )
    return out


def to_ndjson(objects: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False, sort_keys=True) + "\n" for o in objects).encode("utf-8")


@dataclass
class ImportResult:
    success: bool
    success_count: int
    errors: list[dict[str, Any]] = field(default_factory=list)


def import_objects(
    kibana_url: str,
    objects: list[dict[str, Any]],
    *,
    space: str | None = None,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    wait_s: float = 0.0,
    timeout_s: float = 30.0,
    verify: bool | str = True,
) -> ImportResult:
    """POST the objects to Kibana's import API (overwrite); with `wait_s`, keep retrying while Kibana is
    not up yet (connection refused, 5xx) for that long."""
    base = kibana_url.rstrip("/") + (f"/s/{space}" if space else "")
    headers = {"kbn-xsrf": "border-watch"}
    if api_key:
        headers["Authorization"] = f"ApiKey {api_key}"
    auth = (username, password or "") if username and not api_key else None
    deadline = time.monotonic() + wait_s
    body = to_ndjson(objects)
    attempt = 0
    with httpx.Client(timeout=timeout_s, verify=verify) as http:
        while True:
            attempt += 1
            try:
                response = http.post(
                    f"{base}/api/saved_objects/_import",
                    params={"overwrite": "true"},
                    headers=headers,
                    auth=auth,
                    files={"file": ("border-news.ndjson", body, "application/ndjson")},
                )
                if response.status_code < 500:
                    break
                problem = f"HTTP {response.status_code}"
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if time.monotonic() >= deadline:
                raise RuntimeError(f"Kibana at {kibana_url} did not accept the import: {problem}")
            time.sleep(min(5.0, 0.25 * 2 ** (attempt - 1), max(0.05, deadline - time.monotonic())))
    if response.status_code != 200:
        raise RuntimeError(f"Kibana refused the import: HTTP {response.status_code}: {response.text[:500]}")
    data = response.json()
    return ImportResult(
        success=bool(data.get("success")),
        success_count=int(data.get("successCount") or 0),
        errors=list(data.get("errors") or []),
    )
