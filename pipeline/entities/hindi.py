"""The open-world Hindi pass (Devanagari has no capitals): a head word after the name ("श्योक नदी",
"समाजवादी पार्टी"), the name running back to the nearest postposition or function word (never over a
number, participle, verb or role word, nor a frequent Hindi word); initials before a family name
("पी. वी. सिंधु ने"); one-word names from their context ("X के रक्षा मंत्री", "नेपाल और X", "A को X कहता
है"); a known place's unlisted spelling before a postposition; and people named by the grammar around
them (pipeline/entities/hindi_people.py). Names are romanised for their display name."""

from __future__ import annotations

from pipeline.entities.gazetteer_index import Gazetteer, fuzzy_link, one_word_link
from pipeline.entities.hindi_people import hi_name_evidence, hindi_agent_names
from pipeline.entities.hindi_scan import HindiScan
from pipeline.entities.linked import Found, type_of
from pipeline.entities.romanise import display_name
from pipeline.entities.text import Token, is_devanagari
from pipeline.entities.words import (
    HI_AFTER_LA,
    HI_AREA_NOUNS,
    HI_EVENT_HEADS,
    HI_GENERIC_SABHA,
    HI_KIND_HEADS,
    HI_LOC_HEADS,
    HI_LOCATIVES,
    HI_NAME_ADJECTIVES,
    HI_NAMING_VERBS,
    HI_NEVER_IN_NAME,
    HI_ORG_HEADS,
    HI_POSSESSIVE_ROLES,
    HI_POSTPOSITIONS,
    HI_ROLE_FIRST,
    HI_SETTLEMENTS,
    HI_STOPS,
    HI_TITLES,
    HI_TWO_WORD_HEADS,
    PLACE_NAMED_HEADS,
    zipf,
)

# The most frequent word found inside a head-word name of the development set is "जीवन" (zipf 5.88, "Jivan
# Nullah"); function words, verbs and generic nouns ("सभी", "सरकार", "लोग", "कहा") are at 6.0 and above.
_HI_NAME_WORD_MAX_ZIPF = 6.0
_HI_COMMON_ZIPF = 5.0
# A word before a locative is a place only when it is rare in Hindi: common nouns are at 4 and above
# ("बैठक", "गांव", "पहाड़"); names of small places are at 0-2.
_HI_RARE_PLACE_ZIPF = 3.0
_HI_SABHA = "सभा"
_HI_PLURAL_ENDINGS = ("ें", "ों", "ओं")  # plural nouns ("उड़ानें", "सड़कें") are never in a name
_HI_CONJUNCTIONS = ("और", "तथा", "व", "एवं")


class _HindiPasses(HindiScan):
    """The Hindi passes, in the order `hindi_open_pass` runs them."""

    # ----------------------------------------------------------------------- head words
    def head_at(self, k: int) -> tuple[str | None, str | None, int]:
        """(type, English head, last token of the head) of a head word at token k; (None, None, k) if none.
        Finger numbers and "...सभा" names are added directly (type "")."""
        tokens, key = self.tokens, self.tokens[k][0]
        if k + 1 < self.n and (key, tokens[k + 1][0]) in HI_TWO_WORD_HEADS and self.spaced(k, k + 1):
            return "location", HI_TWO_WORD_HEADS[(key, tokens[k + 1][0])], k + 1
        if key in HI_LOC_HEADS:
            if (
                key == "ला"
                and k + 1 < self.n
                and tokens[k + 1][0] not in HI_AFTER_LA
                and self.spaced(k, k + 1)
            ):
                return None, None, k  # "सामान ला रहे हैं": the verb "bring", not a pass
            return "location", HI_LOC_HEADS[key], k
        if key in HI_ORG_HEADS:
            return "organization", HI_ORG_HEADS[key], k
        if key in HI_EVENT_HEADS:
            return "event", HI_EVENT_HEADS[key], k
        if key == "फिंगर" and k + 1 < self.n and tokens[k + 1][0].isdigit() and self.spaced(k, k + 1):
            self.add(k, k + 1, "location", "", None)
            self.out[-1].unlinked_name = f"Finger {tokens[k + 1][0]}"
            return "", None, k
        if key.endswith(_HI_SABHA) and key not in HI_GENERIC_SABHA and len(key) > 4:
            self.add(k, k, "organization", "", None)
            return "", None, k
        return None, None, k

    def name_start(self, k: int) -> int:
        """First token of the name before the head word at k (k itself when there is none)."""
        tokens, i = self.tokens, k
        while (
            i - 1 >= 0
            and k - i < 4
            and (not self.covered[i - 1] or i - 1 in self.weak_at)
            and is_devanagari(tokens[i - 1][0])
            and tokens[i - 1][0] not in HI_STOPS
            and tokens[i - 1][0] not in HI_LOC_HEADS
            and tokens[i - 1][0] not in HI_ORG_HEADS
            and self.spaced(i - 1, i)
            and tokens[i - 1][0] not in HI_NEVER_IN_NAME
            and zipf(self.word(i - 1), "hi") < _HI_NAME_WORD_MAX_ZIPF
            and not self.word(i - 1).endswith(_HI_PLURAL_ENDINGS)
        ):
            i -= 1
        if i == k:
            return i
        if (
            i > 0
            and self.tokens[i - 1][0] in HI_NAME_ADJECTIVES
            and not self.covered[i - 1]
            and self.spaced(i - 1, i)
        ):
            i -= 1  # "पूर्वी थिएटर कमान": the adjective is part of the name
        return i

    def known_place_before(self, i: int, k: int, etype: str) -> int:
        """A known place right before a head-word name of a body or an event is part of it ("सिक्किम
        क्रांतिकारी मोर्चा"): the token the name starts at then."""
        prev = self.by_end.get(self.tokens[i][1] - 1)
        if (
            etype not in ("organization", "event")
            or i == 0
            or not (prev and prev.entity_id and self.spaced(i - 1, i))
            or self.gaz.entities[prev.entity_id].type != "location"
        ):
            return i
        start = next((q for q in range(i - 1, -1, -1) if self.tokens[q][1] == prev.start), None)
        if start is None:
            return i
        prev.dropped = True
        return start

    def place_named(self, k: int, last: int, etype: str, head: str) -> None:
        """A known place right before an organisation or event head names a new one: "दिल्ली पुलिस"."""
        prev = self.by_end.get(self.tokens[k][1] - 1)
        if not (
            prev
            and prev.entity_id
            and (etype in ("organization", "event") or head in PLACE_NAMED_HEADS)  # "तवांग हवाई पट्टी"
            and self.spaced(k - 1, k)
            and self.gaz.entities[prev.entity_id].type == "location"
        ):
            return
        prev.dropped = True
        place = self.gaz.entities[prev.entity_id].name
        end = self.tokens[last][2]
        self.out.append(
            Found(
                prev.start,
                end,
                self.text[prev.start : end],
                unlinked_name=f"{place} {head}",
                unlinked_type=etype,
            )
        )
        self.take(k, last)

    def settlement(self, k: int) -> None:
        """ "कोयुल गांव में": the name-like words before a word for a settlement are a place."""
        i = self.name_start(k)
        if i < k and any(hi_name_evidence(self.word(q))[1] for q in range(i, k)):
            self.add(i, k - 1, "location", "", None)

    def head_names(self) -> None:
        for k in range(self.n):
            if self.covered[k] or not is_devanagari(self.tokens[k][0]):
                continue
            if self.tokens[k][0] in HI_SETTLEMENTS:
                self.settlement(k)
                continue
            etype, head, last = self.head_at(k)
            if not etype:
                continue
            i = self.name_start(k)
            if i == k and k > 0 and self.tokens[k - 1][0] in HI_NAME_ADJECTIVES and self.spaced(k - 1, k):
                i = self.name_start(k - 1)  # "गुवाहाटी उच्च न्यायालय": the adjective inside the name
                before = self.by_end.get(self.tokens[k - 1][1] - 1)
                i = i if i < k - 1 or (before and before.entity_id) else k
            if i == k:
                self.place_named(k, last, etype, head)
                continue
            if etype == "event" and not all(hi_name_evidence(self.word(q))[1] for q in range(i, k)):
                continue  # "सहयोग समझौता", "सीमा पर झड़प": a kind of agreement or fight, not a named one
            if self.tokens[k][0] in HI_KIND_HEADS and not any(
                hi_name_evidence(self.word(q))[1] for q in range(i, k)
            ):
                continue  # "शोध संस्थान", "दूरसंचार कंपनी": a kind of body, no name word in front
            self.add(self.known_place_before(i, k, etype), last, etype, head, k)

    # ----------------------------------------------------------------------- initials
    def initials_at(self, k: int) -> int:
        """The token after the initials starting at k ("पी. वी. सिंधु"): k itself when there are none."""
        tokens = self.tokens
        while (
            k < self.n
            and not self.covered[k]
            and is_devanagari(tokens[k][0])
            and len(tokens[k][0]) <= 2
            and self.text[tokens[k][2] : tokens[k][2] + 1] == "."
            and (tokens[k][0] not in HI_STOPS or tokens[k][0] == "के")
        ):
            # (the letter K is spelled like the postposition के; a postposition is never followed by ".")
            k += 1
        return k

    def initialled_names(self) -> None:
        """Initials before a family name: "पी. वी. सिंधु ने", "के. जे. रमेश ने"."""
        tokens, k = self.tokens, 0
        while k < self.n:
            i = k
            k = self.initials_at(k)
            if not (
                k > i
                and k < self.n
                and not self.covered[k]
                and is_devanagari(tokens[k][0])
                and len(tokens[k][0]) > 2
                and tokens[k][0] not in HI_STOPS
                and tokens[k][0] not in HI_TITLES
                and tokens[k][0] not in HI_LOC_HEADS
                and tokens[k][0] not in HI_ORG_HEADS
            ):
                k = max(k, i + 1)
                continue
            j = k + 1 if k + 1 < self.n and not self.boundary_after(k) else k
            if self.boundary_after(j):
                self.add(i, j, "person", "", None)
                self.out[-1].unlinked_name = display_name(self.out[-1].surface)
                eid = fuzzy_link(self.gaz, self.out[-1].surface)
                if eid and self.gaz.entities[eid].type == "person":
                    self.out[-1].entity_id = eid
            k = j + 1

    # ----------------------------------------------------------------------- one-word names
    def listed_with_a_place(self, k: int) -> bool:
        """Token k is followed by ", <known place>" (a place and the country or state it is in)."""
        if k + 1 >= self.n or self.text[self.tokens[k][2] : self.tokens[k + 1][1]].strip() != ",":
            return False
        f = self.by_start.get(self.tokens[k + 1][1])
        return f is not None and type_of(f, self.gaz) == "location"

    def possessed_role(self, k: int) -> bool:
        """ "X के रक्षा मंत्री": a role of a country after token k."""
        tokens, nxt = self.tokens, self.tokens[k + 1][0] if k + 1 < self.n else ""
        return (
            nxt in ("के", "की")
            and k + 2 < self.n
            and tokens[k + 2][0] in HI_ROLE_FIRST
            and self.spaced(k + 1, k + 2)
            and any(tuple(t[0] for t in tokens[k + 2 : k + 2 + len(r)]) == r for r in HI_POSSESSIVE_ROLES)
        )

    def bracketed(self, k: int) -> str | None:
        """ "अरुणाचल प्रदेश (जांगनान)": the type of the name before the bracket; a short name in brackets
        after a known body ("रक्षा मंत्रालय (रमं)") is added as that body (type "")."""
        prev = self.by_end.get(self.tokens[k - 1][2])
        if prev is not None and prev.entity_id and self.gaz.entities[prev.entity_id].type == "organization":
            start, end = self.tokens[k][1], self.tokens[k][2]
            self.out.append(Found(start, end, self.text[start:end], entity_id=prev.entity_id))
            self.covered[k] = True
            return ""
        return self.found_type(k - 1)

    def context_type(self, k: int) -> str | None:
        """The type the context gives a lone word at token k ("" when it was added already)."""
        tokens, text = self.tokens, self.text
        nxt = tokens[k + 1][0] if k + 1 < self.n else ""
        if self.possessed_role(k):
            return "location"
        if k >= 2 and tokens[k - 1][0] in _HI_CONJUNCTIONS and self.found_type(k - 2) == "location":
            return "location"
        if (
            k + 2 < self.n
            and nxt in _HI_CONJUNCTIONS
            and self.by_end.get(tokens[k + 2][2]) is not None
            and self.found_type(k + 2) == "location"
        ):
            return "location"
        if (
            k >= 1
            and text[tokens[k][1] - 1 : tokens[k][1]] == "("
            and text[tokens[k][2] : tokens[k][2] + 1] == ")"
            and text[tokens[k - 1][2] : tokens[k][1]].strip() == "("
        ):
            return self.bracketed(k)
        if k >= 2 and tokens[k - 1][0] == "को" and (nxt in HI_NAMING_VERBS or nxt == "नाम"):
            return self.found_type(k - 2)  # "A को X कहता है": X is another name of A's kind
        return None

    def lone_word(self, k: int) -> bool:
        """Token k stands alone between boundaries (or before a naming verb or an area noun)."""
        key = self.tokens[k][0]
        if (
            self.covered[k]
            or not is_devanagari(key)
            or key in HI_STOPS
            or key in HI_LOC_HEADS
            or key in HI_ORG_HEADS
        ):
            return False
        after = self.tokens[k + 1][0] if k + 1 < self.n else None
        return self.stop(k - 1) and (
            self.stop(k + 1) or after is not None and after in HI_NAMING_VERBS | {"नाम"} | HI_AREA_NOUNS
        )

    def one_word_names(self) -> None:
        """One-word names from their context: "X के रक्षा मंत्री", "नेपाल और X", "A को X कहता है"."""
        # (known names after the head-word names took the places they contain)
        self.by_start = {f.start: f for f in self.found if not f.dropped and f.entity_id}
        for k in range(self.n):
            if not self.lone_word(k):
                continue
            etype = self.context_type(k)
            if etype == "":
                continue
            word, key = self.word(k), self.tokens[k][0]
            nxt = self.tokens[k + 1][0] if k + 1 < self.n else ""
            if etype and (etype != "location" or zipf(word, "hi") < _HI_COMMON_ZIPF):
                self.add(k, k, etype, "", None)
            elif (
                (nxt in HI_POSTPOSITIONS or nxt in HI_AREA_NOUNS or self.listed_with_a_place(k))
                and len(key) >= 4
                and zipf(word, "hi") < _HI_COMMON_ZIPF
            ):
                # "सिक्कीम में", "डेपसंग क्षेत्र में", "वियनतियान, लाओस में": a variant spelling of a known place
                eid = one_word_link(self.gaz, word)
                if eid:
                    self.out.append(Found(self.tokens[k][1], self.tokens[k][2], word, entity_id=eid))
                    self.covered[k] = True

    def place_like(self, k: int) -> bool:
        """Token k is a name already found, or a rare name-like word."""
        if self.covered[k]:
            return True
        word = self.word(k)
        return is_devanagari(word) and zipf(word, "hi") < _HI_RARE_PLACE_ZIPF and hi_name_evidence(word)[1]

    def locative(self, k: int, depth: int = 0) -> bool:
        """Token k is followed by a word that says where ("में", "के पास"), is one end of "X से Y तक", or is
        listed before such a name ("हानले और कोयुल में", "A, B और C में")."""
        tokens = self.tokens
        after = tuple(t[0] for t in tokens[k + 1 : k + 3])
        if any(after[: len(cue)] == cue for cue in HI_LOCATIVES):
            return True
        if depth < 3 and k + 1 < self.n:
            gap = self.text[tokens[k][2] : tokens[k + 1][1]]
            if after[0] in _HI_CONJUNCTIONS and gap == " " and k + 2 < self.n and self.place_like(k + 2):
                return self.locative(k + 2, depth + 1)
            if gap == ", " and self.place_like(k + 1):
                return self.locative(k + 1, depth + 1)
        if after[:1] == ("से",):
            return any(t[0] == "तक" for t in tokens[k + 2 : k + 5])
        return after[:1] == ("तक",) and any(t[0] == "से" for t in tokens[max(0, k - 4) : k])

    def locative_places(self) -> None:
        """A rare, name-like word the gazetteer does not hold, alone before a locative: a place ("हानले में",
        "सासोमा से मुर्गो तक"). The word before it must not be a name word (a longer name is not guessed)."""
        for k in range(self.n):
            key = self.tokens[k][0]
            if (
                self.stop(k)
                or key in HI_LOC_HEADS
                or key in HI_ORG_HEADS
                or key in HI_TITLES
                or len(key) < 3
                or k + 1 < self.n
                and self.text[self.tokens[k][2] : self.tokens[k + 1][1]] not in (" ", ", ")
                or not self.locative(k)
            ):
                continue
            if (
                k > 0
                and not self.stop(k - 1)
                and self.spaced(k - 1, k)
                and hi_name_evidence(self.word(k - 1))[1]
            ):
                continue  # "नया गांव में" or a two-word name: not a one-word place
            word = self.word(k)
            if zipf(word, "hi") < _HI_RARE_PLACE_ZIPF and hi_name_evidence(word)[1]:
                self.add(k, k, "location", "", None)


def hindi_open_pass(
    gaz: Gazetteer, text: str, tokens: list[Token], covered: list[bool], found: list[Found]
) -> list[Found]:
    """Hindi names before a head word ("श्योक नदी", "समाजवादी पार्टी"), after possessive, list and naming
    cues, and people named by the grammar."""
    scan = _HindiPasses(gaz, text, tokens, covered, found)
    scan.head_names()
    scan.initialled_names()
    scan.one_word_names()
    scan.locative_places()
    starts = {start: k for k, (_, start, _) in enumerate(tokens)}
    weak = {starts[f.start]: f for f in found if f.weak_candidates and f.start in starts}
    return scan.out + hindi_agent_names(gaz, text, tokens, covered, weak)
