"""Hindi airports and legislatures: a multi-word airport name with "अंतरराष्ट्रीय" inside ("इंदिरा
गांधी अंतरराष्ट्रीय हवाई अड्डा"), a plural noun before a head word that is not part of the name
("उड़ानें बागडोगरा हवाई अड्डे से"), and a state's legislative assembly ("सिक्किम विधानसभा", named as
in English: "Sikkim Legislative Assembly"); with traps (विधानसभा alone, "विधानसभा चुनाव").

Sentences written for this purpose, in our own words; the places and bodies are real. Gold as in
tests/test_entities_open.py: the complete entity set, each a gazetteer id or (type, surface form).

First run, before the rules these sentences measure (tp/fp/fn, recall, precision):
  devanagari  tp 0 fp 4 fn 5  recall 0.000 precision 0.000
"""

from __future__ import annotations

import pytest

from tests.entity_dev import assert_found_exactly, report, sentence_params, totals
from tests.test_entities_open import Gold

CASES: list[tuple[str, set[Gold]]] = [
    (
        "विमान इंदिरा गांधी अंतरराष्ट्रीय हवाई अड्डे पर उतरा।",
        {("location", "इंदिरा गांधी अंतरराष्ट्रीय हवाई अड्डे")},
    ),
    ("उड़ानें बागडोगरा हवाई अड्डे से चलीं।", {("location", "बागडोगरा हवाई अड्डे")}),
    ("सड़कें तवांग हवाई पट्टी तक बनीं।", {("location", "तवांग हवाई पट्टी")}),
    ("सिक्किम विधानसभा में प्रस्ताव पारित हुआ।", {("organization", "सिक्किम विधानसभा")}),
    ("अरुणाचल प्रदेश विधानसभा के अध्यक्ष ने कहा।", {("organization", "अरुणाचल प्रदेश विधानसभा")}),
    # --- traps
    ("विधानसभा में हंगामा हुआ।", set()),
    ("राज्य विधानसभा चुनाव अगले साल होंगे।", set()),
]


# Sentences the rules still miss (a strict xfail: fixing one makes its test fail until it is removed here).
KNOWN_MISSES = {"विमान इंदिरा गांधी अंतरराष्ट्रीय हवाई अड्डे पर उतरा।"}  # "विमान" (aircraft) is taken into it


def test_precision_and_recall():
    tp, fp, fn = totals(CASES)  # goal 0.95 / 0.90; KNOWN_MISSES are below it
    assert tp / (tp + fn) >= 0.80 and tp / max(1, tp + fp) >= 0.80


@pytest.mark.parametrize(("text", "gold"), sentence_params(CASES, KNOWN_MISSES))
def test_sentence(text, gold):
    assert_found_exactly(text, gold)


def test_a_state_assembly_is_named_as_in_english():
    from pipeline.entities import find_entities

    [entity] = find_entities("सिक्किम विधानसभा में प्रस्ताव पारित हुआ।")
    assert (entity["name"], entity["type"]) == ("Sikkim Legislative Assembly", "organization")


if __name__ == "__main__":  # figures and the misses, for development
    report("devanagari", CASES)
