"""Names found by the words around them, not by a cue word of their own: Hindi names before a
postposition and a verb of speech or meeting, Hindi transliterations of English head words, names in
apposition after a role ("चीनी विदेश मंत्रालय के प्रवक्ता X", "spokesperson X said"), multi-word Hindi
names, English organisations with head words, places with a directional prefix ("West Kameng"); and
the precision traps of those rules (sentence-initial words, months, weekdays, headline capitals,
generic nouns, frequent Hindi words before the same postpositions).

Sentences written for this purpose, in our own words; the people are invented, the places and bodies
real or invented. Gold as in tests/test_entities_open.py: the complete entity set, each a gazetteer id
or (type, surface form).

First run, before the rules these sentences measure (tp/fp/fn, recall, precision):
  latin       tp 13 fp 3 fn 4   recall 0.765 precision 0.812
  devanagari  tp 12 fp 9 fn 20  recall 0.375 precision 0.571
"""

from __future__ import annotations

import pytest

from pipeline import entities
from tests.entity_dev import assert_found_exactly, totals
from tests.test_entities_open import Gold, _score

CLASSES: dict[str, list[tuple[str, set[Gold]]]] = {
    "hindi_speech_and_meeting": [
        ("बैठक के बाद सुरेंद्र चौहान ने पत्रकारों से बात की।", {("person", "सुरेंद्र चौहान")}),
        ("राजदूत ने मंगलवार को तेनज़िन नोरबू से मुलाकात की।", {("person", "तेनज़िन नोरबू")}),
        ("चीनी पक्ष ने वांग चुनलिन को वार्ता के लिए भेजा।", {("person", "वांग चुनलिन")}),
        ("विदेश सचिव ने ल्हामो डोलमा के साथ बैठक की।", {("person", "ल्हामो डोलमा")}),
        ("रिनचेन वांग्याल का कहना है कि चरागाह अब खुले हैं।", {("person", "रिनचेन वांग्याल")}),
        ("स्थानीय पार्षद दोरजी त्सेरिंग के मुताबिक सड़क बंद है।", {("person", "दोरजी त्सेरिंग")}),
        ("सेना प्रमुख ने हरविंदर संधू की प्रशंसा की।", {("person", "हरविंदर संधू")}),
        ("इस बारे में कमलेश बिष्ट ने बताया कि गश्त जारी है।", {("person", "कमलेश बिष्ट")}),
        ("मीडिया से बातचीत में नीलम रावत बोलीं कि गांव खाली नहीं होंगे।", {("person", "नीलम रावत")}),
    ],
    "hindi_heads": [
        ("यात्री लेंगपुई एयरपोर्ट पर फंसे रहे।", {("location", "लेंगपुई एयरपोर्ट")}),
        ("सैनिक यांगमा घाटी में गश्त कर रहे थे।", {("location", "यांगमा घाटी")}),
        ("बर्फबारी के कारण सेला दर्रा बंद कर दिया गया।", {("location", "सेला दर्रा")}),
        ("पर्यटक त्सोमगो झील देखने पहुंचे।", {("location", "त्सोमगो झील")}),
        ("नेपाल के गृह मंत्रालय ने बयान जारी किया।", {"location/nepal", ("organization", "गृह मंत्रालय")}),
        ("पूर्वी थिएटर कमान के अधिकारी बैठक में थे।", {("organization", "पूर्वी थिएटर कमान")}),
        ("सिक्किम क्रांतिकारी मोर्चा ने चुनाव जीता।", {("organization", "सिक्किम क्रांतिकारी मोर्चा")}),
        ("राष्ट्रीय महिला आयोग ने रिपोर्ट मांगी।", {("organization", "राष्ट्रीय महिला आयोग")}),
        (
            "लद्दाख स्वायत्त पहाड़ी विकास परिषद की बैठक लेह में हुई।",
            {
                ("organization", "लद्दाख स्वायत्त पहाड़ी विकास परिषद"),
                "location/leh",
            },
        ),
        ("राजीव गांधी विश्वविद्यालय के छात्रों ने शोध प्रस्तुत किया।", {("organization", "राजीव गांधी विश्वविद्यालय")}),
        ("जनता दल ने बैठक बुलाई।", {("organization", "जनता दल")}),
    ],
    "hindi_apposition": [
        (
            "चीनी विदेश मंत्रालय के प्रवक्ता झांग हुआमिन ने कहा कि सीमा पर शांति है।",
            {"organization/chinese-foreign-ministry", ("person", "झांग हुआमिन")},
        ),
        (
            "भारतीय सेना के प्रवक्ता कर्नल सुधीर मेहता ने बयान जारी किया।",
            {"organization/indian-army", ("person", "सुधीर मेहता")},
        ),
        (
            "नेपाल के विदेश मंत्री कमल थापा ने कहा कि वार्ता जारी रहेगी।",
            {"location/nepal", ("person", "कमल थापा")},
        ),
        (
            "अरुणाचल प्रदेश के उपमुख्यमंत्री तागे ताकी ने गांव का दौरा किया।",
            {"location/arunachal-pradesh", ("person", "तागे ताकी")},
        ),
        ("जिलाधिकारी नरेश कुमार ने सड़क का निरीक्षण किया।", {("person", "नरेश कुमार")}),
        ("थाना प्रभारी विनोद नेगी ने बताया कि मामला दर्ज हो गया है।", {("person", "विनोद नेगी")}),
    ],
    "hindi_precision": [
        ("सरकार ने कहा कि सड़क जल्द खुलेगी।", set()),
        ("लोगों ने बताया कि बर्फबारी से रास्ता बंद है।", set()),
        ("अधिकारियों से बातचीत के बाद किसानों ने धरना खत्म किया।", set()),
        ("सोमवार को बैठक होगी और मंगलवार को रिपोर्ट आएगी।", set()),
        ("ग्रामीणों के साथ बैठक में पानी की समस्या उठी।", set()),
        ("इस मुद्दे पर विपक्ष ने सवाल उठाए।", set()),
        ("पुलिस ने बताया कि दो लोग घायल हुए।", set()),
        ("मौसम विभाग ने चेतावनी जारी की।", set()),
        ("केंद्र सरकार ने राज्य को पत्र लिखा।", set()),
        ("जिला प्रशासन ने स्कूल बंद कर दिए।", set()),
    ],
    "english_roles": [
        (
            "Bhutanese foreign ministry spokesperson Karma Wangdi said the talks were friendly.",
            {("person", "Karma Wangdi")},
        ),
        ("District magistrate Alok Verma said the road would reopen.", {("person", "Alok Verma")}),
        ("Police superintendent Rohit Negi told reporters the case was closed.", {("person", "Rohit Negi")}),
        (
            "The village headman, Tsering Angchuk, said the herders had returned.",
            {("person", "Tsering Angchuk")},
        ),
        ("Local councillor Jigmet Dolma welcomed the decision.", {("person", "Jigmet Dolma")}),
    ],
    "english_heads": [
        ("The Sikkim Krantikari Morcha won the seat.", {("organization", "Sikkim Krantikari Morcha")}),
        (
            "The Ladakh Autonomous Hill Development Council met in Leh.",
            {("organization", "Ladakh Autonomous Hill Development Council"), "location/leh"},
        ),
        (
            "Students of Rajiv Gandhi University presented the survey.",
            {("organization", "Rajiv Gandhi University")},
        ),
        (
            "The National Commission for Women sought a report.",
            {("organization", "National Commission for Women")},
        ),
        ("Flights to Lengpui Airport were cancelled.", {("location", "Lengpui Airport")}),
        ("Snow closed Sela Pass on Sunday.", {("location", "Sela Pass")}),
    ],
    "english_directional": [
        ("Villages in West Kameng lost power.", {("location", "West Kameng")}),
        ("Roads in North Sikkim were closed after the landslide.", {("location", "North Sikkim")}),
        ("Troops moved to Upper Siang on Friday.", {("location", "Upper Siang")}),
        ("Herders from East Kameng crossed the river.", {("location", "East Kameng")}),
        ("Rain lashed South Sikkim.", {("location", "South Sikkim")}),
    ],
    "english_precision": [
        ("However, officials said the road would open in May.", set()),
        ("Sources said the talks went well on Monday.", set()),
        ("Officials From Both Sides Met In The Valley", set()),
        ("The spokesperson said the government would respond.", set()),
        ("North and south banks of the river were flooded.", set()),
        ("Western media reported the meeting.", set()),
    ],
}
CASES = [(name, text, gold) for name, cases in CLASSES.items() for text, gold in cases]
# Sentences the rules still miss (a strict xfail: fixing one makes its test fail until it is removed here).
KNOWN_MISSES = {
    "चीनी पक्ष ने वांग चुनलिन को वार्ता के लिए भेजा।",  # a name before "को" and a verb further on
    "जनता दल ने बैठक बुलाई।",  # "दल" is also a team or a delegation: no head word
}


def _totals(script: str) -> tuple[int, int, int]:
    return totals((t, g) for _, t, g in CASES if entities.is_devanagari(t) == (script == "devanagari"))


# (recall, precision) floors per script: the figures the rules reach now, below the goal of 0.95 / 0.90
# where KNOWN_MISSES are; a rule that loses any of them fails here.
FLOORS = {"latin": (0.95, 0.90), "devanagari": (0.90, 0.95)}


@pytest.mark.parametrize("script", ["latin", "devanagari"])
def test_precision_and_recall_per_script(script):
    tp, fp, fn = _totals(script)
    recall, precision = FLOORS[script]
    assert tp / (tp + fn) >= recall and tp / (tp + fp) >= precision


@pytest.mark.parametrize(
    ("name", "text", "gold"),
    [
        pytest.param(*case, marks=pytest.mark.xfail(strict=True)) if case[1] in KNOWN_MISSES else case
        for case in CASES
    ],
    ids=[f"{n}:{t[:30]}" for n, t, _ in CASES],
)
def test_sentence(name, text, gold):
    assert_found_exactly(text, gold)


if __name__ == "__main__":  # figures per script and the misses, for development
    for script in ("latin", "devanagari"):
        tp, fp, fn = _totals(script)
        print(
            f"{script:11} tp {tp} fp {fp} fn {fn}  recall {tp / (tp + fn):.3f} precision {tp / (tp + fp):.3f}"
        )
    for name, text, gold in CASES:
        _, _, _, missed, extra = _score(text, gold)
        if missed or extra:
            print(name, "|", text[:60], "| missed", missed, "| extra", extra)
