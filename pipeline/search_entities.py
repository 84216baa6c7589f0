"""Entities in what a reader types, in either script: `--entity` values and the names in free text.

- `resolve_entity(value)`: a gazetteer id as is; else the gazetteer's resolver
  (`pipeline.entities.resolve`: any alias in Latin or Devanagari, then a close spelling of a Latin
  name by its phonetic key); else the closest alias of any entry, in either script, by rapidfuzz's
  `ratio` on the matching keys (at least CLOSE_SPELLING_CUTOFF out of 100); else None (the value is
  then matched as a name, exactly, ignoring case).
- `named_entities(query)`: the known entities a free-text query names, found as the longest runs of
  words that are an alias of one entry (strong aliases only: "Singh" alone names nobody). No close
  spellings here: any run of words of a sentence would find some distant name.

Neither reads Elasticsearch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from pipeline import entities

CLOSE_SPELLING_CUTOFF = 88
MAX_NAME_WORDS = 6  # the longest alias run looked for in a query


@dataclass(frozen=True)
class NamedEntity:
    id: str
    start: int  # character span of the name in the query
    end: int


@entities.derived_from_gazetteer
@lru_cache(maxsize=1)
def _alias_table() -> tuple[list[str], list[str]]:
    """Matching keys of every strong alias and name (joined by spaces), and the id of each."""
    gaz = entities.gazetteer()
    keys: list[str] = []
    ids: list[str] = []
    for entity in gaz.entities.values():
        for alias in (entity.name, *entity.aliases):
            key = " ".join(entities.alias_key(alias))
            if key:
                keys.append(key)
                ids.append(entity.id)
    return keys, ids


def _strong_id(words: tuple[str, ...]) -> str | None:
    entries = entities.gazetteer().phrases.get(words) or []
    strong = [eid for eid, weak in entries if not weak]
    return strong[0] if strong else None


def resolve_entity(value: str) -> str | None:
    """The gazetteer id `value` stands for (an id, an alias in either script, a close spelling)."""
    value = value.strip()
    if not value:
        return None
    gaz = entities.gazetteer()
    if value in gaz.entities:
        return value
    found = entities.resolve(value, gaz)
    if found:
        return found
    key = " ".join(entities.alias_key(value))
    if len(key.replace(" ", "")) < 4:
        return None  # too short to tell a close spelling from another name
    keys, ids = _alias_table()
    best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=CLOSE_SPELLING_CUTOFF)
    return ids[best[2]] if best else None


def named_entities(query: str) -> list[NamedEntity]:
    """Known entities named in `query`, left to right, longest alias first."""
    tokens = entities.tokenize(query)
    found: list[NamedEntity] = []
    i = 0
    while i < len(tokens):
        for n in range(min(MAX_NAME_WORDS, len(tokens) - i), 0, -1):
            eid = _strong_id(tuple(t for t, _, _ in tokens[i : i + n]))
            if eid:
                found.append(NamedEntity(eid, tokens[i][1], tokens[i + n - 1][2]))
                i += n
                break
        else:
            i += 1
    return found


def aliases(entity_id: str, limit: int = 12) -> list[str]:
    """The entry's name and aliases (both scripts), for highlighting its mentions."""
    entity = entities.gazetteer().entities.get(entity_id)
    if entity is None:
        return []
    return list(dict.fromkeys((entity.name, *entity.aliases)))[:limit]
