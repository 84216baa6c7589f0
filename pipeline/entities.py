"""Entities stage: tag people, organisations, places and events in English and Hindi text.

Three passes over one tokenisation of the text:

1. **Gazetteer** (`pipeline/data/gazetteer.yaml`): every alias, in either script, is a sequence of
   normalised word tokens in one token trie; one left-to-right pass finds the longest alias at each
   position. Tokens are runs of word characters *including the Devanagari combining signs* (matras,
   virama, anusvara...), so word boundaries are right for Hindi, where Python's `\\b` is not (it
   breaks a word at its vowel signs). Weak aliases ("Singh", "सिंह") count only when their entity is
   otherwise named in the same article.
2. **Rules**: a title or honorific ("Admiral", "General", "Minister", "श्री", "एडमिरल", "राष्ट्रपति")
   followed by a name gives a person the gazetteer does not know.
3. **Transliteration + fuzzy match**: those names, and Devanagari spellings that start like a known
   alias but differ further on, are romanised (a small table in this module, with Hindi schwa
   deletion) and compared with the known Latin names (rapidfuzz). A match links to the gazetteer
   entity; otherwise the name is kept with `"linked": false` and an id `unlinked/<type>/<slug>`.

Output per entity: {"id", "name", "type", "mentions": [surface forms], "linked"}.
It does not resolve pronouns or decide relevance.
"""

from __future__ import annotations

import functools
import re
import unicodedata
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
        "\u093C": None,  # nukta
        "\u0901": "\u0902",  # chandrabindu -> anusvara
        "\u0958": "\u0915", "\u0959": "\u0916", "\u095A": "\u0917", "\u095B": "\u091C",
        "\u095C": "\u0921", "\u095D": "\u0922", "\u095E": "\u092B", "\u095F": "\u092F",
        "\u200C": None, "\u200D": None,
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
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e", "ऐ": "ai",
    "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e", "ऎ": "e", "ऒ": "o",
}
_MATRAS = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai", "ो": "o",
    "ौ": "au", "ॉ": "o", "ॅ": "e", "ॆ": "e", "ॊ": "o",
}
_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j", "झ": "jh",
    "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t", "थ": "th", "द": "d",
    "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m", "य": "y", "र": "r",
    "ल": "l", "ळ": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s", "ह": "h",
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
            if i + 1 < len(word) and word[i + 1] == "\u093C":
                roman = _NUKTA_CONSONANTS.get(ch, roman)
                i += 1
            units.append([roman, "a*"])
        elif ch in _MATRAS and units:
            units[-1][1] = _MATRAS[ch]
        elif ch == "\u094D" and units:  # virama: no vowel
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
    phrases: dict[tuple[str, ...], list[tuple[str, bool]]] = field(default_factory=dict)  # key -> [(id, weak)]
    prefixes: set[tuple[str, ...]] = field(default_factory=set)
    fuzzy_keys: list[str] = field(default_factory=list)  # phonetic keys of Latin names
    fuzzy_ids: list[str] = field(default_factory=list)
    anchors: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # first token -> [(len, key, id)]

    @property
    def generic_ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self.entities.values() if e.generic)


# First words too common in Hindi to anchor a fuzzy match ("विदेश मंत्री" is not "विदेश मंत्रालय").
_COMMON_HI_FIRST = {"पूर्वी", "पश्चिमी", "मध्य", "विदेश", "रक्षा", "भारतीय", "भारत", "चीनी", "चीन", "विशेष", "कोर", "सीमा", "केंद्रीय", "उत्तरी"}


def load_gazetteer(path: Path | str = GAZETTEER_PATH) -> Gazetteer:
    """Read and validate the gazetteer: unique ids, known types and sectors, coordinates in range (and
    only on locations), implied ids that exist, no alias claimed by two entities."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    entities: dict[str, Entity] = {}
    for raw in data.get("entities", []):
        entity = Entity(
            id=raw["id"], name=raw["name"], type=raw["type"],
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
        strong = [a for a in (entity.name, *entity.aliases) if a in entity.aliases or alias_key(a) not in weak_keys]
        for alias, weak in [(a, False) for a in strong] + [(a, True) for a in entity.weak_aliases]:
            key = alias_key(alias)
            if not key or len(key) > MAX_ALIAS_TOKENS:
                continue
            if not weak:
                if owner.setdefault(key, entity.id) != entity.id:
                    raise ValueError(f"gazetteer {path}: alias {alias!r} of {entity.id} already belongs to {owner[key]}")
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
            if is_devanagari(alias) and len(key) >= 2 and key[0] not in _COMMON_HI_FIRST and entity.type in ("person", "location"):
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
    `gazetteer.cache_clear()` makes the next call read the file again."""
    return load_gazetteer(GAZETTEER_PATH)


# --------------------------------------------------------------------------- rules for unknown names
# Titles before a name. True: the name is a person even if unknown; False: only link a known name.
_LATIN_TITLES = {
    "President": True, "Premier": False, "General": True, "Gen": True, "Admiral": True, "Marshal": True,
    "Brigadier": True, "Colonel": True, "Col": True, "Lt": True, "Maj": True, "Ambassador": True,
    "Envoy": True, "Mr": True, "Ms": True, "Mrs": True, "Dr": True, "Shri": True, "Sri": True,
    "Minister": True, "Spokesperson": True, "Commander": True, "Chancellor": True, "Senator": True,
    "Councillor": True, "Counsellor": True, "Secretary": False, "Chief": False,
}
_ABBREVIATED_TITLES = {"Gen", "Lt", "Col", "Maj", "Dr", "Mr", "Ms", "Mrs", "Brig"}
_LATIN_NOT_NAMES = {
    "The", "Of", "On", "In", "And", "For", "To", "At", "With", "From", "By", "As", "A", "An", "Is", "Was", "Has",
    "Said", "Says", "Told", "Will", "Would", "Who", "Which", "That", "This", "But", "Also", "Had", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "Chinese", "Indian", "Defence", "Defense", "Foreign", "External", "Affairs", "Home", "Prime",
    "Minister", "President", "General", "Army", "Navy", "Air", "Force", "Staff", "Secretary", "Vice",
    "Deputy", "Chief", "Ministry", "National", "State", "Union", "Cabinet", "Senior", "Former",
}
_HI_TITLES = {
    "श्री": True, "श्रीमती": True, "सुश्री": True, "एडमिरल": True, "अडमिरल": True, "अड्मिरल": True, "जनरल": True,
    "ब्रिगेडियर": True, "कर्नल": True, "मार्शल": True, "राष्ट्रपति": True, "प्रधानमंत्री": True, "प्रीमियर": True,
    "राजदूत": True, "डॉ": True, "मिस्टर": True, "प्रवक्ता": True,
    "मंत्री": False, "सचिव": False, "प्रमुख": False, "समकक्ष": False, "काउंसलर": False,
}
_HI_NOT_NAMES = set(
    "ने को से के की का और में पर है हैं था थी थे तथा एवं भी ही या कि जो यह वह इस उस एक दो अपने अपनी अपना "
    "उनके उनकी उन्होंने साथ बाद लिए द्वारा तो न नहीं हुई हुए हुआ कहा बताया किया दिया गया गई रहे रही रहा "
    "चीनी भारतीय रक्षा विदेश मंत्री मंत्रालय सेना प्रमुख सचिव राज्य हालांकि हालाँकि ने।".split()
)
_HI_NOT_NAMES = {t.translate(_DEVANAGARI_FOLD) for t in _HI_NOT_NAMES}
_HI_TITLES = {k.translate(_DEVANAGARI_FOLD): v for k, v in _HI_TITLES.items()}


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


def _gap_ok(text: str, end: int, start: int, allow_dot: bool = False) -> bool:
    gap = text[end:start]
    return gap == " " or (allow_dot and gap in (". ", "."))


def _fuzzy_link(gaz: Gazetteer, surface: str, cutoff: int = FUZZY_CUTOFF) -> str | None:
    key = phonetic_key(surface)
    if len(key.replace(" ", "")) < 4:
        return None
    best = process.extractOne(key, gaz.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
    return gaz.fuzzy_ids[best[2]] if best else None


def _gazetteer_pass(gaz: Gazetteer, text: str, tokens: list[tuple[str, int, int]]) -> tuple[list[_Found], list[bool]]:
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


def _anchor_pass(gaz: Gazetteer, text: str, tokens: list[tuple[str, int, int]], covered: list[bool]) -> list[_Found]:
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
        if k is not None and tokens[k][2] == f.end and f.entity_id and not f.entity_id.startswith("person/"):
            result[k] = f
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
        j = i + 1
        name_end = None
        stolen: list[_Found] = []
        while j < n and j <= i + 4:
            if covered[j]:
                if one_word is None:
                    one_word = _one_word_matches(tokens, matched)
                if j == i + 1 or j not in one_word or devanagari:
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
                if word in _LATIN_NOT_NAMES or word in _LATIN_TITLES:
                    break
                # "Gen. Upendra", "K. J. Singh" — but not "said the Minister. Later, ..."
                allow_dot = (j == i + 1 and raw in _ABBREVIATED_TITLES) or len(text[tokens[j - 1][1] : prev_end]) == 1
                if not _gap_ok(text, prev_end, tokens[j][1], allow_dot=allow_dot):
                    break
            name_end = j
            j += 1
        if name_end is None:
            continue
        if not devanagari and len(text[tokens[name_end][1] : tokens[name_end][2]]) == 1:
            continue  # a lone initial
        start, end = tokens[i + 1][1], tokens[name_end][2]
        surface = text[start:end]
        eid = _fuzzy_link(gaz, surface, FUZZY_CUTOFF if devanagari else LATIN_FUZZY_CUTOFF)
        if eid:
            found.append(_Found(start, end, surface, entity_id=eid))
        elif strong:
            name = " ".join(w.capitalize() for w in phonetic_key(surface).split()) if devanagari else surface
            found.append(_Found(start, end, surface, unlinked_name=name))
        else:
            continue
        for f in stolen:
            f.dropped = f.start < end
        for k in range(i + 1, name_end + 1):
            covered[k] = True
    return found


def find_entities(text: str, gaz: Gazetteer | None = None) -> list[dict[str, Any]]:
    """Entities mentioned in `text`, in order of first mention."""
    gaz = gaz or gazetteer()
    tokens = tokenize(text)
    found, covered = _gazetteer_pass(gaz, text, tokens)
    found += _anchor_pass(gaz, text, tokens, covered)
    found += _title_pass(gaz, text, tokens, covered, found)
    found = sorted((f for f in found if not f.dropped), key=lambda f: f.start)

    strong_positions: dict[str, list[int]] = {}
    for f in found:
        if f.entity_id:
            strong_positions.setdefault(f.entity_id, []).append(f.start)

    results: dict[str, dict[str, Any]] = {}

    def add(eid: str, name: str, etype: str, surface: str, linked: bool) -> None:
        entry = results.setdefault(eid, {"id": eid, "name": name, "type": etype, "mentions": [], "linked": linked})
        if surface and surface not in entry["mentions"]:
            entry["mentions"].append(surface)

    for f in found:
        eid = f.entity_id
        if eid is None and f.weak_candidates:
            eid = _resolve_weak(f, strong_positions)
            if eid is None:
                continue
        if eid is None:
            add(f"unlinked/{f.unlinked_type}/{slug(f.unlinked_name)}", f.unlinked_name, f.unlinked_type, f.surface, False)
            continue
        entity = gaz.entities[eid]
        add(entity.id, entity.name, entity.type, f.surface, True)
    return list(results.values())


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
