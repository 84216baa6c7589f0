"""Readers: inputs by extension, #N entries, and bad input as values that never stop the rest."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import BadInputError
from pipeline.readers import read, read_all, read_file
from tests.conftest import SEEDS


def test_txt_is_one_plain_article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title line here\nBody.", encoding="utf-8")
    [a] = read_file(str(path))
    assert (a.input, a.raw_text, a.raw_html) == (str(path), "Title line here\nBody.", None)


def test_html_is_a_page(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    [a] = read_file(str(path))
    assert (a.raw_html, a.raw_text) == ("<html><body><p>x</p></body></html>", None)


def test_feed_gives_every_entry_with_its_index():
    articles = read_file(str(SEEDS / "feed.xml"))
    assert [a.input for a in articles] == [f"{SEEDS / 'feed.xml'}#{n}" for n in range(5)]
    assert articles[2].published == "Wed, 20 Nov 2024 22:04:00 +0530"


def test_hash_n_reads_one_feed_entry():
    [a] = read_file(f"{SEEDS / 'feed.xml'}#2")
    assert a.input == f"{SEEDS / 'feed.xml'}#2"
    assert a.raw_title.startswith("‘Need for cooperation")


def test_jsonl_maps_keys_and_accepts_html_instead_of_text(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"url": "https://x.example/1", "title": "T", "published": "Nov 20, 2024", "text": "Body"})
        + "\n\n"
        + json.dumps({"html": "<p>Body 2</p>"})
        + "\n",
        encoding="utf-8",
    )
    first, second = read_file(str(path))
    assert (first.input, first.raw_url, first.raw_title, first.published, first.raw_text) == (
        f"{path}#0",
        "https://x.example/1",
        "T",
        "Nov 20, 2024",
        "Body",
    )
    assert (second.input, second.raw_html, second.raw_url) == (f"{path}#1", "<p>Body 2</p>", None)


def test_bad_jsonl_lines_are_errors_and_the_good_ones_still_come(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"text": "one"}\nnot json\n{"title": "no body"}\n[1]\n{"text": 5}\n{"text": "two"}\n',
        encoding="utf-8",
    )
    items = list(read(str(path)))
    assert [type(i).__name__ for i in items] == [
        "Article",
        "BadInputError",
        "BadInputError",
        "BadInputError",
        "BadInputError",
        "Article",
    ]
    assert [i.item for i in items if isinstance(i, BadInputError)] == [f"{path}#{n}" for n in (1, 2, 3, 4)]
    assert "no article body" in str(items[2])


def test_missing_file_unknown_extension_and_empty_file_are_errors(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    items = list(
        read_all(
            [
                str(tmp_path / "nope.txt"),
                str(tmp_path / "a.pdf"),
                str(tmp_path / "empty.txt"),
                str(SEEDS / "feed.xml#0"),
            ]
        )
    )
    assert [type(i).__name__ for i in items] == ["BadInputError", "BadInputError", "BadInputError", "Article"]
    assert "cannot read" in str(items[0])
    assert "unknown input type '.pdf'" in str(items[1])
    assert "empty file" in str(items[2])


def test_broken_feed_is_an_error(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text("<html><body>not a feed</body></html>", encoding="utf-8")
    with pytest.raises(BadInputError, match="not a parsable feed"):
        read_file(str(path))


def test_non_utf8_text_is_an_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xff\xfe\xfa broken")
    with pytest.raises(BadInputError, match="not UTF-8"):
        read_file(str(path))


def test_entry_beyond_the_end_is_an_error():
    with pytest.raises(BadInputError, match="no #9"):
        read_file(f"{SEEDS / 'feed.xml'}#9")


def test_jsonl_fetched_at_is_read(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"text": "India and China met.", "fetched_at": "2024-11-20T04:00:00Z"}) + "\n",
        encoding="utf-8",
    )
    (article,) = read_file(str(path))
    assert article.fetched_at == "2024-11-20T04:00:00Z"
