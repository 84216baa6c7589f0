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


TEXT_EN_HI = (
    "Patrols resume along the eastern sector after the talks.\nसीमा पर गश्त फिर शुरू होगी, अधिकारियों ने बताया।\n"
)


@pytest.mark.parametrize(
    ("name", "codec", "looks_like"),
    [
        ("a.txt", "utf-16-le", "UTF-16-LE text without a byte-order mark"),
        ("b.txt", "utf-16-be", "UTF-16-BE text without a byte-order mark"),
        ("c.jsonl", "utf-16-le", "UTF-16-LE text without a byte-order mark"),
        ("d.txt", "utf-32-le", "binary data or text in an encoding that is not UTF-8"),
    ],
)
def test_text_in_a_wide_encoding_without_a_mark_is_refused_not_read_nul_laced(
    tmp_path, name, codec, looks_like
):
    path = tmp_path / name
    body = json.dumps({"text": TEXT_EN_HI}) + "\n" if name.endswith(".jsonl") else TEXT_EN_HI
    path.write_bytes(body.encode(codec))
    with pytest.raises(BadInputError, match=f"not UTF-8 text: the file looks like {looks_like}"):
        read_file(str(path))


def test_text_with_a_utf16_mark_is_refused_naming_the_mark(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT_EN_HI.encode("utf-16"))
    with pytest.raises(BadInputError, match="not UTF-8 text: .* UTF-16 byte-order mark"):
        read_file(str(path))


def test_utf8_text_is_still_read_with_or_without_its_mark(tmp_path):
    for codec in ("utf-8", "utf-8-sig"):
        path = tmp_path / f"{codec}.txt"
        path.write_bytes(TEXT_EN_HI.encode(codec))
        (article,) = read_file(str(path))
        assert article.raw_text == TEXT_EN_HI


def test_cli_exits_non_zero_on_a_utf16_file_without_a_mark_and_prints_no_nul_text(tmp_path):
    from tests.test_process_cli import run_cli

    path = tmp_path / "wide.txt"
    path.write_bytes(TEXT_EN_HI.encode("utf-16-le"))
    result = run_cli(str(path))
    assert result.returncode == 1
    assert "UTF-16-LE text without a byte-order mark" in result.stderr
    assert result.stdout == ""
