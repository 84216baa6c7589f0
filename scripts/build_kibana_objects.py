"""Writes kibana/border-news.ndjson: the saved objects analysts get (data views, saved searches,
visualizations, one dashboard). Run it after changing an object here; the NDJSON is committed.

Objects are Kibana's aggregation-based ("legacy") visualizations, which every 8.x/9.x Kibana imports
and migrates, and one Kibana Maps `map`; field names are those of the index contract
(pipeline/data/mapping-v1.json) and of the runs index (pipeline/runs.py). `python -m pipeline
kibana-import` loads the file.

The `map` object follows the saved-object shape of Kibana's Maps plugin (elastic/kibana, 9.x):
attributes `title`, `description`, `mapStateJSON`, `layerListJSON`, `uiStateJSON`
(x-pack/platform/plugins/shared/maps/common/content_management/stored_map_attributes.ts); a data
layer's data view is the reference named `layer_<n>_source_index_pattern`, `<n>` its position in the
layer list (x-pack/platform/plugins/shared/maps/common/migrations/references.ts and its tests); the
basemap and grid layer descriptors mirror createEmsVectorTileLayerDescriptor and
createTileMapLayerDescriptor (x-pack/platform/plugins/shared/maps/common/descriptor_factories/
ems_vector_tile_layer_descriptor.ts, .../legacy_maps_conversion/legacy_map_layer_descriptors.ts,
constants in .../common/constants.ts: LAYER_TYPE, SOURCE_TYPES, RENDER_AS, GRID_RESOLUTION).
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kibana" / "border-news.ndjson"
ARTICLES = "border-news-articles"  # data view ids
RUNS = "border-news-runs"
INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"


# Labels analysts see in Discover and Lens for the fields that are not self-explanatory.
ARTICLE_FIELD_LABELS = {
    "unlinked_names": "New names (not in the gazetteer)",
    "unlinked_ids": "New name ids",
    "locations_geo": "Places (coordinates)",
    "sectors": "LAC sector",
    "title_source": "Title from",
    "published_at_source": "Publication date from",
}


def data_view(
    view_id: str, title: str, name: str, time_field: str, labels: dict[str, str] | None = None
) -> dict:
    attributes = {"title": title, "name": name, "timeFieldName": time_field}
    if labels:
        attributes["fieldAttrs"] = json.dumps(
            {k: {"customLabel": v} for k, v in labels.items()}, sort_keys=True
        )
    return {
        "type": "index-pattern",
        "id": view_id,
        "typeMigrationVersion": "8.0.0",
        "attributes": attributes,
        "references": [],
    }


def places_map(map_id: str, title: str, geo_field: str) -> dict:
    """A Kibana Maps map: a basemap and one layer of `geo_field` points of the articles data view,
    clustered on a grid and sized by the number of articles."""
    count_style_field = {"name": "doc_count", "origin": "source"}
    basemap = {
        "id": "basemap",
        "type": "EMS_VECTOR_TILE",
        "label": None,
        "alpha": 1,
        "visible": True,
        "minZoom": 0,
        "maxZoom": 24,
        "includeInFitToBounds": True,
        "locale": "autoselect",
        "sourceDescriptor": {"type": "EMS_TMS", "isAutoSelect": True},
        "style": {"type": "EMS_VECTOR_TILE"},
    }
    places = {
        "id": "places",
        "type": "GEOJSON_VECTOR",
        "label": "Places named in articles",
        "alpha": 0.75,
        "visible": True,
        "minZoom": 0,
        "maxZoom": 24,
        "joins": [],
        "disableTooltips": False,
        "sourceDescriptor": {
            "type": "ES_GEO_GRID",
            "id": "places-grid",
            "indexPatternRefName": "layer_1_source_index_pattern",
            "geoField": geo_field,
            "metrics": [{"type": "count"}],
            "requestType": "point",
            "resolution": "MOST_FINE",
            "applyGlobalQuery": True,
            "applyGlobalTime": True,
            "applyForceRefresh": True,
        },
        "style": {
            "type": "VECTOR",
            "properties": {
                "fillColor": {
                    "type": "DYNAMIC",
                    "options": {
                        "field": count_style_field,
                        "color": "Yellow to Red",
                        "colorCategory": "palette_0",
                        "type": "ORDINAL",
                        "fieldMetaOptions": {"isEnabled": True, "sigma": 3},
                    },
                },
                "lineColor": {"type": "STATIC", "options": {"color": "#3d3d3d"}},
                "iconSize": {
                    "type": "DYNAMIC",
                    "options": {
                        "field": count_style_field,
                        "minSize": 7,
                        "maxSize": 24,
                        "fieldMetaOptions": {"isEnabled": True, "sigma": 3},
                    },
                },
            },
        },
    }
    map_state = {
        "zoom": 4.3,
        "center": {"lat": 31.5, "lon": 85.0},
        "timeFilters": {"from": "now-30d", "to": "now"},
        "refreshConfig": {"isPaused": True, "interval": 0},
        "query": {"query": "", "language": "kuery"},
        "filters": [],
        "settings": {"autoFitToDataBounds": False},
    }
    return {
        "type": "map",
        "id": map_id,
        "typeMigrationVersion": "8.4.0",
        "attributes": {
            "title": title,
            "description": "Where the news is: the places the gazetteer gives coordinates",
            "mapStateJSON": json.dumps(map_state),
            "layerListJSON": json.dumps([basemap, places]),
            "uiStateJSON": json.dumps({"isLayerTOCOpen": True, "openTOCDetails": []}),
        },
        "references": [{"name": "layer_1_source_index_pattern", "type": "index-pattern", "id": ARTICLES}],
    }


def search_source(query: str = "") -> dict:
    return {
        "kibanaSavedObjectMeta": {
            "searchSourceJSON": json.dumps(
                {"query": {"query": query, "language": "kuery"}, "filter": [], "indexRefName": INDEX_REF}
            )
        }
    }


def saved_search(search_id: str, title: str, query: str, columns: list[str]) -> dict:
    return {
        "type": "search",
        "id": search_id,
        "typeMigrationVersion": "8.0.0",
        "attributes": {
            "title": title,
            "description": "",
            "columns": columns,
            "sort": [["published_at", "desc"]],
            **search_source(query),
        },
        "references": [{"name": INDEX_REF, "type": "index-pattern", "id": ARTICLES}],
    }


def visualization(
    vis_id: str, title: str, vis_type: str, aggs: list[dict], params: dict, view: str = ARTICLES
) -> dict:
    vis_state = {"title": title, "type": vis_type, "aggs": aggs, "params": params}
    return {
        "type": "visualization",
        "id": vis_id,
        "typeMigrationVersion": "8.5.0",
        "attributes": {
            "title": title,
            "description": "",
            "uiStateJSON": "{}",
            "version": 1,
            "visState": json.dumps(vis_state),
            **search_source(),
        },
        "references": [{"name": INDEX_REF, "type": "index-pattern", "id": view}],
    }


def count(agg_id: str = "1") -> dict:
    return {"id": agg_id, "enabled": True, "type": "count", "schema": "metric", "params": {}}


def metric(agg_id: str, agg_type: str, field: str, label: str) -> dict:
    return {
        "id": agg_id,
        "enabled": True,
        "type": agg_type,
        "schema": "metric",
        "params": {"field": field, "customLabel": label},
    }


def date_histogram(agg_id: str, field: str) -> dict:
    return {
        "id": agg_id,
        "enabled": True,
        "type": "date_histogram",
        "schema": "segment",
        "params": {
            "field": field,
            "useNormalizedEsInterval": True,
            "interval": "auto",
            "drop_partials": False,
            "min_doc_count": 1,
            "extended_bounds": {},
        },
    }


def terms(agg_id: str, field: str, schema: str, size: int, label: str) -> dict:
    return {
        "id": agg_id,
        "enabled": True,
        "type": "terms",
        "schema": schema,
        "params": {
            "field": field,
            "orderBy": "1",
            "order": "desc",
            "size": size,
            "otherBucket": False,
            "missingBucket": False,
            "customLabel": label,
        },
    }


def xy_params(chart: str, metrics: list[tuple[str, str]]) -> dict:
    """Params of a bar/line chart: one series per (agg id, label)."""
    return {
        "type": chart,
        "addTooltip": True,
        "addLegend": True,
        "legendPosition": "right",
        "times": [],
        "addTimeMarker": False,
        "grid": {"categoryLines": False},
        "categoryAxes": [
            {
                "id": "CategoryAxis-1",
                "type": "category",
                "position": "bottom",
                "show": True,
                "scale": {"type": "linear"},
                "labels": {"show": True, "filter": True, "truncate": 100},
                "title": {},
            }
        ],
        "valueAxes": [
            {
                "id": "ValueAxis-1",
                "name": "LeftAxis-1",
                "type": "value",
                "position": "left",
                "show": True,
                "scale": {"type": "linear", "mode": "normal"},
                "labels": {"show": True, "rotate": 0, "filter": False, "truncate": 100},
                "title": {"text": ""},
            }
        ],
        "seriesParams": [
            {
                "show": True,
                "type": chart,
                "mode": "stacked" if chart == "histogram" else "normal",
                "data": {"label": label, "id": agg_id},
                "valueAxis": "ValueAxis-1",
                "drawLinesBetweenPoints": True,
                "lineWidth": 2,
                "showCircles": True,
            }
            for agg_id, label in metrics
        ],
    }


TABLE_PARAMS = {
    "perPage": 20,
    "showPartialRows": False,
    "showMetricsAtAllLevels": False,
    "showTotal": False,
    "totalFunc": "sum",
    "percentageCol": "",
}


def objects() -> list[dict]:
    over_time = [
        visualization(
            f"articles-over-time-by-{name}",
            f"Articles over time by {label}",
            "histogram",
            [count(), date_histogram("2", "published_at"), terms("3", field, "group", 10, label)],
            xy_params("histogram", [("1", "Articles")]),
        )
        for name, field, label in (
            ("language", "language", "language"),
            ("outlet", "source", "outlet"),
            ("sector", "sectors", "LAC sector"),
        )
    ]
    tops = [
        visualization(
            f"top-{name}",
            f"Top {label}",
            "table",
            [count(), terms("2", field, "bucket", 20, label)],
            TABLE_PARAMS,
        )
        for name, field, label in (
            ("people", "people", "people"),
            ("places", "locations", "places"),
            ("organizations", "organizations", "organizations"),
        )
    ]
    stories = visualization(
        "largest-stories",
        "Largest stories",
        "table",
        [
            count(),
            metric("3", "cardinality", "source", "Outlets"),
            metric("4", "cardinality", "language", "Languages"),
            {
                "id": "5",
                "enabled": True,
                "type": "top_hits",
                "schema": "metric",
                "params": {
                    "field": "title.raw",
                    "aggregate": "concat",
                    "size": 1,
                    "sortField": "published_at",
                    "sortOrder": "desc",
                    "customLabel": "Latest title",
                },
            },
            terms("2", "story_id", "bucket", 20, "story"),
        ],
        TABLE_PARAMS,
    )
    new_names = visualization(
        "new-names",
        "New names (not in the gazetteer)",
        "table",
        [
            count(),
            metric("3", "cardinality", "source", "Outlets"),
            terms("2", "unlinked_names", "bucket", 20, "name"),
            terms("4", "language", "bucket", 3, "language"),
        ],
        TABLE_PARAMS,
    )
    places = places_map("places-map", "Places in the news", "locations_geo")
    health_metrics = [
        ("1", "feeds fetched", "feeds_fetched"),
        ("2", "feeds failed", "feeds_failed"),
        ("3", "entries seen", "entries_seen"),
        ("4", "indexed", "indexed"),
        ("5", "dead-lettered", "dead_lettered"),
    ]
    feed_health = visualization(
        "feed-health",
        "Feed health per run",
        "line",
        [metric(i, "sum", f, label) for i, label, f in health_metrics] + [date_histogram("6", "started_at")],
        xy_params("line", [(i, label) for i, label, _ in health_metrics]),
        view=RUNS,
    )
    lag = visualization(
        "freshness-lag",
        "Freshness lag (p95) and run duration, seconds",
        "line",
        [
            metric("1", "max", "freshness_lag_p95_s", "freshness lag p95 (s)"),
            metric("2", "avg", "duration_s", "run duration (s)"),
            date_histogram("3", "started_at"),
        ],
        xy_params("line", [("1", "freshness lag p95 (s)"), ("2", "run duration (s)")]),
        view=RUNS,
    )
    latest = saved_search(
        "latest-border-news",
        "Latest border news",
        "",
        ["title", "source", "language", "people", "locations", "story_id"],
    )
    hindi = saved_search(
        "hindi-coverage", "Hindi coverage", 'language : "hi"', ["title", "source", "people", "locations"]
    )
    panels_objects = [*over_time, *tops, stories, new_names, places, feed_health, lag, latest]
    panels, refs = [], []
    for n, obj in enumerate(panels_objects):
        name = f"panel_{n}"
        panels.append(
            {
                "version": "8.8.0",
                "type": obj["type"],
                "panelIndex": str(n + 1),
                "panelRefName": name,
                "gridData": {"x": 24 * (n % 2), "y": 15 * (n // 2), "w": 24, "h": 15, "i": str(n + 1)},
                "embeddableConfig": {"enhancements": {}},
            }
        )
        refs.append({"name": name, "type": obj["type"], "id": obj["id"]})
    dashboard = {
        "type": "dashboard",
        "id": "border-news-dashboard",
        "typeMigrationVersion": "8.7.0",
        "attributes": {
            "title": "Border news",
            "description": "India-China border coverage: volume by language, outlet and "
            "LAC sector, who and where (with a map), largest stories, names not in the gazetteer yet, and the health of the feeds",
            "timeRestore": True,
            "timeFrom": "now-30d",
            "timeTo": "now",
            "refreshInterval": {"pause": False, "value": 300000},
            "panelsJSON": json.dumps(panels),
            "optionsJSON": json.dumps({"useMargins": True, "hidePanelTitles": False}),
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"}, "filter": []})
            },
        },
        "references": refs,
    }
    views = [
        data_view(ARTICLES, "border-news", "Border news articles", "published_at", ARTICLE_FIELD_LABELS),
        data_view(RUNS, "border-news-runs", "Border news ingest runs", "started_at"),
    ]
    return [*views, latest, hindi, *over_time, *tops, stories, new_names, places, feed_health, lag, dashboard]


def main() -> None:
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(
        "".join(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n" for obj in objects()),
        encoding="utf-8",
    )
    print(f"wrote {OUT} ({len(objects())} objects)")


if __name__ == "__main__":
    main()
