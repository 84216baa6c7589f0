"""Exceptions that say which stage broke, for which feed or article, and whether a retry can help."""

from __future__ import annotations


class PipelineError(Exception):
    """A failure in one stage for one feed or article."""

    transient = False

    def __init__(self, stage: str, message: str, *, feed: str | None = None, item: str | None = None):
        self.stage = stage
        self.feed = feed
        self.item = item
        self.message = message
        where = ", ".join(p for p in (f"feed={feed}" if feed else "", f"item={item}" if item else "") if p)
        super().__init__(f"[{stage}] {message}" + (f" ({where})" if where else ""))


class TransientError(PipelineError):
    """Worth retrying later: network errors, timeouts, 5xx, Elasticsearch unavailable."""

    transient = True


class BadInputError(PipelineError):
    """Permanent: the input itself is broken. Dead-letter it at once, do not retry."""
