"""Names the gazetteer does not know, as story keys: the consonant skeleton of a name, so that two
spellings of it ("अमित रावत" romanised, "Amit Rawat") give one key, and the pairs of ids that spell
one name."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

FUZZY_NAME_RATIO = 0.85  # similarity of the consonant skeletons of two spellings of one name
ROUND = "round/"  # story key "round/21": the 21st round or meeting of a recurring mechanism
NAME = "name/"  # story key "name/person/mt-rwt": a name the gazetteer does not know (see `name_key`)


def _type_of(entity_id: str) -> str:
    parts = entity_id.split("/")
    return parts[1] if parts[0] in ("unlinked", "name") and len(parts) > 2 else parts[0]


def _unlinked(entity_id: str) -> bool:
    return entity_id.startswith(("unlinked/", NAME))


_SKELETON_MAP = str.maketrans({"v": "w", "z": "j", "q": "k", "c": "k", "x": "k"})


@lru_cache(maxsize=65536)
def _skeleton(entity_id: str) -> str:
    """Consonant skeleton of the name in an id: "unlinked/person/amit-ravat" and "person/amit-rawat"
    -> "mt rwt". Vowels, h (aspiration), doubled letters and v/w, z/j spellings differ between a
    romanised Devanagari name and the English spelling of the same name."""
    slug = entity_id.rsplit("/", 1)[-1].lower().replace("ph", "f").translate(_SKELETON_MAP)
    words = []
    for word in slug.split("-"):
        letters = re.sub(r"[aeiouyh\d]", "", word)
        words.append(re.sub(r"(.)\1+", r"\1", letters))
    return " ".join(w for w in words if w)


def name_key(entity_id: str) -> str | None:
    """Story key of an unlinked name: "unlinked/person/amit-ravat" -> "name/person/mt-rwt" (None when
    the skeleton is too short to tell names apart)."""
    skeleton = _skeleton(entity_id)
    if len(skeleton.replace(" ", "")) < 3:
        return None
    return f"{NAME}{_type_of(entity_id)}/{skeleton.replace(' ', '-')}"


def _same_name(a: str, b: str) -> bool:
    """Whether two ids of the same type, at least one unlinked, are spellings of one name."""
    if _type_of(a) != _type_of(b):
        return False
    ka, kb = _skeleton(a), _skeleton(b)
    if len(ka.replace(" ", "")) < 3 or len(kb.replace(" ", "")) < 3:
        return False
    return ka == kb or (ka[0] == kb[0] and SequenceMatcher(None, ka, kb).ratio() >= FUZZY_NAME_RATIO)


def _fuzzy_pairs(sa: set[str], sb: set[str]) -> list[tuple[str, str]]:
    """Pairs (id of `sa`, id of `sb`) that are not equal but spell one name: at least one of them an
    unlinked name, both of one type, their skeletons alike. Each id is in at most one pair."""
    only_a, only_b = sorted(sa - sb), sorted(i for i in sb - sa if not i.startswith(ROUND))
    if not (any(map(_unlinked, only_a)) or any(map(_unlinked, only_b))):
        return []
    pairs, used = [], set()
    for i in only_a:
        if i.startswith(ROUND):
            continue
        for j in only_b:
            if j not in used and (_unlinked(i) or _unlinked(j)) and _same_name(i, j):
                pairs.append((i, j))
                used.add(j)
                break
    return pairs
