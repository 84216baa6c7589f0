"""The CLI's default Elasticsearch (the node `scripts/elasticsearch.sh` runs) and index-prefix checks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.__main__ import main
from pipeline.settings import DEFAULT_ES_URL, LOCAL_NODE_SCRIPT, Settings, SettingsError, local_node_url


@pytest.fixture
def node_env(tmp_path: Path):
    """An environment whose `scripts/elasticsearch.sh` folder is this test's own, and that folder."""
    env = {k: v for k, v in os.environ.items() if k != "ES_URL"}
    env["ES_CACHE_DIR"] = str(tmp_path / "cache")
    node = Path(
        subprocess.run(
            ["bash", str(LOCAL_NODE_SCRIPT), "dir"], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    yield env, node
    if not node.is_relative_to(tmp_path):  # the script's private folder under /var/tmp (root)
        shutil.rmtree(node, ignore_errors=True)


def _write_run_files(node: Path, pid: int, url: str) -> None:
    run = node / "run"
    run.mkdir(parents=True, exist_ok=True)
    (run / "es.pid").write_text(f"{pid}\n")
    (run / "url").write_text(f"{url}\n")


def test_cli_settings_use_the_node_the_script_reports_running(node_env):
    env, node = node_env
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _write_run_files(node, alive.pid, "http://127.0.0.1:49321")
        assert local_node_url(env) == "http://127.0.0.1:49321"
        assert Settings.from_env(env, find_local_node=True).es_url == "http://127.0.0.1:49321"
        # Only the CLI looks for the node; others (DAGs, tests) keep the plain default.
        assert Settings.from_env(env).es_url == DEFAULT_ES_URL
        # ES_URL, when set, always wins.
        assert Settings.from_env({**env, "ES_URL": "http://10.1.2.3:9200"}, find_local_node=True).es_url == (
            "http://10.1.2.3:9200"
        )
    finally:
        alive.kill()
        alive.wait()


def test_no_running_node_means_the_default(node_env):
    env, node = node_env
    assert local_node_url(env) is None  # no run files at all
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _write_run_files(node, dead.pid, "http://127.0.0.1:49322")  # a stale pid file: the node is gone
    assert local_node_url(env) is None
    assert Settings.from_env(env, find_local_node=True).es_url == DEFAULT_ES_URL


@pytest.mark.parametrize(
    "prefix",
    [
        "_all",
        "x*",
        "a,b",
        "-news",
        "+news",
        ".news",
        "News",
        "news?",
        "news news",
        "a/b",
        "a#b",
        "a:b",
        "a" * 101,
        "*",
    ],
)
def test_unsafe_index_prefixes_are_refused_before_any_request(prefix):
    with pytest.raises(SettingsError, match="BORDER_INDEX_PREFIX"):
        Settings.from_env({"BORDER_INDEX_PREFIX": prefix, "ES_URL": "http://127.0.0.1:9"})


@pytest.mark.parametrize("prefix", ["border-news", "bwtest-0a1b2c", "news_2026.v2", "p"])
def test_usual_prefixes_pass(prefix):
    assert Settings.from_env({"BORDER_INDEX_PREFIX": prefix}).index("raw") == f"{prefix}-raw"


def test_cli_reports_a_bad_prefix_in_one_line(monkeypatch, capsys):
    # ES_URL points nowhere: a request would fail differently (connection refused), not with this.
    monkeypatch.setenv("ES_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("BORDER_INDEX_PREFIX", "_all")
    assert main(["search", "border"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: BORDER_INDEX_PREFIX='_all'") and "Traceback" not in err
