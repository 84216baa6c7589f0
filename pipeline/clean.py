"""Clean stage: raw article -> canonical url, outlet, title, byline, clean body text.

What it does: extracts the body of full HTML pages (trafilatura, with tables sorted by
`pipeline.tables` and the page's date found by `pipeline.pagedates`), flattens HTML fragments
(BeautifulSoup), normalises Unicode (NFC) and whitespace, drops site debris listed in
`pipeline/data/debris.yaml` (page chrome, cross-links, promotions, photo captions), lifts the headline,
byline, printed publication date and dateline out of the text when they are printed at its top
(`pipeline.heading`), and keeps one paragraph per line group (paragraphs joined by a blank line).

What it does not: it never parses dates into values (the dates stage does) and never fetches anything.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.article import Article
from pipeline.decoding import html_text
from pipeline.errors import BadInputError

# Re-exported: the names other modules and tests import from the clean stage.
from pipeline.heading import DATE_LINE as _DATE_LINE  # noqa: F401
from pipeline.heading import DATELINE_LEAD as _DATELINE_LEAD  # noqa: F401
from pipeline.heading import LEAD_TITLE_CHARS, Head, lead_title, read_head  # noqa: F401
from pipeline.pagedates import HTMLDATE_PARAMS, htmldate_published, page_published, printed_date  # noqa: F401
from pipeline.tables import prepare_tables, table_lines
from pipeline.urls import canonical_url, source_of

STAGE = "clean"
# Guards against hostile pages (see docs/reliability.md): markup nested deeper than
# this is read flat (BeautifulSoup's tree edits cost O(depth) each, so 20,000 nested <div>s took 13 s
# and 100,000 took 5 minutes); a cleaned text longer than this is not one news article (the dates
# stage is O(mentions^2), and a 2 MB text took 86 s there) and is refused with a clear error.
MAX_MARKUP_DEPTH = 256
MAX_TEXT_CHARS = 200_000
DATA = Path(__file__).parent / "data" / "debris.yaml"

_TAG = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?|/[a-zA-Z][a-zA-Z0-9:-]*\s*|!--.*?--|"
    r"![dD][oO][cC][tT][yY][pP][eE][^<>]*)>",
    re.S,
)
# A full page, not a fragment, wherever the tag stands (a page may open with 100 KB of inline style).
_FULL_PAGE = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|meta)[\s>/]", re.I)
# Invisible characters that carry no meaning here; ZWJ/ZWNJ (U+200C/U+200D) are kept: Devanagari
# needs them.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u200e\u200f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLOCK_TAGS = tuple(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer figcaption "
    "pre hr dd dt".split()
)
_DROP_TAGS = tuple("script style noscript iframe nav aside form button svg figure template".split())


class _Debris:
    """Debris patterns from the data file, compiled once."""

    def __init__(self, path: Path = DATA) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        self.lines = [re.compile(p) for p in data.get("lines", [])]
        self.inline = [re.compile(p) for p in data.get("inline", [])]
        self.captions = [re.compile(p) for p in data.get("captions", [])]

    def is_debris(self, line: str) -> bool:
        return any(p.search(line) for p in self.lines) or any(p.search(line) for p in self.captions)

    def strip_inline(self, line: str) -> str:
        for p in self.inline:
            line = p.sub("", line)
        return line


@lru_cache(maxsize=1)
def debris() -> _Debris:
    """The compiled debris patterns (loaded once)."""
    return _Debris()


def normalise_text(text: str) -> str:
    """NFC, invisible characters removed, spaces collapsed within lines, line ends unified."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def has_markup(raw: str) -> bool:
    """Whether `raw` contains HTML tags (raw_html without tags is plain text)."""
    return bool(_TAG.search(raw))


def fragment_to_text(fragment: str) -> str:
    """An HTML fragment (feed content, summary) as text, one line per block element."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(fragment, "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    if markup_depth(soup, MAX_MARKUP_DEPTH) > MAX_MARKUP_DEPTH:
        return soup.get_text("\n")  # every string on its own line: linear time, nothing lost
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return soup.get_text("")


def markup_depth(soup, stop_above: int) -> int:
    """Depth of the deepest element of a BeautifulSoup tree (iterative; stops once over `stop_above`)."""
    deepest = 0
    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > stop_above:
            break
        stack.extend((child, depth + 1) for child in node.contents if child.name is not None)
    return deepest


def _page_url(tree) -> str | None:
    for node in tree.iter("link"):
        if (node.get("rel") or "").lower() == "canonical" and node.get("href"):
            return node.get("href").strip()
    for node in tree.iter("meta"):
        if (node.get("property") or "").lower() == "og:url" and node.get("content"):
            return node.get("content").strip()
    return None


def page_to_text(
    page: str, url: str | None = None, *, date_fallback: bool = True, tables: bool = True
) -> tuple[str, str | None, str | None, str | None, str | None]:
    """A full HTML page -> (body text, title, byline, published string, canonical url) from the page.

    The published string is `page_published`'s, else (with `date_fallback`) a date line printed in the
    article block, else `htmldate_published`'s. With `tables` (the default) tables are sorted by
    `prepare_tables` and data tables kept; without, every table is dropped, as trafilatura does with
    include_tables=False."""
    import lxml.etree
    import lxml.html
    import trafilatura

    page = html_text(page, stage=STAGE)
    try:
        tree = lxml.html.fromstring(page)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise BadInputError(STAGE, f"unparsable HTML page: {exc}") from exc
    published = page_published(tree)
    page_url = _page_url(tree)
    head_title = tree.findtext(".//title")
    if published is None and date_fallback:
        # Looked up here, in this module, at call time: benchmarks/html_pages.py measures the stage
        # without the htmldate fallback by replacing `clean.htmldate_published`.
        published = printed_date(tree) or htmldate_published(tree, url)
    if tables:
        prepare_tables(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=tables,
        date_extraction_params=HTMLDATE_PARAMS,
    )
    if doc is None or not (doc.text or "").strip():
        return fragment_to_text(page), head_title, None, published, page_url
    return table_lines(doc.text), doc.title or head_title, doc.author, published, page_url


def clean_title(raw_title: str | None, source: str | None = None) -> str | None:
    """Markup, entities and an outlet suffix ("... | Hindustan Times") removed from a headline."""
    if not raw_title:
        return None
    title = html_lib.unescape(_TAG.sub("", raw_title)) if "<" in raw_title or "&" in raw_title else raw_title
    title = " ".join(normalise_text(title).split())
    if source:
        outlet = source.split(".")[0]
        parts = re.split(r"\s+[|\-–—]\s+", title)
        if len(parts) > 1 and re.sub(r"[^a-z]", "", parts[-1].lower()) == outlet.replace("-", ""):
            title = " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    return title or None


def _body(article: Article, head: Head, url: str | None, source: str | None):
    """(body text, page title, url, source) of the article; from a full page, also its byline and
    published string (into `head`, when the feed gave none) and its canonical URL when none is known."""
    page_title = None
    raw_html = article.raw_html or ""
    if raw_html and has_markup(raw_html):
        if _FULL_PAGE.search(raw_html):
            body, page_title, author, published, page_url = page_to_text(raw_html, article.raw_url)
            head.byline = head.byline or author
            if url is None and page_url and page_url.startswith(("http://", "https://")):
                url = canonical_url(page_url)
                source = article.source or source_of(url)
            if not head.published and published:
                head.published, head.published_source = published, "page"
        else:
            body = fragment_to_text(raw_html)
    else:
        body = article.raw_text or raw_html or article.summary or ""
        if body and has_markup(body):
            body = fragment_to_text(body)
    if "&" in body:
        body = html_lib.unescape(body)
    return body, page_title, url, source


def _kept_lines(body: str) -> list[str]:
    """The non-empty lines of `body`, normalised, with site debris cut or dropped."""
    d = debris()
    lines = []
    for line in normalise_text(body).split("\n"):
        if not line:
            continue
        line = d.strip_inline(line)
        if line and not d.is_debris(line):
            lines.append(line)
    return lines


def _check_size(article: Article, text: str, title: str | None) -> None:
    if not text and not title:
        raise BadInputError(
            STAGE, "nothing left after cleaning: no title and no text", item=article.input or None
        )
    if len(text) > MAX_TEXT_CHARS:
        raise BadInputError(
            STAGE,
            f"cleaned text is {len(text):,} characters, over the {MAX_TEXT_CHARS:,} limit: not a "
            "single news article (a broken or hostile page)",
            feed=article.feed,
            item=article.raw_url or article.input,
        )


def clean(article: Article) -> Article:
    """Clean one article (see the module docstring)."""
    url = canonical_url(article.raw_url or article.url)
    source = article.source or source_of(url)
    published = article.published.strip() if article.published and article.published.strip() else None
    head = Head(byline=article.byline, published=published, published_source="feed" if published else None)
    body, page_title, url, source = _body(article, head, url, source)
    lines = _kept_lines(body)
    if title := clean_title(article.raw_title, source):
        head.title, head.title_source = title, "feed"
    elif title := clean_title(page_title, source):
        head.title, head.title_source = title, "page"
    lines = read_head(lines, head)
    text = "\n\n".join(lines)
    if head.title is None and lines and (title := lead_title(lines[0], head.dateline)):
        head.title, head.title_source = title, "lead"
    _check_size(article, text, head.title)
    return article.replace(
        url=url,
        source=source,
        title=head.title,
        title_source=head.title_source,
        byline=head.byline,
        text=text,
        published=head.published,
        published_at_source=head.published_source,
        dateline=head.dateline,
    )
