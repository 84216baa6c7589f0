"""Articles for the contract tests: the seed feed, parsed by the pipeline's feed parser, carried to
what the index receives. Replaced by `pipeline.process` once the processing stages are merged."""

from __future__ import annotations

import hashlib

from pipeline.article import Article
from pipeline.feeds import parse_feed
from tests.conftest import SEEDS


def seed_articles() -> list[Article]:
    """The five seed documents as processed articles (id, title, text, language, one entity)."""
    raw = parse_feed((SEEDS / "feed.xml").read_bytes(), feed_name="fixture-seeds", outlet="fixtures.border-watch.example")
    out = []
    for article in raw:
        text = (article.raw_text or article.raw_html or "").strip()
        hindi = any("\u0900" <= ch <= "\u097f" for ch in text[:200])
        out.append(article.replace(
            id=hashlib.sha256(article.raw_url.encode()).hexdigest()[:32],
            url=article.raw_url.split("?")[0],
            title=article.raw_title,
            text=text,
            language="hi" if hindi else "en",
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            entities=[{"id": "Q1", "name": "Rajnath Singh", "type": "person"}] if "Singh" in text or "सिंह" in text else [],
            ingested_at="2026-11-24T09:00:00+00:00",
        ))
    return out


def numbered_articles(prefix: str, count: int) -> list[Article]:
    """`count` small distinct articles with ids `<prefix>-<n>`."""
    return [
        Article(input=f"{prefix}#{n}", id=f"{prefix}-{n}", title=f"Border talks {prefix} {n}", text=f"LAC patrol {n}",
                language="en" if n % 2 else "hi", source=f"outlet{n % 3}.example")
        for n in range(count)
    ]
