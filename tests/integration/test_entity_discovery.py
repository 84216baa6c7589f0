"""Entity discovery on the real cluster: the new contract fields (unlinked names, geo_point, sectors)
as Elasticsearch maps and queries them, `entities candidates` over articles that went through the
real ingest and processing code, and a promoted name that the reprocess run then links in history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest

from pipeline import discovery, entities, index
from pipeline.article import Article
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "schema" / "article-v1.schema.json").read_text())

# Articles written for these tests: names no gazetteer entry has, after a military title.
TEXTS = [
    (
        "en",
        "Patrols resume at Depsang",
        "Colonel Arvind Kesari, who commands the brigade near the LAC in eastern Ladakh, said on Monday that "
        "patrols had resumed at Depsang after the corps commander talks with the PLA.",
    ),
    (
        "en",
        "Buffer zones reviewed in eastern Ladakh",
        "Officials said Colonel Arvind Kesari briefed the delegation on buffer zones along the Line of "
        "Actual Control. The PLA has thinned its deployment near Galwan, the officials said.",
    ),
    (
        "hi",
        "पूर्वी लद्दाख में गश्त फिर शुरू",
        "चीनी सेना के साथ वार्ता के बाद कर्नल अरविंद केसरी ने कहा कि पूर्वी लद्दाख में वास्तविक नियंत्रण रेखा पर "
        "गश्त फिर शुरू हो गई है।",
    ),
]
OLD_TEXT = (
    "en",
    "Posts inspected near Yangtse",
    "Brigadier Meera Thapliyal inspected posts near Yangtse in Arunachal Pradesh, close to the LAC, "
    "after reports of PLA movement across the border.",
)


def _raw(n: int, lang_title_text: tuple[str, str, str], published: datetime) -> Article:
    _, title, text = lang_title_text
    return Article(
        input=f"discovery-test#{n}",
        feed="discovery-test",
        raw_url=f"https://news.example/border/{n}",
        source="news.example",
        raw_title=title,
        raw_text=text,
        published=published.isoformat(),
        fetched_at=datetime.now(UTC).isoformat(),
    )


@pytest.fixture
def indexed(es, settings):
    """Four articles through the real ingest code: stored raw, then processed and indexed; three from
    yesterday naming one unknown colonel (two in English, one in Hindi), one from 60 days ago."""
    from pipeline.ingest import process_pending, store_raw

    now = datetime.now(UTC)
    raws = [_raw(n, t, now - timedelta(days=1, hours=n)) for n, t in enumerate(TEXTS)]
    raws.append(_raw(9, OLD_TEXT, now - timedelta(days=60)))
    assert store_raw(es, settings, raws).failed == []
    outcome = process_pending(es, settings)
    assert (outcome.indexed, outcome.rejected, outcome.duplicates) == (4, 0, 0)
    return settings


@pytest.fixture
def gazetteer_copy(tmp_path):
    """The stages read a copy of the project's gazetteer for this test (the real file stays as it is)."""
    path = tmp_path / "gazetteer.yaml"
    shutil.copy(entities.GAZETTEER_PATH, path)
    saved = entities.GAZETTEER_PATH
    entities.GAZETTEER_PATH = path
    entities.gazetteer.cache_clear()
    try:
        yield path
    finally:
        entities.GAZETTEER_PATH = saved
        entities.gazetteer.cache_clear()


def _docs(es, settings) -> dict[str, dict]:
    es.indices.refresh(index=settings.read_alias)
    return {
        h["_source"]["title"]: h["_source"]
        for h in es.search(index=settings.read_alias, size=50)["hits"]["hits"]
    }


def test_new_fields_are_mapped_as_keyword_and_geo_point_and_answer_geo_queries(es, settings):
    places = [
        {
            "id": "location/west-post",
            "name": "West Post",
            "type": "location",
            "mentions": ["West Post"],
            "linked": True,
            "sector": "western",
            "kind": "pass",
            "coordinates": {"lat": 34.3, "lon": 78.1},
        },
        {
            "id": "location/east-post",
            "name": "East Post",
            "type": "location",
            "mentions": ["East Post"],
            "linked": True,
            "sector": "eastern",
            "coordinates": {"lat": 27.7, "lon": 91.8},
        },
    ]
    stranger = {
        "id": "unlinked/person/a-stranger",
        "name": "A Stranger",
        "type": "person",
        "mentions": ["A Stranger"],
        "linked": False,
    }
    articles = [
        Article(
            input="g#0",
            id="g-0",
            title="West",
            text="t",
            entities=[places[0], stranger],
            title_source="page",
            published_at_source="fetched",
            published_at="2026-11-30T10:00:00+00:00",
        ),
        Article(input="g#1", id="g-1", title="East", text="t", entities=[places[1]], title_source="lead"),
        Article(input="g#2", id="g-2", title="Both", text="t", entities=places, title_source="feed"),
    ]
    assert index.index_articles(es, settings, articles).failed == []
    name = index.current_index(es, settings)
    props = es.indices.get_mapping(index=name)[name]["mappings"]["properties"]
    assert {
        k: props[k]["type"]
        for k in ("unlinked_names", "unlinked_ids", "locations_geo", "sectors", "title_source")
    } == {
        "unlinked_names": "keyword",
        "unlinked_ids": "keyword",
        "locations_geo": "geo_point",
        "sectors": "keyword",
        "title_source": "keyword",
    }
    assert props["entities"]["properties"]["coordinates"]["type"] == "geo_point"

    def ids(query: dict) -> list[str]:
        return sorted(h["_id"] for h in es.search(index=settings.read_alias, query=query)["hits"]["hits"])

    near_west = {"lat": 34.2, "lon": 78.0}
    assert ids({"geo_distance": {"distance": "50km", "locations_geo": near_west}}) == ["g-0", "g-2"]
    # inside the `entities` object too: its points are indexed as one multi-valued geo_point
    assert ids({"geo_distance": {"distance": "50km", "entities.coordinates": near_west}}) == ["g-0", "g-2"]
    assert ids(
        {
            "geo_bounding_box": {
                "locations_geo": {"top_left": {"lat": 29, "lon": 90}, "bottom_right": {"lat": 26, "lon": 93}}
            }
        }
    ) == ["g-1", "g-2"]
    assert ids({"term": {"unlinked_names": "A Stranger"}}) == ["g-0"]
    assert ids({"term": {"title_source": "lead"}}) == ["g-1"]
    sectors = es.search(index=settings.read_alias, size=0, aggs={"s": {"terms": {"field": "sectors"}}})[
        "aggregations"
    ]["s"]
    assert {b["key"]: b["doc_count"] for b in sectors["buckets"]} == {"western": 2, "eastern": 2}
    grid = es.search(
        index=settings.read_alias,
        size=0,
        aggs={"g": {"geotile_grid": {"field": "locations_geo", "precision": 3}}},
    )
    assert sum(b["doc_count"] for b in grid["aggregations"]["g"]["buckets"]) == 4  # g-2 falls in two tiles

    validator = jsonschema.Draft202012Validator(SCHEMA)
    hits = es.search(index=settings.read_alias, size=10)["hits"]["hits"]
    assert {h["_id"]: [e.message for e in validator.iter_errors(h["_source"])] for h in hits} == {
        "g-0": [],
        "g-1": [],
        "g-2": [],
    }


def test_an_index_created_before_the_new_fields_gets_them_before_the_first_write(es, settings):
    # The index as the mapping file was before: without the discovery, geo and provenance fields.
    new_fields = {"unlinked_names", "unlinked_ids", "locations_geo", "sectors", "title_source"}
    old = index.load_mapping()
    old["properties"] = {k: v for k, v in old["properties"].items() if k not in new_fields}
    old["properties"]["entities"]["properties"] = {
        k: v
        for k, v in old["properties"]["entities"]["properties"].items()
        if k not in ("sector", "kind", "coordinates")
    }
    name = f"{settings.index_prefix}-v1"
    es.indices.create(index=name, mappings=index.mapping_for_cluster(old, []), settings=index.INDEX_SETTINGS)
    index.switch_aliases(es, settings, name)
    from pipeline import sequence

    sequence.ensure_counter(es, settings)
    place = {
        "id": "location/p",
        "name": "P",
        "type": "location",
        "linked": True,
        "sector": "middle",
        "coordinates": {"lat": 31.0, "lon": 79.5},
    }
    stranger = {"id": "unlinked/person/a-stranger", "name": "A Stranger", "type": "person", "linked": False}
    report = index.index_articles(
        es,
        settings,
        [Article(input="o#0", id="o-0", text="t", title_source="text", entities=[place, stranger])],
    )
    assert (report.created, report.failed) == (1, [])
    props = es.indices.get_mapping(index=name)[name]["mappings"]["properties"]
    assert new_fields <= set(props) and props["entities"]["properties"]["coordinates"]["type"] == "geo_point"
    doc = es.get(index=name, id="o-0")["_source"]
    assert (doc["sectors"], doc["unlinked_ids"]) == (["middle"], ["unlinked/person/a-stranger"])
    assert index.add_missing_fields(es, name) == []  # nothing left to add


def test_candidates_count_articles_languages_and_sightings_of_unlinked_names(es, indexed):
    rows = discovery.candidates(es, indexed)
    by_id = {r["id"]: r for r in rows}
    assert [r["id"] for r in rows][:1] == ["unlinked/person/arvind-kesari"]  # two articles: first
    kesari = by_id["unlinked/person/arvind-kesari"]
    assert (kesari["name"], kesari["type"], kesari["articles"], kesari["languages"], kesari["outlets"]) == (
        "Arvind Kesari",
        "person",
        2,
        {"en": 2},
        1,
    )
    assert kesari["mentions"] == ["Arvind Kesari"]
    assert len(kesari["examples"]) == 2 and kesari["first_seen"] < kesari["last_seen"]
    hindi = [r for r in rows if r["languages"] == {"hi": 1}]
    assert [r["mentions"] for r in hindi] == [["अरविंद केसरी"]]
    assert "unlinked/person/meera-thapliyal" in by_id

    recent = discovery.candidates(es, indexed, since="30d")
    assert "unlinked/person/meera-thapliyal" not in {r["id"] for r in recent}  # published 60 days ago
    assert {r["id"] for r in recent} < set(by_id)
    assert [r["languages"] for r in discovery.candidates(es, indexed, language="hi")] == [{"hi": 1}]
    assert discovery.candidates(es, indexed, entity_type="location") == []
    assert [r["id"] for r in discovery.candidates(es, indexed, size=1)] == ["unlinked/person/arvind-kesari"]


def test_candidates_command_prints_a_table_or_json(es, indexed, monkeypatch, capsys):
    from pipeline.__main__ import main

    monkeypatch.setenv("ES_URL", indexed.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", indexed.index_prefix)
    assert main(["entities", "candidates", "--since", "30d", "--type", "person", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == "unlinked/person/arvind-kesari" and rows[0]["articles"] == 2
    assert main(["entities", "candidates", "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"2 unlinked names in {indexed.read_alias}, most articles first"
    assert out[2].split()[:4] == ["2", "person", "Arvind", "Kesari"]


def test_a_promoted_name_is_linked_in_history_after_the_reprocess_run(es, indexed, gazetteer_copy):
    from pipeline.reprocess import reprocess

    before = {r["id"] for r in discovery.candidates(es, indexed)}
    assert "unlinked/person/arvind-kesari" in before
    # This process plays a long-lived worker that loaded the gazetteer before the analyst promoted the
    # name with the command, in another process.
    assert "person/arvind-kesari" not in entities.gazetteer().entities
    promoted = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "entities",
            "promote",
            "Arvind Kesari",
            "--type",
            "person",
            "--alias",
            "अरविंद केसरी",
            "--gazetteer",
            str(gazetteer_copy),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert promoted.returncode == 0, promoted.stderr
    assert "person/arvind-kesari" not in entities.gazetteer().entities  # the worker's copy is stale
    # promoting changes the gazetteer, not the index: the indexed articles still have the name unlinked
    assert {r["id"] for r in discovery.candidates(es, indexed)} == before

    report = reprocess(es, indexed)
    assert (report.raw, report.new_count) == (4, 4)

    docs = _docs(es, indexed)
    tagged = {
        title: [e for e in doc["entities"] if e["id"] == "person/arvind-kesari"]
        for title, doc in docs.items()
    }
    assert {
        title: [(e["linked"], e["mentions"]) for e in found] for title, found in tagged.items() if found
    } == {
        TEXTS[0][1]: [(True, ["Arvind Kesari"])],
        TEXTS[1][1]: [(True, ["Arvind Kesari"])],
        TEXTS[2][1]: [(True, ["अरविंद केसरी"])],
    }
    assert all("person/arvind-kesari" in docs[t[1]]["people_ids"] for t in TEXTS)
    assert [d.get("unlinked_names") for d in (docs[t[1]] for t in TEXTS)] == [None, None, None]
    after = {r["id"] for r in discovery.candidates(es, indexed)}
    assert after == {"unlinked/person/meera-thapliyal"}


def test_operators_view_lists_the_new_names_of_the_last_days(es, indexed, monkeypatch):
    pytest.importorskip("airflow")
    from plugins import border_news_view as view

    data = view.new_names(es, indexed)
    assert data["new_names_days"] == 7
    assert [(r["name"], r["articles"]) for r in data["new_names"]][:1] == [("Arvind Kesari", 2)]
    assert "unlinked/person/meera-thapliyal" not in {r["id"] for r in data["new_names"]}

    monkeypatch.setenv("ES_URL", indexed.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", indexed.index_prefix)
    overview = view._overview()
    assert overview["new_names"] == data["new_names"] and "feeds" in overview and "runs" in overview
    page = view.render(overview)
    assert 'data-name="unlinked/person/arvind-kesari"' in page and "New names (last 7 days)" in page
    assert "en: 2" in page
