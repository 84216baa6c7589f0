"""Index stage: the Elasticsearch client, index creation, and bulk indexing with per-item results.

Every bulk item's result is looked at: failures are returned (for the dead-letter index), never
dropped. Writes use stable ids, so re-running a batch overwrites instead of duplicating.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, Elasticsearch, helpers

from pipeline import mappings, sequence
from pipeline.settings import Settings

RAW_MAPPING: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "input": {"type": "keyword"},
        "feed": {"type": "keyword"},
        "raw_url": {"type": "keyword"},
        "source": {"type": "keyword"},
        "raw_title": {"type": "text"},
        "published": {"type": "keyword"},
        "fetched_at": {"type": "date"},
        "ingested_at": {"type": "date"},
    },
}


def client(settings: Settings) -> Elasticsearch:
    """An Elasticsearch client configured from settings (URL, API key or basic auth, TLS)."""
    kwargs: dict[str, Any] = {"request_timeout": 30, "retry_on_timeout": True, "max_retries": 3}
    if settings.es_api_key:
        kwargs["api_key"] = settings.es_api_key
    elif settings.es_username:
        kwargs["basic_auth"] = (settings.es_username, settings.es_password or "")
    if settings.es_url.startswith("https"):
        kwargs["verify_certs"] = settings.es_verify_certs
        if settings.es_ca_certs:
            kwargs["ca_certs"] = settings.es_ca_certs
    return Elasticsearch(settings.es_url, **kwargs)


_ACTIVE: set[str] = set()  # indices seen with an active primary shard by this process


def ensure_index(
    es: Elasticsearch, name: str, mappings: dict[str, Any], settings: dict[str, Any] | None = None
) -> bool:
    """Create `name` if it does not exist; return True if it was created.

    When it exists, wait (once per process and index) until its primary shard is active: a concurrent
    worker may have just created it, and reads of a shard still recovering fail with a 503."""
    if es.indices.exists(index=name):
        if name not in _ACTIVE:
            es.cluster.health(index=name, wait_for_status="yellow", timeout="30s")
            _ACTIVE.add(name)
        return False
    body_settings = {"number_of_shards": 1, "number_of_replicas": 0, **(settings or {})}
    try:
        es.indices.create(index=name, mappings=mappings, settings=body_settings)
    except Exception as exc:  # a concurrent worker may have created it first
        if "resource_already_exists_exception" in str(exc):
            es.cluster.health(index=name, wait_for_status="yellow", timeout="30s")
            _ACTIVE.add(name)
            return False
        raise
    _ACTIVE.add(name)  # create waits for the primary shard
    return True


def raw_id(url: str | None, input_ref: str) -> str:
    """Stable id of a raw article: the hash of its link, or of where it came from when it has none."""
    key = url or input_ref
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class BulkReport:
    ok: int = 0
    created: int = 0
    updated: int = 0
    noop: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)  # {"id", "status", "error", "doc"}


def bulk_index(
    es: Elasticsearch,
    index: str,
    docs: Iterable[tuple[str, dict[str, Any]]],
    *,
    op_type: str = "index",
    refresh: bool | str = False,
    chunk_size: int = 500,
    version_field: str | None = None,
) -> BulkReport:
    """Index `(id, doc)` pairs; op_type 'create' keeps the first version of a document.

    With `version_field`, that field of each document is its external version: a write with a lower
    or equal version than the stored one is refused by Elasticsearch and counted as a no-op."""
    report = BulkReport()
    sources: dict[str, dict[str, Any]] = {}

    def actions() -> Iterator[dict[str, Any]]:
        for doc_id, doc in docs:
            sources[doc_id] = doc
            action = {"_op_type": op_type, "_index": index, "_id": doc_id, "_source": doc}
            if version_field:
                action["_version"] = doc[version_field]
                action["_version_type"] = "external"
            yield action

    for ok, item in helpers.streaming_bulk(
        es,
        actions(),
        chunk_size=chunk_size,
        raise_on_error=False,
        raise_on_exception=False,
        max_retries=3,
        initial_backoff=1,
        refresh=refresh,
    ):
        result = next(iter(item.values()))
        doc_id = result.get("_id")
        if ok:
            report.ok += 1
            outcome = result.get("result")
            if outcome == "created":
                report.created += 1
            elif outcome == "updated":
                report.updated += 1
            elif outcome == "noop":
                report.noop += 1
        elif result.get("status") == 409 and (op_type == "create" or version_field):
            report.noop += 1  # already there: the stable id made the re-run a no-op
        else:
            report.failed.append(
                {
                    "id": doc_id,
                    "status": result.get("status"),
                    "error": result.get("error"),
                    "doc": sources.get(doc_id),
                }
            )
        sources.pop(doc_id, None)
    return report


# --- The main index: versioned (`<prefix>-v1`) behind a read alias (`<prefix>`) and a write alias.
# The contract of its documents: `pipeline/data/mapping-v<N>.json` and `schema/article-v<N>.schema.json`.
# A breaking change (a field removed, renamed or retyped) makes a new version of both.
INDEX_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / "data"
# Analyzers that only a full distribution has (module analysis-common); sub-fields using them are
# dropped where the cluster lacks them (the integration-test distribution).
LANGUAGE_ANALYZERS = ("english", "hindi")
INDEX_SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}


def load_mapping(version: int = INDEX_VERSION) -> dict[str, Any]:
    """The mapping of version `version` of the article index, as the data file gives it."""
    return mappings.load_mapping(f"v{version}")


ARTICLE_MAPPING: dict[str, Any] = load_mapping(INDEX_VERSION)

# Fields of `Article` that are kept only in the raw index, not in the article index.
RAW_ONLY_FIELDS = ("raw_url", "raw_title", "raw_text", "raw_html", "summary")


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


# Entity types (as the entities stage names them, case-insensitive) -> flat fields for filtering.
ENTITY_FIELDS: dict[str, tuple[str, str]] = {
    "person": ("people", "people_ids"),
    "per": ("people", "people_ids"),
    "people": ("people", "people_ids"),
    "organization": ("organizations", "organization_ids"),
    "organisation": ("organizations", "organization_ids"),
    "org": ("organizations", "organization_ids"),
    "location": ("locations", "location_ids"),
    "place": ("locations", "location_ids"),
    "loc": ("locations", "location_ids"),
    "gpe": ("locations", "location_ids"),
    "event": ("events", "event_ids"),
}
_DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def geo_point(value: Any) -> dict[str, float] | None:
    """`{"lat", "lon"}` from a dict or a `[lat, lon]` pair, when both are numbers in range; else None."""
    if isinstance(value, dict):
        lat, lon = value.get("lat"), value.get("lon")
    elif isinstance(value, list | tuple) and len(value) == 2:
        lat, lon = value
    else:
        return None
    if (
        isinstance(lat, bool)
        or isinstance(lon, bool)
        or not isinstance(lat, int | float)
        or not isinstance(lon, int | float)
    ):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return {"lat": float(lat), "lon": float(lon)}


def entity_fields(entities: Iterable[dict[str, Any]]) -> dict[str, list[Any]]:
    """Flat fields from the `entities` list: names and ids per type and all ids (linked or not); the
    names and ids of the unlinked ones (`unlinked_names`, `unlinked_ids`); and, from the linked places,
    the coordinates (`locations_geo`) and LAC sectors (`sectors`) that the gazetteer gives them.

    An entity without `linked` counts as linked (entity lists written before the flag existed)."""
    out: dict[str, list[Any]] = {}

    def add(field_name: str, value: Any) -> None:
        if value:
            values = out.setdefault(field_name, [])
            if value not in values:
                values.append(value if isinstance(value, dict) else str(value))

    for entity in entities:
        names_field, ids_field = ENTITY_FIELDS.get(str(entity.get("type", "")).lower(), (None, None))
        add("entity_ids", entity.get("id"))
        if names_field and ids_field:
            add(names_field, entity.get("name"))
            add(ids_field, entity.get("id"))
        if entity.get("linked", True) is False:
            add("unlinked_names", entity.get("name"))
            add("unlinked_ids", entity.get("id"))
            continue
        if names_field == "locations":
            add("locations_geo", geo_point(entity.get("coordinates")))
            add("sectors", entity.get("sector"))
    return out


def dates_mentioned(dates: Iterable[dict[str, Any]]) -> list[str]:
    """The normalised values of the dates an article mentions (year, month or day precision)."""
    values: list[str] = []
    for date in dates:
        value = str(date.get("value") or "")
        if _DATE_VALUE.match(value) and value not in values:
            values.append(value.replace(" ", "T"))
    return values


def _entity_for_index(entity: dict[str, Any]) -> dict[str, Any]:
    """The entity as stored: `coordinates` as `{"lat", "lon"}` (a bare pair would be read by
    Elasticsearch as [lon, lat]), dropped when not a valid point."""
    if "coordinates" not in entity:
        return entity
    point = geo_point(entity["coordinates"])
    rest = {k: v for k, v in entity.items() if k != "coordinates"}
    return {**rest, "coordinates": point} if point else rest


def article_document(article: Any) -> tuple[str, dict[str, Any]]:
    """`(id, document)` of a processed article for the article index (without `ingest_seq`)."""
    if not article.id:
        raise ValueError(f"article {article.input} has no id: run the dedupe stage first")
    doc = {k: v for k, v in article.to_dict().items() if k not in RAW_ONLY_FIELDS and v is not None}
    if doc.get("entities"):
        doc["entities"] = [_entity_for_index(e) for e in doc["entities"]]
    doc.update(entity_fields(doc.get("entities") or []))
    mentioned = dates_mentioned(doc.get("dates") or [])
    if mentioned:
        doc["dates_mentioned"] = mentioned
    return article.id, doc


# Fields that change on every run without the article changing: not compared to decide "unchanged".
_VOLATILE_FIELDS = frozenset({"ingest_seq", "ingested_at", "fetched_at"})


def _unchanged(stored: dict[str, Any] | None, doc: dict[str, Any]) -> bool:
    if stored is None:
        return False

    def strip(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if k not in _VOLATILE_FIELDS}

    return strip(stored) == strip(doc)


def index_articles(
    es: Elasticsearch,
    settings: Settings,
    articles: Iterable[Any],
    *,
    index: str | None = None,
    chunk_size: int = 500,
    lease_ttl_s: float = sequence.DEFAULT_LEASE_TTL_S,
) -> BulkReport:
    """Bulk-index processed articles through the write alias (or `index`) under their stable ids,
    each new or changed one with the next `ingest_seq`; an unchanged one is left alone (no-op).

    Numbers come from a lease (`pipeline.sequence`), released only once the documents are searchable,
    so the change feed never skips one. `ingest_seq` is also the document's external version: of two
    concurrent writes of one id, the later number wins. Documents are searchable when it returns."""
    ensure_main_index(es, settings)
    target = index or settings.write_alias
    report = BulkReport()
    docs = [article_document(a) for a in articles]
    for start in range(0, len(docs), chunk_size):
        _index_chunk(es, settings, target, docs[start : start + chunk_size], report, lease_ttl_s)
    return report


def _index_chunk(
    es: Elasticsearch,
    settings: Settings,
    target: str,
    docs: list[tuple[str, dict[str, Any]]],
    report: BulkReport,
    lease_ttl_s: float,
) -> None:
    stored = es.mget(index=target, ids=[doc_id for doc_id, _ in docs])["docs"] if docs else []
    changed = []
    for (doc_id, doc), found in zip(docs, stored, strict=True):
        if _unchanged(found.get("_source") if found.get("found") else None, doc):
            report.ok += 1
            report.noop += 1
        else:
            changed.append((doc_id, doc))
    for _attempt in range(3):
        if not changed:
            return
        lease = sequence.allocate(es, settings, len(changed), ttl_s=lease_ttl_s)
        numbered = [
            (doc_id, {**doc, "ingest_seq": seq})
            for (doc_id, doc), seq in zip(changed, lease.numbers(), strict=True)
        ]
        part = bulk_index(es, target, numbered, version_field="ingest_seq")
        es.indices.refresh(index=target)  # searchable before the lease is released
        if sequence.release(es, settings, lease):
            report.ok += part.ok
            report.created += part.created
            report.updated += part.updated
            report.noop += part.noop
            report.failed.extend(part.failed)
            return
        # The lease expired meanwhile and a reader may have passed these numbers: index them again
        # under new numbers so that none is skipped.
        failed_ids = {f["id"] for f in part.failed}
        changed = [(doc_id, doc) for doc_id, doc in changed if doc_id not in failed_ids]
        report.failed.extend(part.failed)
    raise RuntimeError(
        f"could not index {len(changed)} articles in {target}: their sequence lease kept expiring"
    )
