"""Secrets: Elasticsearch credentials from an Airflow connection or the environment, never printed,
never committed."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from airflow.sdk import Connection
from border_news_hook import BorderNewsHook, es_settings_from_connection

from pipeline.settings import Settings
from tests.conftest import ROOT


def test_api_key_and_tls_options_come_from_the_connection():
    conn = Connection(
        conn_id="border_news_es",
        conn_type="elasticsearch",
        host="es.example.org",
        schema="https",
        port=9243,
        extra=json.dumps(
            {"api_key": "a2V5OnNlY3JldA==", "verify_certs": False, "ca_certs": "/etc/ssl/es-ca.pem"}
        ),
    )
    s = es_settings_from_connection(conn, Settings(index_prefix="p"))
    assert (
        s.es_url,
        s.es_api_key,
        s.es_username,
        s.es_password,
        s.es_verify_certs,
        s.es_ca_certs,
        s.index_prefix,
    ) == ("https://es.example.org:9243", "a2V5OnNlY3JldA==", None, None, False, "/etc/ssl/es-ca.pem", "p")


def test_basic_auth_comes_from_login_and_password_and_tls_is_verified_by_default():
    conn = Connection(
        conn_id="border_news_es",
        conn_type="elasticsearch",
        host="https://es.internal:9200/",
        login="ingest",
        password="correct horse",
    )
    s = es_settings_from_connection(conn, Settings())
    assert (s.es_url, s.es_username, s.es_password, s.es_api_key, s.es_verify_certs) == (
        "https://es.internal:9200",
        "ingest",
        "correct horse",
        None,
        True,
    )


def test_the_hook_takes_elasticsearch_from_the_connection_and_the_rest_from_the_environment(monkeypatch):
    env = {"ES_URL": "http://wrong-cluster:9200", "BORDER_INDEX_PREFIX": "p", "ES_USERNAME": "env-user"}
    monkeypatch.setenv(
        "AIRFLOW_CONN_BORDER_NEWS_ES",
        json.dumps({"conn_type": "elasticsearch", "host": "http://es.internal:9201", "login": "ingest"}),
    )
    s = BorderNewsHook(env=env).get_settings()
    assert (s.es_url, s.es_username, s.index_prefix) == ("http://es.internal:9201", "ingest", "p")
    monkeypatch.delenv("AIRFLOW_CONN_BORDER_NEWS_ES")
    s = BorderNewsHook(env=env).get_settings()
    assert (s.es_url, s.es_username, s.index_prefix) == ("http://wrong-cluster:9200", "env-user", "p")


def test_pipeline_imports_nothing_of_airflow():
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in sorted((ROOT / "pipeline").rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*(from|import)\s+airflow\b", line)
    ]
    assert found == []


def test_dags_import_only_the_hook_airflow_and_the_pipeline():
    found = []
    for p in sorted((ROOT / "dags").glob("*.py")):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            m = re.match(r"\s*(?:from\s+(\S+)\s+import|import\s+(\S+))", line)
            module = m and (m.group(1) or m.group(2))
            if module and module.split(".")[0] not in {
                "__future__",
                "datetime",
                "airflow",
                "border_news_hook",
                "pipeline",
            }:
                found.append(f"{p.name}:{n}: {module}")
            if "Settings" in line or "index.client" in line:
                found.append(f"{p.name}:{n}: Elasticsearch or settings not through the hook")
    assert found == []


def test_repr_hides_password_api_key_and_url_credentials():
    s = Settings(
        es_url="https://elastic:pw-in-url@es:9200",
        es_username="elastic",
        es_password="s3cret-pw",
        es_api_key="KEY-abcdef",
    )
    shown = repr(s) + str(s)
    assert (
        "s3cret-pw" in shown,
        "KEY-abcdef" in shown,
        "pw-in-url" in shown,
        "https://***@es:9200" in shown,
    ) == (False, False, False, True)


def test_redact_removes_every_secret_from_a_message():
    s = Settings(es_password="s3cret-pw", es_api_key="KEY-abcdef")
    assert (
        s.redact("auth s3cret-pw / ApiKey KEY-abcdef at http://u:p@h/")
        == "auth *** / ApiKey *** at http://***@h/"
    )


def test_cli_error_does_not_print_the_api_key_or_password(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "ES_URL": "http://elastic:url-secret@127.0.0.1:9",
        "ES_API_KEY": "api-key-secret-value",
        "ES_PASSWORD": "password-secret-value",
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "summary"], capture_output=True, text=True, env=env, timeout=120
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert [s for s in ("api-key-secret-value", "password-secret-value", "url-secret") if s in output] == []


# Literal credentials in tracked files: a secret-named key given a quoted literal value (any file), or an
# unquoted one in configuration files; ${VAR} / {{ }} references and placeholders are fine.
_KEY = r"(?<![a-z])(?:password|passwd|api[_-]?key|secret|token)(?![a-z])[\"']?\s*[:=]\s*"
_QUOTED_SECRET = re.compile(_KEY + r"""(["'])(?!\$\{|\{\{|<)([^"'\s]{6,})\1""", re.I)
_UNQUOTED_SECRET = re.compile(_KEY + r"""(?!\$|\{\{|["'<]|none\b|null\b)([^\s"',}#]{6,})""", re.I)
_SECRET_SHAPES = re.compile(
    r"-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----|AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{36}"
)
_CONFIG_FILES = (".yaml", ".yml", ".env", ".ini", ".cfg", ".toml", ".conf", ".sh")


def test_no_secret_is_committed_outside_tests_and_benchmarks():
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = []
    for name in files:
        if name.startswith(("tests/", "benchmarks/")) or name.endswith(
            (".xml", ".txt", ".json", ".png", ".md")
        ):
            continue
        path = ROOT / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        patterns = [_QUOTED_SECRET, _SECRET_SHAPES] + (
            [_UNQUOTED_SECRET] if name.endswith(_CONFIG_FILES) else []
        )
        for m in (m for p in patterns for m in p.finditer(text)):
            line = text[: m.start()].count("\n") + 1
            found.append(f"{name}:{line}: {m.group(0)[:60]}")
    assert found == []
