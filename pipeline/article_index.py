"""The article index's life: versions (`<prefix>-v1`, `-v2`...) behind a read alias (`<prefix>`) and a
write alias, the index template that maps every version, and fields added to an existing version.

The contract of its documents: `pipeline/data/mapping-v<N>.json` and `schema/article-v<N>.schema.json`.
A breaking change (a field removed, renamed or retyped) makes a new version of both. Writing documents
is `pipeline.index.index_articles`; building them is `pipeline.documents`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from pipeline import mappings, sequence
from pipeline.elastic import ensure_index
from pipeline.settings import Settings

INDEX_VERSION = 1
# Analyzers that only a full distribution has (module analysis-common); sub-fields using them are
# dropped where the cluster lacks them (the integration-test distribution).
LANGUAGE_ANALYZERS = ("english", "hindi")
INDEX_SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}


def load_mapping(version: int = INDEX_VERSION) -> dict[str, Any]:
    """The mapping of version `version` of the article index, as the data file gives it."""
    return mappings.load_mapping(f"v{version}")


ARTICLE_MAPPING: dict[str, Any] = load_mapping(INDEX_VERSION)


def available_analyzers(es: Elasticsearch, names: Iterable[str] = LANGUAGE_ANALYZERS) -> list[str]:
    """Which of the named analyzers this cluster has (asked with `_analyze`)."""
    found = []
    for name in names:
        try:
            es.indices.analyze(analyzer=name, text="border")
        except ApiError as exc:
            if exc.status_code != 400:
                raise
            continue
        found.append(name)
    return found


def mapping_for_cluster(mapping: dict[str, Any], analyzers: Iterable[str]) -> dict[str, Any]:
    """`mapping` without the sub-fields whose analyzer is not in `analyzers`; `_meta` records which."""
    have = set(analyzers) | {"standard", "simple", "whitespace", "keyword"}
    result = copy.deepcopy(mapping)
    for spec in result["properties"].values():
        subfields = spec.get("fields")
        if subfields:
            spec["fields"] = {k: v for k, v in subfields.items() if v.get("analyzer", "standard") in have}
    result.setdefault("_meta", {})["language_analyzers"] = sorted(set(analyzers) & set(LANGUAGE_ANALYZERS))
    return result


def template_name(settings: Settings) -> str:
    return f"{settings.index_prefix}-articles"


def ensure_template(es: Elasticsearch, settings: Settings, version: int = INDEX_VERSION) -> dict[str, Any]:
    """Install the composable index template for `<prefix>-v*` (mapping of `version`, adapted to the
    cluster's analyzers); return the mapping it carries."""
    mapping = mapping_for_cluster(load_mapping(version), available_analyzers(es))
    es.indices.put_index_template(
        name=template_name(settings),
        index_patterns=[f"{settings.index_prefix}-v*"],
        template={"settings": INDEX_SETTINGS, "mappings": mapping},
        priority=200,
        meta={"schema_version": version, "owner": "border-watch pipeline/index.py"},
    )
    return mapping


def versioned_index(settings: Settings, version: int) -> str:
    """Name of version `version` of the article index: `<prefix>-v<version>`."""
    return f"{settings.index_prefix}-v{version}"


def current_index(es: Elasticsearch, settings: Settings) -> str | None:
    """The concrete index behind the read alias, or None before the first run."""
    if not es.indices.exists_alias(name=settings.read_alias):
        return None
    return sorted(es.indices.get_alias(name=settings.read_alias))[-1]


def create_index_version(es: Elasticsearch, settings: Settings, version: int) -> str:
    """Create `<prefix>-v<version>` (no aliases yet) from the template; return its name."""
    name = versioned_index(settings, version)
    if not es.indices.exists(index=name):
        mapping = ensure_template(es, settings, version)
        ensure_index(es, name, mapping)
    return name


def switch_aliases(es: Elasticsearch, settings: Settings, new_index: str) -> None:
    """Point the read and write aliases at `new_index` in one atomic alias update: searches never see
    an empty window, and no write goes to the old index after the switch."""
    actions: list[dict[str, Any]] = []
    for alias in (settings.read_alias, settings.write_alias):
        if es.indices.exists_alias(name=alias):
            for old in es.indices.get_alias(name=alias):
                if old != new_index:
                    actions.append({"remove": {"index": old, "alias": alias}})
    actions.append({"add": {"index": new_index, "alias": settings.read_alias}})
    actions.append({"add": {"index": new_index, "alias": settings.write_alias, "is_write_index": True}})
    es.indices.update_aliases(actions=actions)


def missing_properties(wanted: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The part of the mapping properties `wanted` that `current` lacks: whole fields, and the missing
    sub-properties of object fields both have (as a partial object that `put_mapping` merges)."""
    patch: dict[str, Any] = {}
    for name, spec in wanted.items():
        if name not in current:
            patch[name] = spec
        elif "properties" in spec:
            inner = missing_properties(spec["properties"], current[name].get("properties", {}))
            if inner:
                patch[name] = {"properties": inner}
    return patch


_MAPPING_CURRENT: set[str] = set()  # indices this process has brought up to the mapping file


def add_missing_fields(es: Elasticsearch, index_name: str, version: int = INDEX_VERSION) -> list[str] | None:
    """Add to an existing article index the fields of mapping-v<version>.json it lacks (optional fields
    added within one schema version: README "Versioning rule"); return their names. Existing fields
    are never changed. Under a write block (disk full, read-only index) nothing is added and it returns
    None: the writes that need the fields fail like every other write and stay pending."""
    current = es.indices.get_mapping(index=index_name)[index_name]["mappings"].get("properties", {})
    patch = missing_properties(load_mapping(version)["properties"], current)
    if not patch:
        return []
    if any("fields" in spec for spec in patch.values()):
        patch = mapping_for_cluster({"properties": patch}, available_analyzers(es))["properties"]
    try:
        es.indices.put_mapping(index=index_name, properties=patch)
    except ApiError as exc:
        if exc.status_code not in (403, 429):  # cluster_block_exception
            raise
        return None
    return sorted(patch)


def ensure_main_index(es: Elasticsearch, settings: Settings, version: int = INDEX_VERSION) -> str:
    """The index behind the aliases; on first use, create `<prefix>-v<version>` and point them at it.
    An index created before optional fields were added to the mapping gets them (once per process)."""
    existing = current_index(es, settings)
    if existing:
        if existing not in _MAPPING_CURRENT and add_missing_fields(es, existing, version) is not None:
            _MAPPING_CURRENT.add(existing)
        return existing
    name = create_index_version(es, settings, version)
    sequence.ensure_counter(es, settings)
    switch_aliases(es, settings, name)
    return name
