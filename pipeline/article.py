"""The one record type that flows through every stage.

Field names are the names the index uses. A stage takes an `Article` and returns a new one
(`dataclasses.replace`), never mutates its input.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Article:
    # Where it came from
    input: str = ""  # path or feed name, with #N for the N-th entry of a feed or .jsonl file
    feed: str | None = None  # configured feed name, when fetched from a feed
    url: str | None = None  # canonical url (after the clean stage)
    raw_url: str | None = None  # the link as the feed or file gave it
    source: str | None = None  # outlet, e.g. "hindustantimes.com"
    # Raw content as received
    raw_title: str | None = None
    published: str | None = None  # date string as the outlet printed it
    raw_text: str | None = None
    raw_html: str | None = None
    summary: str | None = None
    # "feed" when the entry wanted its page and the feed's own content stands in for it (the page failed
    # for good, or transiently too often: `pipeline.ingest.fetching`); None otherwise.
    body_source: str | None = None
    fetched_at: str | None = None  # ISO 8601, when we fetched it
    # Derived by the stages
    id: str | None = None
    title: str | None = None
    title_source: str | None = (
        None  # "feed" | "page" | "text" (headline line) | "lead" (first sentence, untitled)
    )
    byline: str | None = None
    text: str = ""
    language: str | None = None
    published_at: str | None = None
    published_at_source: str | None = None  # "feed" | "page" | "text" | "fetched" | None
    dateline: str | None = None  # place the text is filed from, e.g. "New Delhi"
    date_reference: str | None = None  # YYYY-MM-DD that relative dates were resolved against, or None
    date_reference_source: str | None = None  # "published_at" | "fetched" | "text" | None
    dates: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    relevant: bool | None = None
    relevance_score: float | None = None
    content_hash: str | None = None
    minhash: list[int] | None = None
    duplicate_of: str | None = None
    story_id: str | None = None
    ingested_at: str | None = None
    schema_version: int = SCHEMA_VERSION
    # Dedupe and stories (pipeline/dedupe.py, pipeline/stories.py)
    minhash_bands: list[str] | None = (
        None  # LSH band keys "b<i>:<hash>" of `minhash`, looked up with a terms query
    )
    story_date: str | None = None  # YYYY-MM-DD: the day of the event the article reports, when known
    story_dates: list[str] | None = None  # every day the article mentions (and its publication day)
    story_entities: list[str] | None = None  # entity ids, name/ and round/ keys that define the story

    def replace(self, **changes: Any) -> Article:
        """Return a copy with `changes` applied."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """All fields as plain JSON-able values."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Build from a dict, ignoring keys that are not fields."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
