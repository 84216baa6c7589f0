"""English names found by the words around them that the rules did not read yet: "according to X",
an abbreviated rank ("Brig X"), company heads ("... Technologies", "... Airways"), verbs of visiting
and reaching before a place ("visited Bomdila"), an all-caps role in apposition ("X, the MLA from
..."); with the traps of those cues (common words after the same verbs, a role word alone).

Sentences written for this purpose, in our own words; the people and companies are invented, the
places real. Gold as in tests/test_entities_open.py: the complete entity set, each a gazetteer id or
(type, surface form).

First run, before the rules these sentences measure (tp/fp/fn, recall, precision):
  latin  tp 3 fp 2 fn 11  recall 0.214 precision 0.600
"""

from __future__ import annotations

import pytest

from tests.entity_dev import assert_found_exactly, report, sentence_params, totals
from tests.test_entities_open import Gold

CASES: list[tuple[str, set[Gold]]] = [
    ("According to Tenzin Dorjee, the herders were stopped near the wire.", {("person", "Tenzin Dorjee")}),
    ("according to Meera Pillai of the forest department, the count rose.", {("person", "Meera Pillai")}),
    ("The team included Brig Anil Thapa.", {("person", "Anil Thapa")}),
    (
        "Satellite images from Karst Imaging Technologies showed new sheds.",
        {("organization", "Karst Imaging Technologies")},
    ),
    ("Kalinga Airways resumed flights to Tezu.", {("organization", "Kalinga Airways"), ("location", "Tezu")}),
    ("Himgiri Industries won the road contract.", {("organization", "Himgiri Industries")}),
    ("The minister visited Bomdila and Dirang.", {("location", "Bomdila"), ("location", "Dirang")}),
    ("The convoy reached Hayuliang on Tuesday.", {("location", "Hayuliang")}),
    (
        "Kiren Rijiju met Lobsang Tenzing, the MLA from Tawang.",
        {
            "person/kiren-rijiju",
            ("person", "Lobsang Tenzing"),
            "location/tawang",
        },
    ),
    ("He spoke to Dorjee Khandu, an MP from the state.", {("person", "Dorjee Khandu")}),
    # --- traps
    ("According to officials, the road is open.", set()),
    ("The minister visited the school and the hospital.", set()),
    ("The team reached Monday's deadline.", set()),
    ("The MLA from the constituency said nothing.", set()),
    ("Shares of the airline rose.", set()),
]


# Sentences the rules still miss (a strict xfail: fixing one makes its test fail until it is removed here).
KNOWN_MISSES = {
    "He spoke to Dorjee Khandu, an MP from the state.",  # "Khandu" is a known person's weak alias
}


def test_precision_and_recall():
    tp, fp, fn = totals(CASES)
    assert tp / (tp + fn) >= 0.92 and tp / (tp + fp) >= 0.92


@pytest.mark.parametrize(("text", "gold"), sentence_params(CASES, KNOWN_MISSES))
def test_sentence(text, gold):
    assert_found_exactly(text, gold)


if __name__ == "__main__":  # figures and the misses, for development
    report("latin", CASES)
