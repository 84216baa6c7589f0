"""The CLI without ES_URL talks to the node `scripts/elasticsearch.sh` runs (as after `make run`)."""

from __future__ import annotations

import pytest

from pipeline import deadletter
from pipeline.__main__ import main
from pipeline.settings import local_node_url


def test_the_cli_without_es_url_reaches_the_running_local_node(monkeypatch, settings, es, es_url, capsys):
    if local_node_url() != es_url:
        pytest.skip("the cluster under test is not one scripts/elasticsearch.sh runs (ES_URL set outside)")
    deadletter.record(es, settings, [deadletter.record_for("fetch", "HTTP 404", feed="f", item="http://x/")])
    monkeypatch.delenv("ES_URL", raising=False)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix)
    capsys.readouterr()
    assert main(["deadletters", "list"]) == 0
    out = capsys.readouterr().out
    assert "HTTP 404" in out and out.rstrip().endswith("1 records")
