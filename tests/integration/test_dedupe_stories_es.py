"""Dedupe and stories against the real Elasticsearch: signatures and story keys are stored with the
documents and looked up there, so any worker finds what another one indexed."""

from __future__ import annotations

from pipeline import stories
from pipeline.article import Article
from pipeline.dedupe import ElasticsearchDedupeIndex, MemoryDedupeIndex, fingerprint
from pipeline.entities import find_entities
from pipeline.index import index_articles
from pipeline.stories import ElasticsearchStoryIndex, MemoryStoryIndex
from tests.test_dedupe import reflowed, with_other_debris
from tests.test_stories import day, seed_article

PREFIXES = ["000", "001", "002", "003", "004"]


def index_batch(es, settings, articles: list[Article]) -> None:
    report = index_articles(es, settings, articles)
    assert (report.ok, report.failed) == (len(articles), [])


def processed_seeds() -> list[Article]:
    registry, clusters = MemoryDedupeIndex(), MemoryStoryIndex()
    return [clusters.assign(registry.check(seed_article(p))) for p in PREFIXES]


# --- dedupe
def test_near_duplicate_copy_at_another_url_is_found_in_the_index(es, settings):
    seeds = processed_seeds()
    index_batch(es, settings, seeds)
    registry = ElasticsearchDedupeIndex(es, settings)
    copy = registry.check(
        seed_article(
            "002",
            url="https://syndicated.example/x",
            text=with_other_debris(reflowed(next(s for s in seeds if s.input == "002").text)),
        )
    )
    assert (copy.duplicate_of, registry.lookups) == (seeds[2].id, 1)


def test_band_keys_and_content_hash_are_searchable_fields_of_the_indexed_document(es, settings):
    seeds = processed_seeds()
    index_batch(es, settings, seeds)
    by_band = es.search(
        index=settings.read_alias, query={"terms": {"minhash_bands": seeds[3].minhash_bands[:1]}}
    )
    by_hash = es.search(index=settings.read_alias, query={"term": {"content_hash": seeds[3].content_hash}})
    assert [h["_id"] for h in by_band["hits"]["hits"]] == [seeds[3].id]
    assert [h["_id"] for h in by_hash["hits"]["hits"]] == [seeds[3].id]


def test_reprocessing_an_indexed_article_does_not_make_it_its_own_duplicate(es, settings):
    seeds = processed_seeds()
    index_batch(es, settings, seeds)
    registry = ElasticsearchDedupeIndex(es, settings)
    assert [registry.check(seed_article(p)).duplicate_of for p in PREFIXES] == [None] * 5


def test_unrelated_article_is_not_a_duplicate_of_anything_indexed(es, settings):
    index_batch(es, settings, processed_seeds())
    text = (
        "India beat China 3-1 in the hockey final on Sunday. " * 5 + "The coach praised the young defenders."
    )
    registry = ElasticsearchDedupeIndex(es, settings)
    assert (
        registry.check(
            fingerprint(Article(input="x", url="https://sport.example/hockey", text=text))
        ).duplicate_of
        is None
    )


def test_copy_of_an_indexed_duplicate_points_to_the_original(es, settings):
    original = seed_article("004")
    first_copy = fingerprint(
        original.replace(url="https://b.example/1", text=with_other_debris(original.text))
    )
    first_copy = first_copy.replace(duplicate_of=original.id)
    index_batch(es, settings, [original, first_copy])
    registry = ElasticsearchDedupeIndex(es, settings)
    second = registry.check(
        fingerprint(first_copy.replace(url="https://c.example/2", text=reflowed(first_copy.text)))
    )
    assert second.duplicate_of == original.id


def test_duplicates_within_a_batch_are_found_before_anything_is_indexed(es, settings):
    registry = ElasticsearchDedupeIndex(es, settings)  # no index, no alias yet
    first = registry.check(seed_article("001"))
    copy = registry.check(seed_article("001", url="https://b.example/copy", text=reflowed(first.text)))
    assert (first.duplicate_of, copy.duplicate_of) == (None, first.id)


# --- stories
def test_story_ids_are_shared_across_a_batch_and_a_later_batch(es, settings):
    batch1 = ElasticsearchStoryIndex(es, settings)
    first = [batch1.assign(seed_article(p)) for p in ("000", "003")]
    index_batch(es, settings, first)
    batch2 = ElasticsearchStoryIndex(es, settings)
    later = {p: batch2.assign(seed_article(p)) for p in ("001", "002", "004")}
    assert first[0].story_id == first[0].id and first[1].story_id == first[1].id
    assert {p: a.story_id for p, a in later.items()} == {
        "001": first[0].id,
        "002": first[0].id,
        "004": first[0].id,
    }


def test_a_new_story_in_a_later_batch_is_shared_within_that_batch(es, settings):
    index_batch(es, settings, [ElasticsearchStoryIndex(es, settings).assign(seed_article("003"))])
    text_en = "Jaishankar met Wang Yi in Rio de Janeiro on the sidelines of the G20 Summit in Brazil."
    text_hi = "विदेश मंत्री एस जयशंकर ने रियो डी जेनेरियो में जी20 शिखर सम्मेलन से इतर वांग यी से मुलाकात की।"
    index = ElasticsearchStoryIndex(es, settings)
    en = index.assign(
        fingerprint(
            Article(input="en", text=text_en, entities=find_entities(text_en), dates=[day("2024-11-18")])
        )
    )
    hi = index.assign(
        fingerprint(
            Article(input="hi", text=text_hi, entities=find_entities(text_hi), dates=[day("2024-11-18")])
        )
    )
    assert (en.story_id, hi.story_id) == (en.id, en.id)  # not the 2021 Dushanbe meeting of the same ministers


def test_reprocessing_an_indexed_article_keeps_its_story(es, settings):
    index = ElasticsearchStoryIndex(es, settings)
    assigned = [index.assign(seed_article(p)) for p in ("004", "000")]  # 004 founds the story
    index_batch(es, settings, assigned)
    again = ElasticsearchStoryIndex(es, settings).assign(seed_article("000"))
    assert again.story_id == assigned[0].id == assigned[1].story_id


def test_story_candidates_come_from_the_date_window_only_in_one_search(es, settings):
    index_batch(
        es, settings, [ElasticsearchStoryIndex(es, settings).assign(seed_article(p)) for p in PREFIXES]
    )
    probe = stories.with_story_key(seed_article("001"))
    lookup = ElasticsearchStoryIndex(es, settings)
    own, candidates = lookup.indexed_lookup(probe)
    # 003 (July 2021) is outside the window; 004 has no story date and stays a candidate.
    assert sorted(c.id for c in candidates) == sorted(seed_article(p).id for p in ("000", "002", "004"))
    assert (own, lookup.lookups) == (seed_article("001").id, 1)  # each was assigned alone: its own story


def test_story_cases_group_the_same_through_the_index_as_in_memory(es, settings):
    """Rounds, name keys and the date rules hold when every candidate comes from Elasticsearch: each
    article is assigned by a fresh index (nothing in its batch) and indexed before the next, in an
    order where the sparse reports come first."""
    from tests.test_stories import CASES, _processed_cases

    articles = _processed_cases()
    order = sorted(
        range(len(articles)), key=lambda n: (len(stories.with_story_key(articles[n]).story_entities), -n)
    )
    story = {}
    for n in order:
        assigned = ElasticsearchStoryIndex(es, settings).assign(articles[n])
        index_batch(es, settings, [assigned])
        story[n] = assigned.story_id
    events = [c["event"] for c in CASES]
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            assert (story[i] == story[j]) == (events[i] == events[j]), (i, j, events[i], events[j])


def test_a_report_linking_two_indexed_stories_merges_them_and_relabels_the_absorbed_articles(es, settings):
    from tests.test_stories import _story_article

    by_mechanism = _story_article(
        0,
        "The Special Representatives of India and China met in New Delhi today for their 24th round, "
        "the Ministry of External Affairs said.",
        "2025-08-19T22:15:00+05:30",
    )
    by_people = _story_article(
        1,
        "NSA Ajit Doval received Chinese Foreign Minister Wang Yi in New Delhi on Tuesday for talks.",
        "2025-08-19T21:00:00+05:30",
    )
    both = _story_article(
        2,
        "National Security Adviser Ajit Doval and Chinese Foreign Minister Wang Yi held the 24th round "
        "of the Special Representatives' talks in New Delhi on Tuesday.",
        "2025-08-19T20:00:00+05:30",
    )
    first = ElasticsearchStoryIndex(es, settings)
    earlier = [first.assign(by_mechanism), first.assign(by_people)]
    assert earlier[0].story_id != earlier[1].story_id
    index_batch(es, settings, earlier)
    seq_before = {
        h["_id"]: h["_source"]["ingest_seq"] for h in es.search(index=settings.read_alias)["hits"]["hits"]
    }
    # Without merge_indexed the indexed stories stay as they are.
    assert ElasticsearchStoryIndex(es, settings).relabel_indexed() == {}
    later = ElasticsearchStoryIndex(es, settings, merge_indexed=True)
    linking = later.assign(both)
    index_batch(es, settings, later.relabel([linking]))
    changed = later.relabel_indexed()
    assert len(changed) == 1 and set(changed.values()) == {linking.story_id}
    es.indices.refresh(index=settings.read_alias)
    docs = {h["_id"]: h["_source"] for h in es.search(index=settings.read_alias)["hits"]["hits"]}
    assert {d["story_id"] for d in docs.values()} == {linking.story_id}
    (absorbed_article,) = [a for a in earlier if a.story_id in changed]
    assert docs[absorbed_article.id]["ingest_seq"] > seq_before[absorbed_article.id]
    (kept,) = [a for a in earlier if a.story_id not in changed]
    assert docs[kept.id]["ingest_seq"] == seq_before[kept.id]  # unchanged: not rewritten
