"""The publication date an HTML page states for its own article.

What it does: reads, most trustworthy first, JSON-LD `datePublished` of an Article-type object, the
`<meta>` keys publishers use, `itemprop="datePublished"`, JSON-LD of another object and a `<time>` in
the article's own block (`page_published`); then, as fallbacks for the clean stage, a date line printed
in the article block (`printed_date`) and htmldate over a copy of the page without the blocks that are
not the article (`htmldate_published`). Timestamps in comments, sidebars, related stories and other
blocks that are not the article are never taken for the article's.

What it does not: it returns the date as the page prints it (a string); the dates stage parses it.
"""

from __future__ import annotations

import json
import re

from pipeline.heading import DATE_LINE

# Names of <meta> keys that carry the article's own publication time, most specific first.
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
_PUBLISHED_META_RANK = {key: rank for rank, key in enumerate(_PUBLISHED_META)}
# JSON-LD types that are the article itself (schema.org Article and its news/blog subtypes).
_ARTICLE_TYPE = re.compile(r"(?:Article|BlogPosting|LiveBlogPosting|Report)$")
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
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
SKIP_ANCESTORS = {"html", "body", "head"}
_MAIN_CONTENT = "//article|//main|//*[@itemprop='articleBody']|//*[@role='main']|//*[@role='article']"
_UPDATED = re.compile(r"updat|modif|edit", re.I)
_UPDATED_TEXT = re.compile(r"(?:updated|modified|edited|अपडेट|संशोधित)\W*(?:on|at)?\W*$", re.I)
# htmldate, as the last resort for the date: metadata, URL and markup only (its extensive search over
# the page's text would read comment and sidebar dates as the article's).
HTMLDATE_PARAMS = {"extensive_search": False, "original_date": True}


def _outside_article(node, stop=None) -> bool:
    """Whether `node` lies in a block that is not the article (comments, sidebar, related links...);
    with `stop`, only the blocks below that element (already known to be the article) count."""
    for anc in node.iterancestors():
        if anc is stop:
            return False
        if isinstance(anc.tag, str) and anc.tag not in SKIP_ANCESTORS and not_article_block(anc):
            return True
    return False


def _walk_jsonld(obj, depth: int, article: list, other: list) -> None:
    """Collect (depth, datePublished) of the objects in a JSON-LD value, the article type's apart."""
    if depth > 6:
        return
    if isinstance(obj, list):
        for item in obj:
            _walk_jsonld(item, depth, article, other)
    elif isinstance(obj, dict):
        kinds = obj.get("@type") or ""
        kinds = kinds if isinstance(kinds, list) else [kinds]
        value = obj.get("datePublished") or obj.get("dateCreated")
        if isinstance(value, str) and value.strip():
            is_article = any(isinstance(k, str) and _ARTICLE_TYPE.search(k) for k in kinds)
            (article if is_article else other).append((depth, value.strip()))
        for key, child in obj.items():
            if key == "@graph":
                _walk_jsonld(child, depth, article, other)  # the graph's members are top-level objects
            elif isinstance(child, dict | list):
                _walk_jsonld(child, depth + 1, article, other)  # nested: a part of the page, a related item


def _jsonld_dates(tree) -> tuple[str | None, str | None]:
    """(datePublished of the article object, datePublished of any other object) from the JSON-LD blocks."""
    article: list = []
    other: list = []
    for node in tree.iter("script"):
        if "ld+json" not in (node.get("type") or "").lower() or not node.text:
            continue
        try:
            _walk_jsonld(json.loads(node.text, strict=False), 0, article, other)
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


def not_article_block(el) -> bool:
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


def main_scopes(tree) -> list:
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
    return [body] + ([parent] if parent is not None and parent.tag not in SKIP_ANCESTORS else [])


def _says_updated(t) -> bool:
    """Whether a <time> is marked, or introduced by its text, as an update rather than the publication."""
    if _UPDATED.search(f"{t.get('class') or ''} {t.get('itemprop') or ''}"):
        return True
    previous, parent = t.getprevious(), t.getparent()
    before = (previous.tail if previous is not None else parent.text if parent is not None else None) or ""
    return bool(_UPDATED_TEXT.search(before[-40:]))


def _article_time(tree) -> str | None:
    """The `<time datetime>` of the article itself (see `main_scopes`), never one in comments,
    sidebars or related links inside it; a publication time before an "updated" one."""
    for scope in main_scopes(tree):
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


def printed_date(tree) -> str | None:
    """A date line printed in the article's own block ("Published: Dec 31, 2024, 10:04 PM IST",
    "प्रकाशित: 25 मार्च 2024"), which extractors often drop with the page chrome around it."""
    for scope in main_scopes(tree)[:2]:  # the article block, and its parent (where headers sit)
        for el in scope.iter("div", "span", "p", "time", "small", "em", "li", "dd"):
            text = " ".join(el.text_content().split())
            if 6 <= len(text) <= 90 and (m := DATE_LINE.match(text)) and not _outside_article(el, stop=scope):
                return m.group("date")
    return None


def htmldate_published(tree, url: str | None = None) -> str | None:
    """htmldate's date for the page, from a copy without the blocks that are not the article (comments,
    sidebars, related stories: htmldate would read their timestamps as the article's), with its
    extensive search over the text off; a day "YYYY-MM-DD" or None."""
    import copy

    from htmldate import find_date

    pruned = copy.deepcopy(tree)
    scopes = main_scopes(pruned)
    keep = [*scopes[-1:], *(scopes[-1].iterancestors() if scopes else ())]  # the article, however it is named
    for el in [
        el
        for el in pruned.iter()
        if isinstance(el.tag, str)
        and el.tag not in SKIP_ANCESTORS
        and not_article_block(el)
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
