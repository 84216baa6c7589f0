"""Feed configuration (YAML) and feed parsing (RSS/Atom bytes -> raw `Article` records).

Parsing keeps what the outlet printed (title, link, date string, summary, full content when the feed
carries it); cleaning and date normalisation are later stages.

Feeds come from the open web, so the bytes are made safe before feedparser sees them:
- encoding: BOM, then the XML declaration, then the HTTP charset, then UTF-8 are tried, strictly; when
  none decodes cleanly (typically a feed declared UTF-8 with stray Windows-1252 bytes), the valid UTF-8
  is kept and each invalid byte is read as Windows-1252 (so Hindi text survives next to a stray curly
  quote), and a problem is reported. ISO-8859-1 and US-ASCII are read as Windows-1252, as browsers do.
  Control characters that XML forbids are dropped. feedparser then gets clean UTF-8;
- entities: the prolog (DTD) is inspected with expat before parsing, without expanding anything. A feed
  that declares an external entity or parameter entity (XXE: `SYSTEM "file:///etc/passwd"`), entities
  that refer to other entities (entity expansion, "billion laughs") or an unreadable DTD with entity
  declarations is refused with `BadInputError`. Plain text entities are left to feedparser, which
  never fetches external DTDs;
- a truncated document keeps the entries it holds completely; the cut-off last entry is reported;
- an empty feed (a valid root, no entries) is not an error: it yields no articles;
- `max_entries` bounds what one feed can push downstream; the entries beyond it are reported (with
  their links), not silently dropped.
`read_feed` returns the articles and these problems (for the dead-letter index); `parse_feed` returns
just the articles.
"""

from __future__ import annotations

import codecs
import os
import re
import string
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import yaml

from pipeline.article import Article
from pipeline.decoding import CP1252_FALLBACK, web_codec
from pipeline.errors import BadInputError

STAGE = "parse"


@dataclass(frozen=True)
class FeedConfig:
    name: str
    url: str
    language: str | None = None  # expected language, a hint only
    outlet: str | None = None
    fetch_full_page: bool = False  # the feed carries only a summary: fetch each article page
    allow_private_network: bool = False  # only for local fixtures and tests


def load_feeds(path: Path | str, env: dict[str, str] | None = None) -> list[FeedConfig]:
    """Read the feed list; `${VAR}` in URLs is filled from the environment."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    variables = dict(os.environ if env is None else env)
    feeds = []
    for entry in data.get("feeds", []):
        url = string.Template(entry["url"]).safe_substitute(variables)
        feeds.append(
            FeedConfig(
                name=entry["name"],
                url=url,
                language=entry.get("language"),
                outlet=entry.get("outlet"),
                fetch_full_page=bool(entry.get("fetch_full_page", False)),
                allow_private_network=bool(entry.get("allow_private_network", False)),
            )
        )
    names = [f.name for f in feeds]
    if len(names) != len(set(names)):
        raise ValueError(
            f"duplicate feed names in {path}: {sorted({n for n in names if names.count(n) > 1})}"
        )
    return feeds


def _entry_content(entry: Any) -> tuple[str | None, bool]:
    """The richest body the entry carries, and whether it is HTML."""
    for content in entry.get("content", []) or []:
        value = content.get("value")
        if value:
            return value, "html" in (content.get("type") or "")
    summary = entry.get("summary")
    if summary:
        detail = entry.get("summary_detail") or {}
        return summary, "html" in (detail.get("type") or "")
    return None, False


@dataclass(frozen=True)
class FeedProblem:
    """Something wrong in a feed that did not stop it: dead-letter `error` with `input`."""

    error: BadInputError
    input: Any = None


@dataclass(frozen=True)
class ParsedFeed:
    articles: list[Article]
    problems: list[FeedProblem] = field(default_factory=list)
    encoding: str = "utf-8"
    entries_seen: int = 0


# --- Encodings -----------------------------------------------------------------------------------


_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:\-]{1,40})["']""")
_XML_DECL_TEXT = re.compile(r"""^(\s*<\?xml[^>]{0,200}?encoding\s*=\s*)["'][^"']*["']""")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:\-]{1,40})", re.I)
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _sniff_bom(content: bytes) -> str | None:
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return name
    # No mark: "<" of the root or the declaration with a NUL byte beside it can only be UTF-16.
    if content.startswith(b"<\x00"):
        return "utf-16-le"
    if content.startswith(b"\x00<"):
        return "utf-16-be"
    return None


def decode_feed(content: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """`(text, encoding used, warnings)`: the feed's bytes as text, never raising on bad bytes."""
    warnings: list[str] = []
    bom = _sniff_bom(content)
    declared_match = _XML_DECL.match(content[:1024])
    declared = declared_match.group(1).decode("ascii") if declared_match else None
    http = _CHARSET.search(content_type or "")
    http_label = http.group(1) if http else None
    candidates: list[str] = []
    for label, origin in (
        (bom, "byte-order mark"),
        (declared, "XML declaration"),
        (http_label, "HTTP charset"),
    ):
        name = web_codec(label)
        if label and not name:
            warnings.append(f"unknown encoding {label!r} in the {origin}, ignored")
        if name and name not in candidates:
            candidates.append(name)
    if "utf-8" not in candidates:
        candidates.append("utf-8")
    for name in candidates:
        try:
            return _normalise_text(content.decode(name)), name, warnings
        except UnicodeDecodeError:
            continue
    # Nothing decodes cleanly: keep the first choice, with the bad bytes read as Windows-1252.
    name = candidates[0]
    text = content.decode(name, errors=CP1252_FALLBACK if name.startswith("utf-8") else "replace")
    bad = max(1, len(text) - len(content.decode(name, errors="ignore")))
    warnings.append(
        f"{bad} invalid {name} byte(s) "
        f"{'read as Windows-1252' if name.startswith('utf-8') else 'replaced by U+FFFD'}; "
        f"the rest decoded as {name}"
    )
    return _normalise_text(text), name, warnings


def _normalise_text(text: str) -> str:
    text = text.lstrip("\ufeff")
    text = _INVALID_XML_CHARS.sub("", text)
    return _XML_DECL_TEXT.sub(r'\1"utf-8"', text, count=1)


# --- Entities: refuse XXE and expansion bombs before any parser expands them ----------------------

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_ENTITY_REF = re.compile(r"&(?!#)[^;\s]*;|%[^;\s]*;")
MAX_ENTITY_DECLARATIONS = 64


def check_entities(data: bytes, *, feed_name: str, url: str | None = None) -> None:
    """Raise `BadInputError` if the DTD of `data` (UTF-8) declares dangerous entities; expands nothing."""
    root = _ROOT_START.search(data)
    prolog = data[: root.start()] if root else data[:65536]
    if b"<!DOCTYPE" not in prolog.upper() and b"<!ENTITY" not in prolog.upper():
        return
    declared: list[tuple[str, bool, str | None, str | None, str | None]] = []
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_entity(name, is_parameter, value, base, system_id, public_id, notation):
        declared.append((name, bool(is_parameter), value, system_id, public_id))

    parser.EntityDeclHandler = on_entity
    parser.ExternalEntityRefHandler = lambda *args: 0  # never fetch anything
    parser.DefaultHandler = lambda data: None  # a reference is not expanded while we look
    try:
        parser.Parse(prolog + b"<_/>", True)
        readable = True
    except xml.parsers.expat.ExpatError:
        readable = False
    refuse = None
    for name, is_parameter, value, system_id, public_id in declared:
        if system_id or public_id:
            refuse = f"it declares an external entity {name!r} ({system_id or public_id}): an XXE attempt"
        elif is_parameter:
            refuse = f"it declares a parameter entity {name!r}"
        elif value and _ENTITY_REF.search(value):
            refuse = (
                f'entity {name!r} refers to other entities: an entity-expansion ("billion laughs") attempt'
            )
        if refuse:
            break
    if not refuse and len(declared) > MAX_ENTITY_DECLARATIONS:
        refuse = f"it declares {len(declared)} entities (limit {MAX_ENTITY_DECLARATIONS})"
    if not refuse and not readable and b"<!ENTITY" in prolog.upper():
        refuse = "its DTD declares entities but cannot be read"
    if refuse:
        raise BadInputError(
            STAGE,
            f"feed refused: {refuse}. Entities are never expanded; ask the publisher for a "
            "plain RSS/Atom feed",
            feed=feed_name,
            item=url,
        )


# --- Parsing -------------------------------------------------------------------------------------

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<body)", re.I | re.S)
_ALTERNATE_FEED = re.compile(
    rb"""<link\b[^>]*type=["']application/(?:rss|atom)\+xml["'][^>]*href=["']([^"']+)["']"""
    rb"""|<link\b[^>]*href=["']([^"']+)["'][^>]*type=["']application/(?:rss|atom)\+xml["']""",
    re.I,
)


def _not_a_feed(data: bytes, reason: Any, feed_name: str, url: str | None) -> BadInputError:
    if _HTML_START.match(data[:4096]):
        alt = _ALTERNATE_FEED.search(data[:200_000])
        hint = (
            f"; the page links a feed at {(alt.group(1) or alt.group(2)).decode('utf-8', 'replace')}"
            if alt
            else ""
        )
        return BadInputError(
            STAGE,
            "not a parsable feed: the server returned an HTML page, not RSS/Atom; the feed may have "
            f"moved{hint}. Fix the URL in the feed list",
            feed=feed_name,
            item=url,
        )
    return BadInputError(
        STAGE, f"not a parsable feed: {reason}; check the URL in the feed list", feed=feed_name, item=url
    )


def _is_truncated(data: bytes) -> bool:
    tail = data.rstrip()[-64:].lower()
    return not (
        tail.endswith(b"</rss>")
        or tail.endswith(b"</feed>")
        or tail.endswith(b"rdf>")
        or tail.endswith(b"/>")
    )


def _last_entry_is_cut(data: bytes) -> bool:
    opened = max(data.rfind(b"<item>"), data.rfind(b"<item "), data.rfind(b"<entry>"), data.rfind(b"<entry "))
    closed = max(data.rfind(b"</item>"), data.rfind(b"</entry>"))
    return opened > closed


def _truncation_problem(entries: list, feed_name: str) -> FeedProblem:
    """Drop the cut-off last entry of a truncated feed (from `entries`) and report it."""
    cut = entries.pop()
    return FeedProblem(
        BadInputError(
            STAGE,
            f"feed is truncated: its last entry is cut off and was not kept ({len(entries)} complete "
            "entries kept); check the feed if this repeats",
            feed=feed_name,
            item=cut.get("link") or f"{feed_name}#{len(entries)}",
        ),
        input={"title": cut.get("title"), "link": cut.get("link")},
    )


def _over_limit_problem(over: list, seen: int, max_entries: int, feed_name: str, base_url: str | None):
    """The entries beyond `max_entries`, reported with their links (not silently dropped)."""
    return FeedProblem(
        BadInputError(
            STAGE,
            f"feed has {seen} entries, more than the {max_entries}-entry limit per fetch "
            f"(BORDER_FEED_MAX_ENTRIES): {len(over)} entries not processed, listed in the input",
            feed=feed_name,
            item=f"{base_url or feed_name}#entries>{max_entries}",
        ),
        input={
            "entries": [
                {"n": max_entries + i, "link": e.get("link"), "title": e.get("title")}
                for i, e in enumerate(over)
            ]
        },
    )


def _entry_article(entry: Any, n: int, feed_name: str, outlet: str | None) -> Article:
    body, is_html = _entry_content(entry)
    has_full = bool(entry.get("content"))
    return Article(
        input=f"{feed_name}#{n}",
        feed=feed_name,
        raw_url=entry.get("link"),
        source=outlet,
        raw_title=entry.get("title"),
        published=entry.get("published") or entry.get("updated"),
        raw_html=body if is_html else None,
        raw_text=None if is_html else body,
        summary=None if has_full else entry.get("summary"),
    )


def _parse(content: bytes, feed_name: str, base_url: str | None, content_type: str | None):
    """(feedparser's result, the UTF-8 bytes it read, encoding, warnings) for bytes made safe first."""
    if not isinstance(content, bytes | bytearray):
        # feedparser would treat a str as a URL or a file name and open it.
        raise TypeError("read_feed takes the feed's bytes")
    if not content.strip():
        raise BadInputError(
            STAGE,
            "empty response body: the server sent no feed; check the URL",
            feed=feed_name,
            item=base_url,
        )
    text, encoding, warnings = decode_feed(bytes(content), content_type)
    data = text.encode("utf-8")
    check_entities(data, feed_name=feed_name, url=base_url)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    try:
        parsed = feedparser.parse(data, response_headers=headers)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        # feedparser's own handlers can trip on tag soup (a link end tag with no link open): that
        # input is not a feed we can read, and says so instead of crashing the fetch.
        raise _not_a_feed(
            data, f"feedparser failed: {type(exc).__name__}: {exc}", feed_name, base_url
        ) from exc
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise _not_a_feed(
            data, parsed.get("bozo_exception") or "no RSS/Atom root element", feed_name, base_url
        )
    return parsed, data, encoding, warnings


def read_feed(
    content: bytes,
    *,
    feed_name: str,
    base_url: str | None = None,
    outlet: str | None = None,
    content_type: str | None = None,
    max_entries: int | None = None,
) -> ParsedFeed:
    """Parse RSS/Atom bytes safely into raw articles (feed order) and the problems met on the way."""
    parsed, data, encoding, warnings = _parse(content, feed_name, base_url, content_type)
    problems = [
        FeedProblem(BadInputError(STAGE, f"encoding: {w}", feed=feed_name, item=base_url)) for w in warnings
    ]
    entries = list(parsed.entries)
    if parsed.bozo and _is_truncated(data) and entries and _last_entry_is_cut(data):
        problems.append(_truncation_problem(entries, feed_name))
    seen = len(entries)
    if max_entries is not None and len(entries) > max_entries:
        over = entries[max_entries:]
        entries = entries[:max_entries]
        problems.append(_over_limit_problem(over, seen, max_entries, feed_name, base_url))
    articles = [_entry_article(entry, n, feed_name, outlet) for n, entry in enumerate(entries)]
    return ParsedFeed(articles=articles, problems=problems, encoding=encoding, entries_seen=seen)


def parse_feed(
    content: bytes, *, feed_name: str, base_url: str | None = None, outlet: str | None = None
) -> list[Article]:
    """Parse RSS/Atom bytes into raw articles, one per entry, in feed order (see `read_feed` for problems)."""
    return read_feed(content, feed_name=feed_name, base_url=base_url, outlet=outlet).articles
