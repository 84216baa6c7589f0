"""Kibana saved objects (kibana/*.ndjson): read them, list the fields they use, and load them into a
Kibana through its saved-objects import API (`POST /api/saved_objects/_import?overwrite=true`,
multipart/form-data with one `file` part, header `kbn-xsrf`).

It does not build the objects (scripts/build_kibana_objects.py does) and it does not talk to
Elasticsearch.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from pipeline.settings import PROJECT_ROOT

OBJECTS_FILE = PROJECT_ROOT / "kibana" / "border-news.ndjson"
DEFAULT_PREFIX = "border-news"  # the index prefix the objects are written for
_KQL_FIELD = re.compile(r"([A-Za-z_][\w.]*)\s*:")


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


def for_prefix(objects: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """The objects with their data views pointed at the indices of `prefix` instead of `border-news`."""
    if prefix == DEFAULT_PREFIX:
        return objects
    out = []
    for obj in objects:
        if obj["type"] == "index-pattern":
            title = obj["attributes"]["title"]
            obj = {**obj, "attributes": {**obj["attributes"], "title": prefix + title[len(DEFAULT_PREFIX) :]}}
        out.append(obj)
    return out


def to_ndjson(objects: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False, sort_keys=True) + "\n" for o in objects).encode("utf-8")


def _search_source(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj.get("attributes", {}).get("kibanaSavedObjectMeta", {})
    return json.loads(meta.get("searchSourceJSON") or "{}")


def _map_layers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    """The layers of a `map` object (Kibana Maps), else []."""
    if obj["type"] != "map":
        return []
    return json.loads(obj.get("attributes", {}).get("layerListJSON") or "[]")


def data_view_of(obj: dict[str, Any]) -> str | None:
    """The id of the data view a search, visualization or map (its first data layer) reads."""
    ref_names = [_search_source(obj).get("indexRefName")]
    ref_names += [layer.get("sourceDescriptor", {}).get("indexPatternRefName") for layer in _map_layers(obj)]
    for ref_name in filter(None, ref_names):
        for ref in obj.get("references", []):
            if ref["name"] == ref_name and ref["type"] == "index-pattern":
                return ref["id"]
    return None


def fields_used(obj: dict[str, Any]) -> set[str]:
    """Every index field one saved object names (time field and labelled fields of a data view,
    columns, sort, query, aggregations, the geo field of a map layer)."""
    attrs = obj.get("attributes", {})
    used: set[str] = set()
    if obj["type"] == "index-pattern":
        if attrs.get("timeFieldName"):
            used.add(attrs["timeFieldName"])
        used.update(json.loads(attrs.get("fieldAttrs") or "{}"))
    for layer in _map_layers(obj):
        if layer.get("sourceDescriptor", {}).get("geoField"):
            used.add(layer["sourceDescriptor"]["geoField"])
    used.update(attrs.get("columns", []))
    used.update(s[0] for s in attrs.get("sort", []))
    query = _search_source(obj).get("query", {}).get("query") or ""
    used.update(_KQL_FIELD.findall(query))
    if attrs.get("visState"):
        for agg in json.loads(attrs["visState"]).get("aggs", []):
            for key in ("field", "sortField"):
                if agg.get("params", {}).get(key):
                    used.add(agg["params"][key])
    return used


def unresolved_references(objects: list[dict[str, Any]]) -> list[str]:
    """References (and dashboard panel references) that point at no object of the set."""
    known = {(o["type"], o["id"]) for o in objects}
    missing = []
    for obj in objects:
        names = {r["name"] for r in obj.get("references", [])}
        for ref in obj.get("references", []):
            if (ref["type"], ref["id"]) not in known:
                missing.append(f"{obj['type']}/{obj['id']} -> {ref['type']}/{ref['id']}")
        if obj["type"] == "dashboard":
            for panel in json.loads(obj["attributes"]["panelsJSON"]):
                if panel.get("panelRefName") not in names:
                    missing.append(
                        f"dashboard/{obj['id']} panel {panel.get('panelIndex')} -> {panel.get('panelRefName')}"
                    )
        index_refs = [_search_source(obj).get("indexRefName")]
        index_refs += [
            layer.get("sourceDescriptor", {}).get("indexPatternRefName") for layer in _map_layers(obj)
        ]
        for index_ref in filter(None, index_refs):
            if index_ref not in names:
                missing.append(f"{obj['type']}/{obj['id']} -> {index_ref}")
    return missing


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
