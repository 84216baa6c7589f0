"""Hindi titles of local and civil offices before a name (जिलाधिकारी, उपायुक्त, उपमुख्यमंत्री, पार्षद,
महापौर, महानिदेशक), and a person before "की अध्यक्षता में" / "के नेतृत्व में" (the meeting or the
delegation they chaired or led); with traps (the office words alone, "की अध्यक्षता में" after a body).

Sentences written for this purpose, in our own words; the people are invented. Gold as in
tests/test_entities_open.py: the complete entity set, each a gazetteer id or (type, surface form).

First run, before the rules these sentences measure (tp/fp/fn, recall, precision):
  devanagari  tp 1 fp 1 fn 5  recall 0.167 precision 0.500
"""

from __future__ import annotations

import pytest

from tests.entity_dev import assert_found_exactly, report, sentence_params, totals
from tests.test_entities_open import Gold

CASES: list[tuple[str, set[Gold]]] = [
    ("जिलाधिकारी अनुराधा पाल की अध्यक्षता में बैठक हुई।", {("person", "अनुराधा पाल")}),
    ("उपायुक्त तेनजिन ग्यात्सो सड़क देखने पहुंचे।", {("person", "तेनजिन ग्यात्सो")}),
    ("उपमुख्यमंत्री चौना मेन कल गांव जाएंगे।", {("person", "चौना मेन")}),
    ("महापौर सुनीता रावत भी मौजूद रहीं।", {("person", "सुनीता रावत")}),
    ("महानिदेशक राहुल रसगोत्रा के नेतृत्व में दल पहुंचा।", {("person", "राहुल रसगोत्रा")}),
    ("पार्षद पेमा वांगचुक के नेतृत्व में लोग जुटे।", {("person", "पेमा वांगचुक")}),
    # --- traps
    ("जिलाधिकारी कार्यालय में बैठक हुई।", set()),
    ("समिति की अध्यक्षता में सुधार हुआ।", set()),
    ("उपायुक्त ने आदेश जारी किया।", set()),
    ("सरकार के नेतृत्व में काम हुआ।", set()),
]


def test_precision_and_recall():
    tp, fp, fn = totals(CASES)
    assert tp / (tp + fn) >= 0.95 and tp / max(1, tp + fp) >= 0.90


@pytest.mark.parametrize(("text", "gold"), sentence_params(CASES))
def test_sentence(text, gold):
    assert_found_exactly(text, gold)


if __name__ == "__main__":  # figures and the misses, for development
    report("devanagari", CASES)
