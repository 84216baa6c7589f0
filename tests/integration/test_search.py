"""Search and the CLI commands over it (search, follow, subscriptions), on the real cluster."""

from __future__ import annotations

import json

import pytest

from pipeline import index
from pipeline.__main__ import main
from pipeline.article import Article
from pipeline.search import Filters, search
from tests.integration.articles import seed_articles

ARTICLES = [
    Article(
        input="f#0",
        id="a0",
        title="Rajnath Singh meets Dong Jun in Vientiane",
        text="Defence ministers discuss the LAC.",
        language="en",
        source="thehindu.com",
        published_at="2024-11-20T10:00:00+00:00",
        story_id="s1",
        entities=[
            {"id": "Q1", "name": "Rajnath Singh", "type": "person"},
            {"id": "Q2", "name": "Vientiane", "type": "location"},
        ],
    ),
    Article(
        input="f#1",
        id="a1",
        title="राजनाथ सिंह की डोंग जून से मुलाकात",
        text="रक्षा मंत्री ने एलएसी पर चर्चा की।",
        language="hi",
        source="bhaskar.com",
        published_at="2024-11-21T08:00:00+00:00",
        story_id="s1",
        entities=[{"id": "Q1", "name": "Rajnath Singh", "type": "person"}],
    ),
    Article(
        input="f#2",
        id="a2",
        title="Galwan anniversary",
        text="Troops remember the 2020 clash in the Galwan valley.",
        language="en",
        source="ndtv.com",
        published_at="2021-06-15T06:00:00+00:00",
        story_id="s2",
        entities=[{"id": "Q3", "name": "Galwan Valley", "type": "location"}],
    ),
]


@pytest.fixture
def indexed(es, settings, monkeypatch):
    index.index_articles(es, settings, ARTICLES)
    monkeypatch.setenv("ES_URL", settings.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix)
    monkeypatch.setenv("BORDER_ALLOW_PRIVATE_NETWORKS", "true")
    return settings


def test_free_text_finds_the_matching_article_with_a_highlight(es, indexed):
    result = search(es, indexed, Filters(query="Galwan clash"))
    assert [h["id"] for h in result.hits] == ["a2"]
    assert result.hits[0]["highlights"]["text"] == [
        "Troops remember the 2020 «clash» in the «Galwan» valley."
    ]


def test_hindi_text_is_searchable_in_devanagari(es, indexed):
    assert [h["id"] for h in search(es, indexed, Filters(query="मुलाकात")).hits] == ["a1"]


def test_filters_on_entity_name_language_story_and_date(es, indexed):
    assert [h["id"] for h in search(es, indexed, Filters(entities=("rajnath singh",))).hits] == ["a1", "a0"]
    assert [h["id"] for h in search(es, indexed, Filters(entities=("Q1",), languages=("en",))).hits] == ["a0"]
    assert [h["id"] for h in search(es, indexed, Filters(stories=("s2",))).hits] == ["a2"]
    assert [h["id"] for h in search(es, indexed, Filters(since="2024-01-01")).hits] == ["a1", "a0"]


def test_search_command_prints_title_outlet_date_language_and_entities(indexed, capsys):
    assert main(["search", "Vientiane"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:5] == [
        "1 articles in " + indexed.read_alias + ", showing 1",
        "",
        " 1. Rajnath Singh meets Dong Jun in «Vientiane»",
        "    thehindu.com | 2024-11-20T10:00:00+00:00 | en",
        "    people: Rajnath Singh",
    ]


def test_search_command_json_output_has_total_and_documents(indexed, capsys):
    assert main(["search", "--lang", "hi", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], [h["document"]["id"] for h in data["hits"]]) == (1, ["a1"])


def test_follow_command_prints_json_lines_and_resumes_from_the_cursor(es, indexed, capsys):
    assert main(["follow", "--until-idle", "--lang", "en"]) == 0
    first = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    index.index_articles(es, indexed, seed_articles()[:1])
    assert main(["follow", "--until-idle", "--cursor", first[-1]["cursor"]]) == 0
    rest = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    v1 = f"{indexed.index_prefix}-v1"
    assert [(c["cursor"], c["document"]["id"]) for c in first] == [(f"1@{v1}", "a0"), (f"3@{v1}", "a2")]
    assert [c["cursor"] for c in rest] == [f"4@{v1}"]


def test_subscriptions_commands_never_print_the_secret(indexed, capsys, monkeypatch):
    from pipeline import secretbox

    monkeypatch.setenv(secretbox.KEY_ENV, secretbox.new_key())  # secrets are sealed with it
    monkeypatch.setenv("BORDER_WEBHOOK_SECRET", "very-secret-value")
    assert main(["subscriptions", "add", "app", "http://127.0.0.1:9/hook", "--lang", "hi"]) == 0
    assert main(["subscriptions", "list"]) == 0
    assert main(["subscriptions", "list", "--json"]) == 0
    assert main(["subscriptions", "remove", "app"]) == 0
    out = capsys.readouterr().out
    assert "very-secret-value" not in out
    assert (
        out.splitlines()[0]
        == f"subscription app -> http://127.0.0.1:9/hook from cursor 3@{indexed.index_prefix}-v1"
    )
    assert out.splitlines()[-1] == "removed app"


def test_follow_command_with_a_consumer_name_resumes_where_it_stopped(es, indexed, capsys):
    assert main(["follow", "--until-idle", "--consumer", "app"]) == 0
    first = [json.loads(line)["document"]["id"] for line in capsys.readouterr().out.splitlines()]
    index.index_articles(es, indexed, seed_articles()[:1])
    assert main(["follow", "--until-idle", "--consumer", "app"]) == 0
    rest = [json.loads(line)["document"]["id"] for line in capsys.readouterr().out.splitlines()]
    assert (first, len(rest)) == (["a0", "a1", "a2"], 1)
    assert rest[0] not in first
