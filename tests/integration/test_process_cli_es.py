"""`python -m pipeline process --es` against the real local Elasticsearch: what is already indexed is
seen by a later run (duplicates and stories across runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pipeline.article import Article
from pipeline.index import index_articles
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.integration

SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))


def run_cli(settings, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ES_URL": settings.es_url,
        "BORDER_INDEX_PREFIX": settings.index_prefix,
    }
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "process", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_a_later_run_with_es_finds_the_indexed_seeds_as_originals(settings, es):
    first = run_cli(settings, *SEED_FILES)
    assert first.returncode == 0, first.stderr
    seeds = [Article.from_dict(json.loads(line)) for line in first.stdout.splitlines()]
    report = index_articles(es, settings, seeds)
    assert report.failed == []

    second = run_cli(settings, "--es", str(SEEDS / "feed.xml"))
    assert second.returncode == 0, second.stderr
    feed = [json.loads(line) for line in second.stdout.splitlines()]
    assert [r["duplicate_of"] for r in feed] == [a.id for a in seeds]
    assert [r["story_id"] for r in feed] == [a.story_id for a in seeds]


def test_without_es_a_later_run_knows_nothing_of_the_index(settings, es):
    seeds = [
        Article.from_dict(json.loads(line)) for line in run_cli(settings, *SEED_FILES).stdout.splitlines()
    ]
    index_articles(es, settings, seeds)
    result = run_cli(settings, str(SEEDS / "feed.xml"))
    assert [json.loads(line)["duplicate_of"] for line in result.stdout.splitlines()] == [None] * 5
