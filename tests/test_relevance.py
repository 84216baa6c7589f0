"""Relevance scoring (pure) on seeds, realistic negatives and the real publishers' feeds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.article import Article
from pipeline.clean import clean
from pipeline.feeds import parse_feed
from pipeline.relevance import _key, relevance_score, score, terms
from tests.conftest import FEED_FIXTURES, SEEDS


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_seed_is_relevant(path):
    a = score(clean(Article(raw_text=path.read_text(encoding="utf-8"))))
    assert a.relevant is True
    assert a.relevance_score >= 0.9


def test_border_talks_in_english_are_relevant():
    a = score(
        Article(
            title="India, China hold 22nd round of Corps Commander talks",
            text="Indian and Chinese military commanders discussed disengagement at the remaining friction "
            "points along the Line of Actual Control in eastern Ladakh.",
        )
    )
    assert a.relevant is True


def test_border_talks_in_hindi_are_relevant():
    a = score(
        Article(
            title="भारत-चीन सीमा पर गश्त फिर शुरू",
            text="पूर्वी लद्दाख में वास्तविक नियंत्रण रेखा पर डेपसांग और डेमचोक में भारतीय सेना ने गश्त शुरू की।",
        )
    )
    assert a.relevant is True


def test_india_china_cricket_is_not_relevant():
    a = score(
        Article(
            title="India beat China by 9 wickets in Asian Games cricket",
            text="India's batters chased down China's total in the T20 match; the innings lasted 8 overs.",
        )
    )
    assert a.relevant is False


def test_india_china_trade_is_not_relevant():
    a = score(
        Article(
            title="India's trade deficit with China widens to $85 billion",
            text=(
                "Imports from China of smartphones and electronics rose while exports fell, the "
                "ministry said."
            ),
        )
    )
    assert a.relevant is False


def test_india_china_film_is_not_relevant():
    a = score(
        Article(
            title="Bollywood film set in China tops the box office",
            text="The Indian movie, shot in Beijing, stars a popular actor and actress.",
        )
    )
    assert a.relevant is False


def test_border_news_without_china_is_not_relevant():
    a = score(
        Article(
            title="BSF tightens vigil on India-Pakistan border in Punjab",
            text="Troops patrol the border fence.",
        )
    )
    assert a.relevant is False


def test_lowercase_lac_as_a_number_word_does_not_count():
    _, counts = relevance_score("India and China: a property worth Rs 5 lac was sold.")
    assert "lac" not in counts


def test_hindi_terms_match_inflected_words():
    _, counts = relevance_score("चीनी सैनिकों ने सीमावर्ती इलाकों में गश्त की")
    assert counts["चीन"] == 1
    assert counts["सीमावर्ती"] == 1


@pytest.mark.parametrize(
    "name", ["states_cdata_rss.xml", "topstories_broken_rss.xml", "international_rss.xml", "sports_rss.xml"]
)
def test_fixture_feeds_have_nothing_about_the_border(name):
    articles = [score(clean(a)) for a in parse_feed((FEED_FIXTURES / name).read_bytes(), feed_name=name)]
    assert [a.title for a in articles if a.relevant] == []


def test_a_border_place_stands_for_china_when_china_is_not_named():
    a = score(
        Article(
            title="Four years after Galwan, Army keeps vigil",
            text=(
                "Four years after the Galwan Valley clash, in which 20 Indian soldiers were killed, "
                "the Indian Army holds positions along the Line of Actual Control in eastern Ladakh."
            ),
        )
    )
    assert a.relevant is True


CASES = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "relevance_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_short_reports_and_hard_negatives_per_language(lang):
    """Precision and recall >= 0.97 in each language on short reports written for the purpose."""
    kept = [t for t in CASES["relevant"][lang] if score(Article(text=t)).relevant]
    wrong = [t for t in CASES["not_relevant"][lang] if score(Article(text=t)).relevant]
    precision = len(kept) / (len(kept) + len(wrong))
    recall = len(kept) / len(CASES["relevant"][lang])
    assert precision >= 0.97 and recall >= 0.97, (set(CASES["relevant"][lang]) - set(kept), wrong)


def test_hindi_spelling_variants_fold():
    _, with_nukta = relevance_score("चीनी सैनिकों से झड़प हुई")
    _, without = relevance_score("चीनी सैनिकों से झडप हुई")
    assert with_nukta == without and "झडप" in without
    _, counts = relevance_score("पहुँचे पहुंचे")
    assert counts == {}


def test_a_longer_term_starting_with_a_border_place_stands_for_both_sides():
    assert score(Article(text="गलवान घाटी में झड़प की बरसी पर कार्यक्रम हुआ और सैन्य अधिकारी पहुंचे।")).relevant is True


def test_the_pair_bonus_needs_border_or_military_vocabulary():
    _, counts = relevance_score("India and China agreed to resume direct flights.")
    assert "(india+china)" not in counts
    _, counts = relevance_score("After Chinese aggression the army camp in India grew.")
    assert "(india+china)" not in counts
    _, counts = relevance_score("भारत और चीन के सैनिकों के बीच झड़प हुई।")
    assert counts["(india+china)"] == 1


SECTOR_CASES = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "relevance_cases_sectors.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_middle_sector_crossings_and_infrastructure_in_tourism_and_festivals_out(lang):
    """Border trade through a pass, the yatra into Tibet, the middle sector, roads near the LAC are kept;
    tourism, weather, festivals, sport and film at the same places, and other borders, are not."""
    kept = [t for t in SECTOR_CASES["relevant"][lang] if score(Article(text=t)).relevant]
    wrong = [t for t in SECTOR_CASES["not_relevant"][lang] if score(Article(text=t)).relevant]
    assert not wrong and len(kept) == len(SECTOR_CASES["relevant"][lang]), (
        set(SECTOR_CASES["relevant"][lang]) - set(kept),
        wrong,
    )


def test_border_places_come_from_the_gazetteer_sectors():
    from pipeline.entities import gazetteer

    t = terms()
    for entity in gazetteer().entities.values():
        if entity.type == "location" and entity.sector and entity.kind == "pass":
            assert all(_key(a) in t.places for a in entity.aliases)
    # a pass stands for both sides, a district only for India
    assert "lipulekh" in t.lac_places and "chamoli" in t.places and "chamoli" not in t.lac_places


def test_a_border_place_alone_needs_a_military_or_diplomatic_word():
    place_only = relevance_score("Tourists crowded the Barahoti meadows and the Shipki La viewpoint.")[0]
    with_context = relevance_score("ITBP troops crowded the Barahoti meadows near Shipki La.")[0]
    assert place_only < terms().threshold <= with_context


def test_a_third_country_takes_a_border_place_from_india_but_not_an_indian_state():
    assert not score(Article(text="Bhutan and China held boundary talks about Doklam this week.")).relevant
    assert score(
        Article(
            text="China has built a road near Doklam on land Bhutan claims, and the Army in Sikkim "
            "is on alert along the border."
        )
    ).relevant
    assert score(
        Article(text="चीन ने भूटान के दावे वाले डोकलाम के पास सड़क बनाई, सिक्किम सीमा पर सेना सतर्क है।")
    ).relevant
