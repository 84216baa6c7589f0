"""The gazetteer file and its loader: coordinates, sectors and kinds, and what the loader refuses."""

from __future__ import annotations

import re

import pytest

from pipeline import entities
from pipeline.entities import SECTORS, load_gazetteer

# Rough boxes (lat_min, lat_max, lon_min, lon_max) around the three sectors of the Line of Actual
# Control on the Indian side: Ladakh; Himachal Pradesh and Uttarakhand; Sikkim and Arunachal Pradesh.
SECTOR_BOXES = {
    "western": (32.3, 36.5, 77.0, 80.5),
    "middle": (29.0, 32.3, 77.0, 81.2),
    "eastern": (26.5, 29.5, 88.0, 97.5),
}
# Places along the LAC that the gazetteer must know, each with a sector (one or more ids per place).
LAC_PLACES = {
    "western": [
        "location/galwan-valley",
        "location/pangong-lake",
        "location/pangong-fingers",
        "location/depsang-plains",
        "location/daulat-beg-oldie",
        "location/demchok",
        "location/charding-nullah",
        "location/chushul",
        "location/rezang-la",
        "location/kailash-range",
        "location/gogra-hot-springs",
        "location/patrolling-point-15",
        "location/patrolling-point-17a",
        "location/chumar",
        "location/nyoma",
        "location/leh",
        "location/leh-airport",
        "location/aksai-chin",
        "location/karakoram-pass",
        "location/spanggur-gap",
        "location/moldo",
        "location/ladakh",
        "location/eastern-ladakh",
    ],
    "middle": [
        "location/barahoti",
        "location/lipulekh",
        "location/shipki-la",
        "location/mana-pass",
        "location/kinnaur",
        "location/chamoli",
        "location/pithoragarh",
        "location/uttarakhand",
        "location/himachal-pradesh",
    ],
    "eastern": [
        "location/sikkim",
        "location/nathu-la",
        "location/naku-la",
        "location/jelep-la",
        "location/doklam",
        "location/tawang",
        "location/yangtse",
        "location/bum-la",
        "location/kibithu",
        "location/asaphila",
        "location/walong",
        "location/upper-subansiri",
        "location/anjaw",
        "location/arunachal-pradesh",
    ],
}


def write(tmp_path, body: str):
    path = tmp_path / "g.yaml"
    path.write_text("entities:\n" + body, encoding="utf-8")
    return path


def test_loader_reads_coordinates_sector_and_kind(tmp_path):
    path = write(
        tmp_path,
        "- {id: location/x, name: X Pass, type: location, aliases: [X Pass], coordinates: [34.5, 78],"
        " sector: western, kind: pass}\n"
        "- {id: person/y, name: Y Person, type: person, aliases: [Y Person]}\n",
    )
    gaz = load_gazetteer(path)
    x, y = gaz.entities["location/x"], gaz.entities["person/y"]
    assert (x.coordinates, x.sector, x.kind) == ((34.5, 78.0), "western", "pass")
    assert (y.coordinates, y.sector, y.kind) == (None, None, None)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("coordinates: [91, 78]", "out of range"),
        ("coordinates: [-90.5, 78]", "out of range"),
        ("coordinates: [34, 180.1]", "out of range"),
        ("coordinates: [34, -181]", "out of range"),
        ("coordinates: [34]", "must be \\[lat, lon\\]"),
        ("coordinates: [34, 78, 4000]", "must be \\[lat, lon\\]"),
        ("coordinates: '34, 78'", "must be \\[lat, lon\\]"),
        ("coordinates: ['34', '78']", "must be numbers"),
        ("coordinates: [true, 78]", "must be numbers"),
        ("sector: northern", "unknown sector 'northern'"),
        ("kind: ''", "empty or non-text kind"),
    ],
)
def test_loader_rejects_bad_coordinates_sectors_and_kinds(tmp_path, field, message):
    path = write(tmp_path, f"- {{id: location/x, name: X, type: location, aliases: [X], {field}}}\n")
    with pytest.raises(ValueError, match=message):
        load_gazetteer(path)


def test_loader_rejects_coordinates_on_a_person(tmp_path):
    path = write(
        tmp_path, "- {id: person/x, name: X Y, type: person, aliases: [X Y], coordinates: [30, 80]}\n"
    )
    with pytest.raises(ValueError, match="not a location"):
        load_gazetteer(path)


def test_loader_rejects_an_implied_id_that_does_not_exist(tmp_path):
    path = write(
        tmp_path, "- {id: event/x, name: X, type: event, aliases: [X], implies: [location/nowhere]}\n"
    )
    with pytest.raises(ValueError, match="implies unknown id location/nowhere"):
        load_gazetteer(path)


def test_sectors_are_the_three_of_the_lac():
    assert SECTORS == ("western", "middle", "eastern")


# --- the project's gazetteer
def test_every_location_has_coordinates():
    missing = [
        e.id for e in entities.gazetteer().entities.values() if e.type == "location" and e.coordinates is None
    ]
    assert missing == []


@pytest.mark.parametrize("sector", SECTORS)
def test_every_lac_place_is_known_with_its_sector(sector):
    gaz = entities.gazetteer().entities
    assert [
        (i, gaz[i].sector if i in gaz else "missing")
        for i in LAC_PLACES[sector]
        if i not in gaz or gaz[i].sector != sector
    ] == []


def test_a_place_with_a_sector_lies_in_that_sector():
    wrong = []
    for e in entities.gazetteer().entities.values():
        if e.sector is None:
            continue
        lat_min, lat_max, lon_min, lon_max = SECTOR_BOXES[e.sector]
        if e.coordinates is None or not (
            lat_min <= e.coordinates[0] <= lat_max and lon_min <= e.coordinates[1] <= lon_max
        ):
            wrong.append((e.id, e.sector, e.coordinates))
    assert wrong == []


def test_a_place_inside_a_sector_has_that_sector_unless_it_is_a_country_or_a_line():
    # A border place added without its sector would be invisible to sector filters.
    missing = []
    for e in entities.gazetteer().entities.values():
        if e.coordinates is None or e.kind in ("country", "line"):  # a line spans the sectors
            continue
        for sector, (lat_min, lat_max, lon_min, lon_max) in SECTOR_BOXES.items():
            if (
                lat_min <= e.coordinates[0] <= lat_max
                and lon_min <= e.coordinates[1] <= lon_max
                and e.sector != sector
            ):
                missing.append((e.id, sector, e.sector))
    assert missing == []


def test_only_locations_carry_a_sector():
    assert [e.id for e in entities.gazetteer().entities.values() if e.sector and e.type != "location"] == []


def test_every_entry_has_a_devanagari_alias():
    gaz = entities.gazetteer().entities.values()
    assert [e.id for e in gaz if not any(entities.is_devanagari(a) for a in e.aliases)] == []


def test_every_devanagari_alias_of_a_place_or_organisation_sounds_like_a_latin_alias_or_is_hindi():
    # Transliterated names ("गलवान") must sound like their Latin names, acronyms may be spelled out by
    # their letters ("एलएसी" for LAC), and Hindi translations ("रक्षा मंत्रालय") pass on a Hindi word.
    # Catches pasted or garbled spellings (a made-up Hindi "acronym" of a Hindi phrase fails all three).
    from rapidfuzz import fuzz

    far = []
    for e in entities.gazetteer().entities.values():
        if e.type == "person":
            continue  # tests/test_entities.py checks people on whole names
        latin_aliases = [a for a in e.aliases if not entities.is_devanagari(a)]
        latin = [entities.phonetic_key(a) for a in latin_aliases]
        latin_words = {w for k in latin for w in k.split()}
        spelled = {_spell_out(a) for a in latin_aliases if a.replace("-", "").isalnum() and a.upper() == a}
        for alias in (a for a in e.aliases if entities.is_devanagari(a)):
            key = entities.phonetic_key(alias)
            whole = max((fuzz.ratio(key, k) for k in latin), default=0)
            word = max((fuzz.ratio(w, lw) for w in key.split() for lw in latin_words), default=0)
            if alias.replace(" ", "").replace("-", "") in spelled:
                continue
            if whole < 50 and word < 75 and not _HINDI_WORDS.search(alias):
                far.append((e.id, alias))
    assert far == []


def test_spelling_out_an_acronym_in_devanagari():
    assert (_spell_out("LAC"), _spell_out("ITBP"), _spell_out("G-20")) == ("एलएसी", "आईटीबीपी", "जी20")


# How Hindi writes the names of the Latin letters (an acronym read letter by letter).
_LETTERS = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ए बी सी डी ई एफ जी एच आई जे के एल एम एन ओ पी क्यू आर एस टी यू वी डब्ल्यू एक्स वाई जेड".split(),
        strict=True,
    )
)


def _spell_out(acronym: str) -> str:
    return "".join(_LETTERS.get(c, c) for c in acronym if c != "-")


# Hindi words that make an alias a translation rather than a transliteration.
_HINDI_WORDS = re.compile(
    "मंत्रालय|मंत्री|सेना|वायुसेना|बल|पुलिस|संगठन|कमान|राष्ट्र|सभा|संसद|गणराज्य|रेखा|क्षेत्र|सेक्टर|घाटी|झील|मैदान|दर्रा|"
    "नाला|पर्वत|श्रृंखला|वार्ता|बैठक|तंत्र|झड़प|युद्ध|समझौता|सम्मेलन|यात्रा|विवाद|गतिरोध|संघर्ष|पार्टी|आयोग|समिति|"
    "हवाई|अड्डा|प्रदेश|राज्य|पूर्वी|पश्चिमी|उत्तरी|दक्षिणी|मध्य|चीन|भारत|अमेरिका|संयुक्त|कोर|प्रतिनिधि|"
    "कम्युनिस्ट|जनवादी|दक्षिण|तिब्बत|रक्षा|विदेश|सीमा|गश्त|शिखर|पंचशील|पहाड़ी|रेंज|हिंदुस्तान|"
    "दिवस|जयंती|पूर्णिमा|समाचार|समिति|संवाद|संस्था|नव|वर्ष|नया|साल|पूजा|महोत्सव|झंडा|ध्वज|स्मृति|एजेंसी"
)


def test_a_name_listed_as_weak_is_not_a_strong_alias(tmp_path):
    path = write(
        tmp_path,
        "- {id: person/r, name: Ranbir Singh, type: person, aliases: [Lt Gen Ranbir Singh],"
        " weak_aliases: [Ranbir Singh]}\n",
    )
    gaz = load_gazetteer(path)
    assert entities.find_entities("Ranbir Singh won the election.", gaz) == []
    assert [
        e["mentions"] for e in entities.find_entities("Lt Gen Ranbir Singh spoke. Ranbir Singh said.", gaz)
    ] == [["Lt Gen Ranbir Singh", "Ranbir Singh"]]


def test_common_words_and_names_are_not_strong_aliases():
    # Each alone means something else: rock sugar, Egyptian, "forbidden", June, a journalist, Parliament of
    # any country, hot springs anywhere, a Jaipur neighbourhood, an earring, any special representative.
    gaz = entities.gazetteer()
    for word in [
        "मिश्री",
        "मिस्री",
        "मना",
        "माणा",
        "जून",
        "रवीश कुमार",
        "संसद",
        "Parliament",
        "Hot Springs",
        "मानसरोवर",
        "बाली",
        "विशेष प्रतिनिधि",
        "Ranbir Singh",
        "शी",
        "MoD",
        "Mana",
    ]:
        strong = [eid for eid, weak in gaz.phrases.get(entities.alias_key(word), []) if not weak]
        assert strong == [], (word, strong)


# Sentences written for this test: the new places, people and bodies in both scripts.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("चीनी सैनिक फिंगर 4 से फिंगर 8 तक पीछे हटे", {"location/pangong-fingers"}),
        (
            "पीपी-15 और पेट्रोलिंग पॉइंट 17ए पर सैनिकों की वापसी पूरी हुई",
            {"location/patrolling-point-15", "location/patrolling-point-17a"},
        ),
        (
            "Troops completed disengagement at PP-15 in the Gogra-Hot Springs area.",
            {"location/patrolling-point-15", "location/gogra-hot-springs"},
        ),
        (
            "अरुणाचल प्रदेश के तवांग में यांग्त्से के पास झड़प",
            {"location/arunachal-pradesh", "location/tawang", "location/yangtse"},
        ),
        ("चीन ने जांगनान में जगहों के नए नाम जारी किए", {"location/china", "location/zangnan"}),
        ("शिपकी ला और लिपुलेख दर्रे से व्यापार फिर शुरू होगा", {"location/shipki-la", "location/lipulekh"}),
        ("बाड़ाहोती में चीनी घुसपैठ की खबर पर आईटीबीपी सतर्क", {"location/barahoti", "organization/itbp"}),
        (
            "Lt Gen Pratik Sharma, the Northern Army Commander, visited Chushul and Rezang La.",
            {"person/pratik-sharma", "location/chushul", "location/rezang-la"},
        ),
        (
            "MEA spokesperson Randhir Jaiswal and Chinese foreign ministry spokesperson Guo Jiakun "
            "both spoke.",
            {
                "organization/mea",
                "person/randhir-jaiswal",
                "organization/chinese-foreign-ministry",
                "person/guo-jiakun",
            },
        ),
        (
            "विदेश मंत्रालय के प्रवक्ता रणधीर जायसवाल ने कहा कि विशेष प्रतिनिधियों की बैठक जल्द होगी",
            {"organization/mea", "person/randhir-jaiswal", "event/special-representatives-mechanism"},
        ),
        (
            "मुख्यमंत्री पुष्कर सिंह धामी ने चमोली और पिथौरागढ़ के सीमावर्ती गांवों का दौरा किया",
            {"person/pushkar-singh-dhami", "location/chamoli", "location/pithoragarh"},
        ),
        (
            "The PLA Air Force flew near Bum La while the IAF landed at Nyoma.",
            {
                "organization/pla-air-force",
                "location/bum-la",
                "organization/indian-air-force",
                "location/nyoma",
            },
        ),
        # common words that are not names
        ("मिश्री और मिस्री मिठाई की दुकान जून में बंद रही, उसने आने से मना किया", set()),
        ("He played his trump card at the hot springs resort; the mod was banned from the forum.", set()),
        ("संयुक्त राष्ट्र के विशेष प्रतिनिधि ने संसद को संबोधित किया", {"organization/united-nations"}),
    ],
)
def test_written_sentences(text, expected):
    assert {e["id"] for e in entities.find_entities(text)} == expected


def test_reloading_the_gazetteer_reaches_the_caches_other_stages_derive_from_it(tmp_path, monkeypatch):
    from pipeline import entities, relevance, stories

    path = tmp_path / "gazetteer.yaml"
    path.write_text(
        entities.GAZETTEER_PATH.read_text(encoding="utf-8")
        + """
- id: location/invented-test-pass
  name: Invented Test Pass
  type: location
  kind: pass
  sector: western
  coordinates: [34.5, 78.5]
  aliases: [इन्वेंटेड टेस्ट पास]
""",
        encoding="utf-8",
    )
    assert "location/invented-test-pass" not in stories.border_place_ids()
    monkeypatch.setattr(entities, "GAZETTEER_PATH", path)
    entities.reload_gazetteer()
    try:
        assert "location/invented-test-pass" in stories.border_place_ids()
        assert relevance._key("इन्वेंटेड टेस्ट पास") in relevance.terms().weights
    finally:
        monkeypatch.undo()
        entities.reload_gazetteer()
    assert "location/invented-test-pass" not in stories.border_place_ids()
