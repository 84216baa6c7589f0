"""Hindi names the head-word lists did not cover and places named only by a locative postposition:
transliterated English heads (रोड, स्टेशन, कॉलेज, इंस्टीट्यूट, बैंक...), Hindi heads of bodies and
events (संस्थान, निगम, न्यायालय, सम्मेलन, अभ्यास, दिवस...), and an unknown name-like word before
"में", "के पास", "से ... तक" (a place); with the precision traps of those rules (common nouns before
the same words, heads after kind words).

Sentences written for this purpose, in our own words; places and bodies real or invented. Gold as in
tests/test_entities_open.py: the complete entity set, each a gazetteer id or (type, surface form).

First run, before the rules these sentences measure (tp/fp/fn, recall, precision):
  devanagari  tp 0 fp 3 fn 16  recall 0.000 precision 0.000
"""

from __future__ import annotations

import pytest

from tests.entity_dev import assert_found_exactly, report, sentence_params, totals
from tests.test_entities_open import Gold

CASES: list[tuple[str, set[Gold]]] = [
    # --- transliterated English heads
    ("ट्रक स्टिलवेल रोड पर फंस गए।", {("location", "स्टिलवेल रोड")}),
    ("यात्री न्यू जलपाईगुड़ी स्टेशन पर उतरे।", {("location", "न्यू जलपाईगुड़ी स्टेशन")}),
    ("डोमिनिक सावियो कॉलेज के छात्र आए।", {("organization", "डोमिनिक सावियो कॉलेज")}),
    ("हिमालयन माउंटेनियरिंग इंस्टीट्यूट ने प्रशिक्षण दिया।", {("organization", "हिमालयन माउंटेनियरिंग इंस्टीट्यूट")}),
    ("एशियन डेवलपमेंट बैंक ने कर्ज मंजूर किया।", {("organization", "एशियन डेवलपमेंट बैंक")}),
    ("सेला टनल का उद्घाटन हुआ।", {("location", "सेला टनल")}),
    # --- Hindi heads of bodies and events
    (
        "वाडिया हिमालय भूविज्ञान संस्थान के वैज्ञानिकों ने अध्ययन किया।",
        {("organization", "वाडिया हिमालय भूविज्ञान संस्थान")},
    ),
    ("सिक्किम पर्यटन विकास निगम ने बसें चलाईं।", {("organization", "सिक्किम पर्यटन विकास निगम")}),
    ("गुवाहाटी उच्च न्यायालय ने सुनवाई की।", {("organization", "गुवाहाटी उच्च न्यायालय")}),
    ("रायसीना संवाद सम्मेलन में चर्चा हुई।", {("event", "रायसीना संवाद सम्मेलन")}),
    ("युद्धाभ्यास हैंड इन हैंड अभ्यास फिर शुरू होगा।", {("event", "हैंड इन हैंड अभ्यास")}),
    # --- places named by a locative
    ("सैनिकों ने हानले में नई चौकी बनाई।", {("location", "हानले")}),
    ("चरवाहे कोयुल के पास भेड़ें चरा रहे थे।", {("location", "कोयुल")}),
    ("सड़क सासोमा से मुर्गो तक बनेगी।", {("location", "सासोमा"), ("location", "मुर्गो")}),
    ("बर्फबारी के बाद लाचुंग में पर्यटक फंसे।", {("location", "लाचुंग")}),
    # --- precision traps
    ("बैठक में कई मुद्दों पर चर्चा हुई।", set()),
    ("गांव के पास नदी बहती है।", set()),
    ("सुबह से शाम तक बारिश हुई।", set()),
    ("इस सम्मेलन में दस देश आए।", set()),
    ("संयुक्त सैन्य अभ्यास अगले महीने होगा।", set()),
    ("स्थानीय बैंक ने शाखा खोली।", set()),
    ("नया रोड बनने से गांव जुड़ेंगे।", set()),
    ("सरकारी कॉलेज में दाखिले शुरू हुए।", set()),
    ("उच्च न्यायालय ने राज्य से जवाब मांगा।", set()),
    ("पहाड़ों में ठंड बढ़ गई।", set()),
]


# Sentences the rules still miss (a strict xfail: fixing one makes its test fail until it is removed here).
KNOWN_MISSES = {
    "ट्रक स्टिलवेल रोड पर फंस गए।",  # a common noun before the name is taken into it
    "एशियन डेवलपमेंट बैंक ने कर्ज मंजूर किया।",  # transliterated English words are not evidently names
    "सिक्किम पर्यटन विकास निगम ने बसें चलाईं।",  # "पर्यटन" is a modifier: the name stops there
    "रायसीना संवाद सम्मेलन में चर्चा हुई।",  # an event needs every word to be name-like
    "युद्धाभ्यास हैंड इन हैंड अभ्यास फिर शुरू होगा।",  # "इन" is also the pronoun "these"
}


def test_precision_and_recall():
    tp, fp, fn = totals(CASES)  # the figures reached (goal 0.95 / 0.90; KNOWN_MISSES are below it)
    assert tp / (tp + fn) >= 0.68 and tp / (tp + fp) >= 0.78


@pytest.mark.parametrize(("text", "gold"), sentence_params(CASES, KNOWN_MISSES))
def test_sentence(text, gold):
    assert_found_exactly(text, gold)


if __name__ == "__main__":  # figures and the misses, for development
    report("devanagari", CASES)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("सेना ने हानले और कोयुल में शिविर लगाए।", ["हानले", "कोयुल"]),
        ("सड़क हानले, कोयुल और डेमचोक में बनेगी।", ["हानले", "कोयुल", "डेमचोक"]),
        ("सैनिक हानले और गांवों में हैं।", []),  # listed with a common noun: no evidence of a place
    ],
)
def test_places_listed_before_a_locative(text, places):
    from pipeline.entities import find_entities

    assert [e["mentions"][0] for e in find_entities(text) if e["type"] == "location"] == places
