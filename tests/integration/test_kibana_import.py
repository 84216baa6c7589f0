"""Kibana objects against the real mapping, and the import command against a real HTTP server on
127.0.0.1 that checks the request shape of Kibana's import API (a test server, not a Kibana)."""

from __future__ import annotations

import email.parser
import email.policy
import json

import pytest

from pipeline import index, kibana
from pipeline.__main__ import main
from tests.integration.receiver import Receiver

OBJECTS = kibana.load_objects()
AGGREGATABLE = {"keyword", "date", "long", "integer", "float", "double", "boolean"}


def _field_types(mapping: dict, prefix: str = "") -> dict[str, str]:
    """Every field path of a mapping (object properties and multi-fields) -> its type."""
    types = {}
    for name, spec in mapping.get("properties", {}).items():
        path = prefix + name
        types[path] = spec.get("type", "object")
        types.update(_field_types(spec, path + "."))
        for sub, sub_spec in spec.get("fields", {}).items():
            types[f"{path}.{sub}"] = sub_spec["type"]
    return types


def _objects_on(view_id: str) -> list[dict]:
    return [o for o in OBJECTS if o["id"] == view_id or kibana.data_view_of(o) == view_id]


def _check_fields(objects: list[dict], types: dict[str, str]) -> tuple[list[str], list[str]]:
    missing, not_aggregatable = [], []
    for obj in objects:
        for name in sorted(kibana.fields_used(obj)):
            if name not in types:
                missing.append(f"{obj['id']}: {name}")
        if obj["type"] == "visualization":
            for agg in json.loads(obj["attributes"]["visState"])["aggs"]:
                name = agg["params"].get("field")
                if name and types.get(name) not in AGGREGATABLE:
                    not_aggregatable.append(f"{obj['id']}: {name} ({types.get(name)})")
    return missing, not_aggregatable


def test_every_field_the_article_objects_use_exists_in_the_real_mapping(es, settings):
    name = index.ensure_main_index(es, settings)
    types = _field_types(es.indices.get_mapping(index=name)[name]["mappings"])
    objects = _objects_on("border-news-articles")
    assert len(objects) == 12
    assert _check_fields(objects, types) == ([], [])
    [places] = [o for o in objects if o["type"] == "map"]
    assert {name: types[name] for name in kibana.fields_used(places)} == {"locations_geo": "geo_point"}


def test_every_field_the_feed_health_objects_use_exists_in_the_runs_index(es, settings):
    runs = pytest.importorskip("pipeline.runs", reason="the runs index is defined on the ingest branch")
    index.ensure_index(es, settings.index("runs"), runs.MAPPING)
    types = _field_types(
        es.indices.get_mapping(index=settings.index("runs"))[settings.index("runs")]["mappings"]
    )
    objects = _objects_on("border-news-runs")
    assert len(objects) == 3
    assert _check_fields(objects, types) == ([], [])


def _parse_multipart(received) -> list:
    head = f"Content-Type: {received.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + received.body)
    return list(message.iter_parts())


def test_import_command_posts_one_multipart_ndjson_file_with_the_kbn_xsrf_header(monkeypatch, capsys):
    monkeypatch.setenv("BORDER_INDEX_PREFIX", "news-x")
    monkeypatch.setenv("KIBANA_USERNAME", "elastic")
    monkeypatch.setenv("KIBANA_PASSWORD", "pw")
    with Receiver(
        lambda n, path, headers, body: (200, b'{"success":true,"successCount":16}')
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
    assert [o["id"] for o in sent] == [o["id"] for o in OBJECTS]
    assert sorted(o["attributes"]["title"] for o in sent if o["type"] == "index-pattern") == [
        "news-x",
        "news-x-runs",
    ]
    assert capsys.readouterr().out == f"imported 16 of 16 saved objects into {kibana_server.url()}\n"


def test_import_command_fails_and_lists_the_objects_kibana_refused(capsys):
    answer = {
        "success": False,
        "successCount": 15,
        "errors": [
            {"type": "dashboard", "id": "border-news-dashboard", "error": {"type": "missing_references"}}
        ],
    }
    with Receiver(lambda n, path, headers, body: (200, json.dumps(answer).encode())) as kibana_server:
        code = main(["kibana-import", "--url", kibana_server.url()])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out == [
        f"imported 15 of 16 saved objects into {kibana_server.url()}; 1 errors",
        "  dashboard/border-news-dashboard: {'type': 'missing_references'}",
    ]


def test_import_waits_while_kibana_is_still_starting():
    def starting(n, path, headers, body):
        return (
            (503, b"Kibana server is not ready yet")
            if n < 2
            else (200, b'{"success":true,"successCount":16}')
        )

    with Receiver(starting) as kibana_server:
        result = kibana.import_objects(kibana_server.url(), OBJECTS, wait_s=10)
    assert [r.status for r in kibana_server.received] == [503, 503, 200]
    assert (result.success, result.success_count) == (True, 16)
