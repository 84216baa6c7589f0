"""Figures of story grouping on the development set `tests/fixtures/story_dev.yaml` (pairs of
articles: same-event pairs in one story, different-event pairs merged), over several arrival orders.

    .venv/bin/python -m tests.stories_dev
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import yaml

from pipeline import dates, entities, language
from pipeline.article import Article
from pipeline.clean import clean
from pipeline.dedupe import fingerprint
from pipeline.stories import MemoryStoryIndex

DEV = Path(__file__).parent / "fixtures" / "story_dev.yaml"


def dev_cases() -> list[dict]:
    return yaml.safe_load(DEV.read_text(encoding="utf-8"))


def processed(cases: list[dict], prefix: str = "d") -> list[Article]:
    out = []
    for n, case in enumerate(cases):
        a = Article(input=f"{prefix}{n}", url=f"https://fixtures.example/{prefix}{n}", raw_text=case["text"])
        a = clean(a.replace(published=case.get("published"), fetched_at=case.get("fetched_at")))
        out.append(fingerprint(entities.tag(dates.normalise(language.detect(a)))))
    return out


def partition(articles: list[Article], order: list[int]) -> dict[int, str]:
    """Story id of each article (by position) after assigning them in `order`; the final ids."""
    index = MemoryStoryIndex()
    by_id = {}
    for n in order:
        by_id[n] = index.assign(articles[n]).id
    return {n: index.story_of(i) for n, i in by_id.items()}


def figures(articles: list[Article], events: list[str], orders: list[list[int]]) -> dict[str, float]:
    same = together = diff = merged = 0
    for order in orders:
        story = partition(articles, order)
        for i, j in itertools.combinations(range(len(articles)), 2):
            if events[i] == events[j]:
                same += 1
                together += story[i] == story[j]
            else:
                diff += 1
                merged += story[i] == story[j]
    return {"same_event_together": round(together / same, 3), "different_merged": round(merged / diff, 4)}


def orders(n: int, count: int = 8, seed: int = 11) -> list[list[int]]:
    rng = random.Random(seed)
    return [list(range(n)), list(reversed(range(n)))] + [rng.sample(range(n), n) for _ in range(count)]


if __name__ == "__main__":
    cases = dev_cases()
    articles = processed(cases)
    events = [c["event"] for c in cases]
    print("input order:", figures(articles, events, [list(range(len(articles)))]))
    print("10 orders:  ", figures(articles, events, orders(len(articles))))
