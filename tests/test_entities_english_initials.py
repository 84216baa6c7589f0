"""English names with capital-letter initials written together after a title ("Prime Minister KP
Sharma Oli", "Gen MM Naravane"), an all-caps role before a name ("Ladakh MP X", "MLA X"), and places
before a plural lower-case kind word ("Chumur and Tegazong villages"); with traps (acronyms after a
title, all-caps words that are not initials).

Sentences written for this purpose, in our own words; the people are invented or public, the places
real. Gold as in tests/test_entities_open.py: the complete entity set, each a gazetteer id or (type,
surface form).

First run, before the rules these sentences measure (tp/fp/fn, recall, precision):
  latin  tp 3 fp 0 fn 8  recall 0.273 precision 1.000
"""

from __future__ import annotations

import pytest

from tests.entity_dev import assert_found_exactly, report, sentence_params, totals
from tests.test_entities_open import Gold

CASES: list[tuple[str, set[Gold]]] = [
    ("Prime Minister KP Sharma Oli raised the issue.", {("person", "KP Sharma Oli")}),
    ("Minister PK Tamang inaugurated the bridge.", {("person", "PK Tamang")}),
    ("Dr RS Negi led the survey team.", {("person", "RS Negi")}),
    ("Ladakh MP Mohmad Haneefa raised the matter.", {"location/ladakh", ("person", "Mohmad Haneefa")}),
    ("Local MLA Tsering Dorjay visited the site.", {("person", "Tsering Dorjay")}),
    (
        "Residents of Chumur and Tegazong villages complained.",
        {("location", "Chumur"), ("location", "Tegazong")},
    ),
    ("Snow fell in the Anini and Etalin towns.", {("location", "Anini"), ("location", "Etalin")}),
    # --- traps
    ("The Minister ITBP officials met said nothing.", {"organization/itbp"}),
    ("Prime Minister UPDATE follows.", set()),
    ("The MP said the villages were cut off.", set()),
]


def test_precision_and_recall():
    tp, fp, fn = totals(CASES)
    assert tp / (tp + fn) >= 0.95 and tp / max(1, tp + fp) >= 0.90


@pytest.mark.parametrize(("text", "gold"), sentence_params(CASES))
def test_sentence(text, gold):
    assert_found_exactly(text, gold)


if __name__ == "__main__":  # figures and the misses, for development
    report("latin", CASES)
