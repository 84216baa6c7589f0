"""Entity discovery for analysts: which names the gazetteer does not know yet, and how to add one.

`candidates` reads the article index (read alias) and lists the unlinked names (entities the
entities stage found with `linked: false`, flattened into `unlinked_ids`/`unlinked_names` by the
index stage) with the number of articles, languages, outlets, first and last sighting and example
articles: one terms aggregation on `unlinked_ids` with sub-aggregations, nothing is scanned.

`promote` appends a reviewed entry to the gazetteer YAML as text (comments, order and layout of the
hand-edited file stay as they are), after checking that the file loads, that the id and every alias
are new, and that the file still loads with the entry. It does not re-tag indexed articles: the
reprocess DAG does (`pipeline.reprocess` reloads the gazetteer before it replays the raw index).
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from elasticsearch import Elasticsearch

from pipeline import entities
from pipeline.search import since_bound
from pipeline.settings import Settings

SECTORS = entities.SECTORS  # the gazetteer's own list of LAC sectors
_ID = re.compile(r"^(?P<type>[a-z]+)/[a-z0-9]+(?:-[a-z0-9]+)*$")
# A YAML plain scalar is safe when it is made of these and reads back as the same string.
_PLAIN = re.compile(r"^[\w][\w .'’()\-\u0900-\u097F\u200c\u200d]*$")


def since_clause(since: str) -> dict[str, Any]:
    """Articles published since `since` (ISO or 7d, 24h...), or ingested since then when they carry
    no publication date."""
    bound = since_bound(since)
    return {
        "bool": {
            "should": [
                {"range": {"published_at": {"gte": bound}}},
                {
                    "bool": {
                        "must_not": {"exists": {"field": "published_at"}},
                        "filter": {"range": {"ingested_at": {"gte": bound}}},
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


def candidates_query(*, since: str | None = None, language: str | None = None) -> dict[str, Any]:
    clauses: list[dict[str, Any]] = [{"exists": {"field": "unlinked_ids"}}]
    if since:
        clauses.append(since_clause(since))
    if language:
        clauses.append({"term": {"language": language}})
    return {"bool": {"filter": clauses}}


def candidates_aggregation(
    *, entity_type: str | None = None, size: int = 20, examples: int = 3
) -> dict[str, Any]:
    terms: dict[str, Any] = {
        "field": "unlinked_ids",
        "size": size,
        "order": [{"_count": "desc"}, {"_key": "asc"}],
    }
    if entity_type:
        terms["include"] = f"unlinked/{re.escape(entity_type)}/.*"
    return {
        "terms": terms,
        "aggs": {
            "languages": {"terms": {"field": "language", "size": 10}},
            "outlets": {"cardinality": {"field": "source"}},
            "first_published": {"min": {"field": "published_at"}},
            "last_published": {"max": {"field": "published_at"}},
            "first_ingested": {"min": {"field": "ingested_at"}},
            "last_ingested": {"max": {"field": "ingested_at"}},
            "examples": {
                "top_hits": {
                    "size": examples,
                    "_source": {"includes": ["id", "title", "entities"]},
                    "sort": [
                        {"published_at": {"order": "desc", "missing": "_last"}},
                        {"ingested_at": {"order": "desc"}},
                    ],
                }
            },
        },
    }


def _stat(bucket: dict[str, Any], name: str) -> str | None:
    agg = bucket.get(name) or {}
    return agg.get("value_as_string") if agg.get("value") is not None else None


def _candidate(bucket: dict[str, Any]) -> dict[str, Any]:
    key = bucket["key"]
    names: list[str] = []
    mentions: list[str] = []
    examples = []
    for hit in bucket["examples"]["hits"]["hits"]:
        source = hit["_source"]
        examples.append({"id": hit["_id"], "title": source.get("title")})
        for entity in source.get("entities") or []:
            if entity.get("id") == key:
                if entity.get("name") and entity["name"] not in names:
                    names.append(entity["name"])
                mentions += [m for m in entity.get("mentions") or [] if m not in mentions]
    parts = key.split("/", 2)
    return {
        "id": key,
        "name": names[0] if names else parts[-1],
        "type": parts[1] if len(parts) == 3 else None,
        "articles": bucket["doc_count"],
        "languages": {b["key"]: b["doc_count"] for b in bucket["languages"]["buckets"]},
        "outlets": bucket["outlets"]["value"],
        "first_seen": _stat(bucket, "first_published") or _stat(bucket, "first_ingested"),
        "last_seen": _stat(bucket, "last_published") or _stat(bucket, "last_ingested"),
        "mentions": mentions,
        "examples": examples,
    }


def candidates(
    es: Elasticsearch,
    settings: Settings,
    *,
    since: str | None = None,
    language: str | None = None,
    entity_type: str | None = None,
    size: int = 20,
    examples: int = 3,
) -> list[dict[str, Any]]:
    """The most frequent unlinked names in the article index, most articles first (ties by id)."""
    if not es.indices.exists_alias(name=settings.read_alias):
        return []
    response = es.search(
        index=settings.read_alias,
        size=0,
        query=candidates_query(since=since, language=language),
        aggs={"names": candidates_aggregation(entity_type=entity_type, size=size, examples=examples)},
    )
    return [_candidate(b) for b in response["aggregations"]["names"]["buckets"]]


def format_candidates(rows: list[dict[str, Any]]) -> str:
    """A readable table: articles, type, name, languages, first and last seen, example ids."""
    lines = [
        f"{'articles':>8}  {'type':<12}  {'name':<28}  {'languages':<12}  "
        f"{'first seen':<10}  {'last seen':<10}  examples"
    ]
    for row in rows:
        langs = " ".join(f"{k}:{v}" for k, v in row["languages"].items())
        lines.append(
            f"{row['articles']:>8}  {row['type'] or '?':<12}  {row['name']:<28}  {langs:<12}  "
            f"{(row['first_seen'] or '?')[:10]:<10}  {(row['last_seen'] or '?')[:10]:<10}  "
            + ", ".join(e["id"] for e in row["examples"])
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- promotion
class PromotionError(ValueError):
    """The entry was refused; the gazetteer file is unchanged."""


@dataclass(frozen=True)
class Promotion:
    path: Path
    entity_id: str
    text: str  # the YAML appended


def _scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when that reads back as the same string, else double-quoted
    (a JSON string is a valid YAML double-quoted scalar)."""
    import json

    if _PLAIN.match(value) and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


def entry_text(
    *,
    entity_id: str,
    name: str,
    entity_type: str,
    aliases: list[str],
    coordinates: tuple[float, float] | None = None,
    sector: str | None = None,
    kind: str | None = None,
) -> str:
    """The YAML lines of one gazetteer entry, in the layout of the hand-written ones."""
    lines = [f"- id: {entity_id}", f"  name: {_scalar(name)}", f"  type: {entity_type}"]
    if kind:
        lines.append(f"  kind: {_scalar(kind)}")
    lines.append(f"  aliases: [{', '.join(_scalar(a) for a in aliases)}]")
    if coordinates:
        lines.append(f"  coordinates: [{coordinates[0]:g}, {coordinates[1]:g}]")
    if sector:
        lines.append(f"  sector: {sector}")
    return "\n".join(lines) + "\n"


def parse_coordinates(text: str) -> tuple[float, float]:
    """`"LAT,LON"` in decimal degrees -> (lat, lon), checked to be on the globe."""
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise PromotionError(
            f"coordinates {text!r}: expected LAT,LON in decimal degrees, e.g. 34.15,77.58"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise PromotionError(f"coordinates {text!r}: latitude must be within ±90 and longitude within ±180")
    return lat, lon


def _checked_id(
    name: str,
    entity_type: str,
    entity_id: str | None,
    sector: str | None,
    coordinates: tuple[float, float] | None,
) -> str:
    """The entry's id (given, or `<type>/<slug of the name>`), after checking type, id, sector and
    coordinates."""
    if entity_type not in entities.TYPES:
        raise PromotionError(f"type {entity_type!r}: expected one of {', '.join(entities.TYPES)}")
    entity_id = entity_id or f"{entity_type}/{entities.slug(name)}"
    match = _ID.match(entity_id)
    if not match or match.group("type") != entity_type:
        raise PromotionError(
            f"id {entity_id!r}: expected {entity_type}/<slug> (lower-case letters, digits, hyphens)"
        )
    if sector and sector not in SECTORS:
        raise PromotionError(f"sector {sector!r}: expected one of {', '.join(SECTORS)}")
    if entity_type == "location" and coordinates is None:
        raise PromotionError("a location needs --coordinates LAT,LON (every place in the gazetteer has them)")
    return entity_id


def _new_forms(before: entities.Gazetteer, name: str, aliases: list[str] | tuple[str, ...]) -> list[str]:
    """The name and aliases to write, one per matching key; refused when one is taken or unmatchable."""
    forms: list[str] = []
    keys: set[tuple[str, ...]] = set()
    for alias in (name, *aliases):
        alias = " ".join(str(alias).split())
        key = entities.alias_key(alias)
        if not key:
            raise PromotionError(f"alias {alias!r} has no word to match")
        if len(key) > entities.MAX_ALIAS_TOKENS:
            raise PromotionError(f"alias {alias!r} is longer than {entities.MAX_ALIAS_TOKENS} words")
        owners = before.phrases.get(key)
        if owners:
            said = ", ".join(f"{eid} (weak alias)" if weak else eid for eid, weak in owners)
            raise PromotionError(f"alias {alias!r} already belongs to {said}")
        if key not in keys:
            keys.add(key)
            forms.append(alias)
    return forms


def _append_checked(path: Path, text: str, before: entities.Gazetteer, entity_id: str) -> None:
    """Append `text` to the file through a temporary copy that must load with exactly one more entry."""
    original = path.read_text(encoding="utf-8")
    updated = original + ("" if original.endswith("\n") or not original else "\n") + text
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(updated)
        try:
            after = entities.load_gazetteer(tmp)
        except (ValueError, yaml.YAMLError) as exc:
            raise PromotionError(f"the entry would break {path}: {exc}") from exc
        if entity_id not in after.entities or len(after.entities) != len(before.entities) + 1:
            # e.g. the file does not end inside its `entities:` list, so appended text lands elsewhere
            raise PromotionError(
                f"{path} does not end with its entities list; add the entry by hand:\n{text}"
            )
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def promote(
    name: str,
    *,
    entity_type: str,
    entity_id: str | None = None,
    aliases: list[str] | tuple[str, ...] = (),
    coordinates: tuple[float, float] | None = None,
    sector: str | None = None,
    kind: str | None = None,
    path: Path | str = entities.GAZETTEER_PATH,
) -> Promotion:
    """Append a reviewed entry to the gazetteer at `path`; refuse (PromotionError, file unchanged) an
    id or alias that exists, a malformed id, a location without coordinates, or a file that does not
    load before or after."""
    path = Path(path)
    name = " ".join(name.split())
    entity_id = _checked_id(name, entity_type, entity_id, sector, coordinates)
    try:
        before = entities.load_gazetteer(path)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise PromotionError(f"{path} does not load as it is, fix it first: {exc}") from exc
    if entity_id in before.entities:
        raise PromotionError(f"id {entity_id} already exists in {path} ({before.entities[entity_id].name})")
    text = entry_text(
        entity_id=entity_id,
        name=name,
        entity_type=entity_type,
        aliases=_new_forms(before, name, aliases),
        coordinates=coordinates,
        sector=sector,
        kind=kind,
    )
    _append_checked(path, text, before, entity_id)
    entities.reload_gazetteer()  # this process sees the entry from now on
    return Promotion(path=path, entity_id=entity_id, text=text)
