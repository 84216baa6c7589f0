"""Precision and recall of the processing pipeline on a labelled set, against a plain baseline.

    python evaluation/evaluate.py [evaluation/articles.jsonl] [--show-errors]

The set (`evaluation/articles.jsonl`, 32 short articles, English and Hindi, 19 about the India-China
border and 13 not: cricket, hockey, trade, film, other China news, other borders) was written for
this purpose; labels are under "labels": relevant, dates [{text, value, granularity}], entities
[{name, type}] by canonical English name (the gazetteer's `name`, or the plain English name for
people and places it does not know).

Ours: readers -> clean -> language -> relevance -> dates -> entities (the real stages).
Baseline, same articles:
  text       BeautifulSoup(html).get_text(" ") for html bodies, the raw text otherwise (no cleaning);
  dates      dateparser.search.search_dates(text, languages=["en", "hi"]) with RELATIVE_BASE = the
             published date parsed by dateparser.parse (today when there is none); every hit is a day;
  entities   capitalised word sequences ("Line of Actual Control" style, with of/de/and inside) taken
             as names, no gazetteer: a hit counts when it equals a label's name (so no Hindi at all);
  relevance  keyword: relevant when the text mentions "China", "Chinese" or "चीन".
Scores are micro-averaged over all mentions. Dates: a prediction is right when value and granularity
both match a label (strict) or when the value matches at the label's granularity (lenient).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import clean, dates, entities, language, relevance  # noqa: E402
from pipeline.readers import read  # noqa: E402

CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|and|the)\s+)?[A-Z][\w'’.-]*)*")
CHINA = re.compile(r"\bChina\b|\bChinese\b|चीन")


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, predicted: Counter, gold: Counter) -> tuple[Counter, Counter]:
        hit = predicted & gold
        self.tp += sum(hit.values())
        self.fp += sum((predicted - hit).values())
        self.fn += sum((gold - hit).values())
        return predicted - hit, gold - hit

    def line(self) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"


def lenient(values: list[tuple[str, str]], gold: list[tuple[str, str]]) -> Counter:
    """Predicted values cut to the granularity of a gold value they fall in.

    For example the day 2024-10-21 falls in the month 2024-10.
    """
    out = Counter()
    gold_values = {v for v, _ in gold}
    for value, _granularity in values:
        match = (
            value
            if value in gold_values
            else next(
                (
                    g
                    for g in sorted(gold_values, key=len, reverse=True)
                    if value.startswith(g) or g.startswith(value)
                ),
                value,
            )
        )
        out[match] += 1
    return out


def baseline_text(record: dict) -> str:
    """Title and body of a record as a plain system sees them: html flattened by get_text, no cleaning."""
    from bs4 import BeautifulSoup

    text = BeautifulSoup(record["html"], "lxml").get_text(" ") if record.get("html") else record["text"]
    return f"{record.get('title', '')}\n{text}"


def baseline_dates(text: str, reference: str | None) -> list[tuple[str, str]]:
    """(matched text, day) for every search_dates hit, relative dates resolved against `reference`."""
    import dateparser
    from dateparser.search import search_dates

    settings = {}
    if reference:
        base = dateparser.parse(reference)
        if base is not None:
            settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(text, languages=["en", "hi"], settings=settings) or []
    return [(matched, d.date().isoformat()) for matched, d in found]


def baseline_names(text: str) -> list[str]:
    """Capitalised word sequences, as written."""
    return [m.group(0).strip(" .") for m in CAPITALISED.finditer(text)]


def baseline(record: dict) -> tuple[Counter, list[tuple[str, str]], bool]:
    text = baseline_text(record)
    predicted_dates = [(value, "day") for _, value in baseline_dates(text, record.get("published"))]
    names = Counter(name.lower() for name in baseline_names(text))
    return names, predicted_dates, bool(CHINA.search(text))


def ours(article) -> tuple[Counter, list[tuple[str, str]], bool, str | None]:
    a = clean.clean(article)
    a = language.detect(a)
    a = relevance.score(a)
    a = dates.normalise(a)
    a = entities.tag(a)
    names = Counter(e["name"].lower() for e in a.entities)
    return names, [(d["value"], d["granularity"]) for d in a.dates], bool(a.relevant), a.language


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", default=str(ROOT / "evaluation" / "articles.jsonl"))
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    records = [
        json.loads(line) for line in Path(args.path).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    articles = list(read(args.path))
    systems = ("ours", "baseline")
    s = {(sys_, m): Score() for sys_ in systems for m in ("dates", "dates-lenient", "entities", "relevance")}
    by_lang = {
        (sys_, lang, m): Score() for sys_ in systems for lang in ("en", "hi") for m in ("dates", "entities")
    }
    errors: list[str] = []
    for record, article in zip(records, articles, strict=True):
        labels = record["labels"]
        gold_dates = [(d["value"], d["granularity"]) for d in labels["dates"]]
        gold_names = Counter(e["name"].lower() for e in labels["entities"])
        lang = "hi" if re.search(r"[\u0900-\u097F]", record.get("text") or record.get("html") or "") else "en"
        results = {"ours": ours(article)[:3], "baseline": baseline(record)}
        for name, (names, predicted_dates, relevant) in results.items():
            fp, fn = s[(name, "dates")].add(Counter(predicted_dates), Counter(gold_dates))
            by_lang[(name, lang, "dates")].add(Counter(predicted_dates), Counter(gold_dates))
            s[(name, "dates-lenient")].add(
                lenient(predicted_dates, gold_dates), Counter(v for v, _ in gold_dates)
            )
            efp, efn = s[(name, "entities")].add(names, gold_names)
            by_lang[(name, lang, "entities")].add(names, gold_names)
            s[(name, "relevance")].add(
                Counter({"r": 1}) if relevant else Counter(),
                Counter({"r": 1}) if labels["relevant"] else Counter(),
            )
            if name == "ours" and (fp or fn or efp or efn or relevant != labels["relevant"]):
                errors.append(
                    f"{record['id']}: dates +{dict(fp)} -{dict(fn)}; entities +{dict(efp)} -{dict(efn)}"
                    + ("" if relevant == labels["relevant"] else f"; relevant={relevant}")
                )
    print(
        f"{len(records)} articles ({sum(r['labels']['relevant'] for r in records)} relevant), "
        f"{sum(len(r['labels']['dates']) for r in records)} date labels, "
        f"{sum(len(r['labels']['entities']) for r in records)} entity labels\n"
    )
    for metric in ("dates", "dates-lenient", "entities", "relevance"):
        for name in systems:
            print(f"{metric:<14} {name:<9} {s[(name, metric)].line()}")
        print()
    for metric in ("dates", "entities"):
        for lang in ("en", "hi"):
            for name in systems:
                print(f"{metric:<9} {lang} {name:<9} {by_lang[(name, lang, metric)].line()}")
        print()
    if args.show_errors:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
