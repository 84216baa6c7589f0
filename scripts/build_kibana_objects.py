"""Writes kibana/border-news.ndjson: the saved objects analysts and operators get. Run it after changing
an object here; the NDJSON is committed and `python -m pipeline kibana-import` loads it.

Two dashboards:
- "Border news: analysts" reads the articles (`<prefix>`, the read alias) and the stories
  (`<prefix>-stories`), with filter controls over both;
- "Border news: pipeline health" reads the run summaries (`<prefix>-runs`) and the dead letters
  (`<prefix>-deadletter`). The run panels are kept off the analysts' dashboard because a dashboard's
  filters apply to every panel and the runs index has none of the article fields.

Objects are written for the prefix `border-news`; `pipeline.kibana.for_prefix` moves ids, references
and data view titles to another prefix at import. Each object is written as Kibana stores and exports
it: `managed`, `coreMigrationVersion` and the type's current `typeMigrationVersion` (see
docs/analysts.md, "What the Kibana objects are checked against"), so the import runs no migration.

Panels are aggregation-based visualizations (`visualization`: bar, line, table) and one Kibana Maps
`map`; field names are those of the index mappings (pipeline/data/mapping-v1.json, the stories mapping,
pipeline/runs.py, pipeline/deadletter.py). Tables show Kibana's export toolbar (raw / formatted CSV).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.entities import load_gazetteer  # noqa: E402

OUT = ROOT / "kibana" / "border-news.ndjson"
PREFIX = "border-news"
ARTICLES = f"{PREFIX}-articles"  # data view ids
STORIES = f"{PREFIX}-stories"
RUNS = f"{PREFIX}-runs"
DEADLETTER = f"{PREFIX}-deadletter"
INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"

# The version fields Kibana writes on every object it stores or exports (see docs/analysts.md).
CORE_MIGRATION_VERSION = "8.8.0"
TYPE_MIGRATION_VERSION = {
    "index-pattern": "8.0.0",
    "visualization": "8.5.0",
    "map": "8.4.0",
    "dashboard": "10.4.0",
}

# Labels analysts see in Discover and in the panels for fields that are not self-explanatory.
ARTICLE_FIELD_LABELS = {
    "unlinked_names": "New names (not in the gazetteer)",
    "unlinked_ids": "New name ids",
    "locations_geo": "Places (coordinates)",
    "sectors": "LAC sector",
    "title_source": "Title from",
    "published_at_source": "Publication date from (feed, page, text, or fetched = fetch time)",
    "dates_mentioned": "Dates mentioned in the text",
    "source": "Outlet",
}
STORY_FIELD_LABELS = {
    "first_seen": "First seen",
    "last_seen": "Last seen",
    "article_count": "Articles",
    "sources": "Outlets",
    "languages": "Languages",
    "locations_geo": "Places (coordinates)",
}
# Signatures for duplicate detection: numbers, not something to read; hidden from Discover.
ARTICLE_HIDDEN_FIELDS = ("minhash", "minhash_bands", "content_hash")
URL_AS_LINK = {"url": {"id": "url", "params": {"type": "a", "urlTemplate": None, "labelTemplate": None}}}
# The stories carry `languages` and `sources`; these runtime fields give them the article names, so
# that a language or outlet filter set on the dashboard selects stories too instead of none.
STORY_RUNTIME_FIELDS = {
    name: {"type": "keyword", "script": {"source": f"for (def v : doc['{plural}']) {{ emit(v); }}"}}
    for name, plural in (("language", "languages"), ("source", "sources"))
}


def saved_object(obj_type: str, obj_id: str, attributes: dict, references: list[dict]) -> dict:
    """A saved object as Kibana exports it; every id starts with the prefix (for_prefix moves it)."""
    return {
        "type": obj_type,
        "id": obj_id if obj_id.startswith(f"{PREFIX}-") else f"{PREFIX}-{obj_id}",
        "attributes": attributes,
        "references": references,
        "managed": False,
        "coreMigrationVersion": CORE_MIGRATION_VERSION,
        "typeMigrationVersion": TYPE_MIGRATION_VERSION[obj_type],
    }


def data_view(view_id: str, title: str, name: str, time_field: str, **extra: dict | list) -> dict:
    """A data view; `extra` holds its JSON-encoded attributes (fieldAttrs, fieldFormatMap,
    sourceFilters, runtimeFieldMap), given as Python values."""
    attributes = {"title": title, "name": name, "timeFieldName": time_field, "allowNoIndex": True}
    attributes.update({key: json.dumps(value, sort_keys=True) for key, value in extra.items() if value})
    return saved_object("index-pattern", view_id, attributes, [])


def labels(mapping: dict[str, str]) -> dict[str, dict[str, str]]:
    return {field: {"customLabel": label} for field, label in mapping.items()}


def data_views() -> list[dict]:
    return [
        data_view(
            ARTICLES,
            PREFIX,
            "Border news articles",
            "published_at",
            fieldAttrs=labels(ARTICLE_FIELD_LABELS),
            fieldFormatMap=URL_AS_LINK,
            sourceFilters=[{"value": name} for name in ARTICLE_HIDDEN_FIELDS],
        ),
        data_view(
            STORIES,
            f"{PREFIX}-stories",
            "Border news stories",
            "last_seen",
            fieldAttrs=labels(STORY_FIELD_LABELS),
            runtimeFieldMap=STORY_RUNTIME_FIELDS,
        ),
        data_view(RUNS, f"{PREFIX}-runs", "Border news ingest runs", "started_at"),
        data_view(DEADLETTER, f"{PREFIX}-deadletter", "Border news dead letters", "last_seen_at"),
    ]


def country_names() -> list[str]:
    """The names of the gazetteer's countries: a place table without them shows where on the border
    the news is, instead of India and China at the top of every list."""
    entities = load_gazetteer().entities.values()
    return sorted(e.name for e in entities if e.type == "location" and e.kind == "country")


def lucene_literal(text: str) -> str:
    """`text` as a Lucene regular expression matching only itself (terms `exclude` is a regexp)."""
    return "".join(c if c.isalnum() else "\\" + c for c in text)


def search_source(query: str = "") -> dict:
    source = {"query": {"query": query, "language": "kuery"}, "filter": [], "indexRefName": INDEX_REF}
    return {"searchSourceJSON": json.dumps(source)}


def visualization(
    vis_id: str,
    title: str,
    vis_type: str,
    aggs: list[dict],
    params: dict,
    view: str = ARTICLES,
    query: str = "",
) -> dict:
    vis_state = {"title": title, "type": vis_type, "aggs": aggs, "params": params}
    attributes = {
        "title": title,
        "description": "",
        "uiStateJSON": "{}",
        "version": 1,
        "visState": json.dumps(vis_state),
        "kibanaSavedObjectMeta": search_source(query),
    }
    return saved_object(
        "visualization", vis_id, attributes, [{"name": INDEX_REF, "type": "index-pattern", "id": view}]
    )


def agg(agg_id: str, agg_type: str, schema: str, **params) -> dict:
    return {"id": agg_id, "enabled": True, "type": agg_type, "schema": schema, "params": params}


def count(agg_id: str = "1") -> dict:
    return agg(agg_id, "count", "metric")


def metric(agg_id: str, agg_type: str, field: str, label: str) -> dict:
    return agg(agg_id, agg_type, "metric", field=field, customLabel=label)


def top_value(agg_id: str, field: str, label: str, sort_field: str) -> dict:
    """The value of `field` in the newest document of the bucket (all values of an array field)."""
    return agg(
        agg_id,
        "top_hits",
        "metric",
        field=field,
        aggregate="concat",
        size=1,
        sortField=sort_field,
        sortOrder="desc",
        customLabel=label,
    )


def date_histogram(agg_id: str, field: str, interval: str = "auto", schema: str = "segment") -> dict:
    return agg(
        agg_id,
        "date_histogram",
        schema,
        field=field,
        useNormalizedEsInterval=True,
        interval=interval,
        drop_partials=False,
        min_doc_count=1,
        extended_bounds={},
    )


def terms(agg_id: str, field: str, schema: str, size: int, label: str, **extra) -> dict:
    """A terms bucket ordered by metric `orderBy` (default: the count, agg "1"), largest first."""
    params = {
        "field": field,
        "orderBy": "1",
        "order": "desc",
        "size": size,
        "otherBucket": False,
        "missingBucket": False,
        "customLabel": label,
    }
    return agg(agg_id, "terms", schema, **{**params, **extra})


def xy_params(chart: str, series: list[tuple[str, str]]) -> dict:
    """Params of a bar ("histogram") or line chart: one series per (metric agg id, label)."""
    axis_labels = {"show": True, "filter": True, "truncate": 100}
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
                "labels": axis_labels,
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
                "labels": {**axis_labels, "rotate": 0, "filter": False},
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
            for agg_id, label in series
        ],
    }


# Tables page 20 rows and show the export toolbar ("Raw" / "Formatted" CSV download).
TABLE_PARAMS = {
    "perPage": 20,
    "showPartialRows": False,
    "showMetricsAtAllLevels": False,
    "showToolbar": True,
    "showTotal": False,
    "totalFunc": "sum",
    "percentageCol": "",
}


def table(vis_id: str, title: str, aggs: list[dict], view: str = ARTICLES, query: str = "") -> dict:
    return visualization(vis_id, title, "table", aggs, TABLE_PARAMS, view=view, query=query)


def bars_over_time(vis_id: str, title: str, field: str, label: str, size: int = 10) -> dict:
    """Articles per interval of `published_at`, one stacked colour per top value of `field`."""
    return visualization(
        vis_id,
        title,
        "histogram",
        [count(), date_histogram("2", "published_at"), terms("3", field, "group", size, label)],
        xy_params("histogram", [("1", "Articles")]),
    )


def entity_tables(countries: list[str]) -> list[dict]:
    """Top people, places (countries left out), organisations and events, and who is named where."""
    no_countries = {"exclude": "|".join(lucene_literal(name) for name in countries)}
    tops = [
        table(f"top-{name}", f"Top {label}", [count(), terms("2", field, "bucket", 20, label, **extra)])
        for name, field, label, extra in (
            ("people", "people", "people", {}),
            ("places", "locations", "places (countries left out)", no_countries),
            ("organizations", "organizations", "organizations", {}),
            ("events", "events", "events", {}),
        )
    ]
    people_places = table(
        "people-by-places",
        "People × places: articles naming both",
        [
            count(),
            terms("2", "people", "bucket", 15, "person"),
            terms("3", "locations", "bucket", 5, "place", **no_countries),
        ],
    )
    return [*tops, people_places]


def coverage_tables() -> list[dict]:
    """The latest articles with their link, all languages and then Hindi and English side by side."""

    def latest(vis_id: str, title: str, query: str) -> dict:
        return table(
            vis_id,
            title,
            [
                metric("1", "max", "published_at", "Published"),
                terms("2", "title.raw", "bucket", 50, "title"),
                top_value("3", "source", "Outlet", "published_at"),
                top_value("4", "url", "Link", "published_at"),
                top_value("5", "story_id", "Story", "published_at"),
            ],
            query=query,
        )

    return [
        latest("latest-articles", "Latest articles", ""),
        latest("hindi-coverage", "Hindi coverage", 'language : "hi"'),
        latest("english-coverage", "English coverage", 'language : "en"'),
    ]


def article_charts() -> list[dict]:
    by = [
        bars_over_time(f"articles-over-time-by-{name}", f"Articles over time by {label}", field, label)
        for name, field, label in (
            ("language", "language", "language"),
            ("outlet", "source", "outlet"),
            ("sector", "sectors", "LAC sector"),
        )
    ]
    events = bars_over_time("events-over-time", "Events over time", "events", "event", size=8)
    stories = bars_over_time("story-timeline", "Story timeline: the 10 largest stories", "story_id", "story")
    dates = visualization(
        "dates-mentioned",
        "Dates mentioned: the months coverage refers to",
        "histogram",
        [count(), date_histogram("2", "dates_mentioned", interval="M")],
        xy_params("histogram", [("1", "Articles")]),
    )
    top_dates = table(
        "top-dates-mentioned",
        "Dates mentioned most (day, month or year as written)",
        [count(), terms("2", "dates.value", "bucket", 20, "date")],
    )
    date_from = table(
        "publication-date-from",
        "Publication date from (fetched: the outlet gave none)",
        [count(), terms("2", "published_at_source", "bucket", 5, "from")],
    )
    new_names = table(
        "new-names",
        "New names (not in the gazetteer)",
        [
            count(),
            metric("3", "cardinality", "source", "Outlets"),
            terms("2", "unlinked_names", "bucket", 20, "name"),
            terms("4", "language", "bucket", 3, "language"),
        ],
    )
    return [*by, events, stories, dates, top_dates, date_from, new_names]


def largest_stories() -> dict:
    """One row per story of the stories index, largest first: headline, size, span, outlets."""
    return table(
        "largest-stories",
        "Largest stories: size, span, outlets and languages",
        [
            metric("1", "max", "article_count", "Articles"),
            terms("2", "story_id", "bucket", 20, "story", orderBy="1"),
            top_value("3", "headline.keyword", "Headline", "last_seen"),
            metric("4", "min", "first_seen", "First seen"),
            metric("5", "max", "last_seen", "Last seen"),
            top_value("6", "languages", "Languages", "last_seen"),
            top_value("7", "sources", "Outlets", "last_seen"),
        ],
        view=STORIES,
    )


def layer_source(ref_name: str, source_type: str, geo_field: str, **extra) -> dict:
    return {
        "type": source_type,
        "id": ref_name.replace("_", "-"),
        "indexPatternRefName": ref_name,
        "geoField": geo_field,
        "applyGlobalQuery": True,
        "applyGlobalTime": True,
        "applyForceRefresh": True,
        **extra,
    }


def count_sized_style(field: str, origin: str, color: str) -> dict:
    """Circles coloured and sized by a number of the layer's features (`field`)."""
    by_field = {"name": field, "origin": origin}
    meta = {"isEnabled": True, "sigma": 3}
    return {
        "type": "VECTOR",
        "properties": {
            "fillColor": {
                "type": "DYNAMIC",
                "options": {
                    "field": by_field,
                    "color": color,
                    "colorCategory": "palette_0",
                    "type": "ORDINAL",
                    "fieldMetaOptions": meta,
                },
            },
            "lineColor": {"type": "STATIC", "options": {"color": "#3d3d3d"}},
            "iconSize": {
                "type": "DYNAMIC",
                "options": {"field": by_field, "minSize": 6, "maxSize": 24, "fieldMetaOptions": meta},
            },
        },
    }


def map_layer(layer_id: str, label: str, source: dict, style: dict) -> dict:
    return {
        "id": layer_id,
        "type": "GEOJSON_VECTOR",
        "label": label,
        "alpha": 0.75,
        "visible": True,
        "minZoom": 0,
        "maxZoom": 24,
        "includeInFitToBounds": True,
        "joins": [],
        "disableTooltips": False,
        "sourceDescriptor": source,
        "style": style,
    }


BASEMAP = {
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
MAP_STATE = {
    "zoom": 4.3,
    "center": {"lat": 31.5, "lon": 85.0},
    "timeFilters": {"from": "now-30d", "to": "now"},
    "refreshConfig": {"isPaused": True, "interval": 0},
    "query": {"query": "", "language": "kuery"},
    "filters": [],
    "settings": {"autoFitToDataBounds": False},
}


def places_map() -> dict:
    """A Kibana Maps map: a basemap, the places articles name (clustered on a grid, sized by the
    number of articles) and the stories at their places (sized by their number of articles)."""
    articles = map_layer(
        "article-places",
        "Places named in articles",
        layer_source(
            "layer_1_source_index_pattern",
            "ES_GEO_GRID",
            "locations_geo",
            metrics=[{"type": "count"}],
            requestType="point",
            resolution="MOST_FINE",
        ),
        count_sized_style("doc_count", "source", "Yellow to Red"),
    )
    stories = map_layer(
        "story-places",
        "Stories at their places",
        layer_source(
            "layer_2_source_index_pattern",
            "ES_SEARCH",
            "locations_geo",
            scalingType="LIMIT",
            filterByMapBounds=True,
            tooltipProperties=["headline.keyword", "article_count", "first_seen", "last_seen"],
            sortField="article_count",
            sortOrder="desc",
        ),
        count_sized_style("article_count", "source", "Blues"),
    )
    attributes = {
        "title": "Places in the news",
        "description": "Where the news is: the places the gazetteer gives coordinates",
        "mapStateJSON": json.dumps(MAP_STATE),
        "layerListJSON": json.dumps([BASEMAP, articles, stories]),
        "uiStateJSON": json.dumps({"isLayerTOCOpen": True, "openTOCDetails": []}),
    }
    references = [
        {"name": "layer_1_source_index_pattern", "type": "index-pattern", "id": ARTICLES},
        {"name": "layer_2_source_index_pattern", "type": "index-pattern", "id": STORIES},
    ]
    return saved_object("map", "places-map", attributes, references)


# Run counts charted per run: averaged over the runs of each interval (a run every few minutes), so a
# point reads "a typical run fetched 40 feeds", whatever interval the time range gives.
RUN_COUNTS = (
    ("1", "feeds fetched", "feeds_fetched"),
    ("2", "feeds failed", "feeds_failed"),
    ("3", "entries seen", "entries_seen"),
    ("4", "indexed", "indexed"),
    ("5", "dead-lettered", "dead_lettered"),
)


def health_panels() -> list[dict]:
    feed_health = visualization(
        "feed-health",
        "Feed health per run (average of the runs in each interval)",
        "line",
        [metric(i, "avg", f, label) for i, label, f in RUN_COUNTS] + [date_histogram("6", "started_at")],
        xy_params("line", [(i, label) for i, label, _ in RUN_COUNTS]),
        view=RUNS,
    )
    freshness = visualization(
        "freshness-lag",
        "Freshness: lag p95 (worst run) and run duration, seconds",
        "line",
        [
            metric("1", "max", "freshness_lag_p95_s", "freshness lag p95 (s)"),
            metric("2", "avg", "duration_s", "run duration (s)"),
            date_histogram("3", "started_at"),
        ],
        xy_params("line", [("1", "freshness lag p95 (s)"), ("2", "run duration (s)")]),
        view=RUNS,
    )
    runs = table(
        "latest-runs",
        "Latest runs",
        [
            metric("1", "max", "started_at", "Started"),
            terms("2", "run_id", "bucket", 50, "run"),
            top_value("3", "state", "State", "started_at"),
            *[metric(str(n), "max", f, label) for n, (_, label, f) in enumerate(RUN_COUNTS, 4)],
            metric("9", "max", "freshness_lag_p95_s", "freshness lag p95 (s)"),
        ],
        view=RUNS,
    )
    failed = table(
        "failed-feeds",
        "Failed feeds: runs in which each feed failed",
        [count(), terms("2", "failed_feeds", "bucket", 30, "feed"), metric("3", "max", "started_at", "Last")],
        view=RUNS,
    )
    return [feed_health, freshness, runs, failed, *deadletter_panels()]


def deadletter_panels() -> list[dict]:
    by_reason = table(
        "dead-letters-by-stage-and-reason",
        "Dead letters by stage and reason",
        [
            count(),
            terms("2", "stage", "bucket", 10, "stage"),
            terms("3", "error_type", "bucket", 10, "reason"),
            metric("4", "sum", "attempts", "Attempts"),
            metric("5", "cardinality", "feed", "Feeds"),
            metric("6", "max", "last_seen_at", "Last seen"),
        ],
        view=DEADLETTER,
    )
    over_time = visualization(
        "dead-letters-over-time",
        "Dead letters over time by stage",
        "histogram",
        [count(), date_histogram("2", "last_seen_at"), terms("3", "stage", "group", 10, "stage")],
        xy_params("histogram", [("1", "Dead letters")]),
        view=DEADLETTER,
    )
    return [by_reason, over_time]


# Filter controls of the analysts' dashboard: (field, label); on the articles data view, and the
# stories carry the same fields (language and source as runtime fields of the stories data view).
CONTROLS = (
    ("language", "Language"),
    ("source", "Outlet"),
    ("people", "People"),
    ("locations", "Places"),
    ("organizations", "Organizations"),
    ("events", "Events"),
    ("story_id", "Story"),
)


def control_group(controls: tuple[tuple[str, str], ...], view: str) -> tuple[dict, list[dict]]:
    """The dashboard's `controlGroupInput` (options list controls) and the references it needs: a
    control's data view is the reference `controlGroup_<control id>:optionsListDataView`."""
    panels, references = {}, []
    for order, (field, label) in enumerate(controls):
        control_id = f"control-{field.replace('_', '-')}"
        panels[control_id] = {
            "type": "optionsListControl",
            "order": order,
            "grow": True,
            "width": "medium",
            "explicitInput": {
                "fieldName": field,
                "title": label,
                "searchTechnique": "wildcard",
                "selectedOptions": [],
                "sort": {"by": "_count", "direction": "desc"},
            },
        }
        references.append(
            {"name": f"controlGroup_{control_id}:optionsListDataView", "type": "index-pattern", "id": view}
        )
    ignore_parent = {"ignoreFilters": False, "ignoreQuery": False, "ignoreTimerange": False}
    group = {
        "controlStyle": "oneLine",
        "chainingSystem": "HIERARCHICAL",
        "showApplySelections": False,
        "ignoreParentSettingsJSON": json.dumps({**ignore_parent, "ignoreValidations": False}),
        "panelsJSON": json.dumps(panels, sort_keys=True),
    }
    return group, references


def layout(sized: list[tuple[dict, int, int]]) -> tuple[list[dict], list[dict]]:
    """Dashboard panels placed left to right on the 48-column grid, and their references; panel
    `i` refers to its object by `panelRefName` "panel_<i>", the reference being "<i>:panel_<i>"."""
    panels, references = [], []
    x = y = row_height = 0
    for n, (obj, width, height) in enumerate(sized, 1):
        if x + width > 48:
            x, y, row_height = 0, y + row_height, 0
        index = f"p{n}"
        panels.append(
            {
                "type": obj["type"],
                "panelIndex": index,
                "panelRefName": f"panel_{index}",
                "gridData": {"x": x, "y": y, "w": width, "h": height, "i": index},
                "embeddableConfig": {"enhancements": {}},
            }
        )
        references.append({"name": f"{index}:panel_{index}", "type": obj["type"], "id": obj["id"]})
        x, row_height = x + width, max(row_height, height)
    return panels, references


def dashboard(
    dash_id: str, title: str, description: str, sized: list, time_from: str, controls: tuple | None = None
) -> dict:
    panels, references = layout(sized)
    attributes = {
        "title": title,
        "description": description,
        "timeRestore": True,
        "timeFrom": time_from,
        "timeTo": "now",
        "refreshInterval": {"pause": False, "value": 300000},
        "panelsJSON": json.dumps(panels),
        "optionsJSON": json.dumps(
            {"useMargins": True, "syncColors": False, "syncCursor": True, "syncTooltips": False}
            | {"hidePanelTitles": False}
        ),
        "kibanaSavedObjectMeta": {
            "searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"}, "filter": []})
        },
    }
    if controls:
        attributes["controlGroupInput"], control_refs = control_group(controls, ARTICLES)
        references += control_refs
    return saved_object("dashboard", dash_id, attributes, references)


def by_id(objects: list[dict]) -> dict[str, dict]:
    return {o["id"][len(PREFIX) + 1 :]: o for o in objects}


def dashboards(panel_objects: list[dict]) -> list[dict]:
    p = by_id(panel_objects)
    analysts = [
        (p["articles-over-time-by-language"], 24, 14),
        (p["articles-over-time-by-outlet"], 24, 14),
        (p["largest-stories"], 28, 16),
        (p["story-timeline"], 20, 16),
        (p["hindi-coverage"], 24, 16),
        (p["english-coverage"], 24, 16),
        *[(p[f"top-{name}"], 12, 15) for name in ("people", "places", "organizations", "events")],
        (p["events-over-time"], 24, 14),
        (p["people-by-places"], 24, 14),
        (p["places-map"], 28, 20),
        (p["dates-mentioned"], 20, 20),
        (p["top-dates-mentioned"], 12, 14),
        (p["articles-over-time-by-sector"], 12, 14),
        (p["new-names"], 12, 14),
        (p["publication-date-from"], 12, 14),
        (p["latest-articles"], 48, 18),
    ]
    health = [
        (p["feed-health"], 24, 15),
        (p["freshness-lag"], 24, 15),
        (p["latest-runs"], 48, 16),
        (p["failed-feeds"], 20, 15),
        (p["dead-letters-by-stage-and-reason"], 28, 15),
        (p["dead-letters-over-time"], 48, 14),
    ]
    return [
        dashboard(
            "analysts-dashboard",
            "Border news: analysts",
            "India-China border coverage in English and Hindi: volume by language and outlet, the "
            "largest stories and their span, who, where and which events, the dates coverage refers "
            "to, names not in the gazetteer yet. Filter controls apply to articles and stories.",
            analysts,
            "now-30d",
            controls=CONTROLS,
        ),
        dashboard(
            "pipeline-health-dashboard",
            "Border news: pipeline health",
            "Ingest runs and dead letters: feeds fetched and failed per run, freshness lag, run "
            "duration, which feeds fail, and what was dead-lettered at which stage and why.",
            health,
            "now-24h",
        ),
    ]


def objects() -> list[dict]:
    panels = [
        *article_charts(),
        *entity_tables(country_names()),
        *coverage_tables(),
        largest_stories(),
        places_map(),
        *health_panels(),
    ]
    return [*data_views(), *panels, *dashboards(panels)]


def main() -> None:
    built = objects()
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(
        "".join(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n" for obj in built),
        encoding="utf-8",
    )
    print(f"wrote {OUT} ({len(built)} objects)")


if __name__ == "__main__":
    main()
