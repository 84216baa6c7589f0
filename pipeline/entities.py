"""Entities stage: tag people, organisations, places and events in English and Hindi text.

Passes over one tokenisation of the text (a token taken by one pass is not reused by a later one):

0. **Datelines** ("NEW DELHI, Dec 5 (PTI) –", "LEH:", "लेह, 5 दिसंबर (भाषा)") are matched case-insensitively;
   an unknown dateline place is kept as a place.
1. **Gazetteer** (`pipeline/data/gazetteer.yaml`): every alias, in either script, is a sequence of
   normalised word tokens in one token trie; one left-to-right pass finds the longest alias at each
   position. Tokens are runs of word characters *including the Devanagari combining signs* (matras,
   virama, anusvara...), so word boundaries are right for Hindi, where Python's `\\b` is not (it
   breaks a word at its vowel signs). Weak aliases ("Singh", "सिंह") count only when their entity is
   otherwise named in the same article (a news agency's weak alias also as a credit, "(भाषा)"); a
   bare-named ministry qualified by another country ("भूटान के विदेश मंत्रालय") is that country's, not
   India's. Devanagari spelling variants of multi-word aliases follow.
2. **Titles**: a title or honorific ("Lt Gen", "Ambassador", "Mr", "श्री", "प्रवक्ता", "रक्षा मंत्री")
   followed by a name gives a person, linked when the name is close to a known one.
3. **Open-world names** the gazetteer does not hold. English: runs of capitalised words (with
   of/and/de inside, hyphens, initials), typed by a head word ("... Airport", "... Nullah",
   "... Party"), a role word or apposition (person), a possessive before a role word, a preposition
   of place, a list or naming verb shared with a typed name; untyped runs, sentence starters that are
   common words, months, headlines in Title Case, acronyms and kind words alone are not names.
   A known place before a headed name is part of it ("China Coast Guard", "Tawang Monastery").
   Hindi: a head word after the name ("... नदी", "... पार्टी"), the name running back to the nearest
   postposition or function word (never over a number, participle, verb or role word), one-word names
   from "X के रक्षा मंत्री", "नेपाल और X", "A को X कहता है", and people without a title from the grammar
   ("X ने कहा", "नेतृत्व X ने", "X के अनुसार") when their words are name-like by word frequency.
   A surname alone after an unlinked person's full name is that person.
4. **Transliteration + fuzzy match**: names found by rules 2-3, and Devanagari words that match no
   alias, are romanised (a small table in this module, with Hindi schwa deletion) and compared with
   the known Latin names (rapidfuzz). A match links to the gazetteer entity; otherwise the name is
   kept with `"linked": false` and an id `unlinked/<type>/<slug>`.

Output per entity: {"id", "name", "type", "mentions": [surface forms], "linked"}, plus "sector" and
"coordinates" {"lat", "lon"} when the gazetteer entry has them. It does not resolve pronouns or decide relevance. See docs/processing.md ("Entities").
"""

from __future__ import annotations

import functools
import re
import unicodedata
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from pipeline.article import Article

STAGE = "entities"
GAZETTEER_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.yaml"
TYPES = ("person", "organization", "location", "event")
MAX_ALIAS_TOKENS = 12

# Word characters: \w plus the whole Devanagari block except the dandas (।॥), plus ZWJ/ZWNJ.
TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0900-\u0963\u0966-\u097F\u200C\u200D])+")
_DEVANAGARI_RE = re.compile(r"[\u0900-\u097F]")
# Nukta forms and chandrabindu are spelled both ways in Hindi news: fold them for matching.
_DEVANAGARI_FOLD = str.maketrans(
    {
        "\u093c": None,  # nukta
        "\u0901": "\u0902",  # chandrabindu -> anusvara
        "\u0958": "\u0915",
        "\u0959": "\u0916",
        "\u095a": "\u0917",
        "\u095b": "\u091c",
        "\u095c": "\u0921",
        "\u095d": "\u0922",
        "\u095e": "\u092b",
        "\u095f": "\u092f",
        "\u200c": None,
        "\u200d": None,
    }
)

# What may separate the words of one alias in the text: "S. Jaishankar", "Meeting-Plus", "People's".
_ALIAS_GAP_RE = re.compile(r"[ \t\u00A0\-\u2010\u2011.'\u2019]{0,3}")
# rapidfuzz ratio (0-100) on the phonetic keys. Devanagari spellings vary a lot (matras, nukta,
# schwa); Latin ones much less, and a loose Latin cutoff turns "Lai Ching-te" into "Li Qiang".
FUZZY_CUTOFF = 84
LATIN_FUZZY_CUTOFF = 92
ANCHOR_CUTOFF = 86  # stricter when only the first word of an alias matched exactly


@functools.lru_cache(maxsize=1 << 16)
def is_devanagari(token: str) -> bool:
    return bool(_DEVANAGARI_RE.search(token))


@functools.lru_cache(maxsize=1 << 16)  # news vocabulary repeats: most words are normalised once
def normalise_token(token: str) -> str:
    """Matching key of one word: Devanagari folded; Latin case-folded unless an ALL-CAPS acronym."""
    if is_devanagari(token):
        return token.translate(_DEVANAGARI_FOLD)
    if not token.isascii():
        token = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
    if len(token) > 1 and token.isupper():
        return token  # "LAC", "SCO", "PLA": only as acronyms, never the word "lac"
    return token.casefold()


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(matching key, start, end) of every word of `text`."""
    return [(normalise_token(m.group()), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def alias_key(alias: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in tokenize(alias))


# --------------------------------------------------------------------------- transliteration
_VOWELS = {
    "अ": "a",
    "आ": "a",
    "इ": "i",
    "ई": "i",
    "उ": "u",
    "ऊ": "u",
    "ऋ": "ri",
    "ए": "e",
    "ऐ": "ai",
    "ओ": "o",
    "औ": "au",
    "ऑ": "o",
    "ऍ": "e",
    "ऎ": "e",
    "ऒ": "o",
}
_MATRAS = {
    "ा": "a",
    "ि": "i",
    "ी": "i",
    "ु": "u",
    "ू": "u",
    "ृ": "ri",
    "े": "e",
    "ै": "ai",
    "ो": "o",
    "ौ": "au",
    "ॉ": "o",
    "ॅ": "e",
    "ॆ": "e",
    "ॊ": "o",
}
_CONSONANTS = {
    "क": "k",
    "ख": "kh",
    "ग": "g",
    "घ": "gh",
    "ङ": "n",
    "च": "ch",
    "छ": "chh",
    "ज": "j",
    "झ": "jh",
    "ञ": "n",
    "ट": "t",
    "ठ": "th",
    "ड": "d",
    "ढ": "dh",
    "ण": "n",
    "त": "t",
    "थ": "th",
    "द": "d",
    "ध": "dh",
    "न": "n",
    "प": "p",
    "फ": "ph",
    "ब": "b",
    "भ": "bh",
    "म": "m",
    "य": "y",
    "र": "r",
    "ल": "l",
    "ळ": "l",
    "व": "v",
    "श": "sh",
    "ष": "sh",
    "स": "s",
    "ह": "h",
}
_NUKTA_CONSONANTS = {"क": "k", "ख": "kh", "ग": "g", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f", "य": "y"}


def romanize_word(word: str) -> str:
    """Romanise one Devanagari word (ITRANS-like, lossy), with Hindi schwa deletion."""
    word = unicodedata.normalize("NFD", word)
    units: list[list[str]] = []  # [consonant, vowel] with vowel "" after a virama, "a*" for inherent a
    i = 0
    while i < len(word):
        ch = word[i]
        if ch in _CONSONANTS:
            roman = _CONSONANTS[ch]
            if i + 1 < len(word) and word[i + 1] == "\u093c":
                roman = _NUKTA_CONSONANTS.get(ch, roman)
                i += 1
            units.append([roman, "a*"])
        elif ch in _MATRAS and units:
            units[-1][1] = _MATRAS[ch]
        elif ch == "\u094d" and units:  # virama: no vowel
            units[-1][1] = ""
        elif ch in _VOWELS:
            units.append(["", _VOWELS[ch]])
        elif ch in "\u0902\u0901":  # anusvara, chandrabindu
            units.append(["n", ""])
        elif ch == "\u0903":
            units.append(["h", ""])
        elif ch.isascii() and ch.isalnum():
            units.append([ch.lower(), ""])
        i += 1
    # Schwa deletion: the final inherent a, and a medial one between a vowel and a consonant+vowel.
    if units and units[-1][1] == "a*" and len(units) > 1:
        units[-1][1] = ""
    for k in range(1, len(units) - 1):
        prev, cur, nxt = units[k - 1], units[k], units[k + 1]
        if cur[1] == "a*" and cur[0] and prev[1] not in ("", "a*-") and nxt[0] and nxt[1] != "":
            cur[1] = "a*-"  # deleted; the marker stops the next unit from deleting too
    return "".join(c + ("" if v in ("", "a*-") else ("a" if v == "a*" else v)) for c, v in units)


def romanize(text: str) -> str:
    """Romanise Devanagari words, leaving Latin ones as they are."""
    words = (m.group() for m in TOKEN_RE.finditer(text))
    return " ".join(romanize_word(w) if is_devanagari(w) else w.lower() for w in words)


_PHONETIC_RULES = [
    (re.compile(r"zh"), "j"),
    (re.compile(r"x"), "sh"),
    (re.compile(r"q"), "ch"),
    (re.compile(r"w"), "v"),
    (re.compile(r"z"), "j"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"([kgcjtdpbr])h"), r"\1"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"oo"), "u"),
    (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile(r"[^a-z0-9 ]"), ""),
]


@functools.lru_cache(maxsize=1 << 15)
def phonetic_key(text: str) -> str:
    """A spelling-tolerant key of a name in either script, for fuzzy comparison."""
    key = romanize(text)
    for pattern, repl in _PHONETIC_RULES:
        key = pattern.sub(repl, key)
    return " ".join(key.split())


def slug(text: str) -> str:
    """URL-safe ASCII slug of a name in either script."""
    if is_devanagari(text):
        text = phonetic_key(text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


# --------------------------------------------------------------------------- gazetteer
SECTORS = ("western", "middle", "eastern")


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    weak_aliases: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()
    generic: bool = False
    coordinates: tuple[float, float] | None = None  # (lat, lon), WGS 84 decimal degrees
    sector: str | None = None  # LAC sector of a place on or near the border: one of SECTORS
    kind: str | None = None  # finer class: pass, lake, city, state, country, ministry, army, mechanism...


@dataclass
class Gazetteer:
    entities: dict[str, Entity]
    phrases: dict[tuple[str, ...], list[tuple[str, bool]]] = field(
        default_factory=dict
    )  # key -> [(id, weak)]
    prefixes: set[tuple[str, ...]] = field(default_factory=set)
    fuzzy_keys: list[str] = field(default_factory=list)  # phonetic keys of Latin names
    fuzzy_ids: list[str] = field(default_factory=list)
    anchors: dict[str, list[tuple[int, str, str]]] = field(
        default_factory=dict
    )  # first token -> [(len, key, id)]

    @property
    def generic_ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self.entities.values() if e.generic)


# First words too common in Hindi to anchor a fuzzy match ("विदेश मंत्री" is not "विदेश मंत्रालय").
_COMMON_HI_FIRST = {
    "पूर्वी",
    "पश्चिमी",
    "मध्य",
    "विदेश",
    "रक्षा",
    "भारतीय",
    "भारत",
    "चीनी",
    "चीन",
    "विशेष",
    "कोर",
    "सीमा",
    "केंद्रीय",
    "उत्तरी",
}


def load_gazetteer(path: Path | str = GAZETTEER_PATH) -> Gazetteer:
    """Read and validate the gazetteer: unique ids, known types and sectors, coordinates in range (and
    only on locations), implied ids that exist, no alias claimed by two entities."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    entities: dict[str, Entity] = {}
    for raw in data.get("entities", []):
        entity = Entity(
            id=raw["id"],
            name=raw["name"],
            type=raw["type"],
            aliases=tuple(str(a) for a in raw.get("aliases", [])),
            weak_aliases=tuple(str(a) for a in raw.get("weak_aliases", []) or []),
            implies=tuple(raw.get("implies", []) or []),
            generic=bool(raw.get("generic", False)),
            coordinates=_coordinates(path, raw),
            sector=raw.get("sector"),
            kind=raw.get("kind"),
        )
        if entity.type not in TYPES:
            raise ValueError(f"gazetteer {path}: {entity.id} has unknown type {entity.type!r}")
        if entity.sector is not None and entity.sector not in SECTORS:
            raise ValueError(f"gazetteer {path}: {entity.id} has unknown sector {entity.sector!r}")
        if entity.coordinates is not None and entity.type != "location":
            raise ValueError(f"gazetteer {path}: {entity.id} has coordinates but is not a location")
        if entity.kind is not None and not (isinstance(entity.kind, str) and entity.kind.strip()):
            raise ValueError(f"gazetteer {path}: {entity.id} has an empty or non-text kind")
        if entity.id in entities:
            raise ValueError(f"gazetteer {path}: duplicate id {entity.id}")
        entities[entity.id] = entity
    gaz = Gazetteer(entities=entities)
    owner: dict[tuple[str, ...], str] = {}
    for entity in entities.values():
        for target in entity.implies:
            if target not in entities:
                raise ValueError(f"gazetteer {path}: {entity.id} implies unknown id {target}")
        # The name is an alias too, unless it is listed as weak: a common name ("Ranbir Singh") is shown
        # as the canonical name but matched only with its rank or when the person is otherwise named.
        weak_keys = {alias_key(a) for a in entity.weak_aliases}
        strong = [
            a for a in (entity.name, *entity.aliases) if a in entity.aliases or alias_key(a) not in weak_keys
        ]
        for alias, weak in [(a, False) for a in strong] + [(a, True) for a in entity.weak_aliases]:
            key = alias_key(alias)
            if not key or len(key) > MAX_ALIAS_TOKENS:
                continue
            if not weak:
                if owner.setdefault(key, entity.id) != entity.id:
                    raise ValueError(
                        f"gazetteer {path}: alias {alias!r} of {entity.id} already belongs to {owner[key]}"
                    )
            entries = gaz.phrases.setdefault(key, [])
            if (entity.id, weak) not in entries and (entity.id, False) not in entries:
                entries.append((entity.id, weak))
            for n in range(1, len(key) + 1):
                gaz.prefixes.add(key[:n])
            if weak:
                continue
            if not is_devanagari(alias) and len(key) >= 2 and not entity.generic:
                gaz.fuzzy_keys.append(phonetic_key(alias))
                gaz.fuzzy_ids.append(entity.id)
            if (
                is_devanagari(alias)
                and len(key) >= 2
                and key[0] not in _COMMON_HI_FIRST
                and entity.type in ("person", "location")
            ):
                gaz.anchors.setdefault(key[0], []).append((len(key), phonetic_key(alias), entity.id))
    return gaz


def _coordinates(path: Path | str, raw: dict[str, Any]) -> tuple[float, float] | None:
    """`coordinates: [lat, lon]` of one entry, checked: two numbers, latitude in ±90, longitude in ±180."""
    value = raw.get("coordinates")
    if value is None:
        return None
    where = f"gazetteer {path}: {raw.get('id')}"
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError(f"{where}: coordinates must be [lat, lon], got {value!r}")
    # bool is an int to Python, and a string would be a typo: accept real numbers only.
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        raise ValueError(f"{where}: coordinates must be numbers, got {value!r}")
    lat, lon = float(value[0]), float(value[1])
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"{where}: coordinates {value!r} out of range (lat ±90, lon ±180)")
    return (lat, lon)


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The project's gazetteer (`GAZETTEER_PATH`, read at the first call), loaded once per process;
    `reload_gazetteer()` makes the next call read the file again."""
    return load_gazetteer(GAZETTEER_PATH)


# Caches other stages derive from the gazetteer (border places, recurring mechanisms, relevance terms):
# cleared with it, so a promoted entry reaches every stage of a reprocess.
_DERIVED_CACHES: list[Any] = []


def derived_from_gazetteer(cached: Any) -> Any:
    """Register an `lru_cache`d function whose value is computed from the gazetteer (a decorator)."""
    _DERIVED_CACHES.append(cached)
    return cached


def reload_gazetteer() -> None:
    """Read the gazetteer file again at the next use, and everything derived from it."""
    gazetteer.cache_clear()
    for cached in _DERIVED_CACHES:
        cached.cache_clear()


# --------------------------------------------------------------------------- rules for unknown names
# Titles before a name. True: the name is a person even if unknown; False: only link a known name.
_LATIN_TITLES = {
    "President": True,
    "Premier": False,
    "General": True,
    "Gen": True,
    "Admiral": True,
    "Marshal": True,
    "Brigadier": True,
    "Colonel": True,
    "Col": True,
    "Lt": True,
    "Maj": True,
    "Ambassador": True,
    "Envoy": True,
    "Mr": True,
    "Ms": True,
    "Mrs": True,
    "Dr": True,
    "Shri": True,
    "Minister": True,
    "Spokesperson": True,
    "Commander": True,
    "Chancellor": True,
    "Senator": True,
    "Councillor": True,
    "Counsellor": True,
    "Secretary": False,
    "Chief": False,
    "Governor": True,
    "Mayor": True,
    "Professor": True,
    "Prof": True,
    "Captain": True,
    "Capt": True,
    "Lieutenant": True,
    "Commissioner": True,
    "Speaker": True,
    "Chairman": True,
    "Chairperson": True,
    "Director": True,
}
_RANKED_OFFICE = {
    "Joint",
    "Foreign",
    "Additional",
    "Deputy",
    "Under",
    "Cabinet",
    "Defence",
    "Home",
    "Assistant",
    "Principal",
    "Permanent",
    "Vice",
}
_ABBREVIATED_TITLES = {"Gen", "Lt", "Col", "Maj", "Dr", "Mr", "Ms", "Mrs", "Brig", "Prof", "Capt"}
_LATIN_NOT_NAMES = {
    "The",
    "Of",
    "On",
    "In",
    "And",
    "For",
    "To",
    "At",
    "With",
    "From",
    "By",
    "As",
    "A",
    "An",
    "Is",
    "Was",
    "Has",
    "Said",
    "Says",
    "Told",
    "Will",
    "Would",
    "Who",
    "Which",
    "That",
    "This",
    "But",
    "Also",
    "Had",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Chinese",
    "Indian",
    "Defence",
    "Defense",
    "Foreign",
    "External",
    "Affairs",
    "Home",
    "Prime",
    "Minister",
    "President",
    "General",
    "Army",
    "Navy",
    "Air",
    "Force",
    "Staff",
    "Secretary",
    "Vice",
    "Deputy",
    "Chief",
    "Ministry",
    "National",
    "State",
    "Union",
    "Cabinet",
    "Senior",
    "Former",
}
_HI_TITLES = {
    "श्री": True,
    "श्रीमती": True,
    "सुश्री": True,
    "एडमिरल": True,
    "अडमिरल": True,
    "अड्मिरल": True,
    "जनरल": True,
    "ब्रिगेडियर": True,
    "कर्नल": True,
    "मार्शल": True,
    "राष्ट्रपति": True,
    "प्रधानमंत्री": True,
    "प्रीमियर": True,
    "राजदूत": True,
    "डॉ": True,
    "मिस्टर": True,
    "प्रवक्ता": True,
    "मुख्यमंत्री": True,
    "उपराष्ट्रपति": True,
    "सांसद": True,
    "विधायक": True,
    "समकक्षी": False,
    "नेता": True,
    "अध्यक्ष": True,
    "कमांडर": True,
    "कैप्टन": True,
    "मेजर": True,
    "प्रोफेसर": True,
    "राज्यपाल": True,
    "उपराज्यपाल": True,
    "स्पीकर": True,
    "मंत्री": False,
    "सचिव": False,
    "प्रमुख": False,
    "समकक्ष": False,
    "काउंसलर": False,
}
_HI_NOT_NAMES = set(
    "ने को से के की का और में पर है हैं था थी थे तथा एवं भी ही या कि जो यह वह इस उस एक दो अपने अपनी अपना "
    "उनके उनकी उन्होंने साथ बाद लिए द्वारा तो न नहीं हुई हुए हुआ कहा बताया किया दिया गया गई रहे रही रहा "
    "चीनी भारतीय रक्षा विदेश मंत्री मंत्रालय सेना प्रमुख सचिव राज्य हालांकि हालाँकि ने। पद स्तर प्रतिपक्ष विपक्ष "
    "दल समूह मंडल जी सहित समेत".split()
)
_HI_NOT_NAMES |= set(
    "गए गई गया होगा होगी होंगे जल्द चुने चुना चुनी चुनाव बने बना बनी बनने बनाया मौजूद कार्यालय पदभार सदन "
    "निधि आवास स्तरीय दल मंडल समिति चाहिए सकते सकता सकती रहे रही रहा".split()
)
# Words of classes that are never part of a name: numbers, participles and adjectives of state, verb
# forms, role nouns. A head-word name ("... सेना", "... पुल") does not run back over them ("तैनात सेना",
# "चार पुल"), and a name after a title or before "ने" stops at them ("... श्रीनिवासन उपस्थित थे").
_HI_NUMBER_WORDS = set(
    "एक दो तीन चार पांच पाँच छह छः सात आठ नौ दस ग्यारह बारह तेरह पंद्रह बीस तीस पचास सौ हजार हज़ार लाख करोड़ "
    "पहला पहली पहले दूसरा दूसरी दूसरे तीसरा तीसरी तीसरे चौथा चौथी कई दर्जन दर्जनों सैकड़ों हजारों".split()
)
_HI_PARTICIPLES = set(
    "तैनात मौजूद उपस्थित अनुपस्थित शामिल स्थित गठित आयोजित नियुक्त संबोधित प्रस्तावित निर्मित प्रभावित सुरक्षित "
    "विवादित घोषित प्रकाशित आधारित संचालित नियंत्रित अधिकृत निर्धारित कथित तथाकथित उक्त संबंधित सम्मिलित "
    "व्यवस्थित तैयार जारी रवाना सक्रिय सतर्क मुस्तैद बहाल बंद खुला खुली खुले नाराज".split()
)
_HI_VERB_FORMS = set(
    "है हैं था थी थे हो होगा होगी होंगे हुआ हुई हुए कहा कही कहे बताया बताई बताए किया की किए किये दिया दी दिए "
    "लिया लिए गया गई गए गयी आया आई आए पहुंचा पहुंची पहुंचे पहुँचे बनाया बनाई बनाए बनाने करेंगे करेगा करेगी "
    "करते करती करता करने कर करके जाएगा जाएगी जाएंगे लगा लगी लगे मिला मिली मिले रहा रही रहे सकता सकती सकते "
    "चाहिए दिखा दिखे देखा देखे रखा रखी रखे कहते कहती कहता बोले बोला बोली".split()
)
_HI_ROLE_NOUNS = set(
    "ऑफिसर आफिसर कमांडिंग अधिकारी अधिकारियों प्रभारी नेतृत्व अध्यक्षता प्रतिनिधिमंडल प्रतिनिधिमंडलों जवान जवानों "
    "सैनिक सैनिकों कर्मी कर्मियों प्रवक्ता संवाददाता पत्रकार विशेषज्ञ".split()
)
_HI_NEVER_IN_NAME = {
    t.translate(_DEVANAGARI_FOLD)
    for t in _HI_NUMBER_WORDS | _HI_PARTICIPLES | _HI_VERB_FORMS | _HI_ROLE_NOUNS
}
_HI_NOT_NAMES = {t.translate(_DEVANAGARI_FOLD) for t in _HI_NOT_NAMES} | (_HI_NEVER_IN_NAME - {"प्रवक्ता"})
# The most frequent word found inside a head-word name of the development set is "जीवन" (zipf 5.88, "Jivan
# Nullah"); function words, verbs and generic nouns ("सभी", "सरकार", "लोग", "कहा") are at 6.0 and above.
_HI_NAME_WORD_MAX_ZIPF = 6.0
# Titles of an office, also used as nouns ("मुख्यमंत्री कार्यालय", "सांसद निधि"): an unknown name after them
# needs two words.
_HI_OFFICE_TITLES = {
    t.translate(_DEVANAGARI_FOLD)
    for t in "मुख्यमंत्री सांसद विधायक नेता अध्यक्ष कमांडर कैप्टन मेजर प्रोफेसर राज्यपाल उपराज्यपाल स्पीकर "
    "मंत्री प्रधानमंत्री राष्ट्रपति उपराष्ट्रपति".split()
}
_HI_TITLES = {k.translate(_DEVANAGARI_FOLD): v for k, v in _HI_TITLES.items()}


# --------------------------------------------------------------------------- open-world names
# Names the gazetteer does not hold. English: capitalised word sequences, typed by a head word, a
# title before, an apposition, a preposition of place, coordination with a typed name, or a
# possessive before a role word. Hindi (no capitals): a head word after the name or a title before
# it; the name runs back (or on) to the nearest postposition or function word.
_LOC_HEADS = {
    "Airport",
    "Airbase",
    "Valley",
    "Nullah",
    "Nallah",
    "Nala",
    "Nalla",
    "La",
    "Pass",
    "Lake",
    "Tso",
    "Plains",
    "Plain",
    "River",
    "District",
    "Sector",
    "Point",
    "Glacier",
    "Ridge",
    "Heights",
    "Hill",
    "Hills",
    "Peak",
    "Plateau",
    "Island",
    "Islands",
    "Strait",
    "Sea",
    "Ocean",
    "Bay",
    "Gulf",
    "Province",
    "Region",
    "County",
    "Village",
    "Town",
    "City",
    "Bridge",
    "Road",
    "Highway",
    "Tunnel",
    "Dam",
    "Range",
    "Mountains",
    "Finger",
    "Corridor",
    "Post",
    "Camp",
    "Base",
    "Gap",
    "Top",
    "Springs",
    "Junction",
    "Nagar",
    "Pur",
    "Desert",
    "Memorial",
    "Monastery",
    "Gompa",
    "Cantonment",
    "Cosmodrome",
}
_ORG_HEADS = {
    "Ministry",
    "Army",
    "Command",
    "Corps",
    "Party",
    "Sabha",
    "Council",
    "Congress",
    "Committee",
    "Organisation",
    "Organization",
    "Force",
    "Forces",
    "Police",
    "University",
    "Institute",
    "Agency",
    "Bureau",
    "Commission",
    "Department",
    "Office",
    "Court",
    "Parliament",
    "Assembly",
    "Bank",
    "Company",
    "Group",
    "Corporation",
    "Association",
    "Federation",
    "Front",
    "League",
    "Union",
    "Brigade",
    "Division",
    "Regiment",
    "Battalion",
    "Rifles",
    "Scouts",
    "Guard",
    "Guards",
    "Academy",
    "Foundation",
    "Authority",
    "Board",
    "Secretariat",
    "Navy",
    "Embassy",
    "Consulate",
    "Government",
    "Administration",
    "Centre",
    "Center",
    "Society",
    "Trust",
    "Times",
    "Express",
    "News",
    "Daily",
    "Network",
    "Bal",
    "Dal",
    "Samiti",
    "Parishad",
    "Sangh",
    "Morcha",
    "Cabinet",
    "Senate",
    "Club",
    "Clubs",
    # a programme is run by a body and named like one ("Vibrant Villages Programme"): typed organisation
    "Programme",
    "Program",
    "Scheme",
    "Project",
    "Mission",
    "Yojana",
    "Abhiyan",
}
_EVENT_HEADS = {
    "Summit",
    "Talks",
    "Dialogue",
    "Conference",
    "Games",
    "Exercise",
    "Festival",
    "War",
    "Yatra",
    "Olympics",
    "Forum",
    "Trophy",
    "Cup",
    "Championship",
    "Championships",
    "Tournament",
    "Election",
    "Elections",
    "Day",
    "Week",
    "Marathon",
    "Expo",
    "Fair",
    "Mela",
    "Drill",
    "Meeting",
    # agreements and fights are events: what happened (or was signed) at a place and time
    "Agreement",
    "Treaty",
    "Accord",
    "Pact",
    "Protocol",
    "Declaration",
    "Clash",
    "Clashes",
    "Standoff",
    "Stand-off",
    "Skirmish",
    "Battle",
    "Celebrations",
    "Carnival",
}
# Two-word heads whose last word alone would give another type ("Military District" is a command,
# "Satellite Launch Center" a place).
_TWO_WORD_HEADS = {
    ("Military", "District"): "organization",
    ("Military", "Region"): "organization",
    ("Coast", "Guard"): "organization",
    ("Launch", "Center"): "location",
    ("Launch", "Centre"): "location",
    ("Space", "Centre"): "location",
    ("Space", "Center"): "location",
    ("War", "Memorial"): "location",
}
_EVENT_FIRST = {
    "Battle",
    "Siege",
    "Treaty",
    "Festival",
    "Conference",
    "Meeting",
    "Summit",
}  # "Battle of Rezang La"
# Heads that make one new name with the known place before them ("Tawang Monastery", "Ladakh Marathon",
# "Shimla Agreement"); "Ladakh Sector" or "Tawang District" stay the known place.
_PLACE_NAMED_HEADS = {
    "Airport",
    "Airbase",
    "Memorial",
    "Monastery",
    "Gompa",
    "Cantonment",
    "Cosmodrome",
    "Festival",
    "Marathon",
    "Games",
    "Summit",
    "Mela",
    "Yatra",
    "Agreement",
    "Treaty",
    "Accord",
    "Pact",
    "Declaration",
    "Clash",
    "Standoff",
    "Expo",
    "Carnival",
    "Olympics",
}
# Ministers meeting as a body of a forum ("SCO Council of Foreign Ministers") is an event: a meeting.
_MEETING_FIRST = {"Council", "Conference", "Meeting"}
# Lower-case heads after a known place: "the Galwan clash", "the Doklam standoff".
_LOWER_EVENT_RE = re.compile(r" (?:border )?(clash|clashes|standoff|stand-off|face-off|faceoff|skirmish)\b")
_ORG_FIRST = {
    "Ministry",
    "Department",
    "University",
    "Institute",
    "Bank",
    "Government",
    "Council",
    "Office",
    "Commission",
    "Bureau",
    "Academy",
    "Embassy",
    "Consulate",
    "Board",
    "Committee",
    "Court",
    "Party",
}
_PLACE_FIRST = {
    "Lake",
    "Mount",
    "Mt",
    "Port",
    "Cape",
    "Fort",
    "Isle",
    "Gulf",
    "Bay",
}  # "Lake Chad", "Mount Kailash"
_LOC_FIRST = {
    "Republic",
    "Gulf",
    "Bay",
    "Sea",
    "Strait",
    "Island",
    "Isle",
    "Lake",
    "Mount",
    "Kingdom",
    "State",
    "Province",
    "Valley",
    "Port",
}
# Words that name a kind, not an individual: a sequence of only these is no new name.
_GENERIC = (
    set(_LOC_HEADS)
    | _ORG_HEADS
    | _EVENT_HEADS
    | set(_LATIN_TITLES)
    | _LATIN_NOT_NAMES
    | {
        "Affairs",
        "Home",
        "External",
        "Foreign",
        "Defence",
        "Defense",
        "Finance",
        "Commerce",
        "Interior",
        "Opposition",
        "House",
        "Border",
        "Military",
        "Naval",
        "Joint",
        "Special",
        "Central",
        "Eastern",
        "Western",
        "Northern",
        "Southern",
        "North",
        "South",
        "East",
        "West",
        "Upper",
        "Lower",
        "New",
        "Old",
        "Officials",
        "Official",
        "Sources",
        "Source",
        "Spokesperson",
        "Spokesman",
        "Spokeswoman",
        "Lt",
        "Gen",
        "Maj",
        "Major",
        "Lieutenant",
        "Sir",
        "Madam",
        "Ji",
        "Government",
        "Mr",
        "Ms",
        "Dr",
        "Prof",
        "Professor",
        "Asian",
        "European",
        "International",
        "Regional",
        "Federal",
        "Supreme",
        "High",
        "Top",
        "Sino",
        "Infantry",
        "Mountain",
        "Strike",
        "Frontier",
        "Security",
        "Intelligence",
        "Research",
        "Study",
        "Studies",
        "Line",
        "Control",
        "Actual",
        "Indo",
        "Tibetan",
        "Himalayan",
        "Himalayas",
        "Free",
        "Youth",
        "People",
        "Peoples",
        "Liberation",
        "Democratic",
        "Republican",
        "Communist",
        "Socialist",
        "Public",
        "Civil",
        "Railways",
        "Railway",
        "Legislature",
        "Judiciary",
        "Tribunal",
        "Constitution",
        "Budget",
        "Bill",
        "Act",
        "States",
        "Territory",
        "Territories",
        "Centre",
        "Capital",
        "Metro",
        "Airlines",
        "Olympic",
        "Olympics",
        "Premier",
        "Championship",
        "Cup",
        "Final",
        "Finals",
        "Test",
        "Series",
        "Match",
        "Stadium",
        "Temple",
        "Mosque",
        "Church",
        "Hospital",
        "School",
        "College",
        "Station",
        "Market",
        "Park",
        "Square",
        "Street",
        "God",
        "Lord",
        "Saint",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Emperor",
        "Pope",
        "Islamic",
        "Hindu",
        "Muslim",
        "Christian",
        "Buddhist",
        "Sikh",
        "Jain",
        "Nazi",
        "Nazis",
        "Maoist",
        "Maoists",
        "Naxal",
        "No",
        "Number",
        "Vol",
        "Page",
        "Chapter",
        "Article",
        "Section",
        "Rule",
        "Phase",
        "Stage",
        "Level",
        "Grade",
    }
)
_NATIONALITIES = {
    "Chinese",
    "Indian",
    "Bhutanese",
    "Nepali",
    "Nepalese",
    "Pakistani",
    "Tibetan",
    "American",
    "Russian",
    "Japanese",
    "Australian",
    "British",
    "French",
    "German",
    "Korean",
    "Taiwanese",
    "Sri",
    "Lankan",
    "Bangladeshi",
    "Burmese",
    "Afghan",
    "Iranian",
    "Israeli",
    "Ukrainian",
    "European",
    "Asian",
    "Western",
    "Mongolian",
    "Kazakh",
    "Uyghur",
    "Uighur",
    "Han",
    "Ladakhi",
    "Sikkimese",
    "Assamese",
    "Punjabi",
    "Hindi",
    "English",
    "Vietnamese",
    "Filipino",
    "Indonesian",
    "Malaysian",
    "Thai",
    "Canadian",
    "Italian",
    "Spanish",
}
_PARTICLES = {"de", "da", "del", "du", "van", "von", "der", "den", "bin", "al", "ul", "ud", "di", "le", "la"}
_CONNECTORS = {"of", "the", "and", "for", "on"} | _PARTICLES
# Lower-case role words before a name ("spokesperson Mao Ning", "Congress leader Rahul Gandhi").
_ROLE_WORDS = {
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "counterpart",
    "envoy",
    "ambassador",
    "leader",
    "chief",
    "minister",
    "president",
    "secretary",
    "commander",
    "general",
    "official",
    "diplomat",
    "premier",
    "chairman",
    "chairperson",
    "head",
    "governor",
    "mp",
    "mla",
    "lawmaker",
    "analyst",
    "professor",
    "expert",
    "activist",
    "scholar",
    "journalist",
    "correspondent",
    "editor",
    "director",
    "deputy",
    "adviser",
    "advisor",
    "councillor",
    "mayor",
    "colonel",
    "captain",
    "officer",
    "representative",
    "delegate",
}
_GENERIC |= {w.capitalize() for w in _ROLE_WORDS} | {
    "Officer",
    "Officers",
    "Electoral",
}  # "Chief Electoral Officer"
_SPEECH_VERBS = {
    "said",
    "says",
    "told",
    "added",
    "stated",
    "noted",
    "asked",
    "warned",
    "wrote",
    "argued",
    "claimed",
    "insisted",
    "urged",
    "remarked",
    "explained",
    "replied",
    "tweeted",
    "posted",
}
_PLACE_PREPS = {
    "in",
    "at",
    "near",
    "from",
    "towards",
    "toward",
    "across",
    "outside",
    "inside",
    "around",
    "via",
    "into",
    "beyond",
    "along",
    "opposite",
    "within",
}
_MOTION_BEFORE_TO = {
    "flew",
    "travelled",
    "traveled",
    "went",
    "moved",
    "returned",
    "road",
    "route",
    "way",
    "visit",
    "visits",
    "trip",
    "journey",
    "back",
    "close",
    "next",
    "flight",
    "flights",
    "came",
    "headed",
    "drove",
    "marched",
    "access",
    "link",
    "links",
    "connectivity",
}
_POSSESSIVE_ROLES = {
    "foreign",
    "defence",
    "defense",
    "government",
    "army",
    "prime",
    "president",
    "ministry",
    "military",
    "navy",
    "air",
    "border",
    "territory",
    "capital",
    "ambassador",
    "embassy",
    "envoy",
    "king",
    "parliament",
    "people",
    "troops",
    "northern",
    "southern",
    "eastern",
    "western",
    "home",
    "external",
    "national",
    "top",
    "new",
    "largest",
    "position",
    "claim",
    "claims",
    "stand",
    "sovereignty",
}
_NAMING_WORDS = {"calls", "called", "call", "names", "named", "renamed", "dubbed", "dubs"}
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”‘’(\[\n]|[—–-]\s)\s*$")
_NAME_PAIR_ZIPF = (
    3.5  # "ramesh" 2.8, "vikram" 3.0, "hong" 3.3; sentence starters: "however" 5.0, "officials" 4.4
)
_COMMON_ZIPF = 2.5  # a capitalised sentence starter this frequent as an English word is not a name
_HI_COMMON_ZIPF = 5.0

_HI_LOC_HEADS = {
    "घाटी": "Valley",
    "दर्रा": "Pass",
    "दर्रे": "Pass",
    "दर्रों": "Pass",
    "ला": "La",
    "झील": "Lake",
    "नाला": "Nullah",
    "नाले": "Nullah",
    "नदी": "River",
    "जिला": "District",
    "जिले": "District",
    "ज़िला": "District",
    "ज़िले": "District",
    "सेक्टर": "Sector",
    "एयरपोर्ट": "Airport",
    "ग्लेशियर": "Glacier",
    "चोटी": "Peak",
    "प्रांत": "Province",
    "पॉइंट": "Point",
    "प्वाइंट": "Point",
    "पोस्ट": "Post",
    "चौकी": "Post",
    "पुल": "Bridge",
    "सुरंग": "Tunnel",
    "एयरबेस": "Airbase",
    "मैदान": "Plains",
    "त्सो": "Tso",
    "वैली": "Valley",
    "लेक": "Lake",
    "हाईवे": "Highway",
}
_HI_ORG_HEADS = {
    "मंत्रालय": "Ministry",
    "सेना": "Army",
    "कमान": "Command",
    "कमांड": "Command",
    "कोर": "Corps",
    "पार्टी": "Party",
    "सभा": "Sabha",
    "परिषद": "Council",
    "आयोग": "Commission",
    "बल": "Force",
    "पुलिस": "Police",
    "विश्वविद्यालय": "University",
    "संगठन": "Organisation",
    "समिति": "Committee",
    "कांग्रेस": "Congress",
    "मोर्चा": "Front",
    "ब्रिगेड": "Brigade",
    "डिवीजन": "Division",
    "रेजिमेंट": "Regiment",
    "स्काउट्स": "Scouts",
    "राइफल्स": "Rifles",
    "दूतावास": "Embassy",
    "बोर्ड": "Board",
    "प्राधिकरण": "Authority",
    # transliterated English heads, common in Hindi news
    "आर्मी": "Army",
    "कमेटी": "Committee",
    "काउंसिल": "Council",
    "यूनिवर्सिटी": "University",
    "फोर्स": "Force",
    "मिनिस्ट्री": "Ministry",
    "कमीशन": "Commission",
    "एजेंसी": "Agency",
    "ब्यूरो": "Bureau",
}
# What happened or was signed at a place is an event ("डेपसांग गतिरोध", "शिमला समझौता").
_HI_EVENT_HEADS = {
    "झड़प": "clash",
    "झड़पों": "clashes",
    "गतिरोध": "standoff",
    "समझौता": "Agreement",
    "समझौते": "Agreement",
    "संधि": "Treaty",
    "महोत्सव": "Festival",
    "मैराथन": "Marathon",
}
_HI_TWO_WORD_HEADS = {("हवाई", "अड्डा"): "Airport", ("हवाई", "अड्डे"): "Airport", ("हवाई", "पट्टी"): "Airstrip"}
# A head word alone, or after one of these, names a kind ("सुरक्षा बल", "भारतीय सेना", "इस झील").
_HI_MODIFIERS = set(
    "सुरक्षा अर्धसैनिक स्थानीय राज्य केंद्रीय जिला सीमा वायु थल जल दोनों कई सभी अन्य नई नए नया पुरानी पुराने बड़ी "
    "बड़े छोटी छोटे ऊंचे ऊंची इन उन किसी हर प्रमुख मुख्य विपक्षी सत्तारूढ़ राजनीतिक क्षेत्रीय राष्ट्रीय "
    "अंतरराष्ट्रीय विशेष संयुक्त उच्च भारतीय चीनी पाकिस्तानी अमेरिकी नेपाली रूसी भूटानी तिब्बती जापानी पश्चिमी "
    "पूर्वी उत्तरी दक्षिणी मध्य शीर्ष स्थायी संसदीय सैन्य सैनिक नौ उसकी उसके इसकी इसके अपनी अपने पूरे पूरी "
    "इलाके इलाकों किनारे पास ओर तरफ बीच तक लिए वाली वाले वाला गई गए गया दी दिए किया हुई हुए हुआ "
    "कहा बताया विदेश रक्षा गृह वित्त सरकार सरकारी कुछ सारी सारे यहां वहां जहां पहली पहले दूसरी ऊपरी निचली "
    "ज़िला नदियों झीलों घाटियों मंत्री सचिव अधिकारी अधिकारियों सैनिकों जवानों लोगों देश देशों "
    "वाणिज्य शिक्षा स्वास्थ्य कृषि रेल विधि कानून ऊर्जा पर्यावरण संस्कृति पर्यटन सूचना प्रसारण श्रम खेल उद्योग "
    "वाणिज्यिक आंतरिक बाहरी जनजातीय अल्पसंख्यक जांच जाँच बचाव खोज परीक्षा प्रतिनिधि चयन विशेषज्ञ सलाहकार कार्य "
    "निगरानी राहत स्थायी अस्थायी".split()
)
_HI_STOPS = (
    _HI_NOT_NAMES
    | {t.translate(_DEVANAGARI_FOLD) for t in _HI_MODIFIERS}
    | set(
        "तक लेकिन परंतु किंतु बल्कि जब तब अब फिर साथ ओर रूप तरह बारे दौरान बजाय वे ये हम आप मैं "
        "इसे उसे इन्हें उन्हें जिसे जिसके जिसकी जिससे जिसमें जिन उन इन यहाँ वहाँ क्या क्यों कैसे कहां "
        "होगा होगी होंगे होने हो रहा रही रहे सकता सकती सकते चाहिए जाएगा जाएगी".split()
    )
    | {t.translate(_DEVANAGARI_FOLD) for t in _HI_NUMBER_WORDS | _HI_PARTICIPLES | _HI_VERB_FORMS}
)
_HI_STOPS = {t.translate(_DEVANAGARI_FOLD) for t in _HI_STOPS}
HI_FUNCTION_WORDS = frozenset(_HI_STOPS)  # words that never start or end a Hindi name (used by dates)
_HI_POSTPOSITIONS = {t.translate(_DEVANAGARI_FOLD) for t in "ने को से में पर के की का और तथा एवं व".split()}
_HI_POSSESSIVE_ROLES = [
    tuple(p.split())
    for p in (
        "विदेश मंत्री",
        "रक्षा मंत्री",
        "प्रधानमंत्री",
        "प्रधान मंत्री",
        "राष्ट्रपति",
        "राजदूत",
        "सरकार",
        "सेना",
        "दूतावास",
        "राजधानी",
        "विदेश मंत्रालय",
        "रक्षा मंत्रालय",
        "सीमा",
        "संसद",
        "प्रधानमंत्री",
        "राजा",
        "उप विदेश मंत्री",
    )
]
_HI_NAMING_VERBS = {
    t.translate(_DEVANAGARI_FOLD) for t in "कहता कहती कहते बताता बताती बताते मानता मानती".split()
}


@functools.lru_cache(maxsize=1 << 15)
def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


@functools.lru_cache(maxsize=1 << 15)
def _is_cap_word(word: str) -> bool:
    """A capitalised Latin word that may be part of a name ("Galwan", "McMahon", "D'Souza"), not an acronym."""
    if not (word[0].isupper() and word.isalpha() and (len(word) == 1 or not word.isupper())) or is_devanagari(
        word
    ):
        return False
    # CamelCase is a product or a handle ("ChatGPT", "YouTuber"), except Mc/Mac/O'/De/Di/La/Le names
    inner = [i for i in range(1, len(word)) if word[i].isupper()]
    return not inner or inner[0] in (2, 3) and word[: inner[0]] in ("Mc", "Mac", "De", "Di", "La", "Le", "Du")


_LATIN_WORD_RE = re.compile(r"(?<![A-Za-z'’-])[A-Za-z][A-Za-z'’-]*")
_CAPITALISED_WORD_RE = re.compile(r"(?<![A-Za-z'’-])[A-Z][A-Za-z'’-]*")
_UPPER_WORD_RE = re.compile(r"(?<![A-Za-z'’-])[A-Z][A-Z'’-]+(?![A-Za-z])")
_SMALL_CAPITALISED_RE = re.compile(r"(?<=\S )(?:And|To|Of|In|For|On|With|At|As|From|Over)(?= )")


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in Title Case or capitals (headlines, banners): no open-world names there."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        if 20 <= len(line) < 300:  # a paragraph is no headline
            n_words = len(_LATIN_WORD_RE.findall(line))
            if n_words >= 4:
                caps = len(_CAPITALISED_WORD_RE.findall(line))
                upper = len(_UPPER_WORD_RE.findall(line))
                small = _SMALL_CAPITALISED_RE.search(line)
                if upper >= n_words * 0.6 or caps >= n_words * 0.8 or (small and caps >= n_words * 0.6):
                    spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


# --------------------------------------------------------------------------- matching
@dataclass
class _Found:
    start: int
    end: int
    surface: str
    entity_id: str | None = None  # gazetteer id, or None for an unlinked name
    weak_candidates: tuple[str, ...] = ()
    unlinked_name: str = ""
    unlinked_type: str = "person"
    dropped: bool = False  # a place name that turned out to be part of a person's name
    weak_type: bool = (
        False  # typed only by a preposition, a list or a naming verb (a surname rule may retype)
    )
    split_before_of: bool = False  # the part of a capitalised run before "of" ("the Elite Panel of ...")


def _gap_ok(text: str, end: int, start: int, allow_dot: bool = False) -> bool:
    gap = text[end:start]
    return gap == " " or (allow_dot and gap in (". ", "."))


def _fuzzy_link(gaz: Gazetteer, surface: str, cutoff: int = FUZZY_CUTOFF) -> str | None:
    key = phonetic_key(surface)
    if len(key.replace(" ", "")) < 4:
        return None
    best = process.extractOne(key, gaz.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
    return gaz.fuzzy_ids[best[2]] if best else None


def _gazetteer_pass(
    gaz: Gazetteer, text: str, tokens: list[tuple[str, int, int]]
) -> tuple[list[_Found], list[bool]]:
    found: list[_Found] = []
    covered = [False] * len(tokens)
    n = len(tokens)
    i = 0
    while i < n:
        best_j, best_entries = -1, None
        key: tuple[str, ...] = ()
        for j in range(i, min(n, i + MAX_ALIAS_TOKENS)):
            if j > i and not _ALIAS_GAP_RE.fullmatch(text, tokens[j - 1][2], tokens[j][1]):
                break  # an alias does not span a line, a bracket or a clause
            key = key + (tokens[j][0],)
            entries = gaz.phrases.get(key)
            if entries is not None:
                best_j, best_entries = j, entries
            if key not in gaz.prefixes:
                break
        if best_entries is None:
            i += 1
            continue
        start, end = tokens[i][1], tokens[best_j][2]
        strong = [eid for eid, weak in best_entries if not weak]
        item = _Found(start, end, text[start:end])
        if strong:
            item.entity_id = strong[0]
        else:
            item.weak_candidates = tuple(eid for eid, _ in best_entries)
        found.append(item)
        for k in range(i, best_j + 1):
            covered[k] = True
        i = best_j + 1
    return found, covered


def _anchor_pass(
    gaz: Gazetteer, text: str, tokens: list[tuple[str, int, int]], covered: list[bool]
) -> list[_Found]:
    """Devanagari spelling variants of multi-word aliases whose first word matched exactly."""
    found = []
    for i, (tok, _start, _end) in enumerate(tokens):
        if covered[i] or tok not in gaz.anchors:
            continue
        best: tuple[float, int, str] | None = None
        for length, alias_pkey, eid in gaz.anchors[tok]:
            for span in {length - 1, length, length + 1}:
                j = i + span - 1
                if span < 2 or j >= len(tokens) or any(covered[i : j + 1]):
                    continue
                if not all(is_devanagari(t[0]) for t in tokens[i : j + 1]):
                    continue
                surface = text[tokens[i][1] : tokens[j][2]]
                score = fuzz.ratio(phonetic_key(surface), alias_pkey)
                if score >= ANCHOR_CUTOFF and (best is None or score > best[0]):
                    best = (score, j, eid)
        if best:
            _, j, eid = best
            found.append(_Found(tokens[i][1], tokens[j][2], text[tokens[i][1] : tokens[j][2]], entity_id=eid))
            for k in range(i, j + 1):
                covered[k] = True
    return found


def _one_word_matches(tokens: list[tuple[str, int, int]], matched: list[_Found]) -> dict[int, _Found]:
    """Token index -> one-word gazetteer match of a place or organisation there."""
    starts = {start: k for k, (_, start, _) in enumerate(tokens)}
    result = {}
    for f in matched:
        k = starts.get(f.start)
        if (
            k is not None
            and tokens[k][2] == f.end
            and (f.weak_candidates or f.entity_id and not f.entity_id.startswith("person/"))
        ):
            result[k] = f  # a place, an organisation or a weak alias ("Singh") may continue a name
    return result


def _title_pass(
    gaz: Gazetteer, text: str, tokens: list[tuple[str, int, int]], covered: list[bool], matched: list[_Found]
) -> list[_Found]:
    """Names after a title or honorific that the gazetteer did not match."""
    found = []
    n = len(tokens)
    # One-word matches of places/organisations that may continue a name ("Gen Rashim Bali").
    one_word: dict[int, _Found] | None = None
    for i in range(n - 1):
        raw = text[tokens[i][1] : tokens[i][2]]
        devanagari = is_devanagari(raw)
        strong = _HI_TITLES.get(tokens[i][0]) if devanagari else _LATIN_TITLES.get(raw)
        if strong is None:
            continue
        if devanagari and not strong and i > 0 and tokens[i - 1][0] in _HI_PORTFOLIOS:
            strong = True  # "विदेश मंत्री", "रक्षा मंत्री": a minister's title, not the word "minister"
        if (
            not devanagari
            and not strong
            and i > 0
            and text[tokens[i - 1][1] : tokens[i - 1][2]] in _RANKED_OFFICE
        ):
            strong = True  # "Joint Secretary", "Foreign Secretary": an office held by one person
        j = i + 1
        # "Joint Secretary (East Asia) X": a portfolio in brackets between the title and the name
        bracket = re.match(r" \([A-Za-z&,.\- ]{2,40}\) (?=[A-Z])", text[tokens[i][2] : tokens[i][2] + 46])
        if bracket and not devanagari:
            after_bracket = tokens[i][2] + bracket.end()
            while j < n and tokens[j][1] < after_bracket:
                j += 1
        first_name_token = j
        name_end = None
        stolen: list[_Found] = []
        while j < n and j <= first_name_token + 3:
            if covered[j]:
                if one_word is None:
                    one_word = _one_word_matches(tokens, matched)
                weak = one_word.get(j) is not None and one_word[j].entity_id is None
                if j not in one_word or (j == first_name_token or devanagari) and not weak:
                    break
                stolen.append(one_word[j])
            word = text[tokens[j][1] : tokens[j][2]]
            prev_end = tokens[j - 1][2]
            if devanagari:
                if not is_devanagari(word) or tokens[j][0] in _HI_NOT_NAMES or tokens[j][0] in _HI_TITLES:
                    break
                short_before = len(text[tokens[j - 1][1] : prev_end]) <= 2  # an initial ("एस.", "डॉ.")
                if not _gap_ok(text, prev_end, tokens[j][1], allow_dot=short_before):
                    break
            else:
                if not (word[0].isupper() and word[1:2].islower() or len(word) == 1 and word.isupper()):
                    break
                initial = len(word) == 1 and text[tokens[j][2] : tokens[j][2] + 1] == "."  # "A.P. Singh"
                if (word in _LATIN_NOT_NAMES or word in _LATIN_TITLES) and not initial:
                    break
                # "Gen. Upendra", "K. J. Singh" — but not "said the Minister. Later, ..."
                allow_dot = (j == first_name_token and raw in _ABBREVIATED_TITLES) or len(
                    text[tokens[j - 1][1] : prev_end]
                ) == 1
                if (j != first_name_token or not bracket) and not _gap_ok(
                    text, prev_end, tokens[j][1], allow_dot=allow_dot
                ):
                    break
            name_end = j
            j += 1
        if name_end is None:
            continue
        if not devanagari and len(text[tokens[name_end][1] : tokens[name_end][2]]) == 1:
            continue  # a lone initial
        while (
            not devanagari
            and name_end + 1 < n
            and text[tokens[name_end][2] : tokens[name_end + 1][1]] == "-"
            and text[tokens[name_end + 1][1] : tokens[name_end + 1][2]].islower()
            and not covered[name_end + 1]
        ):
            name_end += 1  # "Han Duck-soo"
        weak_starts = {f.start for f in stolen if f.entity_id is None}
        if all(tokens[k][1] in weak_starts for k in range(first_name_token, name_end + 1)):
            continue  # "Mr Singh": the weak alias resolves to the person named in full
        if name_end + 1 < n and (
            tokens[name_end + 1][0] in _HI_TITLES
            or text[tokens[name_end + 1][1] : tokens[name_end + 1][2]] in _LATIN_TITLES
        ):
            continue  # "H.E. Shri Wang Yi": part of a chain of titles, not a name
        if devanagari and all(len(tokens[k][0]) <= 2 for k in range(first_name_token, name_end + 1)):
            continue  # "एच.ई." (His Excellency) or initials cut off from their name
        start, end = tokens[first_name_token][1], tokens[name_end][2]
        surface = text[start:end]
        eid = _fuzzy_link(gaz, surface, FUZZY_CUTOFF if devanagari else LATIN_FUZZY_CUTOFF)
        if devanagari and not eid and strong:
            after = name_end + 1
            if (
                after < n
                and not covered[after]
                and tokens[after][0] not in _HI_STOPS
                and text[tokens[name_end][2] : tokens[after][1]] == " "
            ):
                strong = False  # "मुख्यमंत्री कार्यालय गया": the name must end at a postposition or a clause end
            elif tokens[i][0] in _HI_OFFICE_TITLES and name_end == i + 1:
                strong = False  # "मुख्यमंत्री कार्यालय ने": after an office, a one-word unknown name is a noun
        if eid:
            found.append(_Found(start, end, surface, entity_id=eid))
        elif strong:
            name = " ".join(w.capitalize() for w in phonetic_key(surface).split()) if devanagari else surface
            found.append(_Found(start, end, surface, unlinked_name=name))
        else:
            continue
        for f in stolen:
            f.dropped = f.start < end
        for k in range(first_name_token, name_end + 1):
            covered[k] = True
    return found


_HI_LOC_HEADS = {k.translate(_DEVANAGARI_FOLD): v for k, v in _HI_LOC_HEADS.items()}
_HI_ORG_HEADS = {k.translate(_DEVANAGARI_FOLD): v for k, v in _HI_ORG_HEADS.items()}
_HI_EVENT_HEADS = {k.translate(_DEVANAGARI_FOLD): v for k, v in _HI_EVENT_HEADS.items()}
_HI_TWO_WORD_HEADS = {
    tuple(w.translate(_DEVANAGARI_FOLD) for w in k): v for k, v in _HI_TWO_WORD_HEADS.items()
}
_HI_POSSESSIVE_ROLES = [tuple(w.translate(_DEVANAGARI_FOLD) for w in r) for r in _HI_POSSESSIVE_ROLES]
_HI_AFTER_LA = {t.translate(_DEVANAGARI_FOLD) for t in "के की का में से पर को ने और तथा दर्रा दर्रे दर्रों तक".split()}
_HI_ROLE_FIRST = {r[0] for r in _HI_POSSESSIVE_ROLES}
_HI_PORTFOLIOS = {
    t.translate(_DEVANAGARI_FOLD) for t in "विदेश रक्षा गृह वित्त वाणिज्य उप राज्य रेल कानून शिक्षा".split()
}
_HI_SABHA = "सभा"
_HI_GENERIC_SABHA = {"विधानसभा", "महासभा", "जनसभा", "सभा"}
_DEPARTMENT_WORDS = (_NATIONALITIES - {"European", "Asian", "Western"}) | {  # "European Commission" is a name
    "Defence",
    "Defense",
    "Foreign",
    "Home",
    "External",
    "Finance",
    "Commerce",
    "Interior",
    "Border",
    "Military",
    "Naval",
    "Air",
    "Armed",
    "State",
    "Local",
    "Security",
    "Opposition",
    "Ruling",
    "Chinese",
    "Indian",
    "The",
    "Police",
    "Army",
    "Government",
    "Federal",
    "Central",
    "Union",
}
# Organisations named after a people or a region: "European Union", "African Union", "Indian National
# Congress".
_NAMED_BY_NATION = {"Union", "Congress", "Party", "Front", "League", "Council", "Federation", "Association"}
_NUMBERED_HEADS = {"Finger", "Point", "Post", "Hill", "Height", "Sector", "Patrolling"}
_APPOSITION_AFTER = re.compile(
    r",\s+(?:(?:the|a|an|his|her|its|their|who\s+is|now)\s+)?(?:[A-Za-z'’-]+\s+){0,4}?(?:"
    + "|".join(sorted(_ROLE_WORDS))
    + r")\b(?!\s+said)"
    r"|,\s+(?:the\s+)?(?:(?:Deputy|Vice|Joint|Additional)\s+)?(?:Director|Secretary)[- ]General\s+of\b"
    r"|,\s+the\s+(?:Director|Chairman|Chairperson|Spokesperson|Ambassador|Head|President)\s+of\b"
)
_DESIGNATION_AFTER = re.compile(
    r" \((?:(?:Joint|Deputy|Additional|Vice|Under|Foreign|Defence|Chief|Principal)\s+)*(?:Secretary|Director|"
    r"Director-General|Minister|Ambassador|Spokesperson|Commander|Adviser|Advisor|Chairman|President|Governor)\b"
)
_WHO_AFTER = re.compile(
    r",\s+who\s+(?!(?:is|are|was|were)\s+(?:in|at|on|from)\b)"
)  # ", who heads ...": a person
_APPOSITION_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(_ROLE_WORDS)) + r"),\s*$", re.IGNORECASE)
_PRONOUNS = {"I", "Me", "You", "It", "We", "Us", "They", "Them", "Him", "She", "He", "My", "Your", "Our"}
_LEADING_FUNCTION = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "My",
    "Your",
    "Both",
    "Each",
    "Every",
    "All",
    "Some",
    "Many",
    "In",
    "On",
    "At",
    "From",
    "For",
    "With",
    "By",
    "As",
    "But",
    "And",
    "Or",
    "If",
    "When",
    "After",
    "Before",
    "While",
    "To",
    "Of",
    "Under",
    "Over",
    "During",
    "Since",
    "Until",
    "Like",
    "Unlike",
    "Amid",
    "Despite",
    "Is",
    "Are",
    "Was",
    "Were",
    "Will",
    "Would",
    "Can",
    "Could",
    "Should",
    "Does",
    "Did",
    "Do",
    "Has",
    "Have",
    "Had",
    "Why",
    "How",
    "What",
    "Who",
    "Where",
    "Which",
    "Former",
    "Ex",
}


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start].rstrip(" \t\u00a0\"'“‘(")
    return not before or before[-1] in ".!?:;|\n—–"


def _type_of(f: _Found, gaz: Gazetteer) -> str | None:
    if f.entity_id:
        return gaz.entities[f.entity_id].type
    return f.unlinked_type if f.unlinked_name else None


def _surname_pass(
    text: str, tokens: list[tuple[str, int, int]], covered: list[bool], found: list[_Found]
) -> list[_Found]:
    """A family or given name alone, after the full name of an unlinked person, is the same person."""
    people: dict[str, _Found] = {}
    for f in sorted(found, key=lambda f: f.start):
        if f.entity_id is None and f.unlinked_name and f.unlinked_type == "person":
            words = alias_key(f.surface)
            if len(words) >= 2:
                for w in {words[0], words[-1]}:
                    if len(w) > 2:
                        people.setdefault(w, f)
    if not people:
        return []
    out = []
    for k, (key, start, end) in enumerate(tokens):
        f = people.get(key)
        if f is None or covered[k] or start < f.end:
            continue
        word = text[start:end]
        if not (is_devanagari(word) or _is_cap_word(word)) or word in _GENERIC:
            continue
        out.append(_Found(start, end, word, unlinked_name=f.unlinked_name, unlinked_type="person"))
        covered[k] = True
    return out


_CAP_START_RE = re.compile(r"(?<![^\W\d_])[A-Z]")
_MID_SENTENCE_CAP_RE = re.compile(r"[a-z,][ \t]+([A-Z][^\W_]*)")  # a capitalised word after a lower-case word


def _latin_sequences(
    text: str,
    tokens: list[tuple[str, int, int]],
    covered: list[bool],
    weak: dict[int, _Found],
    linked: dict[int, _Found],
    token_at: dict[int, int],
) -> list[list[int]]:
    """Runs of capitalised words (with of/the/and/de inside, hyphens, initials, a number after "Finger")."""
    n = len(tokens)
    headlines = _headline_lines(text)
    seqs = []
    # Only tokens that start with a capital letter can start a run: jump from one to the next.
    cap_starts = [token_at[m.start()] for m in _CAP_START_RE.finditer(text) if m.start() in token_at]
    next_cap = 0
    k = 0
    while k < n:
        while next_cap < len(cap_starts) and cap_starts[next_cap] < k:
            next_cap += 1
        if next_cap == len(cap_starts):
            break
        k = cap_starts[next_cap]
        # A weak alias may start a name when a new capitalised word follows ("Wang Lutong", not Wang Yi)
        weak_start = (
            k in weak
            and k + 1 < n
            and not covered[k + 1]
            and text[tokens[k][2] : tokens[k + 1][1]] == " "
            and _is_cap_word(text[tokens[k + 1][1] : tokens[k + 1][2]])
        )
        if covered[k] and not weak_start:
            k += 1
            continue
        raw = text[tokens[k][1] : tokens[k][2]]
        if not _is_cap_word(raw) or raw in _MONTHS_DAYS:
            k += 1
            continue
        if headlines and any(s <= tokens[k][1] < e for s, e in headlines):
            k += 1
            continue
        seq = [k]
        j = k + 1
        while j < n and (
            not covered[j] or j in weak
        ):  # a weak alias may continue a name ("Harmanpreet Singh")
            prev = text[tokens[j - 1][1] : tokens[j - 1][2]]
            gap = text[tokens[j - 1][2] : tokens[j][1]]
            word = text[tokens[j][1] : tokens[j][2]]
            initial = len(prev) == 1 and prev.isupper() and gap in (".", ". ")
            if gap in (" ", "-", "\u2011") or initial:
                if (
                    _is_cap_word(word)
                    and word not in _MONTHS_DAYS
                    and not (initial and word in _LEADING_FUNCTION)
                ):
                    seq.append(j)
                    j += 1
                    continue
                if gap != " " and not initial and word.isalpha() and word.islower():
                    if word in _HYPHEN_SUFFIXES:
                        break  # "Kolkata-based": the name is the capitalised part
                    seq.append(j)  # "Duck-soo", "Eid-ul-Fitr": one hyphenated name
                    j += 1
                    continue
                if word.isdigit() and gap == " " and prev in _NUMBERED_HEADS:
                    seq.append(j)
                    j += 1
                    continue
                if word in _CONNECTORS and gap == " ":
                    # "Line of Actual Control", "Ursula von der Leyen", "Ministry of the Interior"
                    m = j
                    while (
                        m + 1 < n
                        and text[tokens[m + 1][1] : tokens[m + 1][2]] in _CONNECTORS
                        and m - j < 2
                        and text[tokens[m][2] : tokens[m + 1][1]] == " "
                    ):
                        m += 1
                    if (
                        m + 1 < n
                        and not covered[m + 1]
                        and text[tokens[m][2] : tokens[m + 1][1]] == " "
                        and _is_cap_word(text[tokens[m + 1][1] : tokens[m + 1][2]])
                    ):
                        seq += list(range(j, m + 2))
                        j = m + 2
                        continue
                first = next(
                    (
                        w
                        for w in (text[tokens[q][1] : tokens[q][2]] for q in seq)
                        if w not in _LEADING_FUNCTION
                    ),
                    "",
                )
                if (
                    word == "of"
                    and gap == " "
                    and j + 1 < n
                    and covered[j + 1]
                    and j + 1 in linked
                    and (prev in _ORG_HEADS | _ORG_FIRST | _EVENT_FIRST or first in _ORG_FIRST)
                ):
                    end = linked[j + 1].end  # "Municipal Corporation of Delhi": the place is part of the name
                    seq.append(j)
                    j += 1
                    while j < n and tokens[j][2] <= end:
                        seq.append(j)
                        j += 1
                    break
            break
        seqs.append(seq)
        k = j
    return seqs


_HYPHEN_SUFFIXES = {
    "based",
    "born",
    "led",
    "backed",
    "bound",
    "made",
    "level",
    "run",
    "owned",
    "style",
    "like",
    "centric",
    "specific",
    "wide",
    "era",
    "origin",
    "controlled",
    "administered",
    "held",
    "occupied",
    "bred",
    "linked",
    "focused",
    "registered",
    "headquartered",
    "friendly",
    "type",
    "class",
    "speaking",
    "dominated",
}
_MONTHS_DAYS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
}
_HEADS = _LOC_HEADS | _ORG_HEADS | _EVENT_HEADS


def _split_sequence(text: str, tokens: list[tuple[str, int, int]], seq: list[int]) -> list[list[int]]:
    """Split a run at a connector unless it joins one name ("Ministry of Home Affairs", "Fire and Fury Corps")."""
    words = [text[tokens[k][1] : tokens[k][2]] for k in seq]
    last_is_head = words[-1] in _HEADS
    parts: list[list[int]] = [[]]
    for pos, (k, w) in enumerate(zip(seq, words, strict=True)):
        if w in _CONNECTORS:
            before = words[pos - 1] if pos else ""
            keep = (
                w in _PARTICLES
                or (w == "of" and before in _ORG_FIRST | _LOC_FIRST | _HEADS | _EVENT_FIRST)
                or (w == "of" and pos == len(words) - 2 and _ORG_FIRST & set(words[:2]))
                or (
                    w in ("and", "for", "on")
                    and last_is_head
                    and parts[-1]
                    and words[0] not in _LEADING_FUNCTION
                )
                or (w == "the" and before == "of")
            )
            if not keep:
                parts.append([])
                continue
        parts[-1].append(k)
    return [p for p in parts if p]


def _latin_open_pass(
    gaz: Gazetteer, text: str, tokens: list[tuple[str, int, int]], covered: list[bool], found: list[_Found]
) -> list[_Found]:
    """Capitalised names the gazetteer and the title rule did not match, typed from their context."""
    token_at = {s: k for k, (_, s, _) in enumerate(tokens)}
    weak = {token_at[f.start]: f for f in found if f.weak_candidates and f.start in token_at}
    linked = {token_at[f.start]: f for f in found if f.entity_id and not f.dropped and f.start in token_at}
    seqs = _latin_sequences(text, tokens, covered, weak, linked, token_at)
    if not seqs:
        return []
    by_end = {f.end: f for f in found if not f.dropped}
    by_start = {f.start: f for f in found if not f.dropped}
    mid_caps: set[str] | None = None  # words written capitalised inside a sentence somewhere in the text
    candidates: list[_Found] = []
    for seq in seqs:
        for part in _split_sequence(text, tokens, seq):
            words = [text[tokens[k][1] : tokens[k][2]] for k in part]
            while part and (words[0] in _LEADING_FUNCTION or words[0] in _CONNECTORS):
                part, words = part[1:], words[1:]
            while part and words[-1] in _CONNECTORS:
                part, words = part[:-1], words[:-1]
            if not part or any(w in _PRONOUNS for w in words):
                continue  # "Choose Me", "Love You": a title of a work, not a name
            start, end = tokens[part[0]][1], tokens[part[-1]][2]
            after = text[end : end + 80]
            possessive = after[:2] in ("'s", "’s")
            zipf = _zipf(words[0].lower(), "en") if _sentence_initial(text, start) else 0.0
            headed_run = len(part) >= 2 and words[-1] in _HEADS and words[0] not in _GENERIC and zipf < 4.5
            nxt = by_start.get(end + 1)
            place_after = (
                words[-1] in _ORG_HEADS
                and nxt is not None
                and nxt.entity_id is not None
                and text[end : end + 1] == " "
                and gaz.entities[nxt.entity_id].type == "location"
            )
            # A rare-ish first word before another name word ("Rakesh Pillai", "Hong Liang") is a name.
            chinese = (
                len(words) >= 2
                and words[0] in _CHINESE_SURNAMES
                and bool(_PINYIN_RE.fullmatch(words[1].lower()))
            )
            name_pair = (
                len(part) >= 2
                and (zipf < _NAME_PAIR_ZIPF or chinese)
                and words[1] not in _GENERIC
                and _is_cap_word(words[1])
            )
            if chinese and len(words) >= 3 and all(w in _GENERIC for w in words[2:]):
                part, words = (
                    part[:2],
                    words[:2],
                )  # "Zhang Xiaoming Ministry officials": the person, not a body
                end = tokens[part[-1]][2]
                after = text[end : end + 80]
                possessive = after[:2] in ("'s", "’s")
            if (
                zipf >= _COMMON_ZIPF
                and not possessive
                and not headed_run
                and not place_after
                and not name_pair
            ):
                if mid_caps is None:
                    mid_caps = set(_MID_SENTENCE_CAP_RE.findall(text))
                if words[0] not in mid_caps:  # else it is written as a name elsewhere in the text
                    part, words = part[1:], words[1:]
                    while part and (words[0] in _LEADING_FUNCTION or words[0] in _CONNECTORS):
                        part, words = part[1:], words[1:]
                    if not part:
                        continue
                    start = tokens[part[0]][1]
            etype = _latin_type(text, start, after, words, possessive)
            weak_type = etype is not None and etype.endswith("?")
            etype = etype.rstrip("?") if etype else None
            if weak_type and text[end : end + 4] == " of " and _is_cap_word(text[end + 4 : end + 5] or "x"):
                etype, weak_type = (
                    None,
                    False,
                )  # "in the Elite Panel of Umpires": the preposition is about the whole
            if len(words) == 1 and len(words[0]) == 1:
                continue  # a lone letter ("J&K", "R-5")
            if (
                len(words) == 1
                and etype != "person"
                and (
                    words[0].endswith(("ese", "ish"))
                    or (words[0].endswith("ian") and _qualifies_a_noun(after))
                )
            ):
                continue  # "Lebanese", "Nubian", "Kurdish": an adjective of a people, not a place
            name_words = [
                w for w in words if w not in _GENERIC and w not in _NATIONALITIES and not w.isdigit()
            ]
            headed = (
                words[-1].isdigit()
                or len(words) >= 2
                and (words[-1] in _HEADS or words[0] in _ORG_FIRST | _LOC_FIRST)
            )
            qualifier_head = (
                words[-1] in _ORG_HEADS | _PLACE_NAMED_HEADS or tuple(words[-2:]) in _TWO_WORD_HEADS
            )
            if place_after and not name_words and len(words) >= 2:
                # "Border Guard Bangladesh", "Border Police Ruritania": a body named by its kind and its
                # country
                nxt.dropped = True
                candidates.append(
                    _Found(
                        start,
                        nxt.end,
                        text[start : nxt.end],
                        unlinked_name=text[start : nxt.end],
                        unlinked_type="organization",
                    )
                )
                continue
            if not name_words and (not headed or qualifier_head and by_end.get(start - 1)):
                # Only kind words ("Army", "Foreign Ministry", "Prime Minister"); "Ladakh Scouts" after a
                # linked place is one new organisation.
                prev = by_end.get(start - 1)
                if (
                    prev
                    and prev.entity_id
                    and text[start - 1] == " "
                    and qualifier_head
                    and gaz.entities[prev.entity_id].type == "location"
                ):
                    prev.dropped = True
                    etype = _TWO_WORD_HEADS.get(tuple(words[-2:])) or (
                        "organization"
                        if words[-1] in _ORG_HEADS
                        else "location"
                        if words[-1] in _LOC_HEADS
                        else "event"
                    )
                    candidates.append(
                        _Found(
                            prev.start,
                            end,
                            text[prev.start : end],
                            unlinked_name=text[prev.start : end],
                            unlinked_type=etype,
                        )
                    )
                continue
            if (
                words[-1] in _HEADS
                and words[-1] not in _NAMED_BY_NATION
                and len(words) >= 2
                and all(w in _DEPARTMENT_WORDS for w in words[:-1])
            ):
                continue  # "Defence Ministry", "Chinese Army": a kind, not a name
            cand = _Found(
                start,
                end,
                text[start:end],
                unlinked_name=text[start:end],
                unlinked_type=etype or "",
                weak_type=weak_type,
            )
            candidates.append(cand)
    _type_by_neighbours(gaz, text, candidates, by_end, by_start)
    _type_by_surnames(text, candidates, found)
    _merge_with_known_qualifier(gaz, text, candidates, by_end)
    out = []
    for c in candidates:
        if not c.unlinked_type:
            continue
        if c.unlinked_type == "person":
            eid = _fuzzy_link(gaz, c.surface, LATIN_FUZZY_CUTOFF)
            if eid:
                c.entity_id = eid
        out.append(c)
        k = token_at.get(c.start, len(tokens))
        while k < len(tokens) and tokens[k][2] <= c.end:
            covered[k] = True
            inner = weak.get(k) or linked.get(k)
            if inner is not None and inner.end <= c.end and inner is not c:
                inner.dropped = True  # part of this longer name ("Harmanpreet Singh", "... of Delhi")
            k += 1
    return out


def _merge_with_known_qualifier(
    gaz: Gazetteer, text: str, candidates: list[_Found], by_end: dict[int, _Found]
) -> None:
    """A known place or body right before a headed name is part of it: "China Coast Guard", "Tibet Military
    District", "Hemis Monastery" after "Leh"... ("Border Guard Bangladesh" is typed by its neighbours)."""
    for c in candidates:
        words = c.surface.split()
        if (
            not c.unlinked_type
            or c.weak_type
            or not (
                words[-1] in _HEADS
                or tuple(words[-2:]) in _TWO_WORD_HEADS
                or c.unlinked_type == "event"
                and words[0] in _MEETING_FIRST
            )
        ):
            continue
        prev = by_end.get(c.start - 1)
        if prev is None or prev.dropped or not prev.entity_id or text[c.start - 1] != " ":
            continue
        if gaz.entities[prev.entity_id].type not in ("location", "organization") or is_devanagari(
            prev.surface
        ):
            continue
        prev.dropped = True
        c.start, c.surface = prev.start, text[prev.start : c.end]
        c.unlinked_name = c.surface


def _latin_type(text: str, start: int, after: str, words: list[str], possessive: bool) -> str | None:
    """Type of a capitalised name from its head word, a title or role before it, an apposition, a
    possessive before a role word, or a preposition of place; None when nothing says."""
    last, first = words[-1], words[0]
    if last.isdigit() and len(words) >= 2 and words[-2] in _NUMBERED_HEADS:
        return "location"
    if len(words) >= 2 and tuple(words[-2:]) in _TWO_WORD_HEADS:
        return _TWO_WORD_HEADS[tuple(words[-2:])]
    if first in _MEETING_FIRST and last == "Ministers" and "of" in words:
        return "event"
    if first in _EVENT_FIRST and len(words) >= 3 and words[1] == "of":
        return "event"
    if last in _LOC_HEADS and len(words) >= 2:
        return "location"
    if last in _ORG_HEADS and len(words) >= 2:
        return "organization"
    if last in _EVENT_HEADS and len(words) >= 2:
        return "event"
    if "of" in words and (first in _ORG_FIRST or words[words.index("of") - 1] in _ORG_HEADS):
        return "organization"
    if "of" in words and first in _LOC_FIRST or first in _PLACE_FIRST and len(words) >= 2:
        return "location"
    if (
        len(words) >= 2
        and len(first) == 1
        and text[start + 1 : start + 2] == "."
        and len(last) > 1
        and last not in _GENERIC
        and last not in _NATIONALITIES
    ):
        return "person"  # "A.P. Sharma", "K. J. Singh": initials before a family name
    before = text[max(0, start - 40) : start]
    adjacent = re.search(
        r"(?:([A-Za-z'’]+) +)?([A-Za-z'’]+) +$", before
    )  # the words right before, no punctuation
    prev_words = [w for w in adjacent.groups() if w] if adjacent else []
    prev = prev_words[-1] if prev_words else ""
    in_brackets = before.rfind("(") > before.rfind(")")  # "(Joint Secretary, East Asia)": a portfolio
    if (
        prev.lower() in _ROLE_WORDS
        and not prev[0].isupper()
        or _APPOSITION_BEFORE.search(before)
        and not in_brackets
    ):
        return None if last in _GENERIC else "person"
    if prev == "by" and len(prev_words) >= 2 and prev_words[-2] in _LED_BY and len(words) >= 2:
        return None if last in _GENERIC else "person"  # "led by X", "chaired by X": a person leads
    if (
        len(words) in (2, 3)
        and first in _CHINESE_SURNAMES
        and all(_PINYIN_RE.fullmatch(w.lower()) for w in words[1:])
    ):
        return "person"  # "Wang Lutong", "Zhang Xiaoming": a Chinese surname and a pinyin given name
    if _APPOSITION_AFTER.match(after):
        return None if last in _GENERIC else "person"
    if _DESIGNATION_AFTER.match(after) and len(words) >= 2:
        return None if last in _GENERIC else "person"  # "Gourangalal Das (Joint Secretary, East Asia)"
    if (
        _WHO_AFTER.match(after)
        and len(words) >= 2
        and not re.search(r"\bthe\s+$", before, re.IGNORECASE)
        and not (last.endswith("s") and _zipf(last[:-1].lower(), "en") >= 3.0)
    ):
        return None if last in _GENERIC else "person"  # not "The Rajasthan Royals, who": a team, a plural
    next_word = re.match(r"\s+([a-z]+)", after)
    if next_word and next_word.group(1) in _SPEECH_VERBS and len(words) >= 2 and not after.startswith(","):
        return None if last in _GENERIC else "person"
    kind = re.match(r" ([a-z]+)\b", after)
    if kind and kind.group(1) in _LOWER_PLACE_KINDS:
        return "location"  # "the Hotan prefecture", "Dibang Valley district"
    if possessive:
        role = re.match(r"[’']s\s+([A-Za-z]+)", after)
        if role and role.group(1).lower() in _POSSESSIVE_ROLES:
            return "location"
    if possessive or after[:2] in ("' ", "’ "):
        owned = re.match(r"[’']s?\s+([A-Za-z]+)", after)
        if owned and owned.group(1).islower():
            return None  # "in Sanju Samson's absence": the preposition is about the thing owned
    if prev:
        p = prev.lower()
        if p == "the" and len(prev_words) >= 2:
            p = prev_words[-2].lower()
            prev_words = prev_words[:-1]
            if _qualifies_a_noun(after):
                return None  # "in the Nazi death camps": the capitalised word qualifies a noun
        if (
            p in _PLACE_PREPS
            and prev == prev.lower()
            or p == "to"
            and len(prev_words) >= 2
            and prev_words[-2].lower() in _MOTION_BEFORE_TO
        ):
            return "location?"
        if p in _NAMING_WORDS:
            return "location?"
    return None


_LED_BY = {
    "led",
    "headed",
    "chaired",
    "accompanied",
    "commanded",
    "represented",
    "hosted",
    "received",
    "signed",
}
# The most common Chinese surnames (one syllable each); with a pinyin given name they make a person.
_CHINESE_SURNAMES = set(
    "Wang Li Zhang Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin Guo Ma Luo Liang Song Zheng Xie Tang Feng "
    "Dong Xiao Cao Yuan Deng Fu Shen Zeng Peng Su Lu Jiang Cai Jia Ding Wei Xue Ye Yan Pan Du Dai Xia Zhong Tian Ren "
    "Fan Fang Shi Yao Tan Liao Zou Xiong Jin Hao Kong Bai Cui Kang Mao Qiu Qin Gu Hou Shao Meng Duan Lei Qian Yin Qiao "
    "Lai Gong Wen Geng Ji Miao Zhai Xing Yue".split()
)
_PINYIN_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_PINYIN_FINAL = r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|e|i|o|u|v)"
_PINYIN_RE = re.compile(
    rf"(?:{_PINYIN_INITIAL}{_PINYIN_FINAL}){{1,2}}(?:-(?:{_PINYIN_INITIAL}{_PINYIN_FINAL}))?"
)

_LOWER_PLACE_KINDS = {
    "prefecture",
    "district",
    "county",
    "province",
    "region",
    "village",
    "town",
    "city",
    "valley",
    "river",
    "lake",
    "pass",
    "sector",
    "airport",
    "airbase",
    "nullah",
    "nala",
    "glacier",
    "plateau",
    "township",
    "tehsil",
    "subdivision",
    "municipality",
    "state",
    "island",
    "peninsula",
}


def _qualifies_a_noun(after: str) -> bool:
    """The text after a name starts with a lower-case noun ("Nubian kingdoms", "Nazi death camps")."""
    modifier = re.match(r" ([a-z]+)\b", after)
    return (
        bool(modifier)
        and modifier.group(1) not in _FOLLOWING_VERBS_AND_FUNCTION_WORDS
        and not modifier.group(1).endswith(("ed", "ing"))
    )


_FOLLOWING_VERBS_AND_FUNCTION_WORDS = {
    "and",
    "or",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "from",
    "by",
    "as",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "must",
    "shall",
    "should",
    "said",
    "says",
    "told",
    "since",
    "after",
    "before",
    "during",
    "until",
    "near",
    "that",
    "which",
    "who",
    "where",
    "when",
    "but",
    "if",
    "than",
    "then",
    "also",
    "itself",
    "region",
    "area",
    "sector",
    "border",
    "district",
    "state",
}


def _type_by_surnames(text: str, candidates: list[_Found], found: list[_Found]) -> None:
    """A run of names whose last word recurs alone ("Elon Musk ... Musk said") is a person, and so is the
    lone word; this overrides the weak cues (a preposition: "from Pamela")."""
    multi = [c for c in candidates if " " in c.surface and (not c.unlinked_type or c.weak_type)]
    singles: dict[str, list[_Found]] = {}
    for c in candidates:
        if " " not in c.surface and "-" not in c.surface:
            singles.setdefault(c.surface, []).append(c)
    people = {
        f.surface.split()[-1]: f
        for f in candidates + found
        if f.unlinked_type == "person" and f.unlinked_name and " " in f.surface and not f.weak_type
    }
    for c in multi:
        last = c.surface.split()[-1]
        if (
            any(w in _GENERIC for w in c.surface.split())
            or _zipf(last.lower(), "en") >= 4.0
            or (last.endswith("s") and _zipf(last[:-1].lower(), "en") >= 3.0)
        ):
            continue  # "Tourism Australia", "Rajasthan Royals": a common word or a plural is no surname
        before_last = c.surface.split()[-2]
        if last in singles and any(
            o.start > c.start and not text[max(0, o.start - 40) : o.start].rstrip().endswith(before_last)
            for o in singles[last]
        ):
            c.unlinked_type, c.weak_type = "person", False
            people.setdefault(last, c)
    for word, lone in singles.items():
        person = people.get(word)
        if person is None:
            continue
        for c in lone:
            if c.start > person.start and (not c.unlinked_type or c.weak_type):
                c.unlinked_type, c.weak_type, c.unlinked_name = "person", False, person.unlinked_name


def _type_by_neighbours(gaz, text, candidates, by_end, by_start) -> None:
    """Untyped names take the type of a name they are listed or equated with ("Nepal, Bhutan and X")."""
    spans = {**{f.end: f for f in candidates}, **by_end}
    starts = {**{f.start: f for f in candidates}, **by_start}
    for _ in range(2):
        typed = {o.surface: o for o in candidates if o.unlinked_type}
        for c in candidates:
            if c.unlinked_type:
                continue
            same = typed.get(c.surface)
            if same:
                c.unlinked_type = same.unlinked_type
                continue
            words = c.surface.split()
            last = typed.get(words[-1])
            if (
                len(words) >= 2
                and any(w in _ORG_HEADS for w in words[:-1])
                and last
                and last.unlinked_type == "location"
            ):
                c.unlinked_type = (
                    "organization"  # "Border Guard Bangladesh", "Tourism Australia": a body of a country
                )
                continue
            before = text[max(0, c.start - 12) : c.start]
            m = re.search(r"(?:,\s*|\s+and\s+(?:the\s+)?|\s+or\s+)$", before)
            if (
                m
                and m.group().startswith(",")
                and re.match(r"\s+(?:from|in|at|of)\s", text[c.end : c.end + 6])
            ):
                m = None  # "Iltaz from Delhi, Munawar from ...": a new item with its own place, not a list of places
            if m:
                other = spans.get(c.start - len(m.group()))
                if other is not None and not other.entity_id and _qualifies_a_noun(text[c.end : c.end + 30]):
                    other = None  # "Nubian and Kushite kingdoms": adjectives, not a list of places
                t = other and _type_of(other, gaz)
                if t in ("location", "organization"):
                    c.unlinked_type, c.weak_type = t, True
                    continue
                # "calls Arunachal Pradesh Zangnan": the name of what precedes it
            m = re.match(r"(?:,\s*(?:and\s+)?|\s+and\s+(?:the\s+)?|\s+or\s+)", text[c.end : c.end + 12])
            if m:
                other = starts.get(c.end + len(m.group()))
                t = other and _type_of(other, gaz)
                if t in ("location", "organization"):
                    c.unlinked_type, c.weak_type = t, True
                    continue
            # "Arunachal Pradesh (Zangnan)", "Zangnan (Arunachal Pradesh)": another name of the same thing
            if (
                text[c.start - 1 : c.start] == "("
                and text[c.end : c.end + 1] == ")"
                and text[c.end + 1 : c.end + 4].strip()[:1] not in ("-", "—", "–", ":")
            ):  # not "BEIJING (Reuters) -"
                other = spans.get(c.start - 2) or spans.get(c.start - 1)
                t = other and _type_of(other, gaz)
                if t == "organization" and other.entity_id and len(c.surface.split()) == 1:
                    c.entity_id = (
                        other.entity_id
                    )  # "Defence Ministry (Raksha Mantralaya)": a known body's other name
                    c.unlinked_type = t
                    continue
                if t:
                    c.unlinked_type, c.weak_type = t, True
                    continue
            if text[c.end : c.end + 2] == " (":
                other = starts.get(c.end + 2)
                t = other and text[other.end : other.end + 1] == ")" and _type_of(other, gaz)
                if t:
                    c.unlinked_type, c.weak_type = t, True
                    continue
            other = spans.get(c.start - 1)
            if other and text[c.start - 1] == " ":
                head = re.search(r"\b([a-z]+)\s+$", text[max(0, other.start - 12) : other.start])
                if head and head.group(1) in _NAMING_WORDS:
                    c.unlinked_type, c.weak_type = _type_of(other, gaz) or "", True


# One-word Latin names of places and organisations ("Sikkim", "Tawang"), for Devanagari words that
# match no alias exactly: per gazetteer, their phonetic keys and a memo of words already looked up.
_ONE_WORD_INDEX: dict[int, tuple[Any, list[str], list[str], dict[str, str | None]]] = {}
ONE_WORD_CUTOFF = 84


# Area nouns after a place name ("डेपसंग क्षेत्र", "देमचोक इलाके में"): the word before them is the place.
_HI_AREA_NOUNS = frozenset({"क्षेत्र", "क्षेत्रों", "इलाके", "इलाकों", "इलाका", "इलाक़े", "इलाक़ों", "इलाक़ा"})


def _one_word_link(gaz: Gazetteer, word: str) -> str | None:
    index = _ONE_WORD_INDEX.get(id(gaz))
    if index is None or index[0]() is not gaz:  # a new gazetteer (an id can be reused after one is freed)
        keys, ids = [], []
        for e in gaz.entities.values():
            if e.generic or e.type not in ("location", "organization"):
                continue
            for alias in (e.name, *e.aliases):
                key = alias_key(alias)
                if len(key) == 1 and not is_devanagari(alias) and not key[0].isupper():
                    pkey = phonetic_key(alias)
                    if len(pkey) >= 4:
                        keys.append(pkey)
                        ids.append(e.id)
        if len(_ONE_WORD_INDEX) > 8:
            _ONE_WORD_INDEX.clear()
        index = _ONE_WORD_INDEX[id(gaz)] = (weakref.ref(gaz), keys, ids, {})
    _, keys, ids, memo = index
    if word not in memo:
        pkey = phonetic_key(word)
        best = (
            process.extractOne(pkey, keys, scorer=fuzz.ratio, score_cutoff=ONE_WORD_CUTOFF)
            if len(pkey) >= 4
            else None
        )
        memo[word] = ids[best[2]] if best else None
    return memo[word]


def _hindi_open_pass(
    gaz: Gazetteer, text: str, tokens: list[tuple[str, int, int]], covered: list[bool], found: list[_Found]
) -> list[_Found]:
    """Hindi names before a head word ("श्योक नदी", "समाजवादी पार्टी"), and after possessive/list/naming cues."""
    n = len(tokens)
    out: list[_Found] = []
    by_end = {f.end: f for f in found if not f.dropped}

    def spaced(a: int, b: int) -> bool:
        return text[tokens[a][2] : tokens[b][1]] == " "

    def boundary_after(j: int) -> bool:
        """The word after token j ends a name: a postposition or function word, punctuation, or the end."""
        if j + 1 >= n or not spaced(j, j + 1):
            return True
        return tokens[j + 1][0] in _HI_STOPS or covered[j + 1]

    def add(i: int, j: int, etype: str, head: str, head_from: int | None) -> None:
        start, end = tokens[i][1], tokens[j][2]
        name_end = tokens[head_from - 1][2] if head_from is not None and head_from > i else end
        base = " ".join(w.capitalize() for w in romanize(text[start:name_end]).split())
        name = f"{base} {head}" if head and head_from is not None and head_from > i else base
        item = _Found(start, end, text[start:end], unlinked_name=name, unlinked_type=etype)
        # A spelling the gazetteer does not list may still be a known name ("गलवाँ वैली").
        eid = _fuzzy_link(gaz, name) or _fuzzy_link(gaz, text[start:end])
        if eid is None and name_end == tokens[i][2]:
            eid = _one_word_link(gaz, text[start:name_end])
        if eid and gaz.entities[eid].type in (etype, "location" if etype == "location" else etype):
            item.entity_id = eid
        out.append(item)
        for k in range(i, j + 1):
            covered[k] = True

    for k in range(n):
        key = tokens[k][0]
        if covered[k] or not is_devanagari(key):
            continue
        etype = head = None
        last = k
        if k + 1 < n and (key, tokens[k + 1][0]) in _HI_TWO_WORD_HEADS and spaced(k, k + 1):
            etype, head, last = "location", _HI_TWO_WORD_HEADS[(key, tokens[k + 1][0])], k + 1
        elif key in _HI_LOC_HEADS:
            if key == "ला" and k + 1 < n and tokens[k + 1][0] not in _HI_AFTER_LA and spaced(k, k + 1):
                continue  # "सामान ला रहे हैं": the verb "bring", not a pass
            etype, head = "location", _HI_LOC_HEADS[key]
        elif key in _HI_ORG_HEADS:
            etype, head = "organization", _HI_ORG_HEADS[key]
        elif key in _HI_EVENT_HEADS:
            etype, head = "event", _HI_EVENT_HEADS[key]
        elif key == "फिंगर" and k + 1 < n and tokens[k + 1][0].isdigit() and spaced(k, k + 1):
            add(k, k + 1, "location", "", None)
            out[-1].unlinked_name = f"Finger {tokens[k + 1][0]}"
            continue
        elif key.endswith(_HI_SABHA) and key not in _HI_GENERIC_SABHA and len(key) > 4:
            add(k, k, "organization", "", None)
            continue
        if etype is None:
            continue
        i = k
        while (
            i - 1 >= 0
            and k - i < 4
            and not covered[i - 1]
            and is_devanagari(tokens[i - 1][0])
            and tokens[i - 1][0] not in _HI_STOPS
            and tokens[i - 1][0] not in _HI_LOC_HEADS
            and tokens[i - 1][0] not in _HI_ORG_HEADS
            and spaced(i - 1, i)
            and tokens[i - 1][0] not in _HI_NEVER_IN_NAME
            and _zipf(text[tokens[i - 1][1] : tokens[i - 1][2]], "hi") < _HI_NAME_WORD_MAX_ZIPF
        ):
            i -= 1
        if i == k:
            prev = by_end.get(tokens[k][1] - 1)
            if (
                prev
                and prev.entity_id
                and etype in ("organization", "event")
                and spaced(k - 1, k)
                and gaz.entities[prev.entity_id].type == "location"
            ):
                prev.dropped = True  # "दिल्ली पुलिस": the place names a new organisation
                place = gaz.entities[prev.entity_id].name
                out.append(
                    _Found(
                        prev.start,
                        tokens[last][2],
                        text[prev.start : tokens[last][2]],
                        unlinked_name=f"{place} {head}",
                        unlinked_type=etype,
                    )
                )
                for m in range(k, last + 1):
                    covered[m] = True
            continue
        if etype == "event" and not all(
            _hi_name_evidence(text[tokens[q][1] : tokens[q][2]])[1] for q in range(i, k)
        ):
            continue  # "सहयोग समझौता", "सीमा पर झड़प": a kind of agreement or fight, not a named one
        add(i, last, etype, head, k)

    # Initials before a family name: "पी. वी. सिंधु ने", "के. जे. रमेश ने".
    k = 0
    while k < n:
        i = k
        while (
            k < n
            and not covered[k]
            and is_devanagari(tokens[k][0])
            and len(tokens[k][0]) <= 2
            and text[tokens[k][2] : tokens[k][2] + 1] == "."
            and (tokens[k][0] not in _HI_STOPS or tokens[k][0] == "के")
        ):
            # (the letter K is spelled like the postposition के; a postposition is never followed by ".")
            k += 1
        if (
            k > i
            and k < n
            and not covered[k]
            and is_devanagari(tokens[k][0])
            and len(tokens[k][0]) > 2
            and tokens[k][0] not in _HI_STOPS
            and tokens[k][0] not in _HI_TITLES
            and tokens[k][0] not in _HI_LOC_HEADS
            and tokens[k][0] not in _HI_ORG_HEADS
        ):
            j = k + 1 if k + 1 < n and not boundary_after(k) else k
            if boundary_after(j):
                add(i, j, "person", "", None)
                out[-1].unlinked_name = " ".join(
                    w.capitalize() for w in phonetic_key(out[-1].surface).split()
                )
                eid = _fuzzy_link(gaz, out[-1].surface)
                if eid and gaz.entities[eid].type == "person":
                    out[-1].entity_id = eid
            k = j + 1
            continue
        k = max(k, i + 1)

    # One-word names from their context: "X के रक्षा मंत्री", "नेपाल और X", "A को X कहता है".
    def boundary(k: int) -> bool:
        return k < 0 or k >= n or covered[k] or tokens[k][0] in _HI_STOPS or not is_devanagari(tokens[k][0])

    def found_type(k: int) -> str | None:
        f = by_end.get(tokens[k][2]) if 0 <= k < n else None
        return _type_of(f, gaz) if f and f.entity_id else None

    by_start = {f.start: f for f in found if not f.dropped and f.entity_id}

    def listed_with_a_place(k: int) -> bool:
        """Token k is followed by ", <known place>" (a place and the country or state it is in)."""
        if k + 1 >= n or text[tokens[k][2] : tokens[k + 1][1]].strip() != ",":
            return False
        f = by_start.get(tokens[k + 1][1])
        return f is not None and _type_of(f, gaz) == "location"

    for k in range(n):
        key = tokens[k][0]
        if (
            covered[k]
            or not is_devanagari(key)
            or key in _HI_STOPS
            or key in _HI_LOC_HEADS
            or key in _HI_ORG_HEADS
        ):
            continue
        if not (
            boundary(k - 1)
            and (
                boundary(k + 1)
                or k + 1 < n
                and tokens[k + 1][0] in _HI_NAMING_VERBS | {"नाम"} | _HI_AREA_NOUNS
            )
        ):
            continue
        etype = None
        nxt = tokens[k + 1][0] if k + 1 < n else ""
        if (
            nxt in ("के", "की")
            and k + 2 < n
            and tokens[k + 2][0] in _HI_ROLE_FIRST
            and spaced(k + 1, k + 2)
            and any(tuple(t[0] for t in tokens[k + 2 : k + 2 + len(r)]) == r for r in _HI_POSSESSIVE_ROLES)
        ):
            etype = "location"
        elif k >= 2 and tokens[k - 1][0] in ("और", "तथा", "व", "एवं") and found_type(k - 2) == "location":
            etype = "location"
        elif (
            k + 2 < n
            and nxt in ("और", "तथा", "व", "एवं")
            and by_end.get(tokens[k + 2][2]) is not None
            and found_type(k + 2) == "location"
        ):
            etype = "location"
        elif (
            k >= 1
            and text[tokens[k][1] - 1 : tokens[k][1]] == "("
            and text[tokens[k][2] : tokens[k][2] + 1] == ")"
            and text[tokens[k - 1][2] : tokens[k][1]].strip() == "("
        ):
            prev = by_end.get(tokens[k - 1][2])
            if prev is not None and prev.entity_id and gaz.entities[prev.entity_id].type == "organization":
                # "रक्षा मंत्रालय (रमं)": one unknown word in brackets after a known body is its short name
                out.append(
                    _Found(
                        tokens[k][1],
                        tokens[k][2],
                        text[tokens[k][1] : tokens[k][2]],
                        entity_id=prev.entity_id,
                    )
                )
                covered[k] = True
                continue
            etype = found_type(k - 1)  # "अरुणाचल प्रदेश (जांगनान)"
        elif k >= 2 and tokens[k - 1][0] == "को" and (nxt in _HI_NAMING_VERBS or nxt == "नाम"):
            etype = found_type(k - 2)  # "A को X कहता है": X is another name of A's kind
        word = text[tokens[k][1] : tokens[k][2]]
        if etype and (etype != "location" or _zipf(word, "hi") < _HI_COMMON_ZIPF):
            add(k, k, etype, "", None)
        elif (
            (nxt in _HI_POSTPOSITIONS or nxt in _HI_AREA_NOUNS or listed_with_a_place(k))
            and len(key) >= 4
            and _zipf(word, "hi") < _HI_COMMON_ZIPF
        ):
            # "सिक्कीम में", "डेपसंग क्षेत्र में", "वियनतियान, लाओस में": a variant spelling of a known place
            eid = _one_word_link(gaz, word)
            if eid:
                out.append(_Found(tokens[k][1], tokens[k][2], word, entity_id=eid))
                covered[k] = True
    starts = {start: k for k, (_, start, _) in enumerate(tokens)}
    weak = {starts[f.start]: f for f in found if f.weak_candidates and f.start in starts}
    out += _hindi_agent_names(gaz, text, tokens, covered, weak)
    return out


_HI_DESIGNATION_FIRST = {
    t.translate(_DEVANAGARI_FOLD)
    for t in "संयुक्त उप अपर अतिरिक्त सचिव निदेशक महानिदेशक अधिकारी महासचिव विदेश रक्षा".split()
}
_HI_AGENT_BEFORE = {t.translate(_DEVANAGARI_FOLD) for t in "नेतृत्व अध्यक्षता".split()}
_HI_PRESENT = {t.translate(_DEVANAGARI_FOLD) for t in "उपस्थित मौजूद".split()}
_HI_AND = {t.translate(_DEVANAGARI_FOLD) for t in "और तथा एवं व".split()}
# A Hindi word is name-like when it is not frequent in Hindi (below the most frequent name word measured,
# "सिंह" at zipf 5.83) and either rare in Hindi (< 3.0: "गौरांग", "नामग्याल"; abstract nouns such as "विघटन"
# are at 3.5) or, romanised,
# a word of English text (>= 2.0: Indian names are written there, "ramesh", "mehta"; Hindi common nouns
# romanised are not: "nyayalay", "prashasan", "vibhag" are 0).
_HI_NAME_MAX_ZIPF = 5.9
_HI_RARE_ZIPF = 3.0
_EN_ROMANISED_NAME_ZIPF = 2.0


@functools.lru_cache(maxsize=1 << 14)
def _hi_name_evidence(word: str) -> tuple[bool, bool]:
    """(may be part of a name, shows it is a name) for one Devanagari word, by word frequencies."""
    hi = _zipf(word, "hi")
    if hi >= _HI_NAME_MAX_ZIPF or word.endswith(("ों", "ओं")):
        return False, False  # a frequent word, or a plural oblique noun ("ग्रामीणों"): never a name
    return True, hi < _HI_RARE_ZIPF or _zipf(romanize_word(word), "en") >= _EN_ROMANISED_NAME_ZIPF


def _hindi_agent_names(
    gaz: Gazetteer,
    text: str,
    tokens: list[tuple[str, int, int]],
    covered: list[bool],
    weak: dict[int, _Found],
) -> list[_Found]:
    """People named without a title, by the grammar around them: "X ने कहा/बताया/किया", "X के अनुसार",
    "X उपस्थित थे", "नेतृत्व/अध्यक्षता X ने", "X और Y ने". The run is two or three name-like words between
    boundaries (one after नेतृत्व/अध्यक्षता), the first and at least half of them evidently names, and not a
    known place or body."""
    n = len(tokens)
    out: list[_Found] = []

    def nameable(k: int) -> bool:
        key = tokens[k][0]
        if (
            covered[k]
            and k not in weak
            or not is_devanagari(key)
            or len(key) < 2
            or key in _HI_STOPS
            or key in _HI_NEVER_IN_NAME
            or key in _HI_TITLES
            or key in _HI_LOC_HEADS
            or key in _HI_ORG_HEADS
            or key in _HI_AGENT_BEFORE
        ):
            return False
        return _hi_name_evidence(text[tokens[k][1] : tokens[k][2]])[0]

    def run_before(end: int) -> int | None:
        """Start of the run of name-like words ending at token `end` (None if there is none)."""
        k = end
        while (
            k >= 0
            and end - k < 4
            and nameable(k)
            and (k == end or text[tokens[k][2] : tokens[k + 1][1]] == " ")
        ):
            k -= 1
        return k + 1 if k < end else None

    def take(k: int, j: int) -> bool:
        """Tag tokens k..j as a person if the run qualifies; True when tagged."""
        size = j - k + 1
        if k in weak or not (2 <= size <= 3 or size == 1 and k > 0 and tokens[k - 1][0] in _HI_AGENT_BEFORE):
            return False  # a family name (a weak alias) may end a name, not start one
        if k > 0 and text[tokens[k - 1][2] : tokens[k][1]] == " " and nameable(k - 1):
            return False  # the run is longer than a name: a clause
        words = [text[tokens[q][1] : tokens[q][2]] for q in range(k, j + 1)]
        evident = sum(_hi_name_evidence(w)[1] for w in words)
        if 2 * evident < size or not _hi_name_evidence(words[0])[1]:  # "सफल विघटन ने": no
            return False
        start, end = tokens[k][1], tokens[j][2]
        surface = text[start:end]
        eid = _fuzzy_link(gaz, surface)
        if eid is not None and gaz.entities[eid].type != "person":
            return False
        name = " ".join(w.capitalize() for w in phonetic_key(surface).split())
        out.append(_Found(start, end, surface, entity_id=eid, unlinked_name=name, unlinked_type="person"))
        for q in range(k, j + 1):
            covered[q] = True
            if q in weak:
                weak[q].dropped = True  # "अमित गुप्ता": the family name is part of this name
        return True

    # Work back from each cue: "ने", "उपस्थित/मौजूद", "के अनुसार", or a designation in brackets after the
    # name ("X (संयुक्त सचिव)").
    for c in range(1, n):
        key = tokens[c][0]
        gap = text[tokens[c - 1][2] : tokens[c][1]]
        designation = gap == " (" and (key in _HI_TITLES or key in _HI_DESIGNATION_FIRST)
        if not (
            designation
            or gap == " "
            and (key == "ने" or key in _HI_PRESENT or key == "के" and c + 1 < n and tokens[c + 1][0] == "अनुसार")
        ):
            continue
        k = run_before(c - 1)
        if k is None:
            continue
        second = take(k, c - 1)
        # "X और Y ने": the first of two named people (Y needs two words or more)
        if second and k >= 2 and tokens[k - 1][0] in _HI_AND and c - k >= 2:
            k0 = run_before(k - 2)
            if k0 is not None:
                take(k0, k - 2)
    return out


def find_entities(text: str, gaz: Gazetteer | None = None) -> list[dict[str, Any]]:
    """Entities mentioned in `text`, in order of first mention."""
    gaz = gaz or gazetteer()
    found = _analyse(text, gaz)

    strong_positions: dict[str, list[int]] = {}
    for f in found:
        if f.entity_id:
            strong_positions.setdefault(f.entity_id, []).append(f.start)

    results: dict[str, dict[str, Any]] = {}

    def add(eid: str, name: str, etype: str, surface: str, linked: bool) -> dict[str, Any]:
        entry = results.setdefault(
            eid, {"id": eid, "name": name, "type": etype, "mentions": [], "linked": linked}
        )
        if surface and surface not in entry["mentions"]:
            entry["mentions"].append(surface)
        return entry

    for f in found:
        eid = f.entity_id
        if eid is None and f.weak_candidates:
            eid = _resolve_weak(f, strong_positions) or _credit(gaz, text, f)
            if eid is None:
                continue
        if eid is None:
            add(
                f"unlinked/{f.unlinked_type}/{slug(f.unlinked_name)}",
                f.unlinked_name,
                f.unlinked_type,
                f.surface,
                False,
            )
            continue
        entity = gaz.entities[eid]
        entry = add(entity.id, entity.name, entity.type, f.surface, True)
        # Read with getattr: gazetteers without these optional fields stay valid.
        sector, coordinates = getattr(entity, "sector", None), getattr(entity, "coordinates", None)
        if sector:
            entry["sector"] = sector
        if coordinates:
            entry["coordinates"] = {"lat": float(coordinates[0]), "lon": float(coordinates[1])}
    return list(results.values())


_MONTH_EN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTH_HI = (
    "(?:जनवरी|फरवरी|फ़रवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर)"
)
# A dateline: the place opening the text or a paragraph, before a comma and a date or an agency credit
# ("NEW DELHI, Dec 5 (PTI) –", "Gangtok, March 3", "लेह, 5 दिसंबर (भाषा)"), or alone before a colon ("LEH:").
_MONTH_HI_RE = re.compile(_MONTH_HI)
_DATELINE_RE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Za-z.'’]*(?:[ -][A-Z][A-Za-z.'’]*){0,3}"
    r"|[\u0900-\u097F]+(?: [\u0900-\u097F]+){0,2})"
    rf"(?=\s*,\s*(?:{_MONTH_EN}\s*\d{{1,2}}\b|\d{{1,2}}\s*(?:{_MONTH_EN}|{_MONTH_HI})|\(|[A-Z][a-z]+day\b)"
    r"|\s*\((?:[A-Z]{2,5}|Reuters|Xinhua|Bloomberg|भाषा|वार्ता|[\u0900-\u097F]+)\)\s*[:–—-]|[ \t]*:)"
)


def _datelines(text: str, tokens: list[tuple[str, int, int]]) -> list[tuple[int, int, bool]]:
    """Token ranges [i, j] of dateline places, and whether only a colon follows; their Latin keys are
    case-folded so that "NEW DELHI" and "LEH" match the gazetteer's "New Delhi" and "Leh" (capitals
    elsewhere only match acronyms)."""
    if not _DATELINE_RE.search(text):
        return []
    token_at = {s: k for k, (_, s, _) in enumerate(tokens)}
    ends = {e: k for k, (_, _, e) in enumerate(tokens)}
    spans = []
    for m in _DATELINE_RE.finditer(text):
        place = m.group("place").rstrip(".")
        start, end = m.start("place"), m.start("place") + len(place)
        i, j = token_at.get(start), ends.get(end)
        if i is None or j is None:
            continue
        colon = text[m.end() :].lstrip()[:1] == ":"
        if colon and not is_devanagari(place) and len(place.split()) > 1 and not place.isupper():
            continue  # "Also Read:", "Key Points:": a label in Title Case, not a place
        spans.append((i, j, colon and not re.match(r"\s*,", text[m.end() :])))
        for k in range(i, j + 1):
            key, s, e = tokens[k]
            if not is_devanagari(key):
                tokens[k] = (key.casefold(), s, e)
    return spans


def _dateline_places(
    text: str,
    tokens: list[tuple[str, int, int]],
    covered: list[bool],
    spans: list[tuple[int, int, bool]],
    gaz: Gazetteer,
) -> list[_Found]:
    """A dateline place the gazetteer does not hold is still a place (not a common word or a month)."""
    out = []
    for i, j, colon_only in spans:
        if any(covered[i : j + 1]):
            continue
        start, end = tokens[i][1], tokens[j][2]
        surface = text[start:end]
        words = surface.replace("-", " ").split()
        if is_devanagari(surface):
            if any(tokens[k][0] in _HI_STOPS for k in range(i, j + 1)):
                continue
            name = " ".join(w.capitalize() for w in romanize(surface).split())
        else:
            if any(w.capitalize() in _MONTHS_DAYS or w.capitalize() in _GENERIC for w in words):
                continue
            if all(_zipf(w.lower(), "en") >= 4.0 for w in words):
                continue  # "UPDATE:", "NOTE:", "WATCH:": a label, not a place
            name = " ".join(w.capitalize() if w.isupper() else w for w in words)
        f = _Found(start, end, surface, unlinked_name=name, unlinked_type="location")
        if colon_only and (is_devanagari(surface) or not surface.isupper()):
            continue  # "Adolescence: what teens think", "बैडमिंटन: ...": a title or a topic before a colon
        eid = _fuzzy_link(gaz, name, LATIN_FUZZY_CUTOFF if not is_devanagari(surface) else FUZZY_CUTOFF)
        if eid and gaz.entities[eid].type == "location":
            f.entity_id = eid
        out.append(f)
        for k in range(i, j + 1):
            covered[k] = True
    return out


_HOME_COUNTRY = "location/india"  # a ministry named without its country ("Defence Ministry") is India's
_HI_GENITIVE = {"के", "की", "का"}


def _qualified_ministries(gaz: Gazetteer, text: str, found: list[_Found]) -> None:
    """A ministry the gazetteer holds under its bare name ("विदेश मंत्रालय", "Defence Ministry") is India's
    only when no other country qualifies it: "भूटान के विदेश मंत्रालय", "Nepal's Defence Ministry" and
    "Nepalese Defence Ministry" are that country's ministry, kept unlinked."""
    by_end = {f.end: f for f in found if f.entity_id}
    for f in found:
        entity = gaz.entities.get(f.entity_id or "")
        if entity is None or getattr(entity, "kind", None) != "ministry":
            continue
        before = text[max(0, f.start - 40) : f.start]
        country = qualifier = None
        m = re.search(r"(\S+) $", before)
        if m and m.group(1) in _HI_GENITIVE:
            country = by_end.get(f.start - len(m.group()) - 1)
        elif before.endswith(("'s ", "’s ")):
            country = by_end.get(f.start - 3)
        elif before.endswith(" ") and not is_devanagari(f.surface) and f.start - 1 in by_end:
            country = by_end[f.start - 1]  # "Nepal Ministry of Home Affairs": the place is part of the name
            place = gaz.entities[country.entity_id]
            if place.type == "location" and place.id != _HOME_COUNTRY:
                country.dropped = True
                f.start = country.start
                f.surface = text[f.start : f.end]
                f.entity_id, f.unlinked_type, f.unlinked_name = None, "organization", f.surface
            continue
        elif m and m.group(1) in _NATIONALITIES and m.group(1) != "Indian":
            qualifier = m.group(1)
        if country is not None:
            place = gaz.entities[country.entity_id]
            if place.type != "location" or place.id == _HOME_COUNTRY or place.name in entity.name:
                continue
            head = "Ministry of Foreign Affairs" if entity.id == "organization/mea" else entity.name
            f.entity_id, f.unlinked_type, f.unlinked_name = None, "organization", f"{head} of {place.name}"
        elif qualifier and qualifier not in entity.name and not any(qualifier in a for a in entity.aliases):
            f.start -= len(qualifier) + 1
            f.surface = text[f.start : f.end]
            f.entity_id, f.unlinked_type, f.unlinked_name = None, "organization", f.surface


def _place_events(gaz: Gazetteer, text: str, found: list[_Found]) -> list[_Found]:
    """A place followed by a lower-case word for a fight is that event: "the Depsang standoff", "the
    Chumar face-off" (the gazetteer holds the known ones: "Galwan clash")."""
    out = []
    for f in found:
        if f.dropped or is_devanagari(f.surface) or not (m := _LOWER_EVENT_RE.match(text, f.end)):
            continue
        etype = (
            gaz.entities[f.entity_id].type if f.entity_id else f.unlinked_type if f.unlinked_name else None
        )
        if etype != "location":
            continue
        place = gaz.entities[f.entity_id].name if f.entity_id else f.unlinked_name
        f.dropped = True
        out.append(
            _Found(
                f.start,
                m.end(),
                text[f.start : m.end()],
                unlinked_name=f"{place} {m.group(1)}",
                unlinked_type="event",
            )
        )
    return out


def _analyse(text: str, gaz: Gazetteer) -> list[_Found]:
    """All name mentions of `text`, linked or not, in text order (weak aliases still unresolved)."""
    tokens = tokenize(text)
    datelines = _datelines(text, tokens)
    found, covered = _gazetteer_pass(gaz, text, tokens)
    if datelines:
        found += _dateline_places(text, tokens, covered, datelines, gaz)
    _qualified_ministries(gaz, text, found)
    found += _anchor_pass(gaz, text, tokens, covered)
    found += _title_pass(gaz, text, tokens, covered, found)
    found += _surname_pass(text, tokens, covered, found)
    if _DEVANAGARI_RE.search(text):
        found += _hindi_open_pass(gaz, text, tokens, covered, found)
    found += _latin_open_pass(gaz, text, tokens, covered, found)
    found += _surname_pass(text, tokens, covered, found)
    found += _place_events(gaz, text, found)
    return sorted((f for f in found if not f.dropped), key=lambda f: f.start)


def person_spans(text: str, gaz: Gazetteer | None = None) -> list[tuple[int, int]]:
    """(start, end) of every person's name in `text`: from the gazetteer and from title + name rules."""
    gaz = gaz or gazetteer()
    spans = []
    for f in _analyse(text, gaz):
        if (
            f.entity_id
            and gaz.entities[f.entity_id].type == "person"
            or (f.entity_id is None and f.unlinked_name and f.unlinked_type == "person")
            or f.weak_candidates
        ):
            spans.append((f.start, f.end))
    return spans


def _credit(gaz: Gazetteer, text: str, f: _Found) -> str | None:
    """A news agency's weak alias as a credit: alone in brackets ("(भाषा)", "(AP)") or after a dash at the
    end of a line ("... – Bhasha"); the word alone ("भाषा", language) is not the agency."""
    agencies = [eid for eid in f.weak_candidates if getattr(gaz.entities[eid], "kind", None) == "agency"]
    if not agencies:
        return None
    before, after = text[max(0, f.start - 2) : f.start].strip(), text[f.end : f.end + 2].strip()
    bracketed = before.endswith("(") and after.startswith(")")
    if bracketed:  # a credit, not a short name after a name ("Andhra Pradesh (AP)")
        rest = text[f.end + 1 : f.end + 4].lstrip(" ")
        prior = text[max(0, f.start - 30) : f.start - 1].rstrip()
        last_word = prior.split()[-1] if prior.split() else ""
        bracketed = (
            not rest
            or rest[0] in "-–—:\n"
            or not prior
            or prior[-1] in ".।|!?\n:,"
            or last_word.isdigit()
            or last_word.rstrip(".") in _MONTHS_DAYS
            or bool(_MONTH_HI_RE.fullmatch(last_word))
        )
    line_end = text.find("\n", f.end)
    tail = text[f.end : len(text) if line_end < 0 else line_end].strip(" .)")
    credited = before[-1:] in ("-", "–", "—", "/") and not tail
    return agencies[0] if bracketed or credited else None


def _resolve_weak(f: _Found, strong_positions: dict[str, list[int]]) -> str | None:
    """The candidate named in full nearest before the weak mention (else nearest after), if any."""
    best: tuple[int, str] | None = None
    for eid in f.weak_candidates:
        for pos in strong_positions.get(eid, []):
            distance = f.start - pos if pos <= f.start else 10**9 + pos - f.start
            if best is None or distance < best[0]:
                best = (distance, eid)
    return best[1] if best else None


def tag(article: Article) -> Article:
    """Set `entities` from the title and the text."""
    text = "\n\n".join(part for part in (article.title, article.text) if part)
    return article.replace(entities=find_entities(text))


def resolve(name: str, gaz: Gazetteer | None = None) -> str | None:
    """Gazetteer id of a name in either script (any alias, or a close spelling), else None."""
    gaz = gaz or gazetteer()
    entries = gaz.phrases.get(alias_key(name))
    if entries:
        strong = [eid for eid, weak in entries if not weak]
        if strong:
            return strong[0]
    return _fuzzy_link(gaz, name)
