"""Regression on the five seeds, run through the whole in-memory pipeline. Expectations written from
reading the seeds and seeds/manifest.json (see the notes there for each trap)."""

from __future__ import annotations

import pytest

from pipeline.article import Article
from pipeline.dedupe import MemoryDedupeIndex
from pipeline.process import process
from pipeline.readers import read_file
from pipeline.stories import MemoryStoryIndex
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    raw = [a for path in SEED_FILES for a in read_file(str(path))]
    out = list(process(raw, registry=MemoryDedupeIndex(), clusters=MemoryStoryIndex()))
    assert all(isinstance(a, Article) for a in out)
    return out


def day(value: str, text: str) -> dict:
    return {"text": text, "value": value, "granularity": "day"}


def month(value: str, text: str) -> dict:
    return {"text": text, "value": value, "granularity": "month"}


def year(value: str, text: str) -> dict:
    return {"text": text, "value": value, "granularity": "year"}


def test_languages(seeds):
    assert [a.language for a in seeds] == ["hi", "en", "en", "hi", "en"]


def test_titles(seeds):
    assert [a.title for a in seeds if a.title_source != "lead"] == [
        "रक्षा मंत्री सिंह ने भारत-चीन सीमा पर शांति और न्याय सुरक्षित करने के उपायों की मांग की",
        "‘Need for cooperation rather than conflict’: Rajnath Singh tells Chinese counterpart in Laos",
    ]
    # Untitled seeds are titled by their first sentence.
    assert [a.title_source for a in seeds] == ["text", "lead", "text", "lead", "lead"]
    assert all(a.title.rstrip("…") in a.text.split("\n")[0] for a in seeds if a.title_source == "lead")


def test_only_the_hindustan_times_seed_prints_its_publication_date(seeds):
    assert [a.published_at for a in seeds] == [None, None, "2024-11-20T22:04:00+05:30", None, None]
    assert seeds[2].published_at_source == "text"
    assert seeds[2].byline == "HT News Desk"


def test_reference_dates_are_said_and_never_today(seeds):
    assert [(a.date_reference, a.date_reference_source) for a in seeds] == [
        ("2024-11-20", "text"),
        ("2024-11-20", "text"),
        ("2024-11-20", "published_at"),
        ("2021-06-25", "text"),
        (None, None),
    ]


def test_hindi_report_dates(seeds):
    assert seeds[0].dates == [
        day("2024-11-20", "20 नवम्बर, 2024"),
        month("2024-10", "अक्टूबर"),
        year("2020", "2020"),
        day("2024-11-18", "18 नवम्बर, 2024"),
        day("2024-10-22", "22 अक्टूबर, 2024"),
        day("2024-11-02", "2 नवम्बर, 2024"),
        day("2024-10-23", "23 अक्टूबर, 2024"),
        month("2024-10", "इस वर्ष के अक्टूबर"),
    ]


def test_english_report_dates(seeds):
    assert seeds[1].dates == [
        day("2024-11-20", "November 20, 2024"),
        year("2020", "2020"),
        month("2020-05", "May 2020"),
    ]


def test_hindustan_times_relative_dates_resolve_against_its_date(seeds):
    assert seeds[2].dates == [
        day("2024-11-20", "on Wednesday"),
        year("2020", "2020"),
        day("2024-11-18", "On Monday"),
        month("2024-10", "late last month"),
        day("2024-10-21", "October 21"),
    ]


def test_mea_meeting_gets_its_year_from_context(seeds):
    assert seeds[3].dates[0] == day("2021-07-14", "14 जुलाई")
    assert month("2020-09", "सितंबर 2020") in seeds[3].dates
    assert day("2021-06-25", "25 जून 2021") in seeds[3].dates
    assert year("2020", "पिछले साल") in seeds[3].dates


def test_ndtv_preview_without_any_date_resolves_nothing_relative(seeds):
    assert seeds[4].dates == [
        month("2020-05", "May"),
        month("2020-06", "June 2020"),
        year("2020", "2020"),
        month("2020-04", "April 2020"),
        year("2021", "2021"),
    ]


def test_names_and_ordinals_are_not_dates(seeds):
    texts = {d["text"] for a in seeds for d in a.dates}
    assert not texts & {"Jun", "जून", "11th", "11वें", "G20", "16वें"}


def test_all_five_are_relevant(seeds):
    assert [a.relevant for a in seeds] == [True] * 5
    assert all(a.relevance_score >= 0.9 for a in seeds)


def test_no_duplicates_among_the_seeds(seeds):
    assert [a.duplicate_of for a in seeds] == [None] * 5
    assert len({a.id for a in seeds}) == 5


def test_ndtv_debris_and_dateline(seeds):
    assert seeds[4].dateline == "New Delhi"
    assert "NDTV Exclusive" not in seeds[4].text
    assert "WhatsApp" not in seeds[4].text


# Entity and story expectations on the seeds: tests/test_seeds_entities_stories.py (entities helper).
