"""Writes kibana/border-news.ndjson: the saved objects analysts get (data views, saved searches,
visualizations, one dashboard). Run it after changing an object here; the NDJSON is committed.

Objects are Kibana's aggregation-based ("legacy") visualizations, which every 8.x/9.x Kibana imports
and migrates; field names are those of the index contract (pipeline/data/mapping-v1.json) and of the
runs index (pipeline/runs.py). `python -m pipeline kibana-import` loads the file.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kibana" / "border-news.ndjson"
ARTICLES = "border-news-articles"  # data view ids
RUNS = "border-news-runs"
INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"


def data_view(view_id: str, title: str, name: str, time_field: str) -> dict:
    return {"type": "index-pattern", "id": view_id, "typeMigrationVersion": "8.0.0",
            "attributes": {"title": title, "name": name, "timeFieldName": time_field},
            "references": []}


def search_source(query: str = "") -> dict:
    return {"kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
        {"query": {"query": query, "language": "kuery"}, "filter": [], "indexRefName": INDEX_REF})}}


def saved_search(search_id: str, title: str, query: str, columns: list[str]) -> dict:
    return {"type": "search", "id": search_id, "typeMigrationVersion": "8.0.0",
            "attributes": {"title": title, "description": "", "columns": columns, "sort": [["published_at", "desc"]],
                           **search_source(query)},
            "references": [{"name": INDEX_REF, "type": "index-pattern", "id": ARTICLES}]}


def visualization(vis_id: str, title: str, vis_type: str, aggs: list[dict], params: dict, view: str = ARTICLES) -> dict:
    vis_state = {"title": title, "type": vis_type, "aggs": aggs, "params": params}
    return {"type": "visualization", "id": vis_id, "typeMigrationVersion": "8.5.0",
            "attributes": {"title": title, "description": "", "uiStateJSON": "{}", "version": 1,
                           "visState": json.dumps(vis_state), **search_source()},
            "references": [{"name": INDEX_REF, "type": "index-pattern", "id": view}]}


def count(agg_id: str = "1") -> dict:
    return {"id": agg_id, "enabled": True, "type": "count", "schema": "metric", "params": {}}


def metric(agg_id: str, agg_type: str, field: str, label: str) -> dict:
    return {"id": agg_id, "enabled": True, "type": agg_type, "schema": "metric", "params": {"field": field, "customLabel": label}}


def date_histogram(agg_id: str, field: str) -> dict:
    return {"id": agg_id, "enabled": True, "type": "date_histogram", "schema": "segment",
            "params": {"field": field, "useNormalizedEsInterval": True, "interval": "auto", "drop_partials": False,
                       "min_doc_count": 1, "extended_bounds": {}}}


def terms(agg_id: str, field: str, schema: str, size: int, label: str) -> dict:
    return {"id": agg_id, "enabled": True, "type": "terms", "schema": schema,
            "params": {"field": field, "orderBy": "1", "order": "desc", "size": size, "otherBucket": False,
                       "missingBucket": False, "customLabel": label}}


def xy_params(chart: str, metrics: list[tuple[str, str]]) -> dict:
    """Params of a bar/line chart: one series per (agg id, label)."""
    return {
        "type": chart, "addTooltip": True, "addLegend": True, "legendPosition": "right", "times": [],
        "addTimeMarker": False, "grid": {"categoryLines": False},
        "categoryAxes": [{"id": "CategoryAxis-1", "type": "category", "position": "bottom", "show": True,
                          "scale": {"type": "linear"}, "labels": {"show": True, "filter": True, "truncate": 100}, "title": {}}],
        "valueAxes": [{"id": "ValueAxis-1", "name": "LeftAxis-1", "type": "value", "position": "left", "show": True,
                       "scale": {"type": "linear", "mode": "normal"}, "labels": {"show": True, "rotate": 0, "filter": False,
                                                                                 "truncate": 100}, "title": {"text": ""}}],
        "seriesParams": [{"show": True, "type": chart, "mode": "stacked" if chart == "histogram" else "normal",
                          "data": {"label": label, "id": agg_id}, "valueAxis": "ValueAxis-1", "drawLinesBetweenPoints": True,
                          "lineWidth": 2, "showCircles": True} for agg_id, label in metrics],
    }


TABLE_PARAMS = {"perPage": 20, "showPartialRows": False, "showMetricsAtAllLevels": False, "showTotal": False,
                "totalFunc": "sum", "percentageCol": ""}


def objects() -> list[dict]:
    over_time = [
        visualization(f"articles-over-time-by-{name}", f"Articles over time by {label}", "histogram",
                      [count(), date_histogram("2", "published_at"), terms("3", field, "group", 10, label)],
                      xy_params("histogram", [("1", "Articles")]))
        for name, field, label in (("language", "language", "language"), ("outlet", "source", "outlet"))
    ]
    tops = [
        visualization(f"top-{name}", f"Top {label}", "table", [count(), terms("2", field, "bucket", 20, label)], TABLE_PARAMS)
        for name, field, label in (("people", "people", "people"), ("places", "locations", "places"),
                                   ("organizations", "organizations", "organizations"))
    ]
    stories = visualization(
        "largest-stories", "Largest stories", "table",
        [count(), metric("3", "cardinality", "source", "Outlets"), metric("4", "cardinality", "language", "Languages"),
         {"id": "5", "enabled": True, "type": "top_hits", "schema": "metric",
          "params": {"field": "title.raw", "aggregate": "concat", "size": 1, "sortField": "published_at", "sortOrder": "desc",
                     "customLabel": "Latest title"}},
         terms("2", "story_id", "bucket", 20, "story")],
        TABLE_PARAMS)
    health_metrics = [("1", "feeds fetched", "feeds_fetched"), ("2", "feeds failed", "feeds_failed"),
                      ("3", "entries seen", "entries_seen"), ("4", "indexed", "indexed"), ("5", "dead-lettered", "dead_lettered")]
    feed_health = visualization(
        "feed-health", "Feed health per run", "line",
        [metric(i, "sum", f, label) for i, label, f in health_metrics] + [date_histogram("6", "started_at")],
        xy_params("line", [(i, label) for i, label, _ in health_metrics]), view=RUNS)
    lag = visualization(
        "freshness-lag", "Freshness lag (p95) and run duration, seconds", "line",
        [metric("1", "max", "freshness_lag_p95_s", "freshness lag p95 (s)"), metric("2", "avg", "duration_s", "run duration (s)"),
         date_histogram("3", "started_at")],
        xy_params("line", [("1", "freshness lag p95 (s)"), ("2", "run duration (s)")]), view=RUNS)
    latest = saved_search("latest-border-news", "Latest border news", "",
                          ["title", "source", "language", "people", "locations", "story_id"])
    hindi = saved_search("hindi-coverage", "Hindi coverage", 'language : "hi"', ["title", "source", "people", "locations"])
    panels_objects = [*over_time, *tops, stories, feed_health, lag, latest]
    panels, refs = [], []
    for n, obj in enumerate(panels_objects):
        name = f"panel_{n}"
        panels.append({"version": "8.8.0", "type": obj["type"], "panelIndex": str(n + 1), "panelRefName": name,
                       "gridData": {"x": 24 * (n % 2), "y": 15 * (n // 2), "w": 24, "h": 15, "i": str(n + 1)},
                       "embeddableConfig": {"enhancements": {}}})
        refs.append({"name": name, "type": obj["type"], "id": obj["id"]})
    dashboard = {
        "type": "dashboard", "id": "border-news-dashboard", "typeMigrationVersion": "8.7.0",
        "attributes": {
            "title": "Border news", "description": "India-China border coverage: volume by language and outlet, "
            "who and where, largest stories, and the health of the feeds", "timeRestore": True, "timeFrom": "now-30d",
            "timeTo": "now", "refreshInterval": {"pause": False, "value": 300000},
            "panelsJSON": json.dumps(panels), "optionsJSON": json.dumps({"useMargins": True, "hidePanelTitles": False}),
            "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"}, "filter": []})},
        },
        "references": refs,
    }
    views = [data_view(ARTICLES, "border-news", "Border news articles", "published_at"),
             data_view(RUNS, "border-news-runs", "Border news ingest runs", "started_at")]
    return [*views, latest, hindi, *over_time, *tops, stories, feed_health, lag, dashboard]


def main() -> None:
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("".join(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n" for obj in objects()), encoding="utf-8")
    print(f"wrote {OUT} ({len(objects())} objects)")


if __name__ == "__main__":
    main()
