"""Full pages for feed entries that carry only a summary (or nothing), fetched a few at a time.

What a page fetch gives back is one `PageResult` per entry that wanted its page; the caller decides
what to store and what to dead-letter (`pipeline.ingest.fetching`).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import lxml.etree
import lxml.html

from pipeline.article import Article
from pipeline.errors import BadInputError, PipelineError
from pipeline.feeds import FeedConfig
from pipeline.fetch import Fetcher, FetchResult

_SCRIPTS = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]*>|&[#\w]+;")


def needs_page(feed: FeedConfig, article: Article) -> bool:
    """Fetch the article's page when the feed says so or the entry carries only a summary (or nothing)."""
    if not article.raw_url:
        return False
    return feed.fetch_full_page or article.summary is not None or not (article.raw_html or article.raw_text)


def _body_text(text: str, *, feed: str, item: str) -> str:
    if not text.strip():
        return ""
    try:
        tree = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise BadInputError("page", f"unparsable HTML: {exc}", feed=feed, item=item) from exc
    for node in tree.xpath("//script|//style|//noscript"):
        node.drop_tree()
    body_text = tree.text_content().strip()
    if not body_text:
        # libxml2 drops what lies deeper than 256 elements; the clean stage reads such pages flat.
        body_text = _TAGS.sub(" ", _SCRIPTS.sub(" ", text)).strip()
    return body_text


def page_html(result: FetchResult, *, feed: str, item: str) -> str:
    """The HTML of a fetched page; BadInputError when it is not a readable HTML page."""
    ctype = (result.content_type or "").lower()
    if ctype and "html" not in ctype and "xml" not in ctype:
        raise BadInputError("page", f"not an HTML page (Content-Type {ctype!r})", feed=feed, item=item)
    try:
        # The page's own charset (BOM, HTTP header, <meta>, XML declaration; UTF-16 pages too); binary
        # content that would decode to NUL-laced text is refused here.
        text = result.text()
    except BadInputError as exc:
        raise BadInputError(
            "page", f"binary content where an HTML page was expected ({exc.message})", feed=feed, item=item
        ) from exc
    if not _body_text(text, feed=feed, item=item):
        raise BadInputError("page", "the page has no text", feed=feed, item=item)
    return text


def fetch_page(fetcher: Fetcher, feed: FeedConfig, article: Article) -> Article:
    """The article with its page's HTML as `raw_html` (the feed's summary stays in `summary`)."""
    result = fetcher.get(article.raw_url or "", feed=feed.name, allow_private=feed.allow_private_network)
    html = page_html(result, feed=feed.name, item=article.raw_url or article.input)
    return article.replace(raw_html=html, raw_text=None, summary=article.summary or article.raw_text or None)


@dataclass(frozen=True)
class PageResult:
    """One entry that wanted its page: the entry with the page, or as it was with the error."""

    article: Article
    error: PipelineError | None = None
    given_up: bool = False  # failed transiently too often: the entry goes in with the feed's content

    @property
    def deferred(self) -> bool:
        """A transient failure not given up on: the entry waits for the next run instead of going in
        with its summary."""
        return self.error is not None and self.error.transient and not self.given_up


def fetch_pages(
    fetcher: Fetcher, concurrency: int, feed: FeedConfig, articles: list[Article]
) -> dict[str, PageResult]:
    """The pages of the entries that need one, `concurrency` at a time: input ref -> result."""
    wanted = [a for a in articles if needs_page(feed, a)]

    def one(article: Article) -> PageResult:
        try:
            return PageResult(fetch_page(fetcher, feed, article))
        except PipelineError as exc:
            error = type(exc)("page", exc.message, feed=feed.name, item=article.raw_url)
            return PageResult(article if exc.transient else article.replace(body_source="feed"), error)

    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return {a.input: r for a, r in zip(wanted, pool.map(one, wanted), strict=True)}
