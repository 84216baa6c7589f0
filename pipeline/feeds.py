"""Feed configuration (YAML) and feed parsing (RSS/Atom bytes -> raw `Article` records).

Parsing keeps what the outlet printed (title, link, date string, summary, full content when the feed
carries it); cleaning and date normalisation are later stages.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import yaml

from pipeline.article import Article
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
        raise ValueError(f"duplicate feed names in {path}: {sorted({n for n in names if names.count(n) > 1})}")
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


def parse_feed(content: bytes, *, feed_name: str, base_url: str | None = None, outlet: str | None = None) -> list[Article]:
    """Parse RSS/Atom bytes into raw articles, one per entry, in feed order."""
    parsed = feedparser.parse(content, response_headers={"content-location": base_url} if base_url else None)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no RSS/Atom root element"
        raise BadInputError(STAGE, f"not a parsable feed: {reason}", feed=feed_name, item=base_url)
    articles = []
    for n, entry in enumerate(parsed.entries):
        body, is_html = _entry_content(entry)
        has_full = bool(entry.get("content"))
        articles.append(
            Article(
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
        )
    return articles
