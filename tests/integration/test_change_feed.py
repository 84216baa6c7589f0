"""The change feed on the real cluster: ingest order, resumable cursor, never a skip or a repeat,
also while several writers index concurrently."""

from __future__ import annotations

import threading
import time

import pytest

from pipeline import index, sequence
from pipeline.search import Filters
from pipeline.subscriptions import follow, read_changes
from tests.integration.articles import numbered_articles


def test_follow_yields_documents_in_ingest_order_and_resumes_from_a_cursor(es, settings):
    index.index_articles(es, settings, numbered_articles("a", 3))
    first = list(follow(es, settings, stop_when_idle=True))
    index.index_articles(es, settings, numbered_articles("b", 2))
    rest = list(follow(es, settings, cursor=first[-1].cursor, stop_when_idle=True))
    v1 = f"{settings.index_prefix}-v1"
    assert [(c.document["id"], c.cursor) for c in first] == [
        ("a-0", f"1@{v1}"),
        ("a-1", f"2@{v1}"),
        ("a-2", f"3@{v1}"),
    ]
    assert [(c.document["id"], c.cursor) for c in rest] == [("b-0", f"4@{v1}"), ("b-1", f"5@{v1}")]


def test_follow_with_filters_yields_only_matching_documents(es, settings):
    index.index_articles(es, settings, numbered_articles("a", 6))
    changes = list(
        follow(es, settings, filters=Filters(languages=("hi",), query="patrol"), stop_when_idle=True)
    )
    assert [c.document["id"] for c in changes] == ["a-0", "a-2", "a-4"]


def test_reader_waits_for_a_slower_writer_that_took_earlier_numbers(es, settings):
    index.ensure_main_index(es, settings)
    slow = sequence.allocate(es, settings, 2)  # numbers 1-2, not indexed yet
    index.index_articles(es, settings, numbered_articles("fast", 2))  # numbers 3-4, searchable now
    before = read_changes(es, settings, "0")
    docs = [
        (doc_id, {**doc, "ingest_seq": n})
        for (doc_id, doc), n in zip(
            (index.article_document(a) for a in numbered_articles("slow", 2)), slow.numbers(), strict=True
        )
    ]
    index.bulk_index(es, settings.write_alias, docs, refresh=True)
    sequence.release(es, settings, slow)
    after = read_changes(es, settings, before.cursor)
    assert (before.changes, before.cursor) == ([], f"0@{settings.index_prefix}-v1")
    assert [c.document["id"] for c in after.changes] == ["slow-0", "slow-1", "fast-0", "fast-1"]


def test_an_expired_lease_of_a_crashed_writer_stops_holding_readers_back(es, settings):
    index.ensure_main_index(es, settings)
    lease = sequence.allocate(es, settings, 3, ttl_s=0.05)
    time.sleep(0.1)
    assert sequence.watermark(es, settings) == 3
    assert sequence.release(es, settings, lease) is False


def test_concurrent_writers_and_a_follower_see_every_document_exactly_once(es, settings):
    writers, batches, batch_size = 4, 8, 5
    done = threading.Event()
    errors: list[BaseException] = []

    def write(w: int) -> None:
        try:
            client = index.client(settings)
            for b in range(batches):
                index.index_articles(client, settings, numbered_articles(f"w{w}b{b}", batch_size))
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    seen: list[tuple[str, int]] = []

    def read() -> None:
        cursor = "0"
        client = index.client(settings)
        try:
            while True:
                finished = done.is_set()  # checked before reading, so the last read sees everything
                page = read_changes(client, settings, cursor, size=7)
                seen.extend((c.document["id"], c.document["ingest_seq"]) for c in page.changes)
                cursor = page.cursor
                if finished and not page.changes:
                    return
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    reader = threading.Thread(target=read)
    index.ensure_main_index(es, settings)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join(timeout=60)
    expected = sorted(
        f"w{w}b{b}-{n}" for w in range(writers) for b in range(batches) for n in range(batch_size)
    )
    assert errors == []
    assert sorted(doc_id for doc_id, _ in seen) == expected  # none skipped, none repeated
    assert [seq for _, seq in seen] == sorted(seq for _, seq in seen)  # in ingest order
    assert len({seq for _, seq in seen}) == writers * batches * batch_size


def test_after_a_reprocess_switches_the_alias_the_follower_gets_the_new_version_of_every_document(
    es, settings
):
    index.index_articles(es, settings, numbered_articles("a", 3))
    before = list(follow(es, settings, stop_when_idle=True))
    new = f"{settings.index_prefix}-v1-r2"
    index.ensure_index(es, new, index.ensure_template(es, settings))
    reprocessed = [a.replace(title=f"reprocessed {a.id}") for a in numbered_articles("a", 3)]
    index.index_articles(es, settings, [*reprocessed, *numbered_articles("only-new", 1)], index=new)
    during = read_changes(es, settings, before[-1].cursor)  # still reading v1: passes numbers 4-7
    index.switch_aliases(es, settings, new)
    after = list(follow(es, settings, cursor=during.cursor, stop_when_idle=True))
    assert [c.document["id"] for c in before] == ["a-0", "a-1", "a-2"]
    assert (during.changes, during.cursor) == ([], f"7@{settings.index_prefix}-v1")
    assert [(c.document["id"], c.document["title"], c.cursor) for c in after] == [
        ("a-0", "reprocessed a-0", f"4@{new}"),
        ("a-1", "reprocessed a-1", f"5@{new}"),
        ("a-2", "reprocessed a-2", f"6@{new}"),
        ("only-new-0", "Border talks only-new 0", f"7@{new}"),
    ]


def test_a_cursor_is_a_number_and_the_index_it_was_read_in():
    from pipeline.subscriptions import Position, parse_cursor

    assert (parse_cursor("12@news-v1"), parse_cursor("7"), parse_cursor(None)) == (
        Position(12, "news-v1"),
        Position(7),
        Position(),
    )
    with pytest.raises(ValueError, match="not a change-feed cursor"):
        parse_cursor("-3")


def test_a_cursor_naming_an_index_of_another_prefix_or_a_typo_is_refused_not_replayed(es, settings):
    index.index_articles(es, settings, numbered_articles("a", 3))
    v1 = f"{settings.index_prefix}-v1"
    with pytest.raises(ValueError, match="not an article index of"):
        read_changes(es, settings, f"3@{settings.index_prefix}-vl")  # before: every document again
    with pytest.raises(ValueError, match="not an article index of"):
        read_changes(es, settings, "3@other-news-v1")
    assert read_changes(es, settings, f"3@{v1}").cursor == f"3@{v1}"


def test_a_cursor_ahead_of_the_feed_is_refused_instead_of_waiting_for_ever(es, settings):
    index.index_articles(es, settings, numbered_articles("a", 3))
    with pytest.raises(ValueError, match="ahead of the change feed, which has reached 3"):
        read_changes(es, settings, f"999@{settings.index_prefix}-v1")  # before: an empty page, for ever
    with pytest.raises(ValueError, match="ahead of the change feed"):
        read_changes(es, settings, "4")


def test_follow_refuses_a_malformed_cursor_or_poll_before_any_request(capsys):
    from pipeline.__main__ import main

    for argv in (["follow", "--cursor", "-3"], ["follow", "--cursor", "x@y"], ["follow", "--poll", "0"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("not a change-feed cursor") == 2 and "--poll is 0.1 to 3600 seconds" in err
