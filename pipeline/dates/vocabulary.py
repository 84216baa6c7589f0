"""Words the dates stage reads: month and weekday names in English and Hindi (from dateparser's
locale data, plus the spellings in `pipeline/data/dates.yaml`), number words and fixed-date holidays."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "dates.yaml"
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HI_NUMBERS = str.maketrans("०१२३४५६७८९", "0123456789")
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@lru_cache(maxsize=1)
def word_lists() -> dict[str, Any]:
    """The stage's word lists (`pipeline/data/dates.yaml`), read once."""
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


_HI_EXTRA: dict[str, list[str]] = word_lists()["hindi_month_spellings"]
_NUMBER_WORDS: dict[str, int] = word_lists()["number_words"]["en"]
_HI_NUMBER_WORDS: dict[str, int] = word_lists()["number_words"]["hi"]
# Fixed-date days a report may name instead of the date (month, day); keys as printed.
_HOLIDAYS: dict[str, tuple[int, int]] = {k: tuple(v) for k, v in word_lists()["holidays"].items()}


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
    """(English month -> n, Hindi month -> n, English weekday -> n, Hindi weekday -> n) from
    dateparser's locales."""
    from dateparser.languages import default_loader

    en, hi = default_loader.get_locale("en"), default_loader.get_locale("hi")
    en_months, hi_months, en_days, hi_days = {}, {}, {}, {}
    for n, name in enumerate(MONTHS, 1):
        for word in en.info[name]:
            if len(word) >= 3:
                en_months[word.capitalize()] = n
        for word in hi.info[name] + _HI_EXTRA.get(name, []):
            if "॰" not in word:
                hi_months[unicodedata.normalize("NFC", word)] = n
    for n, name in enumerate(WEEKDAYS):
        for word in en.info[name]:
            if len(word) > 3:
                en_days[word.capitalize()] = n
        for word in hi.info[name]:
            if word.endswith("वार"):
                hi_days[unicodedata.normalize("NFC", word)] = n
        if name == "thursday":
            hi_days["बृहस्पतिवार"] = n
    return en_months, hi_months, en_days, hi_days


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _holiday_key(printed: str) -> str:
    return next(k for k in _HOLIDAYS if k.lower() == printed.lower())
