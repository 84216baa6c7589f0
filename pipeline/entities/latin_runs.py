"""Runs of capitalised words in Latin text, the candidates of the open-world English pass: words
joined by spaces or hyphens, with of/the/and/de inside ("Line of Actual Control", "Ursula von der
Leyen"), initials ("A. P. Singh"), a number after a numbered head ("Finger 4"); and where a run is
split into several names at a connector. Runs do not start in headlines or at a month or weekday."""

from __future__ import annotations

from pipeline.entities.capitals import CAP_START_RE, headline_lines, is_cap_word
from pipeline.entities.linked import Found
from pipeline.entities.text import Token
from pipeline.entities.words import (
    CONNECTORS,
    EVENT_FIRST,
    HEADS,
    HYPHEN_SUFFIXES,
    LEADING_FUNCTION,
    LOC_FIRST,
    MONTHS_DAYS,
    NUMBERED_HEADS,
    ORG_FIRST,
    ORG_HEADS,
    PARTICLES,
)


def _word(text: str, tokens: list[Token], k: int) -> str:
    return text[tokens[k][1] : tokens[k][2]]


def _starts_run(
    text: str,
    tokens: list[Token],
    covered: list[bool],
    weak: dict[int, Found],
    headlines: list[tuple[int, int]],
    k: int,
) -> bool:
    n = len(tokens)
    # A weak alias may start a name when a new capitalised word follows ("Wang Lutong", not Wang Yi)
    weak_start = (
        k in weak
        and k + 1 < n
        and not covered[k + 1]
        and text[tokens[k][2] : tokens[k + 1][1]] == " "
        and is_cap_word(_word(text, tokens, k + 1))
    )
    if covered[k] and not weak_start:
        return False
    raw = _word(text, tokens, k)
    if not is_cap_word(raw) or raw in MONTHS_DAYS:
        return False
    return not (headlines and any(s <= tokens[k][1] < e for s, e in headlines))


def _connected(text: str, tokens: list[Token], covered: list[bool], j: int) -> list[int]:
    """Connector tokens from j and the capitalised word after them ("of the Interior"), or []."""
    n = len(tokens)
    m = j
    while (
        m + 1 < n
        and _word(text, tokens, m + 1) in CONNECTORS
        and m - j < 2
        and text[tokens[m][2] : tokens[m + 1][1]] == " "
    ):
        m += 1
    if (
        m + 1 < n
        and not covered[m + 1]
        and text[tokens[m][2] : tokens[m + 1][1]] == " "
        and is_cap_word(_word(text, tokens, m + 1))
    ):
        return list(range(j, m + 2))
    return []


def _next_words(
    text: str, tokens: list[Token], covered: list[bool], linked: dict[int, Found], seq: list[int], j: int
) -> tuple[list[int], bool]:
    """Tokens from j that continue the run `seq`, and whether the run may go on after them."""
    n = len(tokens)
    prev, gap, word = (
        _word(text, tokens, j - 1),
        text[tokens[j - 1][2] : tokens[j][1]],
        _word(text, tokens, j),
    )
    initial = len(prev) == 1 and prev.isupper() and gap in (".", ". ")
    if not (gap in (" ", "-", "\u2011") or initial):
        return [], False
    if is_cap_word(word) and word not in MONTHS_DAYS and not (initial and word in LEADING_FUNCTION):
        return [j], True
    if gap != " " and not initial and word.isalpha() and word.islower():
        if word in HYPHEN_SUFFIXES:
            return [], False  # "Kolkata-based": the name is the capitalised part
        return [j], True  # "Duck-soo", "Eid-ul-Fitr": one hyphenated name
    if word.isdigit() and gap == " " and prev in NUMBERED_HEADS:
        return [j], True
    if word in CONNECTORS and gap == " ":
        # "Line of Actual Control", "Ursula von der Leyen", "Ministry of the Interior"
        joined = _connected(text, tokens, covered, j)
        if joined:
            return joined, True
    first = next((w for w in (_word(text, tokens, q) for q in seq) if w not in LEADING_FUNCTION), "")
    if (
        word == "of"
        and gap == " "
        and j + 1 < n
        and covered[j + 1]
        and j + 1 in linked
        and (prev in ORG_HEADS | ORG_FIRST | EVENT_FIRST or first in ORG_FIRST)
    ):
        end = linked[j + 1].end  # "Municipal Corporation of Delhi": the place is part of the name
        taken, q = [j], j + 1
        while q < n and tokens[q][2] <= end:
            taken.append(q)
            q += 1
        return taken, False
    return [], False


def latin_sequences(
    text: str,
    tokens: list[Token],
    covered: list[bool],
    weak: dict[int, Found],
    linked: dict[int, Found],
    token_at: dict[int, int],
) -> list[list[int]]:
    """Runs of capitalised words (with of/the/and/de inside, hyphens, initials, a number after "Finger")."""
    n = len(tokens)
    headlines = headline_lines(text)
    seqs = []
    # Only tokens that start with a capital letter can start a run: jump from one to the next.
    cap_starts = [token_at[m.start()] for m in CAP_START_RE.finditer(text) if m.start() in token_at]
    next_cap = 0
    k = 0
    while k < n:
        while next_cap < len(cap_starts) and cap_starts[next_cap] < k:
            next_cap += 1
        if next_cap == len(cap_starts):
            break
        k = cap_starts[next_cap]
        if not _starts_run(text, tokens, covered, weak, headlines, k):
            k += 1
            continue
        seq = [k]
        j = k + 1
        while j < n and (not covered[j] or j in weak):  # a weak alias may continue a name ("... Singh")
            more, go_on = _next_words(text, tokens, covered, linked, seq, j)
            seq += more
            j += len(more)
            if not go_on:
                break
        seqs.append(seq)
        k = j
    return seqs


def split_sequence(text: str, tokens: list[Token], seq: list[int]) -> list[list[int]]:
    """Split a run at a connector unless it joins one name ("Ministry of Home Affairs", "Fire and Fury
    Corps")."""
    words = [_word(text, tokens, k) for k in seq]
    last_is_head = words[-1] in HEADS
    parts: list[list[int]] = [[]]
    for pos, (k, w) in enumerate(zip(seq, words, strict=True)):
        if w in CONNECTORS:
            before = words[pos - 1] if pos else ""
            keep = (
                w in PARTICLES
                or (w == "of" and before in ORG_FIRST | LOC_FIRST | HEADS | EVENT_FIRST)
                or (w == "of" and pos == len(words) - 2 and ORG_FIRST & set(words[:2]))
                or (
                    w in ("and", "for", "on")
                    and last_is_head
                    and parts[-1]
                    and words[0] not in LEADING_FUNCTION
                )
                or (w == "the" and before == "of")
                or (
                    w == "for" and before in ORG_HEADS
                )  # "Commission for Women", "Centre for Policy Research"
            )
            if not keep:
                parts.append([])
                continue
        parts[-1].append(k)
    return [p for p in parts if p]
