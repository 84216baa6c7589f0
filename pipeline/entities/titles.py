"""People named after a title or honorific ("Lt Gen X", "Ambassador X", "श्री X", "रक्षा मंत्री X"),
linked when the name is close to a known one, and a surname alone after an unlinked person's full
name. A title that is also a plain word ("Secretary", "मंत्री") only links a known name unless an
office word comes before it ("Joint Secretary", "विदेश मंत्री")."""

from __future__ import annotations

import re

from pipeline.entities.capitals import is_cap_word
from pipeline.entities.gazetteer_index import FUZZY_CUTOFF, LATIN_FUZZY_CUTOFF, Gazetteer, fuzzy_link
from pipeline.entities.linked import Found, gap_ok, one_word_matches
from pipeline.entities.romanise import display_name
from pipeline.entities.text import Token, alias_key, is_devanagari
from pipeline.entities.words import (
    ABBREVIATED_TITLES,
    GENERIC,
    HI_NOT_NAMES,
    HI_OFFICE_TITLES,
    HI_PORTFOLIOS,
    HI_STOPS,
    HI_TITLES,
    LATIN_NOT_NAMES,
    LATIN_TITLES,
    RANKED_OFFICE,
)

_BRACKETED_PORTFOLIO = re.compile(r" \([A-Za-z&,.\- ]{2,40}\) (?=[A-Z])")


def _word(text: str, tokens: list[Token], k: int) -> str:
    return text[tokens[k][1] : tokens[k][2]]


def _title_strength(text: str, tokens: list[Token], i: int) -> tuple[bool | None, bool]:
    """(True: a name after token i is a person; False: only a known name; None: no title), Devanagari."""
    raw = _word(text, tokens, i)
    devanagari = is_devanagari(raw)
    strong = HI_TITLES.get(tokens[i][0]) if devanagari else LATIN_TITLES.get(raw)
    if strong is None or strong or i == 0:
        return strong, devanagari
    if devanagari and tokens[i - 1][0] in HI_PORTFOLIOS:
        return True, devanagari  # "विदेश मंत्री", "रक्षा मंत्री": a minister's title, not the word "minister"
    if not devanagari and _word(text, tokens, i - 1) in RANKED_OFFICE:
        return True, devanagari  # "Joint Secretary", "Foreign Secretary": an office held by one person
    return strong, devanagari


def _joined_initials(text: str, tokens: list[Token], j: int) -> bool:
    """Token j is two or three capital initials written together before a capitalised name word ("KP
    Sharma Oli", "MM Naravane"), not an acronym ("ITBP", "UPDATE")."""
    word = _word(text, tokens, j)
    if not (2 <= len(word) <= 3 and word.isalpha() and word.isupper()) or j + 1 >= len(tokens):
        return False
    nxt = _word(text, tokens, j + 1)
    return text[tokens[j][2] : tokens[j + 1][1]] == " " and nxt[0].isupper() and nxt[1:2].islower()


def _name_word_ok(text: str, tokens: list[Token], j: int, first: int, title: str, bracket: bool) -> bool:
    """Token j may be the next word of a name after a Latin title."""
    word = _word(text, tokens, j)
    prev_end = tokens[j - 1][2]
    if j == first and _joined_initials(text, tokens, j):
        return gap_ok(text, prev_end, tokens[j][1])  # "Prime Minister KP Sharma Oli"
    if not (word[0].isupper() and word[1:2].islower() or len(word) == 1 and word.isupper()):
        return False
    initial = len(word) == 1 and text[tokens[j][2] : tokens[j][2] + 1] == "."  # "A.P. Singh"
    if (word in LATIN_NOT_NAMES or word in LATIN_TITLES) and not initial:
        return False
    # "Gen. Upendra", "K. J. Singh" — but not "said the Minister. Later, ..."
    allow_dot = (j == first and title in ABBREVIATED_TITLES) or len(text[tokens[j - 1][1] : prev_end]) == 1
    return (j == first and bracket) or gap_ok(text, prev_end, tokens[j][1], allow_dot=allow_dot)


def _hindi_name_word_ok(text: str, tokens: list[Token], j: int) -> bool:
    """Token j may be the next word of a name after a Devanagari title."""
    word = _word(text, tokens, j)
    if not is_devanagari(word) or tokens[j][0] in HI_NOT_NAMES or tokens[j][0] in HI_TITLES:
        return False
    prev_end = tokens[j - 1][2]
    short_before = len(text[tokens[j - 1][1] : prev_end]) <= 2  # an initial ("एस.", "डॉ.")
    return gap_ok(text, prev_end, tokens[j][1], allow_dot=short_before)


def _name_after(
    text: str, tokens: list[Token], covered: list[bool], one_word: dict[int, Found], i: int, devanagari: bool
) -> tuple[int, int | None, list[Found]]:
    """First token, last token (None: no name) and the one-word matches taken by the name after title i."""
    n = len(tokens)
    j = i + 1
    # "Joint Secretary (East Asia) X": a portfolio in brackets between the title and the name
    bracket = _BRACKETED_PORTFOLIO.match(text[tokens[i][2] : tokens[i][2] + 46])
    if bracket and not devanagari:
        after_bracket = tokens[i][2] + bracket.end()
        while j < n and tokens[j][1] < after_bracket:
            j += 1
    first, name_end, stolen = j, None, []
    while j < n and j <= first + 3:
        if covered[j]:
            weak = one_word.get(j) is not None and one_word[j].entity_id is None
            if j not in one_word or (j == first or devanagari) and not weak:
                break
            stolen.append(one_word[j])
        if devanagari:
            if not _hindi_name_word_ok(text, tokens, j):
                break
        elif not _name_word_ok(text, tokens, j, first, _word(text, tokens, i), bool(bracket)):
            break
        name_end = j
        j += 1
    return first, name_end, stolen


def _checked_end(
    text: str,
    tokens: list[Token],
    covered: list[bool],
    first: int,
    name_end: int,
    stolen: list[Found],
    hi: bool,
) -> int | None:
    """The last token of the name (a hyphenated Latin given name may extend it), or None: no new name."""
    n = len(tokens)
    if not hi and len(_word(text, tokens, name_end)) == 1:
        return None  # a lone initial
    while (
        not hi
        and name_end + 1 < n
        and text[tokens[name_end][2] : tokens[name_end + 1][1]] == "-"
        and _word(text, tokens, name_end + 1).islower()
        and not covered[name_end + 1]
    ):
        name_end += 1  # "Han Duck-soo"
    weak_starts = {f.start for f in stolen if f.entity_id is None}
    if all(tokens[k][1] in weak_starts for k in range(first, name_end + 1)):
        return None  # "Mr Singh": the weak alias resolves to the person named in full
    if name_end + 1 < n and (
        tokens[name_end + 1][0] in HI_TITLES or _word(text, tokens, name_end + 1) in LATIN_TITLES
    ):
        return None  # "H.E. Shri Wang Yi": part of a chain of titles, not a name
    if hi and all(len(tokens[k][0]) <= 2 for k in range(first, name_end + 1)):
        return None  # "एच.ई." (His Excellency) or initials cut off from their name
    return name_end


def _hindi_name_ends(text: str, tokens: list[Token], covered: list[bool], i: int, name_end: int) -> bool:
    """An unknown Hindi name after a title ends at a postposition or a clause end, and after an office
    ("मुख्यमंत्री कार्यालय ने") it has two words: else the words are a noun phrase."""
    after = name_end + 1
    if (
        after < len(tokens)
        and not covered[after]
        and tokens[after][0] not in HI_STOPS
        and text[tokens[name_end][2] : tokens[after][1]] == " "
    ):
        return False  # "मुख्यमंत्री कार्यालय गया"
    return not (tokens[i][0] in HI_OFFICE_TITLES and name_end == i + 1)


def title_pass(
    gaz: Gazetteer, text: str, tokens: list[Token], covered: list[bool], matched: list[Found]
) -> list[Found]:
    """Names after a title or honorific that the gazetteer did not match."""
    found = []
    # One-word matches of places/organisations that may continue a name ("Gen Rashim Bali").
    one_word: dict[int, Found] | None = None
    for i in range(len(tokens) - 1):
        strong, devanagari = _title_strength(text, tokens, i)
        if strong is None:
            continue
        if one_word is None:
            one_word = one_word_matches(tokens, matched)
        first, name_end, stolen = _name_after(text, tokens, covered, one_word, i, devanagari)
        if name_end is None:
            continue
        name_end = _checked_end(text, tokens, covered, first, name_end, stolen, devanagari)
        if name_end is None:
            continue
        start, end = tokens[first][1], tokens[name_end][2]
        surface = text[start:end]
        eid = fuzzy_link(gaz, surface, FUZZY_CUTOFF if devanagari else LATIN_FUZZY_CUTOFF)
        if devanagari and not eid and strong:
            strong = _hindi_name_ends(text, tokens, covered, i, name_end)
        if eid:
            found.append(Found(start, end, surface, entity_id=eid))
        elif strong:
            found.append(
                Found(start, end, surface, unlinked_name=display_name(surface) if devanagari else surface)
            )
        else:
            continue
        for f in stolen:
            f.dropped = f.start < end
        for k in range(first, name_end + 1):
            covered[k] = True
    return found


def surname_pass(text: str, tokens: list[Token], covered: list[bool], found: list[Found]) -> list[Found]:
    """A family or given name alone, after the full name of an unlinked person, is the same person."""
    people: dict[str, Found] = {}
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
        if not (is_devanagari(word) or is_cap_word(word)) or word in GENERIC:
            continue
        out.append(Found(start, end, word, unlinked_name=f.unlinked_name, unlinked_type="person"))
        covered[k] = True
    return out
