"""Stories stage: one story across languages and outlets; another meeting of the same people is not."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import yaml

from pipeline import dates, entities, language, stories
from pipeline.article import Article
from pipeline.clean import clean
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
    "003": [
        day("2021-07-14"),
        {"text": "सितंबर 2020", "value": "2020-09", "granularity": "month"},
        day("2021-06-25"),
    ],
    "004": [{"text": "May and June 2020", "value": "2020-05", "granularity": "month"}],
}
PUBLISHED = {"002": "2024-11-20T22:04:00+05:30"}


def seed_article(prefix: str, *, url: str | None = None, text: str | None = None, **changes) -> Article:
    raw = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    body = text if text is not None else raw
    a = Article(
        input=prefix,
        url=url or f"https://fixtures.example/{prefix}",
        text=body,
        dates=SEED_DATES[prefix],
        published_at=PUBLISHED.get(prefix),
        entities=find_entities(body),
    )
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
    for order in (
        ["000", "001", "002", "003", "004"],
        ["004", "003", "002", "001", "000"],
        ["003", "001", "004", "000", "002"],
    ):
        story = assign_all(order)
        assert (
            story["000"]
            == story["001"]
            == story["002"]
            == story["004"]
            == seed_article(order[0] if order[0] != "003" else order[1]).id
        )
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
    assert a.story_entities == [
        "event/admm-plus",
        "location/eastern-ladakh",
        "location/ladakh",
        "location/laos",
        "location/vientiane",
        "organization/asean",
        "person/dong-jun",
        "person/rajnath-singh",
    ]


def test_the_dateline_place_is_not_part_of_the_story_key():
    text = "New Delhi:\nRajnath Singh will meet Dong Jun in Laos."
    a = Article(text=text, dateline="New Delhi", entities=find_entities(text))
    assert stories.story_entities(a) == ["location/laos", "person/dong-jun", "person/rajnath-singh"]


def test_story_date_skips_a_recalled_date_long_before_publication():
    # the recalled 2020 day is not the event; the day in the window the text mentions is
    a = Article(published_at="2024-11-25T10:00:00+05:30", dates=[day("2020-06-15"), day("2024-11-24")])
    assert stories.story_dates(a) == ("2024-11-24", ["2020-06-15", "2024-11-24", "2024-11-25"])


def test_story_date_is_the_publication_day_when_every_date_is_long_before_it():
    a = Article(published_at="2024-11-25T10:00:00+05:30", dates=[day("2020-06-15"), day("2023-08-14")])
    assert stories.story_dates(a)[0] == "2024-11-25"


def test_story_date_is_none_without_any_day():
    assert stories.story_dates(Article(dates=[{"text": "2020", "value": "2020", "granularity": "year"}])) == (
        None,
        [],
    )


def test_a_duplicate_joins_the_story_of_the_article_it_duplicates():
    index = MemoryStoryIndex()
    first = index.assign(seed_article("003"))
    copy = index.assign(seed_article("001", duplicate_of=first.id))
    assert copy.story_id == first.story_id


def test_an_article_without_linked_entities_starts_its_own_story():
    index = MemoryStoryIndex()
    a = index.assign(fingerprint(Article(input="x", text="Nothing named here.", dates=[day("2024-11-20")])))
    b = index.assign(
        fingerprint(Article(input="y", text="Nothing named here either.", dates=[day("2024-11-20")]))
    )
    assert (a.story_id, b.story_id) == (a.id, b.id)


def key(entities: list[str], story_date: str | None, dates: list[str] | None = None) -> StoryKey:
    return StoryKey(
        "x", "x", tuple(entities), story_date, tuple(dates or ([story_date] if story_date else []))
    )


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
    dated = key(
        ["person/rajnath-singh", "person/dong-jun", "location/laos", "location/vientiane", "event/admm-plus"],
        "2024-11-20",
    )
    close = key(["person/rajnath-singh", "person/dong-jun", "location/laos"], None)
    loose = key(
        [
            "person/rajnath-singh",
            "location/ladakh",
            "location/depsang-plains",
            "location/demchok",
            "location/pangong-lake",
            "location/galwan-valley",
            "organization/pla",
        ],
        None,
    )
    assert story_score(dated, close) == 7 / 10
    assert story_score(dated, loose) == 0.0


# ---------------------------------------------------------------------------------------------- rounds,
# names, order
def test_printed_rounds_become_story_keys():
    assert stories.rounds(
        "the 21st round of Corps Commander-level talks and the 19th Corps Commander-level meeting"
    ) == ["round/19", "round/21"]
    assert stories.rounds("डब्ल्यूएमसीसी की ३२वीं बैठक; कोर कमांडर स्तर की 21वें दौर की बातचीत") == [
        "round/21",
        "round/32",
    ]
    assert stories.rounds("the 2nd session; 16वें ब्रिक्स शिखर सम्मेलन") == ["round/2", "round/16"]
    assert stories.rounds("some 2000 troops; the 11th hour; 21st century") == []


def test_different_rounds_are_different_stories_even_undated():
    a = key(["organization/wmcc", "location/beijing", "round/31"], None)
    b = key(["organization/wmcc", "location/beijing", "round/32"], None)
    c = key(["organization/wmcc", "location/beijing", "round/32", "location/line-of-actual-control"], None)
    assert story_score(a, b) == 0.0
    assert story_score(b, c) > 0.4


def test_a_recurring_mechanism_needs_the_same_event_day():
    # The later report mentions the day of the earlier round; for talks that recur that is not enough.
    earlier = key(["event/corps-commander-talks", "location/chushul", "location/moldo"], "2024-02-19")
    later = key(
        ["event/corps-commander-talks", "location/chushul", "location/moldo"],
        "2024-06-10",
        ["2024-02-19", "2024-06-10", "2024-06-12"],
    )
    assert "event/corps-commander-talks" in stories.recurring_ids()
    assert story_score(earlier, later) == 0.0


def test_a_day_recalled_long_before_the_event_does_not_make_dates_agree():
    earlier = key(["location/chushul", "location/eastern-ladakh"], "2024-02-19")
    later = key(["location/chushul", "location/eastern-ladakh"], "2024-06-10", ["2024-02-19", "2024-06-10"])
    assert story_score(earlier, later) == 0.0
    next_day = key(
        ["location/chushul", "location/eastern-ladakh"], "2024-02-21", ["2024-02-19", "2024-02-21"]
    )
    assert story_score(earlier, next_day) == 1.0  # a report two days later naming the day of the talks


def test_unknown_names_in_two_scripts_share_a_key():
    hi = find_entities("ब्रिगेडियर अमित रावत ने सोमवार को बैठक की।")
    en = find_entities("Brigadier Amit Rawat met officials on Monday.")
    keys = [
        stories.story_entities(Article(text=t, entities=e))
        for t, e in (
            ("ब्रिगेडियर अमित रावत ने सोमवार को बैठक की।", hi),
            ("Brigadier Amit Rawat met officials on Monday.", en),
        )
    ]
    assert keys[0] == keys[1] == ["name/person/mt-rwt"]


def test_a_linked_name_and_its_unlinked_spelling_are_shared():
    assert (
        stories.entity_similarity(
            ["person/rashim-bali", "location/chushul"], ["name/person/rshm-bl", "location/chushul"]
        )
        == 3 / 4
    )  # (2 + 1) / (3 + 1 + 2 + 1 - 3)
    assert stories.entity_similarity(["name/person/snl-ktt"], ["name/person/mt-rwt"]) == 0.0


CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "story_cases.yaml").read_text(encoding="utf-8"))


def _processed_cases() -> list[Article]:
    out = []
    for n, case in enumerate(CASES):
        a = clean(
            Article(
                input=f"s{n}",
                url=f"https://fixtures.example/s{n}",
                raw_text=case["text"],
                published=case["published"],
            )
        )
        out.append(fingerprint(entities.tag(dates.normalise(language.detect(a)))))
    return out


def test_one_event_in_two_languages_is_one_story_and_rounds_stay_apart_in_any_order():
    articles = _processed_cases()
    events = [c["event"] for c in CASES]
    orders = [list(range(len(articles))), list(reversed(range(len(articles))))]
    rng = random.Random(3)
    for _ in range(6):
        orders.append(rng.sample(range(len(articles)), len(articles)))
    for order in orders:
        index = MemoryStoryIndex()
        story = {n: index.assign(articles[n]).story_id for n in order}
        for i, j in itertools.combinations(range(len(articles)), 2):
            assert (story[i] == story[j]) == (events[i] == events[j]), (order, i, j, events[i], events[j])


def test_the_fetch_time_of_an_undated_article_is_not_its_story_day():
    fetched = dict(published_at="2026-03-01T10:00:00+05:30", published_at_source="fetched")
    assert stories.story_dates(Article(dates=[day("2024-11-20")], **fetched)) == (
        "2024-11-20",
        ["2024-11-20"],
    )
    assert stories.story_dates(Article(dates=[], **fetched)) == (None, [])
    assert stories.story_dates(Article(dates=[day("2026-05-01")], **fetched)) == (None, ["2026-05-01"])


SPLIT_CASES = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "story_cases_split.yaml").read_text(encoding="utf-8")
)


def test_extra_local_names_previews_and_undated_reports_join_and_nearby_events_stay_apart():
    """Same-event pairs grouped and different-event pairs apart over 10 arrival orders. The Special
    Representatives reports are left out of the same-event check: one names only the mechanism, one
    only the people, and only a third that names both links them (when it comes last, the two are
    already two stories: assignment does not relabel earlier articles)."""
    articles = []
    for n, case in enumerate(SPLIT_CASES):
        a = clean(
            Article(
                input=f"x{n}",
                url=f"https://fixtures.example/x{n}",
                raw_text=case["text"],
                published=case.get("published"),
                fetched_at=case.get("fetched_at"),
            )
        )
        articles.append(fingerprint(entities.tag(dates.normalise(language.detect(a)))))
    events = [c["event"] for c in SPLIT_CASES]
    rng = random.Random(5)
    orders = [list(range(len(articles))), list(reversed(range(len(articles))))]
    orders += [rng.sample(range(len(articles)), len(articles)) for _ in range(8)]
    for order in orders:
        index = MemoryStoryIndex()
        story = {n: index.assign(articles[n]).story_id for n in order}
        for i, j in itertools.combinations(range(len(articles)), 2):
            if events[i] != events[j]:
                assert story[i] != story[j], (order, i, j, events[i], events[j])
            elif events[i] != "sr24":
                assert story[i] == story[j], (order, i, j, events[i])


def test_a_preview_naming_part_of_a_report_joins_it_when_the_days_agree():
    full = key(
        ["location/kinnaur", "location/shipki-la", "location/himachal-pradesh", "person/x-y"], "2025-05-20"
    )
    preview = key(["location/shipki-la", "location/tibet"], "2025-05-20")
    assert stories.entity_similarity(full.entities, preview.entities) < stories.ENTITY_THRESHOLD
    assert story_score(full, preview) > 0
    assert story_score(full, key(["location/shipki-la", "location/tibet"], "2025-05-25")) == 0.0
    # sharing only a state and a district is not enough
    wide = key(["location/kinnaur", "location/himachal-pradesh"], "2025-05-20")
    assert stories.containment(full.entities, wide.entities) == 0.0


def test_events_at_two_border_places_stay_apart():
    depsang = key(["location/depsang-plains", "location/eastern-ladakh", "location/ladakh"], "2024-11-04")
    demchok = key(["location/demchok", "location/eastern-ladakh", "location/ladakh"], "2024-11-04")
    both = key(
        ["location/demchok", "location/depsang-plains", "location/eastern-ladakh", "location/ladakh"],
        "2024-11-07",
        ["2024-11-04", "2024-11-07"],
    )
    assert story_score(depsang, demchok) == 0.0
    assert story_score(depsang, both) == 0.0  # recalls Depsang's day, reports Demchok's


def test_grouping_of_the_development_set_does_not_depend_on_arrival_order():
    """The partition (which articles share a story) is the same in every order; and on this set of
    reports written for the purpose (tests/fixtures/story_dev.yaml) same-event pairs are together
    and different events apart at least as well as the enrichment issue asks of real reports
    (>= 0.85 together, <= 0.01 merged; measured figures in docs/processing.md)."""
    from tests.stories_dev import dev_cases, figures, orders, partition, processed

    cases = dev_cases()
    articles = processed(cases)
    events = [c["event"] for c in cases]

    def groups(order):
        story = partition(articles, order)
        return sorted(sorted(n for n in story if story[n] == s) for s in set(story.values()))

    all_orders = orders(len(articles))
    first = groups(all_orders[0])
    for order in all_orders[1:]:
        assert groups(order) == first, order
    result = figures(articles, events, all_orders)
    assert result["different_merged"] <= 0.01 and result["same_event_together"] >= 0.85, result


def _story_article(n: int, text: str, published: str) -> Article:
    a = clean(
        Article(input=f"m{n}", url=f"https://fixtures.example/m{n}", raw_text=text, published=published)
    )
    return fingerprint(entities.tag(dates.normalise(language.detect(a))))


def test_a_report_that_links_two_stories_merges_them_and_earlier_articles_are_relabelled():
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
    index = MemoryStoryIndex()
    first, second = index.assign(by_mechanism), index.assign(by_people)
    assert first.story_id != second.story_id  # nothing links them yet
    third = index.assign(both)
    assert index.story_of(first.id) == index.story_of(second.id) == index.story_of(third.id)
    assert index.merged  # the absorbed story is recorded for whoever wrote its articles
    relabelled = index.relabel([first, second, third])
    assert len({a.story_id for a in relabelled}) == 1


def test_a_merge_does_not_chain_different_events():
    """A report naming the minister alone links both of his meetings with two different counterparts
    on consecutive days; the two meetings stay two stories (their people veto each other)."""
    jaishankar = _story_article(
        0,
        "External Affairs Minister S Jaishankar held talks with Chinese Foreign Minister Wang Yi in "
        "New Delhi on Monday.",
        "2025-08-18T21:00:00+05:30",
    )
    doval = _story_article(
        1,
        "NSA Ajit Doval and Chinese Foreign Minister Wang Yi held boundary talks in New Delhi on Tuesday.",
        "2025-08-19T21:00:00+05:30",
    )
    wang = _story_article(
        2,
        "Chinese Foreign Minister Wang Yi is on a two-day visit to New Delhi, his talks on Monday and "
        "Tuesday covered the border.",
        "2025-08-19T22:00:00+05:30",
    )
    for order in itertools.permutations([jaishankar, doval, wang]):
        index = MemoryStoryIndex()
        for a in order:
            index.assign(a)
        assert index.story_of(jaishankar.id) != index.story_of(doval.id), [a.input for a in order]
