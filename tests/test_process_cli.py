"""`python -m pipeline process` run for real in a subprocess over the seeds, a .jsonl file and a feed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, SEEDS

FIELDS = {
    "input",
    "id",
    "url",
    "source",
    "title",
    "language",
    "text",
    "published_at",
    "dates",
    "entities",
    "relevant",
    "relevance_score",
    "duplicate_of",
    "story_id",
}
SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "process", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_seeds_give_one_json_object_each_and_nothing_else(tmp_path):
    result = run_cli(*SEED_FILES)
    assert result.returncode == 0, result.stderr
    out = records(result.stdout)
    assert [r["input"] for r in out] == SEED_FILES
    assert all(FIELDS <= set(r) for r in out)
    assert [r["language"] for r in out] == ["hi", "en", "en", "hi", "en"]
    assert [r["relevant"] for r in out] == [True] * 5
    assert [r["duplicate_of"] for r in out] == [None] * 5
    assert "raw_text" not in out[0]


def test_jsonl_and_feed_entries_carry_their_index_and_bad_lines_go_to_stderr(tmp_path):
    path = tmp_path / "raw.jsonl"
    path.write_text(
        json.dumps(
            {
                "url": "https://www.example.com/a?utm_source=x#top",
                "title": "Troops pull back at Depsang",
                "published": "Nov 1, 2024 09:00 AM IST",
                "text": (
                    "Indian and Chinese troops completed disengagement at Depsang along the LAC on Wednesday."
                ),
            }
        )
        + "\n"
        + "this is not json\n"
        + json.dumps({"html": "<p>India and <b>China</b> held border talks.</p>"})
        + "\n",
        encoding="utf-8",
    )
    result = run_cli(str(path), str(SEEDS / "feed.xml") + "#2")
    assert result.returncode == 1
    out = records(result.stdout)
    assert [r["input"] for r in out] == [f"{path}#0", f"{path}#2", f"{SEEDS / 'feed.xml'}#2"]
    first = out[0]
    assert (first["url"], first["source"], first["published_at"]) == (
        "https://www.example.com/a",
        "example.com",
        "2024-11-01T09:00:00+05:30",
    )
    assert first["dates"] == [{"text": "on Wednesday", "value": "2024-10-30", "granularity": "day"}]
    assert out[1]["text"] == "India and China held border talks."
    assert out[2]["published_at"] == "2024-11-20T22:04:00+05:30"
    assert (
        result.stderr.strip()
        == f"error: [read] not a JSON object: Expecting value at column 1 (item={path}#1)"
    )


def test_feed_copies_of_the_seeds_are_duplicates_of_the_text_files():
    result = run_cli(*SEED_FILES, str(SEEDS / "feed.xml"))
    assert result.returncode == 0, result.stderr
    out = records(result.stdout)
    seeds, feed = out[:5], out[5:]
    assert [r["duplicate_of"] for r in feed] == [r["id"] for r in seeds]


def test_one_missing_input_does_not_stop_the_others():
    result = run_cli(str(SEEDS / "missing.txt"), SEED_FILES[0])
    assert result.returncode == 1
    assert [r["input"] for r in records(result.stdout)] == [SEED_FILES[0]]
    assert "cannot read: No such file or directory" in result.stderr


def test_html_page_input(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        """<!doctype html><html><head><title>Depsang patrols resume | Example</title>
        <link rel="canonical" href="https://www.example.com/india/depsang-patrols?utm_medium=social">
        <meta property="article:published_time" content="2024-11-04T18:30:00+05:30"></head>
        <body><nav>Menu Explore</nav><article><h1>Depsang patrols resume</h1>
        <p>Indian and Chinese troops resumed patrolling in Depsang along the Line of Actual Control
        on Monday.</p>
        <p>READ | Other story</p>
        <p>Disengagement at Demchok was completed late last month, the Army said in eastern Ladakh.</p>
        </article></body></html>""",
        encoding="utf-8",
    )
    result = run_cli(str(page))
    assert result.returncode == 0, result.stderr
    [r] = records(result.stdout)
    assert (r["input"], r["url"], r["source"], r["title"]) == (
        str(page),
        "https://www.example.com/india/depsang-patrols",
        "example.com",
        "Depsang patrols resume",
    )
    assert (r["published_at"], r["published_at_source"]) == ("2024-11-04T18:30:00+05:30", "page")
    assert r["text"] == (
        "Indian and Chinese troops resumed patrolling in Depsang along the Line of Actual Control "
        "on Monday.\n\n"
        "Disengagement at Demchok was completed late last month, the Army said in eastern Ladakh."
    )
    assert r["dates"] == [
        {"text": "on Monday", "value": "2024-11-04", "granularity": "day"},
        {"text": "late last month", "value": "2024-10", "granularity": "month"},
    ]
    assert r["relevant"] is True
