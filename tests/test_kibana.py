"""The Kibana saved objects as data: they parse, reference each other consistently, and name fields."""

from __future__ import annotations

import json

from pipeline import kibana

OBJECTS = kibana.load_objects()


def test_every_line_of_the_export_is_a_saved_object_with_type_id_and_attributes():
    assert len(OBJECTS) == 16
    assert all({"type", "id", "attributes", "references"} <= set(o) for o in OBJECTS)


def test_the_export_holds_the_data_views_searches_and_dashboard_analysts_need():
    titles = {(o["type"], o["attributes"]["title"]) for o in OBJECTS}
    assert {
        ("index-pattern", "border-news"),
        ("index-pattern", "border-news-runs"),
        ("search", "Latest border news"),
        ("search", "Hindi coverage"),
        ("dashboard", "Border news"),
    } <= titles
    view = next(o for o in OBJECTS if o["id"] == "border-news-articles")
    assert view["attributes"]["timeFieldName"] == "published_at"


def test_every_reference_resolves_to_an_object_of_the_export():
    assert kibana.unresolved_references(OBJECTS) == []


def test_a_dangling_reference_is_reported():
    broken = [o for o in OBJECTS if o["type"] != "index-pattern" or o["id"] != "border-news-runs"]
    assert kibana.unresolved_references(broken) == [
        "visualization/feed-health -> index-pattern/border-news-runs",
        "visualization/freshness-lag -> index-pattern/border-news-runs",
    ]


def test_dashboard_shows_every_visualization_and_the_latest_news():
    dashboard = next(o for o in OBJECTS if o["type"] == "dashboard")
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    shown = {r["id"] for r in dashboard["references"]}
    assert len(panels) == 12
    assert shown == {o["id"] for o in OBJECTS if o["type"] in ("visualization", "map")} | {
        "latest-border-news"
    }


def test_fields_used_reads_columns_sort_query_and_aggregations():
    hindi = next(o for o in OBJECTS if o["id"] == "hindi-coverage")
    stories = next(o for o in OBJECTS if o["id"] == "largest-stories")
    assert kibana.fields_used(hindi) == {"title", "source", "people", "locations", "published_at", "language"}
    assert kibana.fields_used(stories) == {"source", "language", "title.raw", "published_at", "story_id"}


def test_for_prefix_points_the_data_views_at_another_prefix_only():
    moved = kibana.for_prefix(OBJECTS, "news-test")
    titles = sorted(o["attributes"]["title"] for o in moved if o["type"] == "index-pattern")
    assert titles == ["news-test", "news-test-runs"]
    assert [o for o in moved if o["type"] != "index-pattern"] == [
        o for o in OBJECTS if o["type"] != "index-pattern"
    ]


def test_the_articles_data_view_labels_the_discovery_and_geo_fields():
    view = next(o for o in OBJECTS if o["id"] == "border-news-articles")
    labels = json.loads(view["attributes"]["fieldAttrs"])
    assert {"unlinked_names", "unlinked_ids", "locations_geo", "sectors", "title_source"} <= set(labels)
    assert kibana.fields_used(view) == {"published_at", *labels}


def test_new_names_table_counts_unlinked_names_split_by_language():
    table = next(o for o in OBJECTS if o["id"] == "new-names")
    aggs = json.loads(table["attributes"]["visState"])["aggs"]
    assert [(a["type"], a["params"].get("field")) for a in aggs if a["schema"] == "bucket"] == [
        ("terms", "unlinked_names"),
        ("terms", "language"),
    ]
    assert kibana.fields_used(table) == {"unlinked_names", "language", "source"}


def test_sector_breakdown_and_places_map_read_the_new_fields():
    sectors = next(o for o in OBJECTS if o["id"] == "articles-over-time-by-sector")
    assert kibana.fields_used(sectors) == {"published_at", "sectors"}
    places = next(o for o in OBJECTS if o["type"] == "map")
    layers = json.loads(places["attributes"]["layerListJSON"])
    assert [layer["type"] for layer in layers] == ["EMS_VECTOR_TILE", "GEOJSON_VECTOR"]
    assert layers[1]["sourceDescriptor"]["indexPatternRefName"] == "layer_1_source_index_pattern"
    assert kibana.data_view_of(places) == "border-news-articles"
    assert kibana.fields_used(places) == {"locations_geo"}
    assert set(json.loads(places["attributes"]["mapStateJSON"])) <= {
        "adHocDataViews",
        "center",
        "filters",
        "query",
        "refreshConfig",
        "settings",
        "timeFilters",
        "zoom",
    }


def test_a_map_layer_without_its_data_view_reference_is_reported():
    places = next(o for o in OBJECTS if o["type"] == "map")
    assert kibana.unresolved_references([{**places, "references": []}]) == [
        "map/places-map -> layer_1_source_index_pattern"
    ]
