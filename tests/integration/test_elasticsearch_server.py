"""The cluster the tests use is a real Elasticsearch server, of the client's major version."""

from __future__ import annotations

import elasticsearch

from pipeline.index import bulk_index, ensure_index


def test_server_is_real_elasticsearch_of_the_clients_major_version(es):
    # The integ-test distribution has no `GET /` (es.info()/ping()); the nodes API tells the version.
    [node] = es.nodes.info(node_id="_local", metric="jvm")["nodes"].values()
    assert node["version"].split(".")[0] == elasticsearch.__versionstr__.split(".")[0]
    assert es.cluster.health(wait_for_status="yellow", timeout="10s")["status"] in ("green", "yellow")


def test_index_with_mapping_then_search_returns_the_document(es, settings):
    name = settings.index("probe")
    created = ensure_index(
        es,
        name,
        {"dynamic": "strict", "properties": {"title": {"type": "text"}, "lang": {"type": "keyword"}}},
    )
    assert created is True
    assert ensure_index(es, name, {"properties": {}}) is False
    mapping = es.indices.get_mapping(index=name)[name]["mappings"]
    assert mapping["properties"]["lang"] == {"type": "keyword"}
    report = bulk_index(
        es,
        name,
        [
            ("a", {"title": "Disengagement at Depsang and Demchok", "lang": "en"}),
            ("b", {"title": "गलवान घाटी", "lang": "hi"}),
        ],
        refresh="wait_for",
    )
    assert (report.ok, report.created, report.failed) == (2, 2, [])
    hits = es.search(index=name, query={"match": {"title": "depsang"}})["hits"]
    assert hits["total"]["value"] == 1
    assert hits["hits"][0]["_id"] == "a"
    hindi = es.search(index=name, query={"bool": {"filter": [{"term": {"lang": "hi"}}]}})["hits"]
    assert [h["_id"] for h in hindi["hits"]] == ["b"]


def test_strict_mapping_rejection_is_reported_per_item_not_dropped(es, settings):
    name = settings.index("strict")
    ensure_index(es, name, {"dynamic": "strict", "properties": {"title": {"type": "text"}}})
    report = bulk_index(
        es, name, [("ok", {"title": "fine"}), ("bad", {"title": "x", "unknown": 1})], refresh="wait_for"
    )
    assert report.ok == 1
    assert [f["id"] for f in report.failed] == ["bad"]
    assert report.failed[0]["error"]["type"] == "strict_dynamic_mapping_exception"
    assert report.failed[0]["doc"] == {"title": "x", "unknown": 1}
