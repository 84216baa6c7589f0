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
from pipeline.decoding import html_text
from pipeline.errors import BadInputError
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
    r"<(?:[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?|/[a-zA-Z][a-zA-Z0-9:-]*\s*|!--.*?--|![dD][oO][cC][tT][yY][pP][eE][^<>]*)>",
    re.S,
)
# A full page, not a fragment, wherever the tag stands (a page may open with 100 KB of inline style).
_FULL_PAGE = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|meta)[\s>/]", re.I)
# Invisible characters that carry no meaning here; ZWJ/ZWNJ (U+200C/U+200D) are kept: Devanagari needs them.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u200e\u200f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_SENTENCE_END = re.compile(r"[.।?!:;,]\s*[\"'”’)]?\s*$")
# "ByHT News Desk", "By Sudhi Ranjan Sen", "Written by: ..."; not "Bypoll results ..." nor "By Monday, ...".
_BYLINE = re.compile(
    r"^(?:(?:[Ww]ritten|[Rr]eported|[Ee]dited|[Pp]osted)\s+by\s*:?\s*|B[yY](?:\s*:\s*|\s+|(?=[A-Z])))"
    r"(?P<name>[A-Z\u0900-\u097F][^.!?;]{1,60})$"
)
_NOT_A_NAME = re.compile(
    r"^(?:the|a|an|then|now|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|"
    r"May|June|July|August|September|October|November|December|early|late|next|last)\b",
    re.I,
)
_BYLINE_HI = re.compile(r"^(?:द्वारा|लेखक|रिपोर्ट)\s*[:\-]\s*(?P<name>\S.{1,60})$")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[AaPp]\.?\s?[Mm]\.?)?(?:\s*\(?(?:IST|GMT|UTC|[A-Z]{3,4}|[+-]\d{2}:?\d{2})\)?)?)?"
_MONTH_HI = (
    "(?:जनवरी|फरवरी|फ़रवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर)"
)
# A line that is only a printed publication date: "Nov 20, 2024 10:04 PM IST", "Updated: 20 November 2024",
# "प्रकाशित: 20 नवंबर 2024".
# Government press releases print "Posted On: 01 AUG 2025 5:10PM by PIB Delhi" (Hindi: "प्रविष्टि तिथि:",
# "द्वारा पोस्ट किया गया:"): capitals in the month, and the issuing office after "by".
_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|last updated|first published|posted)(?:\s+on)?\s*:?\s*|"
    r"(?:प्रकाशित|अपडेटेड|अपडेट|प्रकाशन तिथि|प्रविष्टि तिथि|(?:द्वारा\s+)?पोस्ट किया गया)(?:\s+तिथि)?\s*:?\s*)?"
    r"(?:[A-Z][a-z]+day,?\s+)?"
    rf"(?P<date>(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH_HI},?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}){_TIME})(?:\s+(?:by|द्वारा)\s+\S[^\n]{{0,40}}?)?\s*$",
    re.I,
)
# "New Delhi:" alone on a line, or "NEW DELHI:" / "New Delhi, Nov 20 (PTI):" opening the first paragraph.
_DATELINE_ALONE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.]*(?:[ -][A-Z][A-Za-z.]*){0,3}|[\u0900-\u097F]+(?: [\u0900-\u097F]+){0,2})\s*:$"
)
# A dash ends the dateline too ("NEW DELHI, Feb 20 (PTI) – ..."), but only after a date or an agency.
_DATELINE_LEAD = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.]*(?:[ -][A-Z][A-Za-z.]*){0,3})"
    rf"(?:(?:,\s*{_MONTH}\s+\d{{1,2}})?(?:\s*\((?:PTI|ANI|IANS|Reuters|AP|AFP)\))?\s*:"
    rf"|(?:,\s*{_MONTH}\s+\d{{1,2}}(?:\s*\((?:PTI|ANI|IANS|Reuters|AP|AFP)\))?|\s*\((?:PTI|ANI|IANS|Reuters|AP|AFP)\))"
    r"\s+[-–—])\s+(?=\S)"
    # Hindi wire copy: "नई दिल्ली, 20 फरवरी (भाषा) ...", "लेह, 5 मार्च (आईएएनएस): ..."
    rf"|^(?P<place_hi>[\u0900-\u097F]+(?: [\u0900-\u097F]+){{0,2}}),\s*\d{{1,2}}\s+{_MONTH_HI}"
    r"(?:\s*\((?:भाषा|वार्ता|एजेंसी|आईएएनएस|पीटीआई|एएनआई|यूएनआई)\))?\s*[:।|–—-]?\s+(?=\S)"
)
_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "figcaption",
    "pre",
    "hr",
    "dd",
    "dt",
)
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "nav",
    "aside",
    "form",
    "button",
    "svg",
    "figure",
    "template",
)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "parsely-pub-date",
    "sailthru.date",
    "date",
    "article.published",
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


# Names of <meta> keys that carry the article's own publication time, most specific first.
_PUBLISHED_META_RANK = {key: rank for rank, key in enumerate(_PUBLISHED_META)}
# JSON-LD types that are the article itself (schema.org Article and its news/blog subtypes).
_ARTICLE_TYPE = re.compile(r"(?:Article|BlogPosting|LiveBlogPosting|Report)$")
# Blocks that are not the article: a timestamp or date inside them belongs to something else.
_NOT_ARTICLE_TAGS = {"aside", "nav", "form", "menu"}
# A class or id word of such a block ("comments", "sidebar-right", "related_stories"); checked word by
# word so that "has-sidebar" on a page wrapper does not disqualify the whole page.
_NOT_ARTICLE_WORDS = frozenset(
    "comment comments sidebar related recommended recommendations widget widgets trending popular newsletter "
    "promo outbrain taboola breadcrumb breadcrumbs share sharing social reply replies discussion disqus nav "
    "navbar navigation menu footer cookie cookies consent teaser teasers latest ad ads advert advertisement "
    "sponsored rail aside".split()
)
_NOT_ARTICLE_JOINED = frozenset("readmore morestories alsoread mostread topstories youmayalsolike".split())
_SKIP_ANCESTORS = {"html", "body", "head"}
_MAIN_CONTENT = "//article|//main|//*[@itemprop='articleBody']|//*[@role='main']|//*[@role='article']"
_UPDATED = re.compile(r"updat|modif|edit", re.I)
_UPDATED_TEXT = re.compile(r"(?:updated|modified|edited|अपडेट|संशोधित)\W*(?:on|at)?\W*$", re.I)


def _outside_article(node, stop=None) -> bool:
    """Whether `node` lies in a block that is not the article (comments, sidebar, related links...);
    with `stop`, only the blocks below that element (already known to be the article) count."""
    for anc in node.iterancestors():
        if anc is stop:
            return False
        if isinstance(anc.tag, str) and anc.tag not in _SKIP_ANCESTORS and _not_article_block(anc):
            return True
    return False


def _jsonld_dates(tree) -> tuple[str | None, str | None]:
    """(datePublished of the article object, datePublished of any other object) from the JSON-LD blocks."""
    import json

    article, other = [], []

    def walk(obj, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(obj, list):
            for item in obj:
                walk(item, depth)
        elif isinstance(obj, dict):
            kinds = obj.get("@type") or ""
            kinds = kinds if isinstance(kinds, list) else [kinds]
            value = obj.get("datePublished") or obj.get("dateCreated")
            if isinstance(value, str) and value.strip():
                is_article = any(isinstance(k, str) and _ARTICLE_TYPE.search(k) for k in kinds)
                (article if is_article else other).append((depth, value.strip()))
            for key, child in obj.items():
                if key == "@graph":
                    walk(child, depth)  # the graph's members are top-level objects
                elif isinstance(child, dict | list):
                    walk(child, depth + 1)  # nested: a part of the page, a related item

    for node in tree.iter("script"):
        if "ld+json" not in (node.get("type") or "").lower() or not node.text:
            continue
        try:
            walk(json.loads(node.text, strict=False), 0)
        except ValueError:
            # Broken JSON (trailing commas, stray HTML) still often carries the field readably.
            if m := _JSONLD_DATE.search(node.text):
                other.append((9, m.group(1)))
    pick = lambda found: min(found, key=lambda x: x[0])[1] if found else None  # noqa: E731
    return pick(article), pick(other)


def _meta_published(tree) -> str | None:
    """The best-ranked publication time of the page's <meta> and itemprop=datePublished elements."""
    best: tuple[int, str] | None = None
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        rank = _PUBLISHED_META_RANK.get(key)
        if rank is not None and (node.get("content") or "").strip() and (best is None or rank < best[0]):
            if not _outside_article(node):
                best = (rank, node.get("content").strip())
    if best is not None:
        return best[1]
    for node in tree.xpath("//*[@itemprop='datePublished']"):
        value = node.get("content") or node.get("datetime") or node.text_content()
        if value and value.strip() and not _outside_article(node):
            return value.strip()
    return None


def _not_article_block(el) -> bool:
    """Whether the element itself is a block that is not the article (see `_outside_article`)."""
    if el.tag in _NOT_ARTICLE_TAGS:
        return True
    for token in f"{el.get('class') or ''} {el.get('id') or ''}".lower().split():
        if token.startswith(("has-", "with-", "no-", "show-")):
            continue
        parts = re.split(r"[-_]+", token)
        if _NOT_ARTICLE_WORDS.intersection(parts) or "".join(parts) in _NOT_ARTICLE_JOINED:
            return True
    return False


def _content_block(tree):
    """The element that holds most of the page's running text: its own text plus its <p> children's."""
    sizes: dict = {}  # element -> size; the dict holds the proxies, so each element keeps one identity
    for el in tree.iter("p"):
        parent = el.getparent()
        if parent is not None and parent not in sizes:
            sizes[parent] = (
                sum(len(c.text_content()) for c in parent if c.tag == "p")
                + len(parent.text or "")
                + sum(len(c.tail or "") for c in parent)
            )
    for el in tree.iter("div", "td"):  # text set between <br>s, no <p>
        if el not in sizes:
            sizes[el] = len(el.text or "") + sum(len(c.tail or "") for c in el if c.tag == "br")
    return max(sizes, key=sizes.get) if sizes and max(sizes.values()) > 0 else None


def _main_scopes(tree) -> list:
    """Where the article's own `<time>` may be, innermost first: the `<article>`/`<main>`/articleBody
    elements that hold the running text (`_content_block`); without one, that block and its parent."""
    body = _content_block(tree)
    blocks = [b for b in tree.xpath(_MAIN_CONTENT) if not _outside_article(b)]
    if body is None:
        return [max(blocks, key=lambda b: len(b.text_content()))] if blocks else []
    if _outside_article(body):
        return []
    ancestors = [body, *body.iterancestors()]
    holding = [a for a in ancestors if any(a is b for b in blocks)]  # innermost first
    if holding:
        return holding
    # An <article> that does not hold the text is a card (related stories, a teaser), not the article.
    parent = body.getparent()
    return [body] + ([parent] if parent is not None and parent.tag not in _SKIP_ANCESTORS else [])


def _says_updated(t) -> bool:
    """Whether a <time> is marked, or introduced by its text, as an update rather than the publication."""
    if _UPDATED.search(f"{t.get('class') or ''} {t.get('itemprop') or ''}"):
        return True
    previous, parent = t.getprevious(), t.getparent()
    before = (previous.tail if previous is not None else parent.text if parent is not None else None) or ""
    return bool(_UPDATED_TEXT.search(before[-40:]))


def _article_time(tree) -> str | None:
    """The `<time datetime>` of the article itself (see `_main_scopes`), never one in comments,
    sidebars or related links inside it; a publication time before an "updated" one."""
    for scope in _main_scopes(tree):
        times = [
            t
            for t in scope.iter("time")
            if (t.get("datetime") or "").strip() and not _outside_article(t, stop=scope)
        ]
        for t in times:
            if not _says_updated(t):
                return t.get("datetime").strip()
        if times:
            return times[0].get("datetime").strip()
    return None


def _printed_date(tree) -> str | None:
    """A date line printed in the article's own block ("Published: Dec 31, 2024, 10:04 PM IST",
    "प्रकाशित: 25 मार्च 2024"), which extractors often drop with the page chrome around it."""
    for scope in _main_scopes(tree)[:2]:  # the article block, and its parent (where headers sit)
        for el in scope.iter("div", "span", "p", "time", "small", "em", "li", "dd"):
            text = " ".join(el.text_content().split())
            if (
                6 <= len(text) <= 90
                and (m := _DATE_LINE.match(text))
                and not _outside_article(el, stop=scope)
            ):
                return m.group("date")
    return None


def htmldate_published(tree, url: str | None = None) -> str | None:
    """htmldate's date for the page, from a copy without the blocks that are not the article (comments,
    sidebars, related stories: htmldate would read their timestamps as the article's), with its
    extensive search over the text off; a day "YYYY-MM-DD" or None."""
    import copy

    from htmldate import find_date

    pruned = copy.deepcopy(tree)
    scopes = _main_scopes(pruned)
    keep = [*scopes[-1:], *(scopes[-1].iterancestors() if scopes else ())]  # the article, however it is named
    for el in [
        el
        for el in pruned.iter()
        if isinstance(el.tag, str)
        and el.tag not in _SKIP_ANCESTORS
        and _not_article_block(el)
        and not any(el is k for k in keep)
    ]:
        if el.getparent() is not None:
            el.drop_tree()
    try:
        return find_date(pruned, url=url, **HTMLDATE_PARAMS)
    except (ValueError, TypeError):
        return None


def page_published(tree) -> str | None:
    """The publication time the page states for its article, most trustworthy source first: JSON-LD
    `datePublished` of an Article-type object, `<meta>` (article:published_time, og:published_time,
    pubdate, DC.date.issued ...), `itemprop="datePublished"`, JSON-LD of another object, a `<time>` in
    the article body. None when the page states none (the caller may then ask htmldate)."""
    article, other = _jsonld_dates(tree)
    return article or _meta_published(tree) or other or _article_time(tree)


_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_WORDS = re.compile(r"\w+")
_SENTENCE_WORDS = 12  # a cell with a sentence this long is prose, not a data cell
_TABLE_ROW_LINE = re.compile(r"^\|(.*)\|\s*$")
_TABLE_RULE_LINE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")


def _cells(table) -> list:
    """The cells of `table` itself (not of tables nested in it)."""
    return [c for c in table.iter("td", "th") if next(c.iterancestors("table"), None) is table]


def prepare_tables(tree) -> dict[str, int]:
    """Sort a page's tables before extraction, innermost first, into three kinds:

    - layout tables that hold prose (cells with paragraphs or long sentences, or one column of text):
      unwrapped into plain blocks, so their paragraphs are read as the article's own;
    - debris (link lists, share bars, empty spacers: most of the text in links, or no words): removed;
    - data tables (a grid of short cells): kept; the extractor renders them row by row.

    Returns how many of each it found (for tests and the benchmark)."""
    counts = {"prose": 0, "debris": 0, "data": 0}
    for table in reversed(list(tree.iter("table"))):
        if table.getparent() is None:
            continue
        text = " ".join(table.text_content().split())
        words = len(_WORDS.findall(text))
        linked = sum(len(" ".join(a.text_content().split())) for a in table.iter("a"))
        if words == 0 or linked > 0.5 * len(text):
            counts["debris"] += 1
            table.drop_tree()
            continue
        cells = _cells(table)
        rows = [r for r in table.iter("tr") if next(r.iterancestors("table"), None) is table]
        blocks = any(c.find(".//p") is not None or c.find(".//div") is not None for c in cells)
        long_cell = any(
            len(_WORDS.findall(c.text_content())) >= _SENTENCE_WORDS
            and re.search(r"[.!?।]", c.text_content())
            for c in cells
        )
        one_column = bool(rows) and len(cells) <= len(rows)
        if blocks or (one_column and long_cell) or (long_cell and len(cells) <= 2):
            counts["prose"] += 1
            for el in table.iter("td", "th", "tr", "tbody", "thead", "tfoot", "caption"):
                if next(el.iterancestors("table"), None) is table:  # a nested data table stays a table
                    el.tag = "div"
            table.tag = "div"
        else:
            counts["data"] += 1
    return counts


def _table_lines(text: str) -> str:
    """Table rows as the extractor renders them ("| a | b |") as "a | b"; separator rows dropped."""
    if "|" not in text:
        return text
    out = []
    for line in text.split("\n"):
        if _TABLE_RULE_LINE.match(line):
            continue
        if m := _TABLE_ROW_LINE.match(line.strip()):
            line = " | ".join(c.strip() for c in m.group(1).split("|") if c.strip())
        out.append(line)
    return "\n".join(out)


def _page_url(tree) -> str | None:
    for node in tree.iter("link"):
        if (node.get("rel") or "").lower() == "canonical" and node.get("href"):
            return node.get("href").strip()
    for node in tree.iter("meta"):
        if (node.get("property") or "").lower() == "og:url" and node.get("content"):
            return node.get("content").strip()
    return None


# htmldate, as the last resort for the date: metadata, URL and markup only (its extensive search over
# the page's text would read comment and sidebar dates as the article's).
HTMLDATE_PARAMS = {"extensive_search": False, "original_date": True}


def page_to_text(
    page: str, url: str | None = None, *, date_fallback: bool = True, tables: bool = True
) -> tuple[str, str | None, str | None, str | None, str | None]:
    """A full HTML page -> (body text, title, byline, published string, canonical url) from the page.

    The published string is `page_published`'s, else (with `date_fallback`) a date line printed in the
    article block, else `htmldate_published`'s. With `tables` (the default) tables are sorted by `prepare_tables` and data
    tables kept; without, every table is dropped, as trafilatura does with include_tables=False."""
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
        published = _printed_date(tree) or htmldate_published(tree, url)
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
    return _table_lines(doc.text), doc.title or head_title, doc.author, published, page_url


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
    if m := _DATELINE_LEAD.match(line):  # "New Delhi, Nov 20 (PTI): ", with its date and agency
        line = line[m.end() :]
    elif dateline and line.startswith(dateline):
        line = line[len(dateline) :].lstrip(" ,:").lstrip()
    m = (_LEAD_END_HI if re.search("[\u0900-\u097f]", line) else _LEAD_END).search(line)
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
        if _FULL_PAGE.search(raw_html):
            body, page_title, author, page_published, page_url = page_to_text(raw_html, article.raw_url)
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
        elif (
            (m := _BYLINE.match(line) or _BYLINE_HI.match(line))
            and len(m.group("name").split()) <= 8
            and not _NOT_A_NAME.match(m.group("name"))
        ):
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
        dateline = m.group("place") or m.group("place_hi")

    text = "\n\n".join(lines)
    if title is None and lines and (title := lead_title(lines[0], dateline)):
        title_source = "lead"
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
