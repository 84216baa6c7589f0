"""One id per article across the raw and article indices, and entries stored under the former raw id
(the hash of the link as the feed gave it) still recognised: nothing stored or indexed twice."""

from __future__ import annotations

from pipeline.feeds import FeedConfig
from tests.conftest import SEEDS


def test_raw_ids_equal_article_ids_and_entries_under_former_ids_are_not_stored_again(
    settings, es, http_server
):
    from pipeline.feeds import parse_feed
    from pipeline.index import bulk_index
    from pipeline.ingest import (
        ensure_raw_index,
        ingest_feed,
        now_iso,
        process_pending,
        raw_document,
    )
    from pipeline.ingest.rawqueue import former_entry_id
    from pipeline.reprocess import reprocess

    # As an earlier version stored them: every seed entry under the hash of its raw link.
    entries = [
        a.replace(fetched_at=now_iso())
        for a in parse_feed((SEEDS / "feed.xml").read_bytes(), feed_name="seeds")
    ]
    old = [(former_entry_id(a), {**raw_document(a)[1], "raw_id": former_entry_id(a)}) for a in entries]
    changed = [a.raw_url for a in entries if raw_document(a)[0] != former_entry_id(a)]
    assert len(changed) == 3  # tracking parameters, a #comments fragment, an AMP link
    assert bulk_index(es, ensure_raw_index(es, settings), old, op_type="create").created == 5
    assert process_pending(es, settings).indexed == 5

    # The feed again, with ids from the canonical url: all five recognised, none stored twice.
    url = http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes())
    outcome = ingest_feed(es, settings, FeedConfig(name="seeds", url=url, allow_private_network=True))
    assert (outcome.entries_seen, outcome.new, outcome.pending) == (5, 0, 0)

    # A reprocess of the old entries: the same five articles under the same ids, no duplicate.
    es.indices.refresh(index=settings.read_alias)
    before = sorted(h["_id"] for h in es.search(index=settings.read_alias, size=20)["hits"]["hits"])
    report = reprocess(es, settings)
    after = sorted(h["_id"] for h in es.search(index=settings.read_alias, size=20)["hits"]["hits"])
    assert (report.counts.indexed, report.counts.duplicates, after) == (5, 0, before)

    # New entries: the raw id is the article id.
    fresh = [a.replace(raw_url=a.raw_url + "-2", fetched_at=now_iso()) for a in entries[1:2]]
    from pipeline.ingest import store_raw

    store_raw(es, settings, fresh)
    process_pending(es, settings)
    es.indices.refresh(index=f"{settings.index_prefix}*")
    [hit] = es.search(index=settings.index("raw"), query={"term": {"raw_url": fresh[0].raw_url}})["hits"][
        "hits"
    ]
    assert hit["_source"]["outcome"] == "duplicate"  # the same text as seed 001, under another link
    assert hit["_id"] == hit["_source"]["article_id"]
