"""The article index on the real cluster: template, versions behind aliases, strict mapping,
ingest sequence, and the JSON Schema checked against documents read back from Elasticsearch."""

from __future__ import annotations

import json

import jsonschema

from pipeline import index
from tests.conftest import ROOT
from tests.integration.articles import numbered_articles, seed_articles

SCHEMA = json.loads((ROOT / "schema" / "article-v1.schema.json").read_text())


def test_first_use_creates_v1_behind_the_read_and_write_aliases(es, settings):
    name = index.ensure_main_index(es, settings)
    assert name == f"{settings.index_prefix}-v1"
    aliases = es.indices.get_alias(index=name)[name]["aliases"]
    assert aliases == {settings.read_alias: {}, settings.write_alias: {"is_write_index": True}}


def test_template_gives_every_versioned_index_the_contract_mapping(es, settings):
    index.ensure_main_index(es, settings)
    es.indices.create(index=f"{settings.index_prefix}-v7")  # no body: the template alone maps it
    mapping = es.indices.get_mapping(index=f"{settings.index_prefix}-v7")[f"{settings.index_prefix}-v7"][
        "mappings"
    ]
    assert mapping["dynamic"] == "strict"
    assert set(mapping["properties"]) == set(index.ARTICLE_MAPPING["properties"])


def test_this_cluster_lacks_language_analyzers_so_title_falls_back_to_standard(es, settings):
    name = index.ensure_main_index(es, settings)
    mapping = es.indices.get_mapping(index=name)[name]["mappings"]
    assert index.available_analyzers(es) == []
    assert mapping["properties"]["title"]["fields"] == {"raw": {"type": "keyword", "ignore_above": 512}}
    assert mapping["_meta"]["language_analyzers"] == []


def test_a_document_with_an_unknown_field_is_refused_and_reported(es, settings):
    index.ensure_main_index(es, settings)
    report = index.bulk_index(es, settings.write_alias, [("x1", {"id": "x1", "text": "t", "colour": "red"})])
    assert report.ok == 0
    assert [f["id"] for f in report.failed] == ["x1"]
    assert report.failed[0]["error"]["type"] == "strict_dynamic_mapping_exception"


def test_indexing_assigns_increasing_ingest_seq_and_a_rerun_changes_nothing(es, settings):
    articles = numbered_articles("a", 4)
    first = index.index_articles(es, settings, articles)
    again = index.index_articles(es, settings, articles)
    hits = es.search(index=settings.read_alias, sort=[{"ingest_seq": "asc"}])["hits"]["hits"]
    assert (first.created, again.noop, again.created, again.updated) == (4, 4, 0, 0)
    assert [(h["_id"], h["_source"]["ingest_seq"]) for h in hits] == [
        ("a-0", 1),
        ("a-1", 2),
        ("a-2", 3),
        ("a-3", 4),
    ]


def test_a_changed_article_is_reindexed_with_the_next_ingest_seq(es, settings):
    articles = numbered_articles("a", 3)
    index.index_articles(es, settings, articles)
    report = index.index_articles(es, settings, [articles[1].replace(title="Corrected title")])
    doc = es.get(index=settings.read_alias, id="a-1")["_source"]
    assert (report.updated, doc["title"], doc["ingest_seq"]) == (1, "Corrected title", 4)


def test_indexed_seed_documents_read_back_from_elasticsearch_match_the_json_schema(es, settings):
    articles = seed_articles()
    written = set().union(*(index.article_document(a)[1] for a in articles)) | {"ingest_seq"}
    report = index.index_articles(es, settings, articles)
    assert (report.created, report.failed) == (5, [])
    hits = es.search(index=settings.read_alias, size=100)["hits"]["hits"]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = {h["_id"]: [e.message for e in validator.iter_errors(h["_source"])] for h in hits}
    fields = set().union(*(h["_source"] for h in hits))
    assert len(hits) == 5
    assert errors == {h["_id"]: [] for h in hits}
    assert fields == written  # every field written is read back, and nothing else
    # processed documents, not bare ones: the schema was checked on what the stages really produce
    assert {
        "people",
        "people_ids",
        "locations",
        "entity_ids",
        "dates_mentioned",
        "story_id",
        "minhash_bands",
        "content_hash",
        "published_at",
        "ingest_seq",
        "language",
    } <= fields


def test_json_schema_refuses_a_document_with_a_field_outside_the_contract(es, settings):
    index.index_articles(es, settings, numbered_articles("a", 1))
    doc = es.get(index=settings.read_alias, id="a-0")["_source"]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert [e.validator for e in validator.iter_errors({**doc, "colour": "red"})] == ["additionalProperties"]


def test_init_index_command_creates_v1_behind_the_aliases_and_says_which_analyzers(
    es, settings, monkeypatch, capsys
):
    from pipeline.__main__ import main

    monkeypatch.setenv("ES_URL", settings.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix)
    assert main(["init-index"]) == 0
    p = settings.index_prefix
    assert capsys.readouterr().out == (
        f"{p} (read) and {p}-write (write) -> {p}-v1; "
        "language sub-fields: none (this cluster has no english/hindi analyzers)\n"
    )
    assert sorted(es.indices.get_alias(name=settings.read_alias)) == [f"{p}-v1"]


def _shape(mapping: dict) -> tuple:
    """What a created index keeps of a mapping: dynamic and enabled (Elasticsearch gives booleans
    back as strings) and the field names."""
    flags = tuple(None if mapping.get(k) is None else str(mapping[k]).lower() for k in ("dynamic", "enabled"))
    return (*flags, sorted(mapping.get("properties", {})))


def test_every_mapping_file_creates_an_index_on_the_real_cluster_as_written(es, settings):
    from pipeline import mappings

    created = {}
    for name in mappings.mapping_names():
        mapping = mappings.load_mapping(name)
        if name.startswith("v") or "-v" in name:  # article-like: drop analyzers this cluster lacks
            mapping = index.mapping_for_cluster(mapping, index.available_analyzers(es))
        target = f"{settings.index_prefix}-mapping-{name}"
        es.indices.create(index=target, mappings=mapping, settings=index.INDEX_SETTINGS)
        stored = es.indices.get_mapping(index=target)[target]["mappings"]
        created[name] = _shape(stored)
    assert created == {name: _shape(mappings.load_mapping(name)) for name in mappings.mapping_names()}
