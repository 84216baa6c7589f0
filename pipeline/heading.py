"""The top of an article's text: headline, byline, printed publication date and dateline.

What it does: recognises these lines where outlets print them, at the top of the cleaned text, and
lifts them out as fields (`read_head`); gives an untitled article a title from its first sentence
(`lead_title`). The patterns are shared with the page-date search (`pipeline.pagedates`) and the dates
stage (the dateline).

What it does not: it never parses a date into a value (the dates stage does), and it reads text
lines only (no markup).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_TIME = (
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[AaPp]\.?\s?[Mm]\.?)?"
    r"(?:\s*\(?(?:IST|GMT|UTC|[A-Z]{3,4}|[+-]\d{2}:?\d{2})\)?)?)?"
)
_MONTH_HI = (
    "(?:जनवरी|फरवरी|फ़रवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर)"
)
# A line that is only a printed publication date: "Nov 20, 2024 10:04 PM IST", "Updated: 20 November 2024",
# "प्रकाशित: 20 नवंबर 2024".
# Government press releases print "Posted On: 01 AUG 2025 5:10PM by PIB Delhi" (Hindi: "प्रविष्टि तिथि:",
# "द्वारा पोस्ट किया गया:"): capitals in the month, and the issuing office after "by".
DATE_LINE = re.compile(
    r"^(?:(?:published|updated|last updated|first published|posted)(?:\s+on)?\s*:?\s*|"
    r"(?:प्रकाशित|अपडेटेड|अपडेट|प्रकाशन तिथि|प्रविष्टि तिथि|(?:द्वारा\s+)?पोस्ट किया गया)(?:\s+तिथि)?\s*:?\s*)?"
    r"(?:[A-Z][a-z]+day,?\s+)?"
    rf"(?P<date>(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|"
    rf"\d{{1,2}}\s+{_MONTH_HI},?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}){_TIME})(?:\s+(?:by|द्वारा)\s+\S[^\n]{{0,40}}?)?\s*$",
    re.I,
)
# "New Delhi:" alone on a line, or "NEW DELHI:" / "New Delhi, Nov 20 (PTI):" opening the first paragraph.
_DATELINE_ALONE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.]*(?:[ -][A-Z][A-Za-z.]*){0,3}|[\u0900-\u097F]+(?: [\u0900-\u097F]+){0,2})\s*:$"
)
_AGENCY = r"\((?:PTI|ANI|IANS|Reuters|AP|AFP)\)"
# A dash ends the dateline too ("NEW DELHI, Feb 20 (PTI) – ..."), but only after a date or an agency.
DATELINE_LEAD = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.]*(?:[ -][A-Z][A-Za-z.]*){0,3})"
    rf"(?:(?:,\s*{_MONTH}\s+\d{{1,2}})?(?:\s*{_AGENCY})?\s*:"
    rf"|(?:,\s*{_MONTH}\s+\d{{1,2}}(?:\s*{_AGENCY})?|\s*{_AGENCY})"
    r"\s+[-–—])\s+(?=\S)"
    # Hindi wire copy: "नई दिल्ली, 20 फरवरी (भाषा) ...", "लेह, 5 मार्च (आईएएनएस): ..."
    rf"|^(?P<place_hi>[\u0900-\u097F]+(?: [\u0900-\u097F]+){{0,2}}),\s*\d{{1,2}}\s+{_MONTH_HI}"
    r"(?:\s*\((?:भाषा|वार्ता|एजेंसी|आईएएनएस|पीटीआई|एएनआई|यूएनआई)\))?\s*[:।|–—-]?\s+(?=\S)"
)
# How many lines at the top are looked at for these fields.
HEAD_LINES = 6


@dataclass
class Head:
    """The fields the top of the text may give, as known before it is read (None: not known yet)."""

    title: str | None = None
    title_source: str | None = None
    byline: str | None = None
    published: str | None = None
    published_source: str | None = None
    dateline: str | None = None


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


def _same_text(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return re.sub(r"\W+", "", s.lower())

    return key(a) == key(b)


def _byline(line: str) -> str | None:
    """The name of a byline line ("By ...", "द्वारा: ..."), or None when the line is not one."""
    m = _BYLINE.match(line) or _BYLINE_HI.match(line)
    if m and len(m.group("name").split()) <= 8 and not _NOT_A_NAME.match(m.group("name")):
        return m.group("name").strip()
    return None


def read_head(lines: list[str], head: Head) -> list[str]:
    """Take the headline, byline, printed date and dateline off the top of `lines` (edited in place,
    and returned) into `head`; a field already known is kept, and its line still removed. A dateline
    alone on its line is joined to the paragraph it opens ("New Delhi: ...")."""
    headline_taken = False
    scanned = 0
    while lines and scanned < HEAD_LINES:
        line = lines[0]
        scanned += 1
        if head.title and _same_text(line, head.title):
            lines.pop(0)
        elif (name := _byline(line)) is not None:
            head.byline = head.byline or name
            lines.pop(0)
        elif m := DATE_LINE.match(line):
            if not head.published:
                head.published, head.published_source = m.group("date"), "text"
            lines.pop(0)
        elif (m := _DATELINE_ALONE.match(line)) and len(lines) > 1:
            head.dateline = m.group("place")
            lines.pop(0)
            lines[0] = f"{head.dateline}: {lines[0]}"
            break
        elif head.title is None and not headline_taken and _is_headline(line, lines[1:]):
            head.title, head.title_source = line, "text"
            headline_taken = True
            lines.pop(0)
        else:
            break
    if head.dateline is None and lines and (m := DATELINE_LEAD.match(lines[0])):
        head.dateline = m.group("place") or m.group("place_hi")
    return lines


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
    if m := DATELINE_LEAD.match(line):  # "New Delhi, Nov 20 (PTI): ", with its date and agency
        line = line[m.end() :]
    elif dateline and line.startswith(dateline):
        line = line[len(dateline) :].lstrip(" ,:").lstrip()
    m = (_LEAD_END_HI if re.search("[\u0900-\u097f]", line) else _LEAD_END).search(line)
    sentence = (line[: m.start() + 1] if m else line).strip()
    if len(sentence) > LEAD_TITLE_CHARS:
        sentence = sentence[:LEAD_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence or None
