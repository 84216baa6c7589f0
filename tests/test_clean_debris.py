"""Every site-debris pattern in pipeline/data/debris.yaml, English and Hindi, with a line written for
it: the clean stage removes the debris and keeps the real sentences around it."""

from __future__ import annotations

import re

import pytest
import yaml

from pipeline.article import Article
from pipeline.clean import DATA, clean

EN_BEFORE = "Engineers finished the new bridge over the river ahead of the winter closure."
EN_AFTER = "The army said supply convoys would use it from next week."
HI_BEFORE = "रक्षा मंत्री ने सीमा पर तैनात जवानों से मुलाकात की।"
HI_AFTER = "बैठक में सड़क निर्माण की प्रगति पर चर्चा हुई।"

# (section, index in that section of debris.yaml) -> a debris line written for that pattern.
CASES = {
    ("lines", 0): "date 2025-03-14 Menu Explore Sections",
    ("lines", 1): "Sign in",
    ("lines", 2): "Also read: Army chief visits forward posts in Sikkim",
    ("lines", 3): "Desk Explains | Why the winter patrols matter",
    ("lines", 4): "Watch: Convoy crosses the snowbound pass",
    ("lines", 5): "Related: Bridge opens in Arunachal",
    ("lines", 6): "The Border Desk is now available on Telegram, join the channel",
    ("lines", 7): "Follow us on Instagram for pictures from the front",
    ("lines", 8): "Click here to get the morning briefing in your inbox",
    ("lines", 9): "Download the Border Desk app for live updates",
    ("lines", 10): "Catch all the latest national news and updates here",
    ("lines", 11): "Story continues below this ad",
    ("lines", 12): "Last updated:",
    ("lines", 13): "Copyright 2025 The Border Desk, all rights reserved",
    ("lines", 14): "(With inputs from agencies)",
    ("lines", 15): "यह भी पढ़ें: लद्दाख में नई सड़क खुली",
    ("lines", 16): "ताजा खबरें: पहाड़ों में बर्फबारी से रास्ते बंद",
    ("lines", 17): "हमें व्हाट्सऐप पर फॉलो करें",
    ("captions", 0): "Soldiers stand guard near the pass on Monday. (PTI)",
    ("captions", 1): "Photo: Army trucks on the highway near the lake",
}
# The inline pattern cuts its match off the end of a line and keeps the rest.
INLINE = {0: ("The delegations met for six hours. Advertisement", "The delegations met for six hours.")}


def _patterns() -> dict[str, list[str]]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def test_every_pattern_has_a_case():
    data = _patterns()
    assert sorted(CASES) == sorted((s, i) for s in ("lines", "captions") for i in range(len(data[s])))
    assert sorted(INLINE) == list(range(len(data["inline"])))


@pytest.mark.parametrize(("section", "index"), sorted(CASES))
def test_each_debris_line_is_removed_and_its_neighbours_kept(section, index):
    line = CASES[(section, index)]
    assert re.search(_patterns()[section][index], line), "the case must exercise its own pattern"
    hindi = bool(re.search("[\u0900-\u097f]", line))
    before, after = (HI_BEFORE, HI_AFTER) if hindi else (EN_BEFORE, EN_AFTER)
    article = clean(Article(input="t", raw_title="Bridge ready", raw_text=f"{before}\n{line}\n{after}"))
    assert article.text == f"{before}\n\n{after}"


@pytest.mark.parametrize("index", sorted(INLINE))
def test_inline_debris_is_cut_and_the_rest_of_its_line_kept(index):
    line, kept = INLINE[index]
    assert re.search(_patterns()["inline"][index], line)
    article = clean(Article(input="t", raw_title="Talks", raw_text=f"{EN_BEFORE}\n{line}\n{EN_AFTER}"))
    assert article.text == f"{EN_BEFORE}\n\n{kept}\n\n{EN_AFTER}"


@pytest.mark.parametrize(
    "sentence",
    [
        "Related talks were held in Beijing on the same day.",
        "Readers wrote in about the new road.",
        "Photographs of the site were shared by the ministry.",
        "इसके बाद अधिकारियों ने सीमा पर सड़क का निरीक्षण किया।",
    ],
)
def test_real_sentences_that_start_like_debris_are_kept(sentence):
    article = clean(Article(input="t", raw_title="Road", raw_text=f"{EN_BEFORE}\n{sentence}"))
    assert article.text == f"{EN_BEFORE}\n\n{sentence}"
