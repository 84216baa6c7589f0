"""The stories index against the real Elasticsearch: exact after re-runs, a reprocess, out-of-order
arrival, a duplicate and a relabelled article; story changes follow the ingest sequence."""

from __future__ import annotations

import json

import jsonschema

from pipeline import index
from pipeline.story_index import (
    read_changes,
    refresh_all,
    refresh_stories,
    stories_alias,
)
from pipeline.story_records import content
from tests.conftest import ROOT
from tests.integration.articles import seed_articles

SCHEMA = json.loads((ROOT / "schema" / "story-v1.schema.json").read_text())


def stored(es, settings) -> dict[str, dict]:
    es.indices.refresh(index=stories_alias(settings))
    hits = es.search(index=stories_alias(settings), size=100)["hits"]["hits"]
    return {h["_id"]: h["_source"] for h in hits}


def shape(docs: dict[str, dict]) -> dict[str, tuple]:
    return {
        sid: (d["article_count"], d["duplicate_count"], tuple(d["languages"]), len(d["article_ids"]))
        for sid, d in docs.items()
    }


def index_and_refresh(es, settings, articles):
    index.index_articles(es, settings, articles)
    return refresh_stories(es, settings, {a.story_id for a in articles}, article_ids=[a.id for a in articles])


def test_seed_stories_are_exact_valid_and_a_rerun_writes_nothing(es, settings):
    seeds = seed_articles()
    first = index_and_refresh(es, settings, seeds)
    docs = stored(es, settings)
    by_story: dict[str, list] = {}
    for a in seeds:
        by_story.setdefault(a.story_id, []).append(a)
    assert shape(docs) == {
        sid: (len(arts), 0, tuple(docs[sid]["languages"]), len(arts)) for sid, arts in by_story.items()
    }
    assert {sid: set(d["languages"]) for sid, d in docs.items()} == {
        sid: {a.language for a in arts} for sid, arts in by_story.items()
    }
    for sid, arts in by_story.items():
        assert docs[sid]["article_ids"] == sorted(a.id for a in arts)
        assert docs[sid]["article_count"] == len(arts)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert {sid: [e.message for e in validator.iter_errors(d)] for sid, d in docs.items()} == {
        sid: [] for sid in docs
    }
    again = index_and_refresh(es, settings, seeds)
    assert (first.written, again.written, again.unchanged) == (len(by_story), 0, len(by_story))
    assert stored(es, settings) == docs  # same ingest_seq and updated_at: nothing was rewritten


def test_out_of_order_arrival_one_by_one_gives_the_same_stories_as_all_at_once(es, settings):
    seeds = seed_articles()
    for article in reversed(seeds):
        index_and_refresh(es, settings, [article])
    one_by_one = {sid: content(d) for sid, d in stored(es, settings).items()}
    report = refresh_all(es, settings)
    assert report.written == 0
    assert {sid: content(d) for sid, d in stored(es, settings).items()} == one_by_one
    assert sum(d["article_count"] for d in one_by_one.values()) == len(seeds)


def test_a_reprocess_into_a_new_index_keeps_the_stories_exact(es, settings):
    seeds = seed_articles()
    index_and_refresh(es, settings, seeds)
    before = {sid: content(d) for sid, d in stored(es, settings).items()}
    # A reprocess fills a new index version with the same articles, then switches the aliases.
    new = index.create_index_version(es, settings, 1).replace("-v1", "-v1-r2")
    index.ensure_index(es, new, index.ensure_template(es, settings))
    index.index_articles(es, settings, seeds, index=new)
    index.switch_aliases(es, settings, new)
    report = refresh_all(es, settings)
    assert (report.written, {sid: content(d) for sid, d in stored(es, settings).items()}) == (0, before)


def test_a_duplicate_counts_apart_and_a_relabelled_article_leaves_its_old_story(es, settings):
    seeds = seed_articles()
    index_and_refresh(es, settings, seeds)
    original = seeds[0]
    copy = original.replace(id="copy-1", url="https://copy.example/1", duplicate_of=original.id)
    index_and_refresh(es, settings, [copy])
    index_and_refresh(es, settings, [copy])  # the copy arrives twice
    story = stored(es, settings)[original.story_id]
    alone = sum(1 for a in seeds if a.story_id == original.story_id)
    assert (story["article_count"], story["duplicate_count"]) == (alone, 1)
    assert "copy-1" in story["article_ids"]
    # The stories stage relabels the article (a later decision): its old story loses it.
    moved = original.replace(story_id="story-elsewhere")
    index_and_refresh(es, settings, [moved])
    docs = stored(es, settings)
    assert docs["story-elsewhere"]["article_ids"] == [original.id]
    assert original.id not in docs[original.story_id]["article_ids"]
    assert docs[original.story_id]["article_count"] == alone - 1


def test_a_story_whose_articles_all_left_is_dissolved_and_followers_see_each_change_once(es, settings):
    seeds = seed_articles()
    index_and_refresh(es, settings, seeds)
    changes, cursor = read_changes(es, settings, 0)
    assert sorted(c["story_id"] for c in changes) == sorted({a.story_id for a in seeds})
    assert [c["ingest_seq"] for c in changes] == sorted(c["ingest_seq"] for c in changes)
    assert min(c["ingest_seq"] for c in changes) > len(seeds)  # after the articles' numbers
    lonely = next(a for a in seeds if sum(b.story_id == a.story_id for b in seeds) == 1)
    index_and_refresh(es, settings, [lonely.replace(story_id="renamed")])
    later, cursor = read_changes(es, settings, cursor)
    by_id = {c["story_id"]: c for c in later}
    assert set(by_id) == {lonely.story_id, "renamed"}
    assert (by_id[lonely.story_id]["article_count"], by_id[lonely.story_id]["article_ids"]) == (0, [])
    assert read_changes(es, settings, cursor)[0] == []
    refresh_all(es, settings)
    assert read_changes(es, settings, cursor)[0] == []  # recomputing changed nothing: nothing to follow


def test_concurrent_writers_of_one_story_leave_it_exact(es, settings):
    from concurrent.futures import ThreadPoolExecutor

    from tests.integration.articles import numbered_articles

    articles = [a.replace(story_id="shared") for a in numbered_articles("c", 12)]
    index_and_refresh(es, settings, articles[:1])

    def writer(part):
        client = index.client(settings)
        for article in part:
            index_and_refresh(client, settings, [article])

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(writer, [articles[1 + k :: 4] for k in range(4)]))
    story = stored(es, settings)["shared"]
    assert story["article_ids"] == sorted(a.id for a in articles)
    assert (story["article_count"], story["languages"]) == (12, ["en", "hi"])
    assert refresh_stories(es, settings, ["shared"]).written == 0
