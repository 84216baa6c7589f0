"""Scoring shared by the entity development sets (`tests/test_entities_*.py`): each holds `CASES`, the
(text, gold) pairs written for one class of names, and the sentences its rules still miss."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from tests.test_entities_open import Gold, _score

Case = tuple[str, set[Gold]]
XFAIL = pytest.mark.xfail(strict=True)


def totals(cases: Iterable[Case]) -> tuple[int, int, int]:
    """True positives, false positives and misses over the cases."""
    tp = fp = fn = 0
    for text, gold in cases:
        t, p, n, _, _ = _score(text, gold)
        tp, fp, fn = tp + t, fp + p, fn + n
    return tp, fp, fn


def sentence_params(cases: list[Case], known_misses: Iterable[str] = ()) -> list:
    """One parameter per case for a per-sentence test, a known miss as a strict xfail (fixing it makes
    the test fail until it leaves the list)."""
    missed = set(known_misses)
    return [
        pytest.param(text, gold, id=text[:30], marks=[XFAIL] if text in missed else [])
        for text, gold in cases
    ]


def assert_found_exactly(text: str, gold: set[Gold]) -> None:
    _, _, _, missed, extra = _score(text, gold)
    assert (missed, extra) == ([], [])


def report(label: str, cases: list[Case]) -> None:
    """The figures and the misses, printed for development (`python -m tests.test_entities_x`)."""
    tp, fp, fn = totals(cases)
    recall, precision = tp / (tp + fn), tp / max(1, tp + fp)
    print(f"{label:11} tp {tp} fp {fp} fn {fn}  recall {recall:.3f} precision {precision:.3f}")
    for text, gold in cases:
        _, _, _, missed, extra = _score(text, gold)
        if missed or extra:
            print(text[:60], "| missed", missed, "| extra", extra)
