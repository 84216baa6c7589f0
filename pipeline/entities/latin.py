"""The open-world English pass: capitalised names the gazetteer and the title rule did not match,
typed from their context (pipeline/entities/latin_types.py). Not names: untyped runs, sentence
starters that are common English words (unless written capitalised mid-sentence elsewhere), months,
headlines in Title Case, acronyms, kind words alone ("Foreign Ministry", "Chinese Army") and adjectives
of peoples. A known place before a headed name is part of it ("China Coast Guard", "Tawang
Monastery"); a known place before "clash"/"standoff" is that event."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.entities.capitals import (
    MID_SENTENCE_CAP_RE,
    PINYIN_RE,
    is_cap_word,
    qualifies_a_noun,
    sentence_initial,
)
from pipeline.entities.gazetteer_index import LATIN_FUZZY_CUTOFF, Gazetteer, fuzzy_link
from pipeline.entities.latin_runs import latin_sequences, split_sequence
from pipeline.entities.latin_types import latin_type, type_by_neighbours, type_by_surnames
from pipeline.entities.linked import Found, type_of
from pipeline.entities.text import Token, is_devanagari
from pipeline.entities.words import (
    CHINESE_SURNAMES,
    CONNECTORS,
    DEPARTMENT_WORDS,
    GENERIC,
    HEADS,
    LEADING_FUNCTION,
    LOC_FIRST,
    LOC_HEADS,
    MEETING_FIRST,
    NAMED_BY_NATION,
    NATIONALITIES,
    ORG_FIRST,
    ORG_HEADS,
    PLACE_NAMED_HEADS,
    PRONOUNS,
    TWO_WORD_HEADS,
    zipf,
)

_NAME_PAIR_ZIPF = (
    3.5  # "ramesh" 2.8, "vikram" 3.0, "hong" 3.3; sentence starters: "however" 5.0, "officials" 4.4
)
_COMMON_ZIPF = 2.5  # a capitalised sentence starter this frequent as an English word is not a name
# Lower-case heads after a known place: "the Galwan clash", "the Doklam standoff".
_LOWER_EVENT_RE = re.compile(r" (?:border )?(clash|clashes|standoff|stand-off|face-off|faceoff|skirmish)\b")


@dataclass
class _Run:
    """One capitalised name candidate and the cues read around it."""

    part: list[int]
    words: list[str]
    start: int
    end: int
    after: str = ""
    possessive: bool = False
    place_after: bool = False  # a kind of body before a known place ("Border Guard Bangladesh")
    next_place: Found | None = None


def _trim_front(run_part: list[int], words: list[str]) -> tuple[list[int], list[str]]:
    while run_part and (words[0] in LEADING_FUNCTION or words[0] in CONNECTORS):
        run_part, words = run_part[1:], words[1:]
    return run_part, words


class _LatinScan:
    """State of one open-world pass over a text: the names found so far, indexed by position."""

    def __init__(self, gaz: Gazetteer, text: str, tokens: list[Token], found: list[Found]) -> None:
        self.gaz, self.text, self.tokens = gaz, text, tokens
        self.token_at = {s: k for k, (_, s, _) in enumerate(tokens)}
        self.weak = {
            self.token_at[f.start]: f for f in found if f.weak_candidates and f.start in self.token_at
        }
        self.linked = {
            self.token_at[f.start]: f
            for f in found
            if f.entity_id and not f.dropped and f.start in self.token_at
        }
        self.by_end = {f.end: f for f in found if not f.dropped}
        self.by_start = {f.start: f for f in found if not f.dropped}
        self._mid_caps: set[str] | None = None  # words written capitalised inside a sentence somewhere
        self.candidates: list[Found] = []

    def mid_caps(self) -> set[str]:
        if self._mid_caps is None:
            self._mid_caps = set(MID_SENTENCE_CAP_RE.findall(self.text))
        return self._mid_caps

    def _located(self, f: Found | None) -> bool:
        return f is not None and f.entity_id is not None and self.gaz.entities[f.entity_id].type == "location"

    def _set_end(self, run: _Run) -> None:
        run.end = self.tokens[run.part[-1]][2]
        run.after = self.text[run.end : run.end + 80]
        run.possessive = run.after[:2] in ("'s", "’s")

    def run(self, part: list[int]) -> _Run | None:
        """The candidate of one part of a run, without leading function words or a common starter."""
        text, tokens = self.text, self.tokens
        words = [text[tokens[k][1] : tokens[k][2]] for k in part]
        part, words = _trim_front(part, words)
        while part and words[-1] in CONNECTORS:
            part, words = part[:-1], words[:-1]
        if not part or any(w in PRONOUNS for w in words):
            return None  # "Choose Me", "Love You": a title of a work, not a name
        run = _Run(part, words, tokens[part[0]][1], 0)
        self._set_end(run)
        starter_zipf = zipf(words[0].lower(), "en") if sentence_initial(text, run.start) else 0.0
        headed_run = len(part) >= 2 and words[-1] in HEADS and words[0] not in GENERIC and starter_zipf < 4.5
        nxt = self.by_start.get(run.end + 1)
        place_after = words[-1] in ORG_HEADS and text[run.end : run.end + 1] == " " and self._located(nxt)
        # A rare-ish first word before another name word ("Rakesh Pillai", "Hong Liang") is a name.
        chinese = (
            len(words) >= 2 and words[0] in CHINESE_SURNAMES and bool(PINYIN_RE.fullmatch(words[1].lower()))
        )
        name_pair = (
            len(part) >= 2
            and (starter_zipf < _NAME_PAIR_ZIPF or chinese)
            and words[1] not in GENERIC
            and is_cap_word(words[1])
        )
        run.place_after, run.next_place = place_after, nxt
        if chinese and len(words) >= 3 and all(w in GENERIC for w in words[2:]):
            run.part, run.words = part[:2], words[:2]  # "Zhang Xiaoming Ministry officials": the person
            self._set_end(run)
        common = starter_zipf >= _COMMON_ZIPF and not (
            run.possessive or headed_run or place_after or name_pair
        )
        if common and run.words[0] not in self.mid_caps():  # else it is written as a name elsewhere
            run.part, run.words = _trim_front(run.part[1:], run.words[1:])
            if not run.part:
                return None
            run.start = tokens[run.part[0]][1]
        return run

    def typed(self, run: _Run) -> tuple[str | None, bool] | None:
        """(type, typed only by a weak cue) of a candidate, or None when it is no name."""
        words, text = run.words, self.text
        etype = latin_type(text, run.start, run.after, words, run.possessive)
        weak_type = etype is not None and etype.endswith("?")
        etype = etype.rstrip("?") if etype else None
        if (
            weak_type
            and text[run.end : run.end + 4] == " of "
            and is_cap_word(text[run.end + 4 : run.end + 5] or "x")
        ):
            etype, weak_type = (
                None,
                False,
            )  # "in the Elite Panel of Umpires": the preposition is about the whole
        if len(words) == 1 and len(words[0]) == 1:
            return None  # a lone letter ("J&K", "R-5")
        if (
            len(words) == 1
            and etype != "person"
            and (
                words[0].endswith(("ese", "ish"))
                or (words[0].endswith("ian") and qualifies_a_noun(run.after))
            )
        ):
            return None  # "Lebanese", "Nubian", "Kurdish": an adjective of a people, not a place
        return etype, weak_type

    def _named_by_place(self, run: _Run) -> None:
        """Kind words after a known place make one new name ("Ladakh Scouts", "Tawang Monastery")."""
        words, text, start = run.words, self.text, run.start
        prev = self.by_end.get(start - 1)
        if not (prev and text[start - 1] == " " and self._located(prev)):
            return
        prev.dropped = True
        etype = TWO_WORD_HEADS.get(tuple(words[-2:])) or (
            "organization" if words[-1] in ORG_HEADS else "location" if words[-1] in LOC_HEADS else "event"
        )
        surface = text[prev.start : run.end]
        self.candidates.append(
            Found(prev.start, run.end, surface, unlinked_name=surface, unlinked_type=etype)
        )

    def add(self, run: _Run, etype: str | None, weak_type: bool) -> None:
        """Keep a candidate unless it holds only kind words (then maybe a name with the place before)."""
        words, text, start, end = run.words, self.text, run.start, run.end
        name_words = [w for w in words if w not in GENERIC and w not in NATIONALITIES and not w.isdigit()]
        headed = (
            words[-1].isdigit()
            or len(words) >= 2
            and (words[-1] in HEADS or words[0] in ORG_FIRST | LOC_FIRST)
        )
        qualifier_head = words[-1] in ORG_HEADS | PLACE_NAMED_HEADS or tuple(words[-2:]) in TWO_WORD_HEADS
        nxt = run.next_place
        if run.place_after and nxt is not None and not name_words and len(words) >= 2:
            # "Border Guard Bangladesh", "Border Police Ruritania": a body named by its kind and its country
            nxt.dropped = True
            surface = text[start : nxt.end]
            self.candidates.append(
                Found(start, nxt.end, surface, unlinked_name=surface, unlinked_type="organization")
            )
            return
        if not name_words and (not headed or qualifier_head and self.by_end.get(start - 1)):
            # Only kind words ("Army", "Foreign Ministry", "Prime Minister")
            if qualifier_head:
                self._named_by_place(run)
            return
        if (
            words[-1] in HEADS
            and words[-1] not in NAMED_BY_NATION
            and len(words) >= 2
            and all(w in DEPARTMENT_WORDS for w in words[:-1])
        ):
            return  # "Defence Ministry", "Chinese Army": a kind, not a name
        surface = text[start:end]
        self.candidates.append(
            Found(start, end, surface, unlinked_name=surface, unlinked_type=etype or "", weak_type=weak_type)
        )


def _merge_with_known_qualifier(
    gaz: Gazetteer, text: str, candidates: list[Found], by_end: dict[int, Found]
) -> None:
    """A known place or body right before a headed name is part of it: "China Coast Guard", "Tibet Military
    District", "Hemis Monastery" after "Leh"... ("Border Guard Bangladesh" is typed by its neighbours)."""
    for c in candidates:
        words = c.surface.split()
        headed = (
            words[-1] in HEADS
            or tuple(words[-2:]) in TWO_WORD_HEADS
            or c.unlinked_type == "event"
            and words[0] in MEETING_FIRST
        )
        if not c.unlinked_type or c.weak_type or not headed:
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


def latin_open_pass(
    gaz: Gazetteer, text: str, tokens: list[Token], covered: list[bool], found: list[Found]
) -> list[Found]:
    """Capitalised names the gazetteer and the title rule did not match, typed from their context."""
    scan = _LatinScan(gaz, text, tokens, found)
    seqs = latin_sequences(text, tokens, covered, scan.weak, scan.linked, scan.token_at)
    if not seqs:
        return []
    for seq in seqs:
        for part in split_sequence(text, tokens, seq):
            run = scan.run(part)
            typed = run and scan.typed(run)
            if typed:
                scan.add(run, *typed)
    candidates = scan.candidates
    type_by_neighbours(gaz, text, candidates, scan.by_end, scan.by_start)
    type_by_surnames(text, candidates, found)
    _merge_with_known_qualifier(gaz, text, candidates, scan.by_end)
    out = []
    for c in candidates:
        if not c.unlinked_type:
            continue
        if c.unlinked_type == "person":
            eid = fuzzy_link(gaz, c.surface, LATIN_FUZZY_CUTOFF)
            if eid:
                c.entity_id = eid
        out.append(c)
        k = scan.token_at.get(c.start, len(tokens))
        while k < len(tokens) and tokens[k][2] <= c.end:
            covered[k] = True
            inner = scan.weak.get(k) or scan.linked.get(k)
            if inner is not None and inner.end <= c.end and inner is not c:
                inner.dropped = True  # part of this longer name ("Harmanpreet Singh", "... of Delhi")
            k += 1
    return out


def place_events(gaz: Gazetteer, text: str, found: list[Found]) -> list[Found]:
    """A place followed by a lower-case word for a fight is that event: "the Depsang standoff", "the
    Chumar face-off" (the gazetteer holds the known ones: "Galwan clash")."""
    out = []
    for f in found:
        if f.dropped or is_devanagari(f.surface) or not (m := _LOWER_EVENT_RE.match(text, f.end)):
            continue
        if type_of(f, gaz) != "location":
            continue
        place = gaz.entities[f.entity_id].name if f.entity_id else f.unlinked_name
        f.dropped = True
        surface = text[f.start : m.end()]
        out.append(
            Found(f.start, m.end(), surface, unlinked_name=f"{place} {m.group(1)}", unlinked_type="event")
        )
    return out
