"""The gazetteer (`pipeline/data/gazetteer.yaml`): loading and validating it, its alias index, and
resolving a name to an entry (exactly, or by a close spelling in either script).

It does not find names in text: the passes do, with the index built here."""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from pipeline.entities.romanise import phonetic_key
from pipeline.entities.text import alias_key, is_devanagari
from pipeline.entities.words import COMMON_HI_FIRST

GAZETTEER_PATH = Path(__file__).resolve().parent.parent / "data" / "gazetteer.yaml"
TYPES = ("person", "organization", "location", "event")
SECTORS = ("western", "middle", "eastern")
MAX_ALIAS_TOKENS = 12
# rapidfuzz ratio (0-100) on the phonetic keys. Devanagari spellings vary a lot (matras, nukta,
# schwa); Latin ones much less, and a loose Latin cutoff turns "Lai Ching-te" into "Li Qiang".
FUZZY_CUTOFF = 84
LATIN_FUZZY_CUTOFF = 92
ANCHOR_CUTOFF = 86  # stricter when only the first word of an alias matched exactly
ONE_WORD_CUTOFF = 84


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


def _entity(path: Path | str, raw: dict[str, Any]) -> Entity:
    """One entry of the file, checked on its own: known type and sector, coordinates only on places."""
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
    return entity


def load_gazetteer(path: Path | str = GAZETTEER_PATH) -> Gazetteer:
    """Read and validate the gazetteer: unique ids, known types and sectors, coordinates in range (and
    only on locations), implied ids that exist, no alias claimed by two entities."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    entities: dict[str, Entity] = {}
    for raw in data.get("entities", []):
        entity = _entity(path, raw)
        if entity.id in entities:
            raise ValueError(f"gazetteer {path}: duplicate id {entity.id}")
        entities[entity.id] = entity
    gaz = Gazetteer(entities=entities)
    owner: dict[tuple[str, ...], str] = {}
    for entity in entities.values():
        for target in entity.implies:
            if target not in entities:
                raise ValueError(f"gazetteer {path}: {entity.id} implies unknown id {target}")
        _index_aliases(path, gaz, entity, owner)
    return gaz


def _index_aliases(
    path: Path | str, gaz: Gazetteer, entity: Entity, owner: dict[tuple[str, ...], str]
) -> None:
    """Add one entity's aliases to the phrase trie, the fuzzy keys and the Devanagari anchors."""
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
        if not weak and owner.setdefault(key, entity.id) != entity.id:
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
            and key[0] not in COMMON_HI_FIRST
            and entity.type in ("person", "location")
        ):
            gaz.anchors.setdefault(key[0], []).append((len(key), phonetic_key(alias), entity.id))


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
    """The project's gazetteer (`pipeline.entities.GAZETTEER_PATH`, read at the first call), loaded
    once per process; `reload_gazetteer()` makes the next call read the file again."""
    from pipeline import entities  # the package's attribute: a tool or a test may point it elsewhere

    return load_gazetteer(entities.GAZETTEER_PATH)


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


def fuzzy_link(gaz: Gazetteer, surface: str, cutoff: int = FUZZY_CUTOFF) -> str | None:
    """The entry whose Latin name is spelled closest to `surface` (either script), if close enough."""
    key = phonetic_key(surface)
    if len(key.replace(" ", "")) < 4:
        return None
    best = process.extractOne(key, gaz.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
    return gaz.fuzzy_ids[best[2]] if best else None


# One-word Latin names of places and organisations ("Sikkim", "Tawang"), for Devanagari words that
# match no alias exactly: per gazetteer, their phonetic keys and a memo of words already looked up.
_ONE_WORD_INDEX: dict[int, tuple[Any, list[str], list[str], dict[str, str | None]]] = {}


def _one_word_keys(gaz: Gazetteer) -> tuple[list[str], list[str]]:
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
    return keys, ids


def one_word_link(gaz: Gazetteer, word: str) -> str | None:
    """The one-word place or organisation spelled closest to a Devanagari word, if close enough."""
    index = _ONE_WORD_INDEX.get(id(gaz))
    if index is None or index[0]() is not gaz:  # a new gazetteer (an id can be reused after one is freed)
        keys, ids = _one_word_keys(gaz)
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


def resolve(name: str, gaz: Gazetteer | None = None) -> str | None:
    """Gazetteer id of a name in either script (any alias, or a close spelling), else None."""
    gaz = gaz or gazetteer()
    entries = gaz.phrases.get(alias_key(name))
    if entries:
        strong = [eid for eid, weak in entries if not weak]
        if strong:
            return strong[0]
    return fuzzy_link(gaz, name)
