"""Readers: files on disk -> raw `Article` records, by extension.

- `.txt`   a plain article (title, datelines and site debris may be in the text), as the seeds are;
- `.html`  an article page (`.htm` too);
- `.xml` / `.rss` / `.atom`  a feed: every entry is an article (`pipeline.feeds.parse_feed`);
- `.jsonl` one raw article per line: {"url", "title", "published", "text"} or "html" instead of
  "text", and "fetched_at" (ISO 8601, when it was first seen); every key but the body is optional.

An `.html` file is decoded like a fetched page (`pipeline.decoding.decode_html`: BOM, `<meta charset>`,
XML declaration, UTF-16 without BOM, else UTF-8 with Windows-1252 for stray bytes); `.txt` and `.jsonl`
must be UTF-8 (JSON Lines are by definition): a file with NUL bytes (UTF-16 or UTF-32 without a
byte-order mark, binary data) is refused with what it looks like, never read as NUL-laced text.
JSON Lines are split at LF (and CRLF) only: U+2028, U+2029, U+0085 and the other characters
`str.splitlines` breaks at are legal inside a JSON string.

`input` is the path, with `#N` for the N-th entry (from 0) of a feed or .jsonl file; a path given as
`file.jsonl#3` reads only that entry. A broken file or entry becomes a `BadInputError` *value* in the
stream, so one bad input never stops the rest; `read_file` raises it instead for callers that want that.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path

from pipeline.article import Article
from pipeline.decoding import decode_html, utf16_by_nul_parity
from pipeline.errors import BadInputError
from pipeline.feeds import parse_feed

STAGE = "read"
TEXT_EXTENSIONS = (".txt", ".text")
HTML_EXTENSIONS = (".html", ".htm")
FEED_EXTENSIONS = (".xml", ".rss", ".atom")
JSONL_EXTENSIONS = (".jsonl",)
_ENTRY = re.compile(r"^(?P<path>.+)#(?P<n>\d+)$")
JSONL_KEYS = {
    "url": "raw_url",
    "title": "raw_title",
    "published": "published",
    "text": "raw_text",
    "html": "raw_html",
    "source": "source",
    "summary": "summary",
    "fetched_at": "fetched_at",
}


_BOM_NAMES = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16: FF FE 00 00 starts both
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _decode(data: bytes, path: str) -> str:
    """A text or JSON Lines file as UTF-8 text. Anything else is refused with what it looks like:
    UTF-16 or UTF-32 with a byte-order mark, UTF-16 without one (recognised by where its NUL bytes sit,
    `utf16_by_nul_parity`), or other data with NUL bytes (UTF-8 allows NUL: decoded, it would be
    NUL-laced text)."""
    if b"\x00" in data and not data.startswith(tuple(bom for bom, _ in _BOM_NAMES)):
        guess = utf16_by_nul_parity(data)
        what = (
            f"{guess.upper()} text without a byte-order mark (NUL bytes in every other position)"
            if guess
            else f"binary data or text in an encoding that is not UTF-8 ({data.count(0):,} NUL bytes)"
        )
        raise BadInputError(
            STAGE,
            f"not UTF-8 text: the file looks like {what}; .txt and .jsonl inputs must be UTF-8, convert "
            "it first (for example with iconv -t UTF-8)",
            item=path,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = next((name for mark, name in _BOM_NAMES if data.startswith(mark)), None)
        hint = f" (it starts with a {bom} byte-order mark; convert it to UTF-8)" if bom else ""
        raise BadInputError(STAGE, f"not UTF-8 text: {exc}{hint}", item=path) from exc


def _jsonl_article(line: str, item: str) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadInputError(STAGE, f"not a JSON object: {exc.msg} at column {exc.colno}", item=item) from exc
    if not isinstance(record, dict):
        raise BadInputError(STAGE, f"not a JSON object but {type(record).__name__}", item=item)
    body = record.get("text") or record.get("html")
    if not isinstance(body, str) or not body.strip():
        raise BadInputError(STAGE, 'no article body: needs a non-empty "text" or "html" string', item=item)
    fields = {}
    for key, name in JSONL_KEYS.items():
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise BadInputError(STAGE, f'"{key}" must be a string, not {type(value).__name__}', item=item)
        if value:
            fields[name] = value
    return Article(input=item, **fields)


def read(path: str) -> Iterator[Article | BadInputError]:
    """The raw articles in `path` (see the module docstring); errors are yielded, not raised."""
    only: int | None = None
    file_path = Path(path)
    if not file_path.exists() and (m := _ENTRY.match(path)):
        file_path, only = Path(m.group("path")), int(m.group("n"))
    name = str(file_path)
    suffix = file_path.suffix.lower()
    try:
        if suffix not in TEXT_EXTENSIONS + HTML_EXTENSIONS + FEED_EXTENSIONS + JSONL_EXTENSIONS:
            raise BadInputError(
                STAGE,
                f"unknown input type {suffix or '(no extension)'!r}: expected .txt, .html, "
                ".xml/.rss/.atom or .jsonl",
                item=path,
            )
        try:
            data = file_path.read_bytes()
        except OSError as exc:
            raise BadInputError(STAGE, f"cannot read: {exc.strerror or exc}", item=path) from exc
        if suffix in FEED_EXTENSIONS:
            entries = parse_feed(data, feed_name=name)
            if only is not None:
                if only >= len(entries):
                    raise BadInputError(STAGE, f"the feed has {len(entries)} entries, no #{only}", item=path)
                entries = [entries[only]]
            yield from (e.replace(feed=None) for e in entries)
            return
        text = decode_html(data, item=path) if suffix in HTML_EXTENSIONS else _decode(data, path)
        if suffix in JSONL_EXTENSIONS:
            # "\n" only: str.splitlines() would also cut at U+2028/U+2029/U+0085 inside a JSON string.
            lines = [line.removesuffix("\r") for line in text.split("\n") if line.strip()]
            if only is not None and only >= len(lines):
                raise BadInputError(STAGE, f"the file has {len(lines)} entries, no #{only}", item=path)
            for n, line in enumerate(lines):
                if only is not None and n != only:
                    continue
                try:
                    yield _jsonl_article(line, f"{name}#{n}")
                except BadInputError as exc:
                    yield exc
            return
        if only is not None:
            raise BadInputError(STAGE, f"#{only} only applies to feeds and .jsonl files", item=path)
        if not text.strip():
            raise BadInputError(STAGE, "empty file", item=path)
        if suffix in HTML_EXTENSIONS:
            yield Article(input=name, raw_html=text)
        else:
            yield Article(input=name, raw_text=text)
    except BadInputError as exc:
        yield exc


def read_file(path: str) -> list[Article]:
    """All articles in `path`; raises the first `BadInputError`."""
    articles = []
    for item in read(path):
        if isinstance(item, BadInputError):
            raise item
        articles.append(item)
    return articles


def read_all(paths: list[str]) -> Iterator[Article | BadInputError]:
    """`read` over several paths, in order."""
    for path in paths:
        yield from read(path)
