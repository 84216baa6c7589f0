"""The matching and scoring functions of evaluation/generalisation.py, on tiny hand-made inputs."""

from __future__ import annotations

import json

from evaluation.generalisation import (
    PRF,
    date_counts,
    evaluate,
    has_year,
    language_of,
    match_entities,
    norm,
    root_of,
    story_pairs,
    wire_copies,
)


def test_norm_folds_case_punctuation_and_spaces_but_keeps_devanagari_marks():
    assert norm("  People's   Liberation-Army ") == "people s liberation army"
    assert norm("LAC.") == norm("lac")
    assert norm("राजनाथ  सिंह।") == "राजनाथ सिंह"  # the vowel sign stays, the danda goes


def test_entities_match_by_name_or_by_a_shared_mention_one_to_one():
    gold = [
        {"name": "Gourangalal Das", "type": "person", "mentions": ["Gourangalal Das", "Das"]},
        {"name": "Arunachal Pradesh", "type": "location", "mentions": ["Arunachal Pradesh", "Zangnan"]},
        {"name": "Hong Liang", "type": "person", "mentions": ["Hong Liang"]},
    ]
    zangnan = {"name": "Zangnan", "type": "location", "mentions": ["Zangnan"], "linked": False}
    das = {"name": "gourangalal das", "type": "person", "mentions": ["Gourangalal Das"], "linked": False}
    predicted = [
        das,
        zangnan,
        dict(zangnan),  # one name counts once
        {"name": "Officer Commanding", "type": "person", "mentions": ["Officer Commanding"]},
    ]
    pairs, fp, fn = match_entities(predicted, gold)
    assert sorted((p["name"], g["name"]) for p, g in pairs) == [
        ("Zangnan", "Arunachal Pradesh"),
        ("gourangalal das", "Gourangalal Das"),
    ]
    assert [p["name"] for p in fp] == ["Officer Commanding"]
    assert [g["name"] for g in fn] == ["Hong Liang"]


def test_a_name_match_wins_over_a_mention_match_and_a_prediction_serves_one_gold_entity():
    gold = [
        {"name": "Rajnath Singh", "type": "person", "mentions": ["Singh"]},
        {"name": "Shaitan Singh", "type": "person", "mentions": ["Singh"]},
    ]
    predicted = [{"name": "Shaitan Singh", "type": "person", "mentions": ["Singh"]}]
    pairs, fp, fn = match_entities(predicted, gold)
    assert [(p["name"], g["name"]) for p, g in pairs] == [("Shaitan Singh", "Shaitan Singh")]
    assert (fp, [g["name"] for g in fn]) == ([], ["Rajnath Singh"])


def test_gold_entities_without_mentions_match_by_name_only():
    pairs, fp, fn = match_entities(
        [{"name": "China", "type": "location"}], [{"name": "china", "type": "location"}]
    )
    assert len(pairs) == 1 and not fp and not fn


def test_dates_are_strict_and_split_by_whether_the_text_carries_a_year():
    gold = [
        {"text": "Aug 29", "value": "2024-08-29", "granularity": "day"},
        {"text": "23 October 2024", "value": "2024-10-23", "granularity": "day"},
        {"text": "२०२०", "value": "2020", "granularity": "year"},
    ]
    predicted = [
        {"text": "on Thursday", "value": "2024-08-29", "granularity": "day"},
        {"text": "October 2024", "value": "2024-10", "granularity": "month"},
        {"text": "2020", "value": "2020", "granularity": "year"},
    ]
    assert date_counts(predicted, gold)[:3] == (2, 1, 1)
    assert date_counts(predicted, gold, "absolute")[:3] == (1, 1, 1)
    assert date_counts(predicted, gold, "relative")[:3] == (1, 0, 0)
    assert has_year("05 DEC 2024") and has_year("१२ दिसंबर २०२२") and not has_year("PP-13 on Monday")


def test_prf_arithmetic():
    s = PRF()
    s.add(3, 1, 2)
    assert (round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)) == (0.75, 0.6, 0.667)
    assert PRF().f1 == 0.0


def test_wire_copies_count_a_direct_link_or_a_common_original():
    ids = {"orig": "a1", "copy1": "a2", "copy2": "a3", "other": "a4", "lost": None}
    dups = {"orig": None, "copy1": "a1", "copy2": "a2", "other": None, "lost": None}
    assert root_of("a3", {"a1": None, "a2": "a1", "a3": "a2"}) == "a1"
    pairs = [("copy1", "orig"), ("copy2", "orig"), ("other", "orig"), ("lost", "orig")]
    share = wire_copies(pairs, ids, dups)
    assert (share.hits, share.total) == (2, 4)


def test_story_pairs_count_same_and_different_events_sharing_a_story():
    items = [("e1", "s1"), ("e1", "s1"), ("e1", "s2"), ("e2", "s1"), ("e3", None), ("e3", None)]
    same, different = story_pairs(items)
    assert (same.hits, same.total) == (1, 4)  # e1 pairs: 3, one together; e3's pair has no story: apart
    assert (different.hits, different.total) == (2, 11)


def test_language_from_label_or_script():
    assert language_of({"text": "भारत और चीन ने LAC पर बातचीत की"}) == "hi"
    assert language_of({"title": "India, China talks", "text": "LAC"}) == "en"
    assert language_of({"text": "भारत", "labels": {"language": "en"}}) == "en"


def test_a_record_that_cannot_be_read_is_a_miss_and_the_rest_are_scored(tmp_path):
    good = {
        "id": "r1",
        "title": "India and China hold border talks",
        "published": "Thu, 29 Aug 2024 19:40:00 +0530",
        "text": "India and China held talks on the Line of Actual Control in Beijing on Thursday.",
        "labels": {
            "relevant": True,
            "dates": [{"text": "Thursday", "value": "2024-08-29", "granularity": "day"}],
            "entities": [{"name": "Beijing", "type": "location", "mentions": ["Beijing"]}],
            "event": "e1",
            "event_day": "2024-08-29",
            "duplicate_of": None,
        },
    }
    empty = {
        "id": "r2",
        "text": "",
        "labels": {
            "relevant": True,
            "dates": [],
            "entities": [{"name": "Ladakh", "type": "location"}],
            "event": None,
            "event_day": None,
            "duplicate_of": None,
        },
    }
    hindi = {
        "id": "r3",
        "text": "नई दिल्ली में भारत और चीन के अधिकारियों ने सीमा पर बातचीत की।",
        "labels": {
            "relevant": False,
            "dates": [],
            "entities": [{"name": "New Delhi", "type": "location", "mentions": ["नई दिल्ली"]}],
            "event": "e1",
            "event_day": None,
            "duplicate_of": None,
        },
    }
    path = tmp_path / "set.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (good, empty, hindi)) + "\n", encoding="utf-8"
    )
    report = evaluate(str(path))
    assert report.counts["all"]["records"] == 3 and report.counts["all"]["failed"] == 1
    assert (report.counts["en"]["records"], report.counts["hi"]["records"]) == (2, 1)
    assert report.p("ours", "hi", "entities").tp == 1  # "नई दिल्ली" is New Delhi in the gazetteer
    assert any(e.startswith("r2: FAILED read:") for e in report.errors)
    assert report.p("ours", "all", "relevance").fn == 1  # the unread record counts as a miss
    assert report.p("ours", "en", "dates").tp == 1


def test_gold_names_are_split_by_whether_the_gazetteer_holds_them():
    from evaluation.generalisation import gazetteer_names

    names = gazetteer_names()
    assert norm("Line of Actual Control") in names and norm("S. Jaishankar") in names
    assert norm("Invented Name Pass") not in names  # no such place: the split must not hold every name
