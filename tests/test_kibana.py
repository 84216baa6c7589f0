"""The Kibana saved objects as data: what the two dashboards show, that every reference resolves, that
every field a panel uses exists in the index mappings (aggregatable where aggregated on), and that
the objects move to another index prefix whole."""

from __future__ import annotations

import json
import runpy

import pytest

from pipeline import kibana
from pipeline.entities import load_gazetteer
from pipeline.mappings import DATA_DIR, load_mapping
from pipeline.settings import PROJECT_ROOT
from tests import kibana_objects as ko

OBJECTS = kibana.load_objects()
BY_ID = {o["id"]: o for o in OBJECTS}
ARTICLES, STORIES = "border-news-articles", "border-news-stories"
RUNS, DEADLETTER = "border-news-runs", "border-news-deadletter"


def _dashboard(title: str) -> dict:
    [dash] = [o for o in OBJECTS if o["type"] == "dashboard" and o["attributes"]["title"] == title]
    return dash


def _panel_objects(dash: dict) -> list[dict]:
    return [BY_ID[r["id"]] for r in dash["references"] if ":panel_" in r["name"]]


def _aggs(obj_id: str) -> list[dict]:
    return json.loads(BY_ID[obj_id]["attributes"]["visState"])["aggs"]


def test_the_committed_export_is_what_the_builder_writes():
    builder = runpy.run_path(str(PROJECT_ROOT / "scripts" / "build_kibana_objects.py"))
    assert builder["objects"]() == OBJECTS
    assert len(OBJECTS) == 31


def test_every_reference_resolves_to_an_object_of_the_export():
    assert ko.unresolved_references(OBJECTS) == []


@pytest.mark.parametrize(
    ("drop", "expected"),
    [
        (RUNS, "visualization/border-news-feed-health -> index-pattern/border-news-runs"),
        (STORIES, "map/border-news-places-map -> index-pattern/border-news-stories"),
        (
            "border-news-top-people",
            "dashboard/border-news-analysts-dashboard -> visualization/border-news-top-people",
        ),
    ],
)
def test_a_dangling_reference_is_reported(drop, expected):
    problems = ko.unresolved_references([o for o in OBJECTS if o["id"] != drop])
    assert expected in problems


def test_a_panel_or_control_without_its_reference_is_reported():
    dash = BY_ID["border-news-analysts-dashboard"]
    kept = [
        r
        for r in dash["references"]
        if r["name"] not in ("p1:panel_p1", "controlGroup_control-events:optionsListDataView")
    ]
    others = [o for o in OBJECTS if o is not dash]
    problems = ko.unresolved_references([*others, {**dash, "references": kept}])
    assert problems == [
        "dashboard/border-news-analysts-dashboard -> p1:panel_p1",
        "dashboard/border-news-analysts-dashboard -> controlGroup_control-events:optionsListDataView",
    ]


def test_the_analysts_dashboard_has_the_filter_controls_and_no_run_panel():
    dash = _dashboard("Border news: analysts")
    controls = ko.control_panels(dash)
    assert [c["explicitInput"]["fieldName"] for c in sorted(controls.values(), key=lambda c: c["order"])] == [
        "language",
        "source",
        "people",
        "locations",
        "organizations",
        "events",
        "story_id",
    ]
    assert {c["type"] for c in controls.values()} == {"optionsListControl"}
    views = {view for obj in _panel_objects(dash) for view in ko.fields_by_view(obj)}
    assert views == {ARTICLES, STORIES}
    assert len(_panel_objects(dash)) == 19


def test_the_health_dashboard_reads_only_runs_and_dead_letters():
    dash = _dashboard("Border news: pipeline health")
    views = {view for obj in _panel_objects(dash) for view in ko.fields_by_view(obj)}
    assert views == {RUNS, DEADLETTER}
    assert "controlGroupInput" not in dash["attributes"]
    ids = {o["id"] for o in _panel_objects(dash)}
    assert {
        "border-news-feed-health",
        "border-news-freshness-lag",
        "border-news-failed-feeds",
        "border-news-dead-letters-by-stage-and-reason",
    } <= ids


def test_every_visualization_and_map_is_on_exactly_one_dashboard():
    shown = [
        r["id"]
        for d in OBJECTS
        if d["type"] == "dashboard"
        for r in d["references"]
        if ":panel_" in r["name"]
    ]
    assert sorted(shown) == sorted(o["id"] for o in OBJECTS if o["type"] in ("visualization", "map"))


def test_stories_language_and_outlet_filters_reach_the_stories_through_runtime_fields():
    view = BY_ID[STORIES]
    runtime = json.loads(view["attributes"]["runtimeFieldMap"])
    assert {name: spec["type"] for name, spec in runtime.items()} == {
        "language": "keyword",
        "source": "keyword",
    }
    assert ko.fields_by_view(view)[STORIES][1] >= {"languages", "sources", "last_seen"}
    controls = {
        c["explicitInput"]["fieldName"]
        for c in ko.control_panels(BY_ID["border-news-analysts-dashboard"]).values()
    }
    story_fields = set(ko.with_runtime_fields(ko.STORY_FIELDS_SPEC, view))
    assert controls <= story_fields


def test_places_tables_leave_out_every_country_of_the_gazetteer():
    countries = {e.name for e in load_gazetteer().entities.values() if e.kind == "country"}
    assert {"India", "China"} <= countries and len(countries) > 2
    for obj_id in ("border-news-top-places", "border-news-people-by-places"):
        [places] = [a for a in _aggs(obj_id) if a["params"].get("field") == "locations"]
        pattern = places["params"]["exclude"]
        assert set(pattern.replace("\\", "").split("|")) == countries


def test_url_is_a_link_and_signatures_are_hidden_in_discover():
    attrs = BY_ID[ARTICLES]["attributes"]
    assert json.loads(attrs["fieldFormatMap"])["url"]["id"] == "url"
    assert json.loads(attrs["fieldFormatMap"])["url"]["params"]["type"] == "a"
    hidden = {f["value"] for f in json.loads(attrs["sourceFilters"])}
    assert {"minhash", "minhash_bands"} <= hidden
    types = ko.field_types(load_mapping("v1"))
    assert types["minhash"]["index"] is False and types["minhash_bands"]["type"] == "keyword"


def test_tables_show_the_export_toolbar():
    tables = [
        o
        for o in OBJECTS
        if o["type"] == "visualization" and '"type": "table"' in o["attributes"]["visState"]
    ]
    assert len(tables) >= 12
    assert all(json.loads(o["attributes"]["visState"])["params"]["showToolbar"] is True for o in tables)


def test_hindi_and_english_coverage_sit_side_by_side_with_the_link():
    dash = _dashboard("Border news: analysts")
    grid = {
        r["id"]: p["gridData"]
        for p in json.loads(dash["attributes"]["panelsJSON"])
        for r in dash["references"]
        if r["name"] == f"{p['panelIndex']}:panel_{p['panelIndex']}"
    }
    hindi, english = grid["border-news-hindi-coverage"], grid["border-news-english-coverage"]
    assert hindi["y"] == english["y"] and hindi["x"] + hindi["w"] == english["x"]
    for obj_id, lang in (("border-news-hindi-coverage", "hi"), ("border-news-english-coverage", "en")):
        assert ko.search_source(BY_ID[obj_id])["query"]["query"] == f'language : "{lang}"'
        assert "url" in {a["params"].get("field") for a in _aggs(obj_id)}


def test_feed_health_averages_each_run_instead_of_summing_an_interval():
    aggs = _aggs("border-news-feed-health")
    assert {a["type"] for a in aggs if a["schema"] == "metric"} == {"avg"}
    assert _dashboard("Border news: pipeline health")["attributes"]["timeFrom"] == "now-24h"


def test_articles_dated_by_their_fetch_time_are_counted_not_hidden():
    types = ko.field_types(load_mapping("v1"))
    assert BY_ID[ARTICLES]["attributes"]["timeFieldName"] == "published_at"
    assert types["published_at_source"]["type"] == "keyword"
    [source] = [a for a in _aggs("border-news-publication-date-from") if a["schema"] == "bucket"]
    assert source["params"]["field"] == "published_at_source"


def test_the_map_shows_article_places_and_story_places():
    places = BY_ID["border-news-places-map"]
    layers = ko.map_layers(places)
    assert [(layer["type"], layer["sourceDescriptor"].get("type")) for layer in layers] == [
        ("EMS_VECTOR_TILE", "EMS_TMS"),
        ("GEOJSON_VECTOR", "ES_GEO_GRID"),
        ("GEOJSON_VECTOR", "ES_SEARCH"),
    ]
    views = ko.fields_by_view(places)
    assert views[ARTICLES][1] == {"locations_geo"}
    assert "locations_geo" in views[STORIES][0]


def _mapping_types(view_id: str) -> dict[str, dict]:
    mappings = {
        ARTICLES: load_mapping("v1"),
        RUNS: ko.index_mapping("runs"),
        DEADLETTER: ko.index_mapping("deadletter"),
    }
    types = ko.STORY_FIELDS_SPEC if view_id == STORIES else ko.field_types(mappings[view_id])
    return ko.with_runtime_fields(types, BY_ID[view_id])


@pytest.mark.parametrize(("view_id", "expected"), [(ARTICLES, 20), (STORIES, 3), (RUNS, 5), (DEADLETTER, 3)])
def test_every_field_a_panel_uses_exists_and_is_aggregatable_where_aggregated(view_id, expected):
    on_view = ko.objects_on(OBJECTS, view_id)
    assert len(on_view) == expected
    assert ko.field_problems(on_view, view_id, _mapping_types(view_id)) == []


def test_a_missing_or_unaggregatable_field_is_reported():
    view = BY_ID[ARTICLES]
    types = _mapping_types(ARTICLES)
    broken = {**types, "people": {"type": "text"}}
    del broken["events"]
    problems = ko.field_problems(ko.objects_on(OBJECTS, ARTICLES), ARTICLES, broken)
    assert "border-news-top-people: people (text) is not aggregatable" in problems
    assert "border-news-events-over-time: events not in the mapping" in problems
    assert ko.field_problems([view], ARTICLES, {**types, "minhash": {"type": "long"}}) == []


def test_the_story_fields_relied_on_match_the_stories_mapping_when_it_exists():
    path = DATA_DIR / "mapping-stories-v1.json"
    if not path.exists():
        pytest.skip("the stories mapping is not on this branch yet; the field list is the interface's")
    real = ko.field_types(load_mapping("stories-v1"))
    assert {name: real.get(name, {}).get("type") for name in ko.STORY_FIELDS} == ko.STORY_FIELDS


def test_for_prefix_moves_every_id_reference_and_data_view_title():
    moved = kibana.for_prefix(OBJECTS, "news-test")
    assert ko.unresolved_references(moved) == []
    assert all(o["id"].startswith("news-test-") for o in moved)
    assert sorted(o["attributes"]["title"] for o in moved if o["type"] == "index-pattern") == [
        "news-test",
        "news-test-deadletter",
        "news-test-runs",
        "news-test-stories",
    ]
    assert "border-news" not in json.dumps(
        [o["id"] for o in moved] + [r for o in moved for r in o["references"]]
    )
    titles = sorted(o["attributes"]["title"] for o in moved if o["type"] == "dashboard")
    assert titles == ["Border news: analysts [news-test]", "Border news: pipeline health [news-test]"]
    assert kibana.for_prefix(OBJECTS, "border-news") == OBJECTS


def test_two_prefixes_share_no_object_id():
    a = {(o["type"], o["id"]) for o in kibana.for_prefix(OBJECTS, "news-a")}
    b = {(o["type"], o["id"]) for o in kibana.for_prefix(OBJECTS, "news-b")}
    assert len(a) == len(b) == len(OBJECTS) and not a & b
