"""The composed pipeline (in memory): every article comes out processed or as a Failure with its stage."""

from __future__ import annotations

from pipeline.article import Article
from pipeline.dedupe import MemoryDedupeIndex
from pipeline.process import Failure, StageTimings, process
from pipeline.readers import read_file
from pipeline.stories import MemoryStoryIndex
from tests.conftest import SEEDS


def run(articles, timings=None):
    return list(process(articles, registry=MemoryDedupeIndex(), clusters=MemoryStoryIndex(), timings=timings))


def test_an_article_that_breaks_a_stage_is_a_failure_and_the_rest_go_on():
    articles = [
        Article(input="good-1", raw_text="India and China held border talks on the LAC."),
        Article(input="empty-page", raw_html="<html><body> </body></html>"),
        Article(input="good-2", raw_text="Troops completed disengagement at Depsang."),
    ]
    results = run(articles)
    assert [type(r).__name__ for r in results] == ["Article", "Failure", "Article"]
    failure = results[1]
    assert isinstance(failure, Failure)
    assert (failure.input, failure.stage) == ("empty-page", "clean")
    assert (
        failure.error
        == "BadInputError: [clean] nothing left after cleaning: no title and no text (item=empty-page)"
    )


def test_every_stage_is_timed_and_counted():
    timings = StageTimings()
    run(read_file(str(SEEDS / "feed.xml")) + [Article(input="bad", raw_html="<!doctype html>")], timings)
    assert (timings.articles, timings.failures) == (5, 1)
    assert list(timings.seconds) == [
        "clean",
        "language",
        "relevance",
        "dates",
        "entities",
        "dedupe",
        "registry",
        "stories",
    ]
    assert all(seconds > 0 for seconds in timings.seconds.values())


def test_processing_is_a_stream_in_input_order():
    articles = read_file(str(SEEDS / "feed.xml"))
    results = process(iter(articles), registry=MemoryDedupeIndex(), clusters=MemoryStoryIndex())
    assert next(results).input == articles[0].input
    assert [r.input for r in results] == [a.input for a in articles[1:]]


def test_every_processed_field_has_a_place_in_the_strict_index_mapping():
    import dataclasses

    from pipeline.index import ARTICLE_MAPPING, RAW_ONLY_FIELDS

    fields = {f.name for f in dataclasses.fields(Article)} - set(RAW_ONLY_FIELDS)
    assert sorted(fields - set(ARTICLE_MAPPING["properties"])) == []


def test_a_batch_summary_counts_what_an_operator_needs():
    from pipeline.process import process_batch

    raw = read_file(str(SEEDS / "feed.xml")) + [
        Article(
            input="cricket",
            raw_text=(
                "India beat China by nine wickets in the Asian Games cricket final; the batters chased 107."
            ),
        ),
        Article(input="empty", raw_html="<html><body></body></html>"),
    ]
    seeds = [a for p in sorted(SEEDS.glob("*.txt")) for a in read_file(str(p))]
    batch = process_batch(seeds + raw, registry=MemoryDedupeIndex(), clusters=MemoryStoryIndex())
    summary = batch.summary()
    assert {
        k: summary[k] for k in ("processed", "failed", "failed_by_stage", "duplicates", "rejected", "kept")
    } == {
        "processed": 12,
        "failed": 1,
        "failed_by_stage": {"clean": 1},
        "duplicates": 5,
        "rejected": 1,
        "kept": 5,
    }
    assert [f.input for f in batch.failures] == ["empty"]
    assert summary["stories"] == len({a.story_id for a in batch.articles[:5]})
