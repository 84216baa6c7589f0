"""State shared by the Hindi passes over one text: the tokens, which are taken, the names found by
earlier passes, and adding a name (romanised for its display name, linked when its spelling is close to
a known one)."""

from __future__ import annotations

from pipeline.entities.gazetteer_index import Gazetteer, fuzzy_link, one_word_link
from pipeline.entities.linked import Found, type_of
from pipeline.entities.romanise import romanize
from pipeline.entities.text import Token, is_devanagari
from pipeline.entities.words import HI_STOPS


class HindiScan:
    """State of one Hindi pass over a text: tokens taken, names found, names of earlier passes."""

    def __init__(
        self, gaz: Gazetteer, text: str, tokens: list[Token], covered: list[bool], found: list[Found]
    ):
        self.gaz, self.text, self.tokens, self.covered = gaz, text, tokens, covered
        self.n = len(tokens)
        self.out: list[Found] = []
        self.found = found
        self.by_end = {f.end: f for f in found if not f.dropped}
        self.by_start: dict[int, Found] = {}
        starts = {start: k for k, (_, start, _) in enumerate(tokens)}
        # Weak aliases ("गांधी", "सिंह") may be part of a longer name: taken, they are dropped.
        self.weak_at = {starts[f.start]: f for f in found if f.weak_candidates and f.start in starts}

    def word(self, k: int) -> str:
        return self.text[self.tokens[k][1] : self.tokens[k][2]]

    def spaced(self, a: int, b: int) -> bool:
        return self.text[self.tokens[a][2] : self.tokens[b][1]] == " "

    def boundary_after(self, j: int) -> bool:
        """The word after token j ends a name: a postposition or function word, punctuation, or the end."""
        if j + 1 >= self.n or not self.spaced(j, j + 1):
            return True
        return self.tokens[j + 1][0] in HI_STOPS or self.covered[j + 1]

    def take(self, i: int, j: int) -> None:
        for k in range(i, j + 1):
            self.covered[k] = True
            if k in self.weak_at:
                self.weak_at[k].dropped = True

    def add(self, i: int, j: int, etype: str, head: str, head_from: int | None) -> None:
        """Tokens i..j as a name of `etype` (the head word from token head_from), linked if close to one."""
        gaz, text, tokens = self.gaz, self.text, self.tokens
        start, end = tokens[i][1], tokens[j][2]
        name_end = tokens[head_from - 1][2] if head_from is not None and head_from > i else end
        base = " ".join(w.capitalize() for w in romanize(text[start:name_end]).split())
        name = f"{base} {head}" if head and head_from is not None and head_from > i else base
        item = Found(start, end, text[start:end], unlinked_name=name, unlinked_type=etype)
        # A spelling the gazetteer does not list may still be a known name ("गलवाँ वैली").
        eid = fuzzy_link(gaz, name) or fuzzy_link(gaz, text[start:end])
        if eid is None and name_end == tokens[i][2]:
            eid = one_word_link(gaz, text[start:name_end])
        if eid and gaz.entities[eid].type in (etype, "location" if etype == "location" else etype):
            item.entity_id = eid
        self.out.append(item)
        self.take(i, j)

    def found_type(self, k: int) -> str | None:
        f = self.by_end.get(self.tokens[k][2]) if 0 <= k < self.n else None
        return type_of(f, self.gaz) if f and f.entity_id else None

    def stop(self, k: int) -> bool:
        """Token k cannot be a name word: out of range, taken, a function word or not Devanagari."""
        tokens = self.tokens
        return (
            k < 0
            or k >= self.n
            or self.covered[k]
            or tokens[k][0] in HI_STOPS
            or not is_devanagari(tokens[k][0])
        )
