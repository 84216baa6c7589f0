"""Stories stage: one story across languages and outlets; another meeting of the same people is not."""

from __future__ import annotations

from pipeline import stories
from pipeline.article import Article
from pipeline.dedupe import fingerprint
from pipeline.entities import find_entities
from pipeline.stories import MemoryStoryIndex, StoryKey, story_score
from tests.conftest import SEEDS


def day(value: str, text: str = "") -> dict:
    return {"text": text or value, "value": value, "granularity": "day"}


# The seeds with the dates the dates stage finds in them (day granularity only matters here).
SEED_DATES = {
    "000": [day("2024-11-20"), day("2024-11-18"), day("2024-10-22"), day("2024-11-02"), day("2024-10-23")],
    "001": [day("2024-11-20"), {"text": "May 2020", "value": "2020-05", "granularity": "month"}],
    "002": [day("2024-11-20", "on Wednesday"), day("2024-11-18", "On Monday"), day("2024-10-21")],
    "003": [day("2021-07-14"), {"text": "सितंबर 2020", "value": "2020-09", "granularity": "month"}, day("2021-06-25")],
    "004": [{"text": "May and June 2020", "value": "2020-05", "granularity": "month"}],
}
PUBLISHED = {"002": "2024-11-20T22:04:00+05:30"}


def seed_article(prefix: str, *, url: str | None = None, text: str | None = None, **changes) -> Article:
    raw = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    body = text if text is not None else raw
    a = Article(input=prefix, url=url or f"https://fixtures.example/{prefix}", text=body,
                dates=SEED_DATES[prefix], published_at=PUBLISHED.get(prefix), entities=find_entities(body))
    return fingerprint(a).replace(**changes)


def assign_all(prefixes: list[str]) -> dict[str, str]:
    index = MemoryStoryIndex()
    return {p: index.assign(seed_article(p)).story_id for p in prefixes}


def test_hindi_and_english_reports_of_the_same_meeting_share_a_story():
    story = assign_all(["000", "001", "002", "004"])
    assert set(story.values()) == {seed_article("000").id}


def test_another_meeting_of_the_same_ministers_on_another_date_is_another_story():
    story = assign_all(["002", "003"])
    assert story == {"002": seed_article("002").id, "003": seed_article("003").id}


def test_the_seeds_form_two_stories_whatever_the_order():
    for order in (["000", "001", "002", "003", "004"], ["004", "003", "002", "001", "000"], ["003", "001", "004", "000", "002"]):
        story = assign_all(order)
        assert story["000"] == story["001"] == story["002"] == story["004"] == seed_article(order[0] if order[0] != "003" else order[1]).id
        assert story["003"] == seed_article("003").id


def test_story_key_of_the_hindi_seed_is_its_lead_entities_and_the_meeting_day():
    a = stories.with_story_key(seed_article("000"))
    assert a.story_date == "2024-11-20"
    assert a.story_dates == ["2024-10-22", "2024-10-23", "2024-11-02", "2024-11-18", "2024-11-20"]
    # seed 000 spells Vientiane "वियेंतियान", a machine translation's spelling, not a gazetteer alias
    assert {"person/rajnath-singh", "person/dong-jun", "location/laos"} <= set(a.story_entities)
    assert "location/india" not in a.story_entities and "location/china" not in a.story_entities


def test_story_key_of_the_english_seed_matches_the_hindi_one():
    a = stories.with_story_key(seed_article("001"))
    assert (a.story_date, a.story_dates) == ("2024-11-20", ["2024-11-20"])
    assert a.story_entities == ["event/admm-plus", "location/eastern-ladakh", "location/ladakh", "location/laos",
                                "location/vientiane", "organization/asean", "person/dong-jun", "person/rajnath-singh"]


def test_the_dateline_place_is_not_part_of_the_story_key():
    text = "New Delhi:\nRajnath Singh will meet Dong Jun in Laos."
    a = Article(text=text, dateline="New Delhi", entities=find_entities(text))
    assert stories.story_entities(a) == ["location/laos", "person/dong-jun", "person/rajnath-singh"]


def test_story_date_is_the_publication_day_when_the_first_date_is_long_before_it():
    a = Article(published_at="2024-11-25T10:00:00+05:30", dates=[day("2020-06-15"), day("2024-11-24")])
    assert stories.story_dates(a) == ("2024-11-25", ["2020-06-15", "2024-11-24", "2024-11-25"])


def test_story_date_is_none_without_any_day():
    assert stories.story_dates(Article(dates=[{"text": "2020", "value": "2020", "granularity": "year"}])) == (None, [])


def test_a_duplicate_joins_the_story_of_the_article_it_duplicates():
    index = MemoryStoryIndex()
    first = index.assign(seed_article("003"))
    copy = index.assign(seed_article("001", duplicate_of=first.id))
    assert copy.story_id == first.story_id


def test_an_article_without_linked_entities_starts_its_own_story():
    index = MemoryStoryIndex()
    a = index.assign(fingerprint(Article(input="x", text="Nothing named here.", dates=[day("2024-11-20")])))
    b = index.assign(fingerprint(Article(input="y", text="Nothing named here either.", dates=[day("2024-11-20")])))
    assert (a.story_id, b.story_id) == (a.id, b.id)


def key(entities: list[str], story_date: str | None, dates: list[str] | None = None) -> StoryKey:
    return StoryKey("x", "x", tuple(entities), story_date, tuple(dates or ([story_date] if story_date else [])))


def test_score_is_zero_when_the_people_differ_even_with_the_same_day_and_places():
    a = key(["person/rajnath-singh", "person/dong-jun", "location/vientiane"], "2024-11-20")
    b = key(["person/s-jaishankar", "person/wang-yi", "location/vientiane"], "2024-11-20")
    assert story_score(a, b) == 0.0


def test_score_is_zero_when_the_days_are_more_than_a_day_apart():
    a = key(["person/s-jaishankar", "person/wang-yi", "location/rio-de-janeiro"], "2024-11-18")
    b = key(["person/s-jaishankar", "person/wang-yi", "location/rio-de-janeiro"], "2024-11-21")
    assert story_score(a, b) == 0.0


def test_score_is_the_weighted_jaccard_when_day_and_people_agree():
    a = key(["person/s-jaishankar", "person/wang-yi", "location/rio-de-janeiro"], "2024-11-18")
    b = key(["person/s-jaishankar", "person/wang-yi", "location/brazil"], "2024-11-19")
    assert story_score(a, b) == 6 / 8  # people weigh 3, places 1


def test_undated_articles_need_a_higher_entity_similarity():
    dated = key(["person/rajnath-singh", "person/dong-jun", "location/laos", "location/vientiane", "event/admm-plus"], "2024-11-20")
    close = key(["person/rajnath-singh", "person/dong-jun", "location/laos"], None)
    loose = key(["person/rajnath-singh", "location/ladakh", "location/depsang-plains", "location/demchok",
                 "location/pangong-lake", "location/galwan-valley", "organization/pla"], None)
    assert story_score(dated, close) == 7 / 10
    assert story_score(dated, loose) == 0.0
