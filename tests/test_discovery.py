"""Entity discovery without Elasticsearch: the flat entity fields of a document, and promoting a name
into a copy of the gazetteer (appended as text, validated before and after)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from pipeline import discovery, entities
from pipeline.article import Article
from pipeline.index import article_document, entity_fields

PLACE = {
    "id": "location/somewhere",
    "name": "Somewhere",
    "type": "location",
    "mentions": ["Somewhere"],
    "linked": True,
    "sector": "western",
    "coordinates": {"lat": 34.5, "lon": 78.25},
}
UNKNOWN = {
    "id": "unlinked/person/a-stranger",
    "name": "A Stranger",
    "type": "person",
    "mentions": ["A Stranger"],
    "linked": False,
}


def test_unlinked_names_and_ids_get_their_own_fields_besides_the_per_type_ones():
    fields = entity_fields([PLACE, UNKNOWN])
    assert fields["unlinked_names"] == ["A Stranger"]
    assert fields["unlinked_ids"] == ["unlinked/person/a-stranger"]
    assert fields["people"] == ["A Stranger"]  # still filterable as a person, as before
    assert fields["locations"] == ["Somewhere"]


def test_linked_places_give_points_and_sectors_unlinked_ones_and_other_types_do_not():
    org = {
        "id": "organization/x",
        "name": "X",
        "type": "organization",
        "linked": True,
        "sector": "eastern",
        "coordinates": {"lat": 1, "lon": 2},
    }
    stray = {**UNKNOWN, "type": "location", "coordinates": {"lat": 3, "lon": 4}, "sector": "middle"}
    fields = entity_fields([PLACE, org, stray, {**PLACE, "id": "location/again"}])
    assert fields["locations_geo"] == [{"lat": 34.5, "lon": 78.25}]  # one point per distinct place position
    assert fields["sectors"] == ["western"]


def test_entities_without_the_new_keys_give_no_geo_or_sector_fields():
    fields = entity_fields([{"id": "location/old", "name": "Old", "type": "location"}])
    assert "locations_geo" not in fields and "sectors" not in fields and "unlinked_ids" not in fields


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"lat": 34.5, "lon": 78.25}, {"lat": 34.5, "lon": 78.25}),
        ([34.5, 78.25], {"lat": 34.5, "lon": 78.25}),  # the gazetteer's [lat, lon] order, not GeoJSON's
        ({"lat": 95, "lon": 10}, None),
        ({"lat": "34", "lon": 78}, None),
        ([True, 1], None),
        (None, None),
    ],
)
def test_geo_point_accepts_lat_lon_dicts_and_pairs_in_range_only(value, expected):
    from pipeline.index import geo_point

    assert geo_point(value) == expected


def test_document_stores_entity_coordinates_as_lat_lon_objects_and_drops_invalid_ones():
    bad = {**PLACE, "id": "location/bad", "coordinates": {"lat": 200, "lon": 0}}
    pair = {**PLACE, "id": "location/pair", "coordinates": [30.0, 80.0]}
    article = Article(input="t#1", id="t1", text="x", entities=[PLACE, bad, pair], title_source="feed")
    _, doc = article_document(article)
    assert [e.get("coordinates") for e in doc["entities"]] == [
        {"lat": 34.5, "lon": 78.25},
        None,
        {"lat": 30.0, "lon": 80.0},
    ]
    assert "coordinates" not in doc["entities"][1]
    assert doc["locations_geo"] == [{"lat": 34.5, "lon": 78.25}, {"lat": 30.0, "lon": 80.0}]
    assert doc["title_source"] == "feed"


# --- promotion into a copy of the gazetteer
@pytest.fixture
def gazetteer_copy(tmp_path):
    path = tmp_path / "gazetteer.yaml"
    shutil.copy(entities.GAZETTEER_PATH, path)
    return path


def test_promote_appends_an_entry_that_loads_and_links_in_both_scripts(gazetteer_copy):
    original = gazetteer_copy.read_text(encoding="utf-8")
    result = discovery.promote(
        "Arvind Kesari", entity_type="person", aliases=["अरविंद केसरी", "Col Kesari"], path=gazetteer_copy
    )
    text = gazetteer_copy.read_text(encoding="utf-8")
    assert result.entity_id == "person/arvind-kesari"
    assert text == original + result.text  # appended: comments and layout of the file untouched
    assert (
        result.text == "- id: person/arvind-kesari\n  name: Arvind Kesari\n  type: person\n"
        "  aliases: [Arvind Kesari, अरविंद केसरी, Col Kesari]\n"
    )
    gaz = entities.load_gazetteer(gazetteer_copy)
    assert entities.resolve("अरविंद केसरी", gaz) == "person/arvind-kesari"
    found = entities.find_entities("Colonel Arvind Kesari met the brigade.", gaz)
    assert [(e["id"], e["linked"]) for e in found] == [("person/arvind-kesari", True)]


def test_promote_writes_a_place_with_coordinates_sector_and_kind_and_quotes_what_yaml_would_misread(
    gazetteer_copy,
):
    result = discovery.promote(
        "Lake Nowhere",
        entity_type="location",
        entity_id="location/lake-nowhere",
        aliases=["Nowhere: the lake", "1962"],
        coordinates=(33.75, 78.5),
        sector="western",
        kind="lake",
        path=gazetteer_copy,
    )
    entry = yaml.safe_load(result.text)[0]
    assert entry == {
        "id": "location/lake-nowhere",
        "name": "Lake Nowhere",
        "type": "location",
        "kind": "lake",
        "aliases": ["Lake Nowhere", "Nowhere: the lake", "1962"],
        "coordinates": [33.75, 78.5],
        "sector": "western",
    }
    assert "location/lake-nowhere" in entities.load_gazetteer(gazetteer_copy).entities


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"name": "Someone New", "entity_type": "person", "entity_id": "person/narendra-modi"},
            "id person/narendra-modi already exists",
        ),
        (
            {"name": "Someone New", "entity_type": "person", "aliases": ["Modi"]},
            "alias 'Modi' already belongs to person/narendra-modi",
        ),
        ({"name": "Singh", "entity_type": "person"}, "(weak alias)"),
        ({"name": "Some Pass", "entity_type": "location"}, "needs --coordinates"),
        (
            {"name": "Someone New", "entity_type": "person", "entity_id": "location/someone-new"},
            "expected person/<slug>",
        ),
        (
            {"name": "Someone New", "entity_type": "person", "entity_id": "person/Someone New"},
            "expected person/<slug>",
        ),
        ({"name": "Someone New", "entity_type": "ship"}, "type 'ship'"),
        (
            {"name": "A Place", "entity_type": "location", "coordinates": (30, 80), "sector": "northern"},
            "sector 'northern'",
        ),
    ],
)
def test_promote_refuses_and_leaves_the_file_unchanged(gazetteer_copy, kwargs, message):
    before = gazetteer_copy.read_bytes()
    with pytest.raises(discovery.PromotionError, match=None) as info:
        discovery.promote(**kwargs, path=gazetteer_copy)
    assert message in str(info.value)
    assert gazetteer_copy.read_bytes() == before
    assert [p.name for p in gazetteer_copy.parent.iterdir()] == ["gazetteer.yaml"]  # no temporary file left


def test_promote_refuses_a_file_that_does_not_end_in_its_entities_list(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(
        "entities:\n- id: person/a-b\n  name: A B\n  type: person\n  aliases: [A B]\nversion: 1\n"
    )
    with pytest.raises(discovery.PromotionError, match="does not end with its entities list|would break"):
        discovery.promote("C D", entity_type="person", path=path)
    assert path.read_text().endswith("version: 1\n")


@pytest.mark.parametrize("text, expected", [("34.5,78.25", (34.5, 78.25)), (" 27.6 , 91.9 ", (27.6, 91.9))])
def test_coordinates_are_read_as_lat_lon(text, expected):
    assert discovery.parse_coordinates(text) == expected


@pytest.mark.parametrize("text", ["34.5", "a,b", "91,10", "10,181"])
def test_bad_coordinates_are_refused(text):
    with pytest.raises(discovery.PromotionError):
        discovery.parse_coordinates(text)


def test_promote_command_appends_or_explains_why_not(gazetteer_copy, capsys):
    from pipeline.__main__ import main

    assert (
        main(
            [
                "entities",
                "promote",
                "Meera Thapliyal",
                "--type",
                "person",
                "--alias",
                "मीरा थपलियाल",
                "--gazetteer",
                str(gazetteer_copy),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "added person/meera-thapliyal" in out and "border_news_reprocess" in out
    assert (
        main(
            ["entities", "promote", "Meera Thapliyal", "--type", "person", "--gazetteer", str(gazetteer_copy)]
        )
        == 2
    )
    assert "not promoted: id person/meera-thapliyal already exists" in capsys.readouterr().err
    assert (
        main(
            [
                "entities",
                "promote",
                "Some Pass",
                "--type",
                "location",
                "--coordinates",
                "north",
                "--gazetteer",
                str(gazetteer_copy),
            ]
        )
        == 2
    )
    assert "expected LAT,LON" in capsys.readouterr().err


def test_missing_properties_are_whole_fields_and_missing_sub_fields_of_objects():
    from pipeline.index import missing_properties

    wanted = {
        "a": {"type": "keyword"},
        "b": {"type": "geo_point"},
        "o": {"type": "object", "properties": {"x": {"type": "keyword"}, "y": {"type": "geo_point"}}},
    }
    current = {"a": {"type": "keyword"}, "o": {"properties": {"x": {"type": "keyword"}}}}
    assert missing_properties(wanted, current) == {
        "b": {"type": "geo_point"},
        "o": {"properties": {"y": {"type": "geo_point"}}},
    }
    assert missing_properties(wanted, wanted) == {}
