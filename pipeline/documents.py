"""Article -> document of the article index: the processed article without its raw-only fields, plus
flat fields derived from its entities and dates (for filtering, aggregations and maps). Pure
functions: nothing here talks to Elasticsearch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Fields of `Article` that are kept only in the raw index, not in the article index.
RAW_ONLY_FIELDS = ("raw_url", "raw_title", "raw_text", "raw_html", "summary")

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
