"""Story records computed from their articles: independent of arrival order and repetition, counts
and headlines as the contract says, valid against the JSON Schema and the mapping."""

from __future__ import annotations

import json

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.mappings import load_mapping
from pipeline.story_records import content, representative, story_document
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "schema" / "story-v1.schema.json").read_text())


def person(eid: str, name: str) -> dict:
    return {"id": eid, "name": name, "type": "person", "linked": True}


PLACE = {"id": "location/x", "name": "Xplace", "type": "location", "coordinates": {"lat": 18.0, "lon": 102.6}}
ARTICLES = [
    {
        "id": "a1",
        "title": "Two ministers meet in Xplace",
        "language": "en",
        "source": "one.example",
        "feed": "f1",
        "published_at": "2024-11-20T10:00:00+05:30",
        "story_date": "2024-11-20",
        "entities": [person("p/a", "Minister A"), person("p/b", "Minister B"), PLACE],
    },
    {
        "id": "a2",
        "title": "Minister A speaks",
        "language": "en",
        "source": "two.example",
        "feed": "f2",
        "published_at": "2024-11-20T06:00:00+00:00",
        "story_date": "2024-11-20",
        "entities": [person("p/a", "Minister A")],
    },
    {
        "id": "a3",
        "title": "दो मंत्रियों की मुलाकात",
        "language": "hi",
        "source": "three.example",
        "feed": "f1",
        "published_at": "2024-11-21T08:00:00+00:00",
        "story_date": "2024-11-21",
        "entities": [person("p/a", "Minister A"), person("p/b", "Minister B")],
    },
    {
        "id": "a4",
        "title": "Two ministers meet in Xplace (copy)",
        "language": "en",
        "source": "four.example",
        "published_at": "2024-11-22T00:00:00+00:00",
        "story_date": "2024-11-20",
        "duplicate_of": "a1",
        "entities": [person("p/a", "Minister A"), person("p/b", "Minister B"), PLACE],
    },
]


def test_counts_span_and_names_follow_the_contract():
    doc = story_document("s", ARTICLES)
    assert (doc["article_count"], doc["duplicate_count"]) == (3, 1)
    assert doc["article_ids"] == ["a1", "a2", "a3", "a4"]
    assert doc["languages"] == ["en", "hi"]
    assert doc["sources"] == ["four.example", "one.example", "three.example", "two.example"]
    assert doc["feeds"] == ["f1", "f2"]
    # 10:00+05:30 is 04:30 UTC: earlier than 06:00 UTC although the string sorts after it.
    assert (doc["first_seen"], doc["last_seen"]) == ("2024-11-20T10:00:00+05:30", "2024-11-22T00:00:00+00:00")
    assert doc["event_day"] == "2024-11-20"
    assert (doc["people_ids"], doc["people"]) == (["p/a", "p/b"], ["Minister A", "Minister B"])
    assert doc["location_ids"] == ["location/x"]
    assert doc["top_entities"][0] == {"id": "p/a", "name": "Minister A", "type": "person", "count": 4}
    assert doc["locations_geo"] == [{"lat": 18.0, "lon": 102.6}]


def test_headline_is_the_title_whose_entities_the_others_share_most_per_language_too():
    doc = story_document("s", ARTICLES)
    # a1 and its copy a4 share the most; the original wins over the duplicate.
    assert doc["headline"] == "Two ministers meet in Xplace"
    assert doc["headlines"] == {"en": "Two ministers meet in Xplace", "hi": "दो मंत्रियों की मुलाकात"}
    assert doc["headline_ids"] == {"en": "a1", "hi": "a3"}
    assert representative([{"id": "x", "title": "  "}]) is None


def test_a_story_without_articles_is_dissolved():
    doc = story_document("s", [])
    assert (doc["article_count"], doc["duplicate_count"], doc["article_ids"]) == (0, 0, [])
    assert "first_seen" not in doc and "headline" not in doc


@settings(max_examples=60, deadline=None)
@given(st.permutations(ARTICLES), st.lists(st.sampled_from(range(len(ARTICLES))), max_size=6))
def test_the_document_does_not_depend_on_arrival_order_or_repeats(order, repeats):
    arrived = list(order) + [ARTICLES[i] for i in repeats]
    assert story_document("s", arrived) == story_document("s", ARTICLES)


def test_content_ignores_only_the_sequence_number_and_update_time():
    doc = story_document("s", ARTICLES)
    assert content({**doc, "ingest_seq": 5, "updated_at": "2024-01-01T00:00:00Z"}) == doc
    assert content({**doc, "article_count": 9}) != doc


def test_documents_match_the_schema_and_the_mapping_knows_every_field():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for doc in (story_document("s", ARTICLES), story_document("gone", [])):
        stored = {**doc, "ingest_seq": 7, "updated_at": "2026-01-01T00:00:00.000+00:00"}
        assert [e.message for e in validator.iter_errors(stored)] == []
    mapping = load_mapping("stories-v1")
    assert mapping["dynamic"] == "strict"
    assert set(mapping["properties"]) == set(SCHEMA["properties"])
    interface = (
        "story_id schema_version headline headlines first_seen last_seen event_day article_count "
        "duplicate_count languages sources feeds people locations organizations events people_ids "
        "location_ids organization_ids event_ids top_entities locations_geo article_ids ingest_seq updated_at"
    )
    assert set(interface.split()) <= set(mapping["properties"])
    assert mapping["properties"]["top_entities"] == {"type": "object", "enabled": False}
    assert mapping["properties"]["headline"]["fields"]["keyword"]["type"] == "keyword"
