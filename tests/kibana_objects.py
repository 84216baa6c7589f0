"""Reading the Kibana saved objects for the tests: which data view and which fields each object uses,
which of them it aggregates on, which references point nowhere, and the field types of a mapping.

The stories index mapping is drawn from the interface its owner publishes (STORY_FIELDS below, the
field list the Kibana objects rely on); when pipeline/data/mapping-stories-v1.json exists the tests
check this list against it.
"""

from __future__ import annotations

import importlib
import json
import re
from typing import Any

from pipeline.mappings import load_mapping, mapping_names

INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"
_KQL_FIELD = re.compile(r"([A-Za-z_][\w.]*)\s*:")
_DOC_FIELD = re.compile(r"doc\['([^']+)'\]")
# Field types Elasticsearch aggregates on (doc values on by default).
AGGREGATABLE = {
    "keyword",
    "date",
    "long",
    "integer",
    "short",
    "byte",
    "float",
    "double",
    "half_float",
    "scaled_float",
    "boolean",
    "ip",
    "geo_point",
}

# The stories index, `<prefix>-stories`, as the shared interface describes it: field -> type.
STORY_FIELDS = {
    "story_id": "keyword",
    "schema_version": "integer",
    "headline": "text",
    "headline.keyword": "keyword",
    "headlines": "object",
    "headlines.en": "text",
    "headlines.hi": "text",
    "first_seen": "date",
    "last_seen": "date",
    "event_day": "date",
    "article_count": "integer",
    "duplicate_count": "integer",
    "languages": "keyword",
    "sources": "keyword",
    "feeds": "keyword",
    "people": "keyword",
    "locations": "keyword",
    "organizations": "keyword",
    "events": "keyword",
    "people_ids": "keyword",
    "location_ids": "keyword",
    "organization_ids": "keyword",
    "event_ids": "keyword",
    "top_entities": "object",
    "locations_geo": "geo_point",
    "article_ids": "keyword",
    "ingest_seq": "long",
    "updated_at": "date",
}

STORY_FIELDS_SPEC = {name: {"type": field_type} for name, field_type in STORY_FIELDS.items()}


def index_mapping(kind: str) -> dict[str, Any]:
    """The mapping of the `runs` or `deadletter` index: its file under pipeline/data/ when there is
    one (`mapping-<kind>.json` or `mapping-<kind>-v<n>.json`), else the module's MAPPING."""
    files = [n for n in mapping_names() if n == kind or re.fullmatch(rf"{kind}-v\d+", n)]
    if files:
        return load_mapping(sorted(files)[-1])
    return importlib.import_module(f"pipeline.{kind}").MAPPING


def attrs_json(obj: dict[str, Any], key: str, default: str = "{}") -> Any:
    return json.loads(obj["attributes"].get(key) or default)


def search_source(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj["attributes"].get("kibanaSavedObjectMeta", {})
    return json.loads(meta.get("searchSourceJSON") or "{}")


def map_layers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    return attrs_json(obj, "layerListJSON", "[]") if obj["type"] == "map" else []


def control_panels(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    group = obj["attributes"].get("controlGroupInput") or {}
    return json.loads(group.get("panelsJSON") or "{}")


def ref_id(obj: dict[str, Any], name: str) -> str | None:
    return next((r["id"] for r in obj.get("references", []) if r["name"] == name), None)


def data_view_of(obj: dict[str, Any]) -> str | None:
    """The data view a visualization reads (its search source reference)."""
    return ref_id(obj, search_source(obj).get("indexRefName") or INDEX_REF)


def _layer_fields(layer: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(fields named, fields aggregated on) by one map layer."""
    source = layer.get("sourceDescriptor", {})
    if not source.get("geoField"):
        return set(), set()
    named = {source["geoField"], *source.get("tooltipProperties", [])}
    aggregated = {source["geoField"]} if source["type"] == "ES_GEO_GRID" else set()
    if source["type"] == "ES_SEARCH":
        # Style fields and the sort field of a documents layer are index fields (min/max, sort);
        # a grid layer's "doc_count" is the grid's own metric.
        for prop in layer.get("style", {}).get("properties", {}).values():
            style_field = prop.get("options", {}).get("field")
            if prop.get("type") == "DYNAMIC" and style_field:
                aggregated.add(style_field["name"])
        if source.get("sortField"):
            aggregated.add(source["sortField"])
    return named | aggregated, aggregated


def _vis_fields(obj: dict[str, Any]) -> tuple[set[str], set[str]]:
    aggregated = set()
    for agg in attrs_json(obj, "visState")["aggs"]:
        aggregated.update(agg["params"][key] for key in ("field", "sortField") if agg["params"].get(key))
    query = search_source(obj).get("query", {}).get("query") or ""
    return aggregated | set(_KQL_FIELD.findall(query)), aggregated


def _data_view_fields(obj: dict[str, Any]) -> tuple[set[str], set[str]]:
    attrs = obj["attributes"]
    runtime = attrs_json(obj, "runtimeFieldMap")
    read_by_scripts = {f for spec in runtime.values() for f in _DOC_FIELD.findall(spec["script"]["source"])}
    named = set(attrs_json(obj, "fieldAttrs")) | set(attrs_json(obj, "fieldFormatMap"))
    named |= {f["value"] for f in attrs_json(obj, "sourceFilters", "[]")}
    aggregated = {attrs["timeFieldName"], *read_by_scripts}
    return (named | aggregated) - set(runtime), aggregated


def fields_by_view(obj: dict[str, Any]) -> dict[str, tuple[set[str], set[str]]]:
    """data view id -> (fields the object names, fields it aggregates, sorts or filters on)."""
    out: dict[str, tuple[set[str], set[str]]] = {}

    def add(view: str | None, fields: tuple[set[str], set[str]]) -> None:
        named, aggregated = out.setdefault(str(view), (set(), set()))
        named.update(fields[0])
        aggregated.update(fields[1])

    if obj["type"] == "index-pattern":
        add(obj["id"], _data_view_fields(obj))
    if obj["type"] == "visualization":
        add(data_view_of(obj), _vis_fields(obj))
    for layer in map_layers(obj):
        view = ref_id(obj, layer.get("sourceDescriptor", {}).get("indexPatternRefName", ""))
        add(view, _layer_fields(layer))
    for control_id, control in control_panels(obj).items():
        view = ref_id(obj, f"controlGroup_{control_id}:optionsListDataView")
        field = control["explicitInput"]["fieldName"]
        add(view, ({field}, {field}))
    return {view: fields for view, fields in out.items() if fields[0]}


def unresolved_references(objects: list[dict[str, Any]]) -> list[str]:
    """References that point at no object of the set, and names an object uses (dashboard panels,
    controls, search sources, map layers) that no reference of it carries."""
    known = {(o["type"], o["id"]) for o in objects}
    missing = []
    for obj in objects:
        where = f"{obj['type']}/{obj['id']}"
        names = {r["name"] for r in obj.get("references", [])}
        missing += [
            f"{where} -> {r['type']}/{r['id']}"
            for r in obj["references"]
            if (r["type"], r["id"]) not in known
        ]
        wanted = [layer["sourceDescriptor"].get("indexPatternRefName") for layer in map_layers(obj)]
        if obj["type"] == "visualization":
            wanted.append(search_source(obj).get("indexRefName"))
        if obj["type"] == "dashboard":
            for panel in attrs_json(obj, "panelsJSON", "[]"):
                wanted.append(f"{panel['panelIndex']}:{panel.get('panelRefName')}")
            wanted += [f"controlGroup_{cid}:optionsListDataView" for cid in control_panels(obj)]
        missing += [f"{where} -> {name}" for name in wanted if name and name not in names]
    return missing


def field_types(mapping: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    """Every field path of a mapping (object properties and multi-fields) -> its spec (with `type`)."""
    types: dict[str, dict[str, Any]] = {}
    for name, spec in mapping.get("properties", {}).items():
        path = prefix + name
        types[path] = {**spec, "type": spec.get("type", "object")}
        types.update(field_types(spec, path + "."))
        for sub, sub_spec in spec.get("fields", {}).items():
            types[f"{path}.{sub}"] = sub_spec
    return types


def with_runtime_fields(types: dict[str, dict[str, Any]], view: dict[str, Any]) -> dict[str, dict]:
    runtime = attrs_json(view, "runtimeFieldMap")
    return {**types, **{name: {"type": spec["type"]} for name, spec in runtime.items()}}


def field_problems(objects: list[dict[str, Any]], view_id: str, types: dict[str, dict]) -> list[str]:
    """Fields the objects use on `view_id` that the mapping lacks, or aggregate on without doc values."""
    problems = []
    for obj in objects:
        named, aggregated = fields_by_view(obj).get(view_id, (set(), set()))
        for name in sorted(named):
            spec = types.get(name)
            if spec is None:
                problems.append(f"{obj['id']}: {name} not in the mapping")
            elif name in aggregated and (spec["type"] not in AGGREGATABLE or spec.get("doc_values") is False):
                problems.append(f"{obj['id']}: {name} ({spec['type']}) is not aggregatable")
    return problems


def objects_on(objects: list[dict[str, Any]], view_id: str) -> list[dict[str, Any]]:
    return [o for o in objects if view_id in fields_by_view(o)]
