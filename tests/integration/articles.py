"""Articles for the contract tests: the seed feed through the real pipeline (feed parser, then every
processing stage via `pipeline.process`), and small numbered articles for sequence tests."""

from __future__ import annotations

from datetime import UTC, datetime

from pipeline.article import Article
from pipeline.dedupe import MemoryDedupeIndex
from pipeline.feeds import parse_feed
from pipeline.process import process
from pipeline.stories import MemoryStoryIndex
from tests.conftest import SEEDS


def seed_articles() -> list[Article]:
    """The seed feed's entries as the ingest DAG would index them: processed, relevant, not duplicates."""
    raw = parse_feed(
        (SEEDS / "feed.xml").read_bytes(), feed_name="fixture-seeds", outlet="fixtures.border-watch.example"
    )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    processed = process(raw, registry=MemoryDedupeIndex(), clusters=MemoryStoryIndex())
    return [
        a.replace(ingested_at=now)
        for a in processed
        if isinstance(a, Article) and a.relevant and not a.duplicate_of
    ]


def numbered_articles(prefix: str, count: int) -> list[Article]:
    """`count` small distinct articles with ids `<prefix>-<n>`."""
    return [
        Article(
            input=f"{prefix}#{n}",
            id=f"{prefix}-{n}",
            title=f"Border talks {prefix} {n}",
            text=f"LAC patrol {n}",
            language="en" if n % 2 else "hi",
            source=f"outlet{n % 3}.example",
        )
        for n in range(count)
    ]
