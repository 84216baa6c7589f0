"""Language detection (pure)."""

from __future__ import annotations

import pytest

from pipeline.article import Article
from pipeline.language import detect, detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("भारतीय रक्षा मंत्री राजनाथ सिंह ने 20 नवम्बर, 2024 को चीनी रक्षा मंत्री से मुलाकात की।", "hi"),
        ("India and China have taken significant steps towards improving their bilateral relations.", "en"),
        ("Les ministres se sont rencontrés à Paris hier soir pour discuter de la frontière.", "fr"),
        ("中国和印度的国防部长在万象会晤", "zh"),
    ],
)
def test_language_of_single_language_text(text, expected):
    assert detect_language(text) == expected


def test_mixed_text_gets_the_majority_language_hindi():
    text = "रक्षा मंत्री राजनाथ सिंह ने चीनी समकक्ष से मुलाकात की और LAC पर बातचीत की (ADMM-Plus)।"
    assert detect_language(text) == "hi"


def test_mixed_text_gets_the_majority_language_english():
    text = (
        "Defence Minister Rajnath Singh met his Chinese counterpart; he later posted 'बहुत "
        "उत्पादक मुलाकात' on X."
    )
    assert detect_language(text) == "en"


def test_text_without_letters_has_no_language():
    assert detect_language("2024-11-20 10:04") is None
    assert detect_language("") is None


def test_detect_uses_title_and_text():
    a = detect(Article(title="भारत-चीन सीमा वार्ता", text="दोनों पक्षों ने गश्त पर सहमति जताई।"))
    assert a.language == "hi"


@pytest.mark.parametrize(
    "headline",
    [
        "Chennai drools over Ronaldinho's Samba magic",
        "PM Modi, President Murmu extend Eid greetings, wish for 'hope & harmony'",
    ],
)
def test_short_english_headlines_are_english(headline):
    assert detect_language(headline) == "en"
