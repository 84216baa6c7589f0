"""Every saved object in kibana/border-news.ndjson against the shape Kibana's own source gives its type.

Kibana does not run here, so these checks restate, in our words, what the type registrations, model
versions, attribute schemas and reference extractors of the elastic/kibana repository define (paths
below are in that repository; the copies read are those of its main branch as stored for reference,
taken as the 9.5 shape — see docs/analysts.md for what that leaves unverified):

- export shape and versions: src/core/packages/saved-objects/base-server-internal/src/model_version/
  version_map.ts (a type with model versions is at virtual version "10.<latest>.0", one without at
  its latest migration version); `coreMigrationVersion` "8.8.0" and `managed` as in Kibana's own
  export fixtures;
- index-pattern: src/platform/plugins/shared/data_views/server/saved_objects/data_views.ts (no model
  versions; migrations in index_pattern_migrations.ts, multi-namespace conversion at 8.0.0) and
  src/platform/plugins/shared/data_views/common/types.ts (DataViewAttributes, SourceFilter,
  FieldAttrSet, RuntimeField); the url format's params from
  src/platform/plugins/shared/field_formats/common/converters/url.tsx (UrlFormat.getParamDefaults);
- visualization: src/platform/plugins/shared/visualizations/server/saved_objects/visualization.ts
  (attribute schema "8.8.0", no model versions) and .../server/migrations/
  visualization_saved_object_migrations.ts (latest migration 8.5.0); table params from
  src/platform/plugins/private/vis_types/table/common/types.ts (TableVisParams);
- dashboard: src/platform/plugins/shared/dashboard/server/dashboard_saved_object/
  dashboard_saved_object.ts (model versions 1-4) with schema/v1/v1.ts ... schema/v4/v4.ts
  (attributes, controlGroupInput, gridData, sections), SavedDashboardPanel in schema/v2/types.ts, and
  the reference names of migrations/migrate_extract_panel_references/dashboard_container_references.ts
  ("<panelIndex>:panel_<panelIndex>", controls under "controlGroup_");
- options list controls: src/platform/plugins/shared/controls/server/control_group/
  control_group_persistable_state.ts (reference "<control id>:<name>", zero-based orders),
  .../server/options_list/options_list_persistable_state.ts (data view extracted as
  "optionsListDataView") and .../common/options_list/types.ts (OptionsListControlState);
- map: x-pack/platform/plugins/shared/maps/server/saved_objects/setup_saved_objects.ts (no model
  versions), saved_object_migrations.ts (latest 8.4.0), types.ts (StoredMapAttributes) and
  .../common/migrations/references.ts (layer data view "layer_<layer index>_source_index_pattern").
"""

from __future__ import annotations

import json

import pytest

from pipeline import kibana
from tests import kibana_objects as ko

OBJECTS = kibana.load_objects()

# What an exported object carries besides what the instance adds (created_at, updated_at, version...).
EXPORT_KEYS = {
    "type",
    "id",
    "attributes",
    "references",
    "managed",
    "coreMigrationVersion",
    "typeMigrationVersion",
}
TYPE_MIGRATION_VERSION = {
    "index-pattern": "8.0.0",
    "visualization": "8.5.0",
    "map": "8.4.0",
    "dashboard": "10.4.0",
}
DATA_VIEW_ATTRIBUTES = {
    "fields",
    "title",
    "type",
    "typeMeta",
    "timeFieldName",
    "sourceFilters",
    "fieldFormatMap",
    "fieldAttrs",
    "runtimeFieldMap",
    "allowNoIndex",
    "name",
    "allowHidden",
}
RUNTIME_TYPES = {"keyword", "long", "double", "date", "ip", "boolean", "geo_point", "composite"}
VISUALIZATION_ATTRIBUTES = {
    "title",
    "description",
    "version",
    "kibanaSavedObjectMeta",
    "uiStateJSON",
    "visState",
    "savedSearchRefName",
}
TABLE_PARAMS = {
    "perPage",
    "showPartialRows",
    "showMetricsAtAllLevels",
    "showToolbar",
    "showTotal",
    "totalFunc",
    "percentageCol",
    "row",
    "autoFitRowToContent",
}
DASHBOARD_ATTRIBUTES = {
    "title",
    "description",
    "kibanaSavedObjectMeta",
    "timeRestore",
    "timeFrom",
    "timeTo",
    "refreshInterval",
    "controlGroupInput",
    "panelsJSON",
    "optionsJSON",
    "hits",
    "version",
    "sections",
    "projectRouting",
}
CONTROL_GROUP_ATTRIBUTES = {
    "panelsJSON",
    "controlStyle",
    "chainingSystem",
    "ignoreParentSettingsJSON",
    "showApplySelections",
}
SAVED_PANEL_KEYS = {
    "embeddableConfig",
    "type",
    "gridData",
    "panelIndex",
    "version",
    "id",
    "panelRefName",
    "title",
}
OPTIONS_LIST_STATE = {
    "fieldName",
    "title",
    "useGlobalFilters",
    "ignoreValidations",
    "searchTechnique",
    "sort",
    "selectedOptions",
    "existsSelected",
    "runPastTimeout",
    "singleSelect",
    "exclude",
    "placeholder",
    "hideActionBar",
    "hideExclude",
    "hideExists",
    "hideSort",
}
MAP_ATTRIBUTES = {"title", "description", "mapStateJSON", "layerListJSON", "uiStateJSON"}


def of_type(obj_type: str) -> list[dict]:
    return [o for o in OBJECTS if o["type"] == obj_type]


def test_only_the_checked_types_are_emitted():
    assert {o["type"] for o in OBJECTS} == set(TYPE_MIGRATION_VERSION)
    assert len({(o["type"], o["id"]) for o in OBJECTS}) == len(OBJECTS)


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: o["id"])
def test_each_object_is_written_as_kibana_exports_it(obj):
    assert set(obj) == EXPORT_KEYS
    assert obj["managed"] is False
    assert obj["coreMigrationVersion"] == "8.8.0"
    assert obj["typeMigrationVersion"] == TYPE_MIGRATION_VERSION[obj["type"]]
    assert all(set(ref) == {"name", "type", "id"} for ref in obj["references"])
    assert isinstance(obj["attributes"]["title"], str) and obj["attributes"]["title"]


def test_data_views_hold_only_data_view_attributes_with_json_encoded_maps():
    for view in of_type("index-pattern"):
        attrs = view["attributes"]
        assert set(attrs) <= DATA_VIEW_ATTRIBUTES, view["id"]
        assert all(isinstance(attrs[k], str) for k in attrs if k not in ("allowNoIndex", "allowHidden"))
        for label in ko.attrs_json(view, "fieldAttrs").values():
            assert set(label) <= {"customLabel", "customDescription", "count"}
        for source_filter in ko.attrs_json(view, "sourceFilters", "[]"):
            assert set(source_filter) <= {"value", "clientId"}
        for runtime in ko.attrs_json(view, "runtimeFieldMap").values():
            assert runtime["type"] in RUNTIME_TYPES and isinstance(runtime["script"]["source"], str)
        for field_format in ko.attrs_json(view, "fieldFormatMap").values():
            assert set(field_format) == {"id", "params"}
    url = ko.attrs_json(
        next(v for v in of_type("index-pattern") if "fieldFormatMap" in v["attributes"]), "fieldFormatMap"
    )["url"]
    assert url["id"] == "url"
    assert set(url["params"]) <= {"type", "urlTemplate", "labelTemplate", "width", "height"}
    assert url["params"]["type"] in {"a", "img", "audio"}


def test_visualizations_match_the_attribute_schema_and_the_legacy_vis_state():
    for vis in of_type("visualization"):
        attrs = vis["attributes"]
        assert set(attrs) <= VISUALIZATION_ATTRIBUTES, vis["id"]
        assert set(attrs["kibanaSavedObjectMeta"]) == {"searchSourceJSON"}
        state = json.loads(attrs["visState"])
        assert set(state) == {"title", "type", "aggs", "params"}
        assert state["type"] in {"histogram", "line", "table"}
        ids = [a["id"] for a in state["aggs"]]
        assert len(ids) == len(set(ids))
        for agg in state["aggs"]:
            assert set(agg) == {"id", "enabled", "type", "schema", "params"}
            assert agg["schema"] in {"metric", "segment", "group", "bucket"}
            if agg["params"].get("orderBy"):
                assert agg["params"]["orderBy"] in ids
        if state["type"] == "table":
            assert set(state["params"]) <= TABLE_PARAMS
        source = ko.search_source(vis)
        assert source["indexRefName"] == ko.INDEX_REF and source["query"]["language"] == "kuery"


def _panels(dash: dict) -> list[dict]:
    return json.loads(dash["attributes"]["panelsJSON"])


def test_dashboards_match_the_attribute_schema():
    for dash in of_type("dashboard"):
        attrs = dash["attributes"]
        assert set(attrs) <= DASHBOARD_ATTRIBUTES
        assert isinstance(attrs["timeRestore"], bool)
        assert set(attrs["refreshInterval"]) <= {"pause", "value", "display", "section"}
        assert isinstance(attrs["refreshInterval"]["pause"], bool)
        assert isinstance(attrs["refreshInterval"]["value"], int)
        assert set(attrs["kibanaSavedObjectMeta"]) == {"searchSourceJSON"}
        assert isinstance(json.loads(attrs["optionsJSON"]), dict)
        if "controlGroupInput" in attrs:
            group = attrs["controlGroupInput"]
            assert set(group) <= CONTROL_GROUP_ATTRIBUTES
            assert group["controlStyle"] in {"oneLine", "twoLine"}
            assert group["chainingSystem"] in {"HIERARCHICAL", "NONE"}
            assert isinstance(json.loads(group["ignoreParentSettingsJSON"]), dict)


def test_dashboard_panels_are_stored_by_reference_on_a_grid_without_overlap():
    for dash in of_type("dashboard"):
        refs = {r["name"]: r for r in dash["references"]}
        cells: set[tuple[int, int]] = set()
        for panel in _panels(dash):
            assert set(panel) <= SAVED_PANEL_KEYS and "version" not in panel
            index, grid = panel["panelIndex"], panel["gridData"]
            assert set(grid) <= {"x", "y", "w", "h", "i", "sectionId"} and grid["i"] == index
            assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 48
            assert panel["panelRefName"] == f"panel_{index}"
            assert refs[f"{index}:panel_{index}"]["type"] == panel["type"]
            area = {
                (x, y)
                for x in range(grid["x"], grid["x"] + grid["w"])
                for y in range(grid["y"], grid["y"] + grid["h"])
            }
            assert not area & cells, f"{dash['id']}: panel {index} overlaps another"
            cells |= area


def test_options_list_controls_keep_their_data_view_in_a_reference():
    [dash] = [d for d in of_type("dashboard") if "controlGroupInput" in d["attributes"]]
    controls = ko.control_panels(dash)
    assert sorted(c["order"] for c in controls.values()) == list(range(len(controls)))
    refs = {r["name"]: r for r in dash["references"]}
    for control_id, control in controls.items():
        assert set(control) == {"type", "order", "grow", "width", "explicitInput"}
        assert control["width"] in {"small", "medium", "large"}
        state = control["explicitInput"]
        assert set(state) <= OPTIONS_LIST_STATE, control_id
        assert "dataViewId" not in state
        assert state["searchTechnique"] in {"prefix", "wildcard", "exact"}
        assert state["sort"]["by"] in {"_count", "_key"} and state["sort"]["direction"] in {"asc", "desc"}
        assert refs[f"controlGroup_{control_id}:optionsListDataView"]["type"] == "index-pattern"


def layer_reference_problems(map_obj: dict) -> list[str]:
    """Map layers whose data view is not the reference Kibana's extractor names for its position."""
    refs = {r["name"]: r for r in map_obj["references"]}
    problems = []
    for n, layer in enumerate(ko.map_layers(map_obj)):
        source = layer["sourceDescriptor"]
        name = source.get("indexPatternRefName")
        if "indexPatternId" in source or (name and name != f"layer_{n}_source_index_pattern"):
            problems.append(f"layer {n}: {name or source.get('indexPatternId')}")
        elif name and refs.get(name, {}).get("type") != "index-pattern":
            problems.append(f"layer {n}: no index-pattern reference {name}")
    return problems


def test_maps_match_the_stored_attributes_and_name_layer_data_views_by_position():
    for map_obj in of_type("map"):
        assert set(map_obj["attributes"]) <= MAP_ATTRIBUTES
        assert layer_reference_problems(map_obj) == []
        state = json.loads(map_obj["attributes"]["mapStateJSON"])
        assert set(state) <= {
            "adHocDataViews",
            "center",
            "filters",
            "query",
            "refreshConfig",
            "settings",
            "timeFilters",
            "zoom",
        }


def test_a_layer_named_for_another_position_is_caught():
    [map_obj] = of_type("map")
    layers = ko.map_layers(map_obj)
    layers[1], layers[2] = layers[2], layers[1]
    swapped = {**map_obj, "attributes": {**map_obj["attributes"], "layerListJSON": json.dumps(layers)}}
    assert layer_reference_problems(swapped) == [
        "layer 1: layer_2_source_index_pattern",
        "layer 2: layer_1_source_index_pattern",
    ]
