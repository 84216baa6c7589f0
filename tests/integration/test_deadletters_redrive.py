"""Re-driving dead letters for real (`python -m pipeline deadletters list|show|retry`): a processing
failure fixed and retried is indexed once, a failed feed fetch retried is fetched in full; both records
stay, resolved, with their history."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from pipeline import ingest, state
from pipeline.__main__ import main
from pipeline.article import Article
from pipeline.feeds import FeedConfig, parse_feed
from pipeline.process import Failure
from tests.conftest import SEEDS


@pytest.fixture
def cli(monkeypatch, settings, capsys):
    monkeypatch.setenv("ES_URL", settings.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix)

    def run(*argv: str) -> tuple[int, Any]:
        capsys.readouterr()
        code = main(["deadletters", *argv])
        out, err = capsys.readouterr()
        assert code == 0, err
        return code, json.loads(out) if "--json" in argv or argv[0] == "show" else out

    return run


class BrokenFor:
    """The real processing stages, except that the entities stage 'crashes' on one link (a bug that
    an operator then fixes)."""

    def __init__(self, inner: Any, link: str):
        self.inner, self.link, self.clusters = inner, link, inner.clusters

    def __call__(self, articles: Iterable[Article]) -> Iterator[Any]:
        articles = list(articles)
        results = iter(self.inner([a for a in articles if a.raw_url != self.link]))
        for a in articles:
            if a.raw_url == self.link:
                yield Failure(a.input, "entities", "RuntimeError: a bug in the stage", a)
            else:
                yield next(results)


def seed_entries() -> list[Article]:
    articles = parse_feed((SEEDS / "feed.xml").read_bytes(), feed_name="seeds")
    return [a.replace(fetched_at=ingest.now_iso()) for a in articles]


def indexed(es, settings) -> list[str]:
    es.indices.refresh(index=settings.read_alias)
    hits = es.search(index=settings.read_alias, size=100, source_includes=["url"])["hits"]["hits"]
    return sorted(h["_source"]["url"] for h in hits)


def test_a_processing_failure_fixed_and_retried_is_indexed_once_and_its_record_resolved(settings, es, cli):
    entries = seed_entries()
    bad = entries[2].raw_url
    ingest.store_raw(es, settings, entries)
    first = ingest.process_pending(es, settings, processor=BrokenFor(ingest.es_processor(es, settings), bad))
    assert (first.indexed, first.failed) == (4, 1)

    code, listed = cli("list", "--json", "--stage", "entities")
    assert code == 0 and [(r["stage"], r["status"], r["item"]) for r in listed] == [("entities", "open", bad)]
    record_id, raw_id = listed[0]["id"], listed[0]["raw_id"]
    assert raw_id and cli("list", "--json", "--stage", "fetch")[1] == []
    assert cli("show", record_id)[1]["input"]["raw_id"] == raw_id

    code, retried = cli("retry", record_id, "--json")
    assert code == 0 and [(r["id"], r["action"]) for r in retried] == [(record_id, "requeued")]
    assert cli("list", "--json")[1][0]["status"] == "retried"

    second = ingest.process_pending(es, settings)  # the fixed stages
    assert (second.indexed, second.failed) == (1, 0)
    urls = indexed(es, settings)
    assert len(urls) == len(set(urls)) == 5 and bad in [e.raw_url for e in entries]
    assert ingest.process_pending(es, settings).indexed == 0  # nothing left pending, nothing re-indexed

    assert cli("list", "--json")[1] == []  # off the list of unresolved records ...
    code, resolved = cli("list", "--json", "--status", "resolved")
    (rec,) = resolved  # ... but kept, with its history
    assert [h["event"] for h in rec["history"]] == ["retried", "resolved"]
    assert rec["retried_at"] <= rec["resolved_at"] and rec["retries"] == 1
    assert cli("retry", record_id, "--json")[1][0]["action"] == "skipped"  # resolved already


def test_a_failed_fetch_retried_is_fetched_in_full_and_its_record_resolved(settings, es, cli, http_server):
    body = (SEEDS / "feed.xml").read_bytes()
    mode = {"down": False}

    def feed(handler) -> tuple[int, dict[str, str], bytes]:
        if mode["down"]:
            return 500, {"Content-Type": "text/plain"}, b"upstream broken"
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'}, body

    url = http_server.add("/feed.xml", handler=feed)
    config = FeedConfig(name="seeds", url=url, allow_private_network=True)
    assert ingest.ingest_feed(es, settings, config).new == 5
    assert ingest.process_pending(es, settings).indexed == 5

    mode["down"] = True
    failed = ingest.ingest_feed(es, settings, config, final_attempt=True)
    assert (failed.status, failed.dead_lettered) == ("failed", 1)
    code, listed = cli("list", "--json", "--feed", "seeds", "--since", "1h")
    assert [(r["stage"], r["status"]) for r in listed] == [("fetch", "open")]

    mode["down"] = False
    code, retried = cli("retry", "--all-matching", "--stage", "fetch", "--feed", "seeds", "--json")
    assert code == 0 and [r["action"] for r in retried] == ["refetch"]
    assert state.load(es, settings, "seeds").etag is None  # the next fetch cannot be a 304

    again = ingest.ingest_feed(es, settings, config)
    assert (again.status, again.entries_seen, again.new) == ("fetched", 5, 0)
    assert "If-None-Match" not in http_server.requests[-1][1]
    assert cli("list", "--json")[1] == []
    (rec,) = cli("list", "--json", "--status", "all")[1]
    assert (rec["status"], [h["event"] for h in rec["history"]]) == ("resolved", ["retried", "resolved"])
    assert ingest.process_pending(es, settings).indexed == 0
    urls = indexed(es, settings)
    assert len(urls) == len(set(urls)) == 5


def test_a_failed_page_retried_after_the_site_is_back_is_fetched_indexed_once_and_resolved(
    settings, es, cli, http_server
):
    from tests.integration.test_page_attempt_cap import feed_xml

    page_html = (
        "<html><body><article><h1>Corps commanders meet on the LAC</h1><p>Indian and Chinese corps "
        "commanders met at Chushul-Moldo on the Line of Actual Control in eastern Ladakh and agreed to "
        "continue talks on disengagement at Depsang, the Indian Army said.</p></article></body></html>"
    )
    page = http_server.add("/news/talks.html", "down", status=503, content_type="text/html")
    config = FeedConfig(
        name="outlet",
        url=http_server.add("/feed.xml", feed_xml(page), headers={"ETag": '"f1"'}),
        allow_private_network=True,
    )
    assert ingest.ingest_feed(es, settings, config).deferred == 1
    (rec,) = cli("list", "--json", "--stage", "page")[1]
    assert rec["status"] == "open" and rec["raw_id"]

    http_server.add("/news/talks.html", page_html, content_type="text/html; charset=utf-8")
    assert [r["action"] for r in cli("retry", rec["id"], "--json")[1]] == ["refetch"]
    again = ingest.ingest_feed(es, settings, config)
    assert (again.new, again.pages_fetched, again.pages_failed) == (1, 1, 0)
    assert ingest.process_pending(es, settings).indexed == 1
    docs = [h["_source"] for h in es.search(index=settings.read_alias)["hits"]["hits"]]
    assert len(docs) == 1 and "body_source" not in docs[0] and "Depsang" in docs[0]["text"]
    (done,) = cli("list", "--json", "--status", "resolved")[1]
    assert done["id"] == rec["id"] and [h["event"] for h in done["history"]] == ["retried", "resolved"]
