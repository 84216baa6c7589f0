"""Kibana objects against the real mappings (read back from Elasticsearch), and the import command
against a real HTTP server on 127.0.0.1 that checks the request shape of Kibana's import API (a test
server, not a Kibana)."""

from __future__ import annotations

import email.parser
import email.policy
import json

import pytest

from pipeline import index, kibana
from pipeline.__main__ import main
from pipeline.mappings import DATA_DIR, load_mapping
from tests import kibana_objects as ko
from tests.integration.receiver import Receiver

OBJECTS = kibana.load_objects()
N = len(OBJECTS)


def _real_types(es, name: str) -> dict[str, dict]:
    return ko.field_types(es.indices.get_mapping(index=name)[name]["mappings"])


def _check(es, view_id: str, index_name: str, expected: int) -> None:
    view = next(o for o in OBJECTS if o["id"] == view_id)
    types = ko.with_runtime_fields(_real_types(es, index_name), view)
    on_view = ko.objects_on(OBJECTS, view_id)
    assert len(on_view) == expected
    assert ko.field_problems(on_view, view_id, types) == []


def test_every_field_the_article_objects_use_exists_in_the_real_mapping(es, settings):
    name = index.ensure_main_index(es, settings)
    _check(es, "border-news-articles", name, 20)
    assert _real_types(es, name)["locations_geo"]["type"] == "geo_point"


def test_every_field_the_health_objects_use_exists_in_the_runs_and_dead_letter_indices(es, settings):
    index.ensure_index(es, settings.index("runs"), ko.index_mapping("runs"))
    index.ensure_index(es, settings.index("deadletter"), ko.index_mapping("deadletter"))
    _check(es, "border-news-runs", settings.index("runs"), 5)
    _check(es, "border-news-deadletter", settings.index("deadletter"), 3)


def test_every_field_the_story_objects_use_exists_in_the_real_stories_mapping(es, settings):
    if not (DATA_DIR / "mapping-stories-v1.json").exists():
        pytest.skip("the stories mapping is not on this branch yet (tests/test_kibana.py checks the list)")
    index.ensure_index(es, settings.index("stories-v1"), load_mapping("stories-v1"))
    _check(es, "border-news-stories", settings.index("stories-v1"), 3)


def _vis_agg(vis_id: str, field: str) -> dict:
    vis = next(o for o in OBJECTS if o["id"] == vis_id)
    return next(a for a in ko.attrs_json(vis, "visState")["aggs"] if a["params"].get("field") == field)


def test_the_places_tables_exclusion_leaves_out_countries_in_a_real_terms_aggregation(es, settings):
    name = index.ensure_main_index(es, settings)
    for n, places in enumerate((["India", "Ladakh"], ["China", "Galwan Valley"], ["Ladakh", "Russia"])):
        es.index(index=name, id=str(n), document={"locations": places})
    es.indices.refresh(index=name)
    for vis_id in ("border-news-top-places", "border-news-people-by-places"):
        exclude = _vis_agg(vis_id, "locations")["params"]["exclude"]
        answer = es.search(
            index=name, size=0, aggs={"places": {"terms": {"field": "locations", "exclude": exclude}}}
        )
        buckets = {b["key"]: b["doc_count"] for b in answer["aggregations"]["places"]["buckets"]}
        assert buckets == {"Ladakh": 2, "Galwan Valley": 1}


def _parse_multipart(received) -> list:
    head = f"Content-Type: {received.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + received.body)
    return list(message.iter_parts())


def test_import_command_posts_one_multipart_ndjson_file_with_the_kbn_xsrf_header(monkeypatch, capsys):
    monkeypatch.setenv("BORDER_INDEX_PREFIX", "news-x")
    monkeypatch.setenv("KIBANA_USERNAME", "elastic")
    monkeypatch.setenv("KIBANA_PASSWORD", "pw")
    with Receiver(
        lambda n, path, headers, body: (200, json.dumps({"success": True, "successCount": N}).encode())
    ) as kibana_server:
        code = main(["kibana-import", "--url", kibana_server.url(), "--space", "analysts"])
    [request] = kibana_server.received
    [part] = _parse_multipart(request)
    sent = [json.loads(line) for line in part.get_content().decode().splitlines()]
    assert code == 0
    assert request.path == "/s/analysts/api/saved_objects/_import?overwrite=true"
    assert request.headers["kbn-xsrf"] == "border-watch"
    assert request.headers["authorization"] == "Basic ZWxhc3RpYzpwdw=="
    assert (part.get_param("name", header="content-disposition"), part.get_filename()) == (
        "file",
        "border-news.ndjson",
    )
    assert [o["id"] for o in sent] == [o["id"].replace("border-news", "news-x", 1) for o in OBJECTS]
    assert sent == kibana.for_prefix(OBJECTS, "news-x")
    assert sorted(o["attributes"]["title"] for o in sent if o["type"] == "index-pattern") == [
        "news-x",
        "news-x-deadletter",
        "news-x-runs",
        "news-x-stories",
    ]
    assert capsys.readouterr().out == f"imported {N} of {N} saved objects into {kibana_server.url()}\n"


def test_import_command_fails_and_lists_the_objects_kibana_refused(capsys):
    answer = {
        "success": False,
        "successCount": N - 1,
        "errors": [
            {
                "type": "dashboard",
                "id": "border-news-analysts-dashboard",
                "error": {"type": "missing_references"},
            }
        ],
    }
    with Receiver(lambda n, path, headers, body: (200, json.dumps(answer).encode())) as kibana_server:
        code = main(["kibana-import", "--url", kibana_server.url()])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out == [
        f"imported {N - 1} of {N} saved objects into {kibana_server.url()}; 1 errors",
        "  dashboard/border-news-analysts-dashboard: {'type': 'missing_references'}",
    ]


def test_import_waits_while_kibana_is_still_starting():
    def starting(n, path, headers, body):
        return (
            (503, b"Kibana server is not ready yet")
            if n < 2
            else (200, json.dumps({"success": True, "successCount": N}).encode())
        )

    with Receiver(starting) as kibana_server:
        result = kibana.import_objects(kibana_server.url(), OBJECTS, wait_s=10)
    assert [r.status for r in kibana_server.received] == [503, 503, 200]
    assert (result.success, result.success_count) == (True, N)
