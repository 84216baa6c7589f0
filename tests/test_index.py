"""The index contract as data: mapping file, JSON Schema, and the document builder (pure functions)."""

from __future__ import annotations

import dataclasses
import json

from pipeline.article import Article
from pipeline.index import (
    ARTICLE_MAPPING,
    RAW_ONLY_FIELDS,
    article_document,
    dates_mentioned,
    entity_fields,
    load_mapping,
    mapping_for_cluster,
)
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "schema" / "article-v1.schema.json").read_text())


def test_every_article_field_except_raw_only_ones_is_in_the_mapping():
    fields = {f.name for f in dataclasses.fields(Article)} - set(RAW_ONLY_FIELDS)
    assert fields - set(ARTICLE_MAPPING["properties"]) == set()


def test_json_schema_and_mapping_name_the_same_fields():
    assert set(SCHEMA["properties"]) == set(ARTICLE_MAPPING["properties"])


def test_mapping_refuses_unknown_fields():
    assert load_mapping(1)["dynamic"] == "strict"


def test_cluster_without_language_analyzers_gets_standard_title_and_text_only():
    mapping = mapping_for_cluster(load_mapping(1), [])
    assert mapping["properties"]["title"]["analyzer"] == "standard"
    assert set(mapping["properties"]["title"]["fields"]) == {"raw"}
    assert mapping["properties"]["text"]["fields"] == {}
    assert mapping["_meta"]["language_analyzers"] == []


def test_cluster_with_language_analyzers_gets_english_and_hindi_subfields():
    mapping = mapping_for_cluster(load_mapping(1), ["english", "hindi"])
    assert mapping["properties"]["text"]["fields"] == {
        "en": {"type": "text", "analyzer": "english"},
        "hi": {"type": "text", "analyzer": "hindi"},
    }
    assert mapping["_meta"]["language_analyzers"] == ["english", "hindi"]


def test_entities_are_split_into_flat_fields_by_type():
    entities = [
        {"id": "Q1", "name": "Rajnath Singh", "type": "person"},
        {"id": "Q2", "name": "Galwan Valley", "type": "LOCATION"},
        {"id": "Q3", "name": "People's Liberation Army", "type": "organization"},
        {"id": "Q2", "name": "Galwan Valley", "type": "location"},
        {"id": None, "name": "Galwan clash", "type": "event"},
    ]
    assert entity_fields(entities) == {
        "entity_ids": ["Q1", "Q2", "Q3"],
        "people": ["Rajnath Singh"],
        "people_ids": ["Q1"],
        "locations": ["Galwan Valley"],
        "location_ids": ["Q2"],
        "organizations": ["People's Liberation Army"],
        "organization_ids": ["Q3"],
        "events": ["Galwan clash"],
    }


def test_dates_mentioned_keeps_normalised_values_only():
    dates = [
        {"value": "2020-06-15"},
        {"value": "2020-06"},
        {"value": "last week"},
        {"value": None},
        {"value": "2020-06-15"},
    ]
    assert dates_mentioned(dates) == ["2020-06-15", "2020-06"]


def test_article_document_leaves_raw_fields_out_and_adds_flat_fields():
    article = Article(
        input="f#1",
        id="a1",
        raw_html="<p>x</p>",
        raw_title="X",
        text="x",
        language="hi",
        entities=[{"id": "Q9", "name": "Ladakh", "type": "location"}],
    )
    doc_id, doc = article_document(article)
    assert doc_id == "a1"
    assert doc == {
        "input": "f#1",
        "id": "a1",
        "text": "x",
        "language": "hi",
        "dates": [],
        "entities": [{"id": "Q9", "name": "Ladakh", "type": "location"}],
        "schema_version": 1,
        "entity_ids": ["Q9"],
        "locations": ["Ladakh"],
        "location_ids": ["Q9"],
    }
