"""Clean stage: raw article -> canonical url, outlet, title, byline, clean body text.

What it does: extracts the body of full HTML pages (trafilatura), flattens HTML fragments
(BeautifulSoup), normalises Unicode (NFC) and whitespace, drops site debris listed in
`pipeline/data/debris.yaml` (page chrome, cross-links, promotions, photo captions), lifts the headline,
byline, printed publication date and dateline out of the text when they are printed at its top, and
keeps one paragraph per line group (paragraphs joined by a blank line).

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
from pipeline.errors import BadInputError
from pipeline.urls import canonical_url, source_of

STAGE = "clean"
# Guards against hostile pages (see README, "Reliability and security"): markup nested deeper than
# this is read flat (BeautifulSoup's tree edits cost O(depth) each, so 20,000 nested <div>s took 13 s
# and 100,000 took 5 minutes); a cleaned text longer than this is not one news article (the dates
# stage is O(mentions^2), and a 2 MB text took 86 s there) and is refused with a clear error.
MAX_MARKUP_DEPTH = 256
MAX_TEXT_CHARS = 200_000
DATA = Path(__file__).parent / "data" / "debris.yaml"

_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?|/[a-zA-Z][a-zA-Z0-9:-]*\s*|!--.*?--|![dD][oO][cC][tT][yY][pP][eE][^<>]*)>", re.S)
_FULL_PAGE = re.compile(r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I)
# Invisible characters that carry no meaning here; ZWJ/ZWNJ (U+200C/U+200D) are kept: Devanagari needs them.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u200e\u200f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_SENTENCE_END = re.compile(r"[.।?!:;,]\s*[\"'”’)]?\s*$")
# "ByHT News Desk", "By Sudhi Ranjan Sen", "Written by: ..."; not "Bypoll results ..." nor "By Monday, ...".
_BYLINE = re.compile(
    r"^(?:(?:[Ww]ritten|[Rr]eported|[Ee]dited|[Pp]osted)\s+by\s*:?\s*|B[yY](?:\s*:\s*|\s+|(?=[A-Z])))"
    r"(?P<name>[A-Z\u0900-\u097F][^.!?;]{1,60})$"
)
_NOT_A_NAME = re.compile(r"^(?:the|a|an|then|now|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|"
                         r"May|June|July|August|September|October|November|December|early|late|next|last)\b", re.I)
_BYLINE_HI = re.compile(r"^(?:द्वारा|लेखक|रिपोर्ट)\s*[:\-]\s*(?P<name>\S.{1,60})$")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[AaPp]\.?\s?[Mm]\.?)?(?:\s*\(?(?:IST|GMT|UTC|[A-Z]{3,4}|[+-]\d{2}:?\d{2})\)?)?)?"
# A line that is only a printed publication date: "Nov 20, 2024 10:04 PM IST", "Updated: 20 November 2024".
_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|last updated|first published|posted)(?:\s+on)?\s*:?\s*)?"
    r"(?:[A-Z][a-z]+day,?\s+)?"
    rf"(?P<date>(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}){_TIME})\s*$",
    re.I,
)
# "New Delhi:" alone on a line, or "NEW DELHI:" / "New Delhi, Nov 20 (PTI):" opening the first paragraph.
_DATELINE_ALONE = re.compile(r"^(?P<place>[A-Z][A-Za-z.]*(?:[ -][A-Z][A-Za-z.]*){0,3}|[\u0900-\u097F]+(?: [\u0900-\u097F]+){0,2})\s*:$")
_DATELINE_LEAD = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.]*(?:[ -][A-Z][A-Za-z.]*){0,3})"
    rf"(?:,\s*{_MONTH}\s+\d{{1,2}})?(?:\s*\((?:PTI|ANI|IANS|Reuters|AP|AFP)\))?\s*:\s+(?=\S)"
)
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table",
    "section", "article", "header", "footer", "figcaption", "pre", "hr", "dd", "dt",
)
_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "aside", "form", "button", "svg", "figure", "template")
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "publishdate", "pubdate", "publish-date",
    "dc.date.issued", "dc.date", "parsely-pub-date", "sailthru.date", "date", "article.published",
)


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


def _meta_published(tree) -> str | None:
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        if key in _PUBLISHED_META and node.get("content"):
            return node.get("content").strip()
    for node in tree.iter("time"):
        if node.get("datetime"):
            return node.get("datetime").strip()
    return None


_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _page_url(tree) -> str | None:
    for node in tree.iter("link"):
        if (node.get("rel") or "").lower() == "canonical" and node.get("href"):
            return node.get("href").strip()
    for node in tree.iter("meta"):
        if (node.get("property") or "").lower() == "og:url" and node.get("content"):
            return node.get("content").strip()
    return None


def page_to_text(page: str) -> tuple[str, str | None, str | None, str | None, str | None]:
    """A full HTML page -> (body text, title, byline, published string, canonical url) from the page."""
    import lxml.etree
    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.fromstring(page)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise BadInputError(STAGE, f"unparsable HTML page: {exc}") from exc
    published = _meta_published(tree)
    page_url = _page_url(tree)
    if published is None and (m := _JSONLD_DATE.search(page)):
        published = m.group(1)
    head_title = tree.findtext(".//title")
    doc = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False, include_tables=False)
    if doc is None or not (doc.text or "").strip():
        return fragment_to_text(page), head_title, None, published, page_url
    published = published or doc.date
    return doc.text, doc.title or head_title, doc.author, published, page_url


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


def _is_headline(line: str, rest: list[str]) -> bool:
    words = line.split()
    return (
        bool(rest)
        and 3 <= len(words) <= 40
        and len(line) <= 250
        and not _SENTENCE_END.search(line)
        and not line[0].islower()
        and len(" ".join(rest)) > len(line)
    )


# A sentence ends at . ? ! or the danda before a space, unless the period ends an initial or a short
# capitalised abbreviation ("Lt. Gen.", "Dr.", "U.S."). In Hindi the period marks initials ("एस.
# जयशंकर", "एच.ई."): there only the danda, ? and ! end a sentence.
_LEAD_END = re.compile(r"(?<![\s.][A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\b[A-Z])[.?!।](?=\s|$)")
_LEAD_END_HI = re.compile(r"[?!।](?=\s|$)")
LEAD_TITLE_CHARS = 160


def lead_title(paragraph: str, dateline: str | None = None) -> str | None:
    """The first sentence of an untitled article's first paragraph, as its title: without the dateline
    ("New Delhi: "), cut at a word boundary to LEAD_TITLE_CHARS with an ellipsis when longer."""
    line = paragraph.strip()
    if dateline and line.startswith(dateline):
        line = line[len(dateline):].lstrip(" ,:").lstrip()
    elif m := _DATELINE_LEAD.match(line):
        line = line[m.end():]
    m = (_LEAD_END_HI if re.search("[\u0900-\u097F]", line) else _LEAD_END).search(line)
    sentence = (line[: m.start() + 1] if m else line).strip()
    if len(sentence) > LEAD_TITLE_CHARS:
        sentence = sentence[:LEAD_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence or None


def _same_text(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return re.sub(r"\W+", "", s.lower())

    return key(a) == key(b)


def clean(article: Article) -> Article:
    """Clean one article (see the module docstring)."""
    url = canonical_url(article.raw_url or article.url)
    source = article.source or source_of(url)
    published = article.published.strip() if article.published and article.published.strip() else None
    published_source = "feed" if published else None
    byline = article.byline
    page_title = None

    raw_html = article.raw_html or ""
    if raw_html and has_markup(raw_html):
        if _FULL_PAGE.search(raw_html[:4000]):
            body, page_title, author, page_published, page_url = page_to_text(raw_html)
            byline = byline or author
            if url is None and page_url and page_url.startswith(("http://", "https://")):
                url = canonical_url(page_url)
                source = article.source or source_of(url)
            if not published and page_published:
                published, published_source = page_published, "page"
        else:
            body = fragment_to_text(raw_html)
    else:
        body = article.raw_text or raw_html or article.summary or ""
        if body and has_markup(body):
            body = fragment_to_text(body)
    if "&" in body:
        body = html_lib.unescape(body)

    d = debris()
    lines = []
    for line in normalise_text(body).split("\n"):
        if not line:
            continue
        line = d.strip_inline(line)
        if line and not d.is_debris(line):
            lines.append(line)

    title = clean_title(article.raw_title, source)
    title_source = "feed" if title else None
    if title is None and (title := clean_title(page_title, source)):
        title_source = "page"
    dateline = None
    head, scanned = [], 0
    # The top of the text: headline, byline, printed date and dateline come out as fields.
    while lines and scanned < 6:
        line = lines[0]
        scanned += 1
        if title and _same_text(line, title):
            lines.pop(0)
        elif (m := _BYLINE.match(line) or _BYLINE_HI.match(line)) and len(m.group("name").split()) <= 8 \
                and not _NOT_A_NAME.match(m.group("name")):
            byline = byline or m.group("name").strip()
            lines.pop(0)
        elif m := _DATE_LINE.match(line):
            if not published:
                published, published_source = m.group("date"), "text"
            lines.pop(0)
        elif (m := _DATELINE_ALONE.match(line)) and len(lines) > 1:
            dateline = m.group("place")
            lines.pop(0)
            lines[0] = f"{dateline}: {lines[0]}"
            break
        elif title is None and not head and _is_headline(line, lines[1:]):
            title, title_source = line, "text"
            head.append(line)
            lines.pop(0)
        else:
            break
    if dateline is None and lines and (m := _DATELINE_LEAD.match(lines[0])):
        dateline = m.group("place")

    text = "\n\n".join(lines)
    if title is None and lines and (title := lead_title(lines[0], dateline)):
        title_source = "lead"
    if not text and not title:
        raise BadInputError(STAGE, "nothing left after cleaning: no title and no text", item=article.input or None)
    if len(text) > MAX_TEXT_CHARS:
        raise BadInputError(STAGE, f"cleaned text is {len(text):,} characters, over the {MAX_TEXT_CHARS:,} limit: not a "
                            "single news article (a broken or hostile page)",
                            feed=article.feed, item=article.raw_url or article.input)
    return article.replace(
        url=url,
        source=source,
        title=title,
        title_source=title_source,
        byline=byline,
        text=text,
        published=published,
        published_at_source=published_source,
        dateline=dateline,
    )
