"""Issue 9's analyst steps on the seed feed, ingested as the ingest DAG does (feed on 127.0.0.1,
raw index, every processing stage with its Elasticsearch registries, the article index), then the
story records the ingest writes for the indexed articles."""

from __future__ import annotations

import json

import pytest

from pipeline import ingest
from pipeline.__main__ import main
from pipeline.feeds import FeedConfig
from pipeline.story_index import refresh_stories
from tests.conftest import SEEDS

RAJNATH = "person/rajnath-singh"


@pytest.fixture
def ingested(es, settings, http_server, monkeypatch):
    feed = FeedConfig(
        name="fixture-seeds", url=http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes())
    )
    ingest.ingest_feed(es, settings, feed)
    assert ingest.process_pending(es, settings).indexed == 5  # it also writes the story records
    hits = es.search(index=settings.read_alias, size=10, source=False)["hits"]["hits"]
    ids = sorted(h["_id"] for h in hits)
    assert refresh_stories(es, settings, [], article_ids=ids).written == 0  # they are up to date
    for name, value in (
        ("ES_URL", settings.es_url),
        ("BORDER_INDEX_PREFIX", settings.index_prefix),
        ("BORDER_ALLOW_PRIVATE_NETWORKS", "true"),
    ):
        monkeypatch.setenv(name, value)
    return ids


def cli_json(capsys, *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_hindi_spelling_finds_the_same_articles_as_the_english_one(ingested, capsys):
    english = cli_json(capsys, "search", "--entity", "Rajnath Singh")
    hindi = cli_json(capsys, "search", "--entity", "राजनाथ सिंह")
    ids = [h["id"] for h in english["hits"]]
    assert (english["total"], [h["id"] for h in hindi["hits"]]) == (4, ids)
    assert {h["document"]["language"] for h in hindi["hits"]} == {"en", "hi"}


def test_an_english_query_naming_two_people_finds_the_hindi_report_too_with_highlights(ingested, capsys):
    found = cli_json(capsys, "search", "Rajnath Singh Dong Jun")
    hindi = [h for h in found["hits"] if h["document"]["language"] == "hi"]
    assert hindi and all(RAJNATH in h["document"]["entity_ids"] for h in hindi)
    assert all("«" in " ".join(sum(h["highlights"].values(), [])) for h in found["hits"])
    english = [h["score"] for h in found["hits"] if h["document"]["language"] == "en"]
    assert min(english) > max(h["score"] for h in hindi)  # text and entity matches rank first


def listed_stories(capsys) -> tuple[list[dict], list[dict]]:
    listed = cli_json(capsys, "stories", "--since", "3650d")
    stories = listed["stories"]
    assert listed["total"] == len(stories)
    vientiane = [s for s in stories if "location/vientiane" in s["location_ids"]]
    dushanbe = [s for s in stories if "location/dushanbe" in s["location_ids"]]
    return vientiane, dushanbe


def test_stories_lists_the_vientiane_meeting_in_2_languages_and_the_dushanbe_meeting_apart(ingested, capsys):
    vientiane, dushanbe = listed_stories(capsys)
    assert [sorted(s["languages"]) for s in vientiane] == [["en", "hi"]]
    assert len(dushanbe) == 1 and dushanbe[0]["story_id"] != vientiane[0]["story_id"]
    story = cli_json(capsys, "search", "--story", vientiane[0]["story_id"])
    assert sorted(h["id"] for h in story["hits"]) == vientiane[0]["article_ids"]
    assert {h["document"]["language"] for h in story["hits"]} == {"en", "hi"}


@pytest.mark.xfail(
    strict=True,
    reason="stories stage: the NDTV preview (seed 004) prints '20 November' without a year and the feed "
    "gives it no date, so its event day is resolved against the fetch day (2026-11-20, not 2024-11-20) "
    "and it starts a story of its own: the Vientiane story has 3 articles, not 4",
)
def test_the_vientiane_story_has_all_4_reports_of_the_meeting(ingested, capsys):
    vientiane, _ = listed_stories(capsys)
    assert [(s["article_count"], sorted(s["languages"])) for s in vientiane] == [(4, ["en", "hi"])]


def test_stories_readable_refresh_and_follow_commands(ingested, capsys):
    assert main(["stories", "--lang", "hi", "--entity", "वांग यी"]) == 0
    readable = capsys.readouterr().out
    assert readable.splitlines()[0].startswith("2 stories in ")
    assert "search --story " in readable
    story_id = readable.split("search --story ")[1].split(")")[0]
    assert main(["search", "--story", story_id]) == 0
    assert capsys.readouterr().out.startswith(f"story {story_id}: ")
    assert main(["stories", "refresh", "--all"]) == 0
    assert json.loads(capsys.readouterr().out)["written"] == 0
    assert main(["stories", "follow", "--until-idle"]) == 0
    changes = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(changes) == 3 and [c["cursor"] for c in changes] == sorted(c["cursor"] for c in changes)
    assert main(["stories", "follow", "--until-idle", "--cursor", str(changes[-1]["cursor"])]) == 0
    assert capsys.readouterr().out == ""
