"""Tables in an HTML page, sorted before the article's text is extracted.

What it does: tells the three kinds of `<table>` apart — layout tables that hold the article's prose,
debris (link lists, share bars, spacers) and data tables (a grid of short cells) — and rewrites the
page tree accordingly (`prepare_tables`); turns the rows the extractor renders ("| a | b |") into plain
lines (`table_lines`).

What it does not: it extracts no text itself (trafilatura does, in the clean stage).
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"\w+")
_SENTENCE_WORDS = 12  # a cell with a sentence this long is prose, not a data cell
_TABLE_ROW_LINE = re.compile(r"^\|(.*)\|\s*$")
_TABLE_RULE_LINE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")


def _own(el, table) -> bool:
    """Whether `el` belongs to `table` itself, not to a table nested in it."""
    return next(el.iterancestors("table"), None) is table


def _is_prose(table) -> bool:
    """Whether a table lays out running text: cells with blocks in them, or long sentences in one
    column or in at most two cells."""
    cells = [c for c in table.iter("td", "th") if _own(c, table)]
    rows = [r for r in table.iter("tr") if _own(r, table)]
    blocks = any(c.find(".//p") is not None or c.find(".//div") is not None for c in cells)
    long_cell = any(
        len(_WORDS.findall(c.text_content())) >= _SENTENCE_WORDS and re.search(r"[.!?।]", c.text_content())
        for c in cells
    )
    one_column = bool(rows) and len(cells) <= len(rows)
    return bool(blocks or (one_column and long_cell) or (long_cell and len(cells) <= 2))


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
        elif _is_prose(table):
            counts["prose"] += 1
            for el in table.iter("td", "th", "tr", "tbody", "thead", "tfoot", "caption"):
                if _own(el, table):  # a nested data table stays a table
                    el.tag = "div"
            table.tag = "div"
        else:
            counts["data"] += 1
    return counts


def table_lines(text: str) -> str:
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
