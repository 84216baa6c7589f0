"""The "Border news" Airflow UI plugin, for real: the Airflow API server on 127.0.0.1 serves the view,
headless Chromium opens it inside the Airflow UI, and the page shows what Elasticsearch holds: the
cluster of the Airflow connection `border_news_es`, not the one the environment names. The page and its
API are behind Airflow's authentication (the simple auth manager with one viewer user): anonymous
requests are refused, the logged-in viewer sees them."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SEEDS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def feeds_with_history(settings, es, http_server):
    """One good and one failing feed fetched through the real ingest code, and two run records."""
    from pipeline import runs
    from pipeline.feeds import FeedConfig
    from pipeline.ingest import ingest_feed

    good = FeedConfig(name="seeds-feed", url=http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes()))
    bad = FeedConfig(
        name="broken-feed", url=http_server.add("/broken.xml", "down", status=503, content_type="text/plain")
    )
    assert ingest_feed(es, settings, good, run_id="run-1").new == 5
    assert ingest_feed(es, settings, bad, run_id="run-1").status == "failed"
    runs.write(
        es,
        settings,
        runs.RunSummary(
            run_id="run-1",
            started_at="2026-11-24T08:00:00+00:00",
            feeds_total=2,
            feeds_fetched=1,
            feeds_failed=1,
            entries_seen=5,
            new=5,
            indexed=5,
            dead_lettered=1,
        ),
    )
    runs.write(
        es,
        settings,
        runs.RunSummary(
            run_id="run-2",
            started_at="2026-11-24T08:05:00+00:00",
            feeds_total=2,
            feeds_not_modified=1,
            feeds_failed=1,
            dead_lettered=1,
        ),
    )
    return settings


VIEWER, VIEWER_PASSWORD = "operator", "a-test-password"


@pytest.fixture
def api_server(feeds_with_history, tmp_path):
    port = _free_port()
    passwords = tmp_path / "passwords.json"
    passwords.write_text(json.dumps({VIEWER: VIEWER_PASSWORD}))
    # Configured through the Airflow connection alone: ES_URL names a port where nothing listens.
    env = {
        **os.environ,
        "ES_URL": f"http://127.0.0.1:{_free_port()}",
        "AIRFLOW_CONN_BORDER_NEWS_ES": json.dumps(
            {"conn_type": "elasticsearch", "host": feeds_with_history.es_url}
        ),
        "BORDER_INDEX_PREFIX": feeds_with_history.index_prefix,
        "AIRFLOW__CORE__AUTH_MANAGER": (
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
        ),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{VIEWER}:viewer",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__CORE__LAZY_LOAD_PLUGINS": "False",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
    }
    log = (tmp_path / "api-server.log").open("wb")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "airflow"),
            "api-server",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"api-server exited: {(tmp_path / 'api-server.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/api/v2/monitor/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(1)
        else:
            pytest.fail("api-server did not answer within 120 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _subscribers_delivered_to(es, settings, monkeypatch, receiver_url) -> None:
    """Two subscriptions after one real delivery call: `desk` (its receiver accepts) and `refused`
    (its receiver answers 422 to everything: the documents are parked, the subscription unhealthy)."""
    from pipeline import secretbox, subscriptions, webhooks

    monkeypatch.setenv(secretbox.KEY_ENV, secretbox.new_key())
    secret = webhooks.new_secret()
    for name, path in (("desk", "/ok"), ("refused", "/no")):
        subscriptions.add_subscription(es, settings, name, receiver_url(path), secret, from_beginning=True)
    report = subscriptions.deliver_new(es, settings, backoff_s=0.01)
    assert (report.delivered, report.parked, report.unhealthy) == (1, 1, ["refused"]), report


def test_border_news_view_shows_feed_health_and_runs_in_the_airflow_ui(
    api_server, tmp_path, es, settings, monkeypatch
):
    # One indexed article from today names someone the gazetteer does not know.
    from datetime import UTC, datetime

    from pipeline.article import Article
    from pipeline.index import index_articles

    stranger = {
        "id": "unlinked/person/tara-rinchen",
        "name": "Tara Rinchen",
        "type": "person",
        "mentions": ["Tara Rinchen"],
        "linked": False,
    }
    assert (
        index_articles(
            es,
            settings,
            [
                Article(
                    input="view#1",
                    id="view-1",
                    title="Patrol",
                    text="t",
                    language="en",
                    published_at=datetime.now(UTC).isoformat(),
                    entities=[stranger],
                )
            ],
        ).failed
        == []
    )
    from tests.integration.receiver import Receiver

    with Receiver(lambda n, path, headers, body: (200, b"{}") if path == "/ok" else (422, b"no")) as receiver:
        _subscribers_delivered_to(es, settings, monkeypatch, receiver.url)
    # Anonymous requests, and one with a forged token, are refused; the viewer logs in for a token.
    for path in ("/border-news/", "/border-news/api/overview"):
        assert httpx.get(f"{api_server}{path}", timeout=10).status_code == 401
        forged = httpx.get(f"{api_server}{path}", headers={"Authorization": "Bearer x.y.z"}, timeout=10)
        assert forged.status_code in (401, 403)
    login = httpx.post(
        f"{api_server}/auth/token", json={"username": VIEWER, "password": VIEWER_PASSWORD}, timeout=10
    )
    assert login.status_code == 201
    token = login.json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    # The plugin is registered with the API server and its page renders the data from Elasticsearch.
    plugins = httpx.get(f"{api_server}/api/v2/plugins", headers=auth, timeout=10).json()["plugins"]
    view = next(p for p in plugins if p["name"] == "border_news_view")["external_views"][0]
    assert (view["name"], view["href"], view["url_route"]) == ("Border news", "border-news/", "border-news")
    overview = httpx.get(f"{api_server}/border-news/api/overview", headers=auth, timeout=10).json()
    feeds = {f["feed"]: f for f in overview["feeds"]}
    assert (feeds["seeds-feed"]["status"], feeds["seeds-feed"]["items_24h"]) == ("ok", 5)
    assert (feeds["broken-feed"]["status"], feeds["broken-feed"]["consecutive_failures"]) == ("failing", 1)
    assert "HTTP 503" in feeds["broken-feed"]["last_error"]
    assert [r["run_id"] for r in overview["runs"]] == ["run-2", "run-1"]
    assert [(n["name"], n["articles"], n["languages"]) for n in overview["new_names"]] == [
        ("Tara Rinchen", 1, {"en": 1})
    ]
    subs = {r["name"]: r for r in overview["subscriptions"]}
    assert {n: (r["status"], r["parked"]) for n, r in subs.items()} == {
        "desk": ("ok", 0),
        "refused": ("unhealthy", 1),
    }
    assert "HTTP 422" in subs["refused"]["last_error"] and subs["refused"]["last_http_status"] == 422
    assert not any("secret" in key or "url" in key for r in overview["subscriptions"] for key in r)

    # In headless Chromium, inside the Airflow UI (the external view is an iframe on /plugin/border-news).
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    try:
        # Anonymous in the browser: the page is refused.
        driver.get(f"{api_server}/border-news/")
        assert "Not authenticated" in driver.page_source and "headline" not in driver.page_source
        # Logged in: the session cookie the login sets (`_token`, the viewer's token).
        driver.add_cookie({"name": "_token", "value": token, "path": "/"})
        driver.get(f"{api_server}/plugin/border-news")
        frame = WebDriverWait(driver, 60).until(ec.presence_of_element_located((By.TAG_NAME, "iframe")))
        assert "Border news" in driver.page_source
        driver.switch_to.frame(frame)
        WebDriverWait(driver, 30).until(ec.presence_of_element_located((By.ID, "headline")))
        assert driver.find_element(By.ID, "headline").text.startswith("2 feeds, 1 failing")
        rows = {
            r.get_attribute("data-feed"): r.text
            for r in driver.find_elements(By.CSS_SELECTOR, "tr[data-feed]")
        }
        assert set(rows) == {"broken-feed", "seeds-feed"}
        assert "failing" in rows["broken-feed"] and "HTTP 503" in rows["broken-feed"]
        assert [
            r.get_attribute("data-run") for r in driver.find_elements(By.CSS_SELECTOR, "tr[data-run]")
        ] == ["run-2", "run-1"]
        assert "2026-11-24 08:05 UTC" in driver.find_element(By.CSS_SELECTOR, 'tr[data-run="run-2"]').text
        assert driver.find_element(By.ID, "subscriptions-headline").text == (
            "2 subscriptions, 1 unhealthy, 1 parked"
        )
        subscription_rows = {
            r.get_attribute("data-subscription"): r.text
            for r in driver.find_elements(By.CSS_SELECTOR, "tr[data-subscription]")
        }
        assert subscription_rows["refused"].startswith("refused unhealthy 1")
        assert subscription_rows["desk"].startswith("desk ok 0")
        names = driver.find_elements(By.CSS_SELECTOR, "tr[data-name]")
        assert [r.get_attribute("data-name") for r in names] == ["unlinked/person/tara-rinchen"]
        assert names[0].text.startswith("Tara Rinchen person 1 en: 1")
        driver.switch_to.default_content()
        shot = Path(os.environ.get("BORDER_SCREENSHOT_DIR") or tmp_path) / "border-news-view.png"
        assert driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
    finally:
        driver.quit()
