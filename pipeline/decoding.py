"""Bytes of an HTML page -> text: the one decoding path for fetched pages, `.html` files and the `html`
of JSON Lines records (already text: only `html_text` applies).

The encoding is taken, in this order, from: a byte-order mark (UTF-8, UTF-16, UTF-32); the HTTP
`Content-Type` charset; a `<meta charset>` or `<meta http-equiv="Content-Type">` in the head; an XML
declaration `<?xml ... encoding="..."?>`; UTF-16 recognised by its NUL pattern when there is no BOM;
else UTF-8, with bytes that are not UTF-8 read as Windows-1252 one by one (what browsers use for
unlabelled Western pages). Labels are mapped as browsers map them (ISO-8859-1 and US-ASCII mean
Windows-1252; a `<meta>` that says UTF-16 in an ASCII-compatible head means UTF-8). A declared
encoding the bytes do not decode in gives way to the next candidate.

No statistical detector is used: charset-normalizer (installed with requests) read English
Windows-1252 pages as cp1250 and cp1255 (Hebrew) in our measurement, which corrupts every accented
letter, whereas the fallback above is right for every unlabelled page of the benchmark.

The text returned has no XML declaration: once decoded, a declared encoding is wrong, and lxml refuses
a `str` that carries one. Text that still contains NUL characters after decoding (binary data, UTF-32
without a mark) is refused with a `BadInputError` rather than passed on NUL-laced.
"""

from __future__ import annotations

import codecs
import re

from pipeline.errors import BadInputError

STAGE = "read"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the offending bytes as Windows-1252 (Latin-1 where it has a hole)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), exc.end


CP1252_FALLBACK = "border_cp1252"
codecs.register_error(CP1252_FALLBACK, _cp1252_fallback)

# How far into the document the declarations are looked for: browsers stop at 1,024 bytes; pages with
# long inline styles or scripts before the <meta> exist, so further.
HEAD_BYTES = 16_384
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00 starts both
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta\b[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]{1,40})""", re.I)
_XML_ENCODING = re.compile(
    rb"""^\s*<\?xml\b[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:\-]{1,40})["']""", re.I
)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:\-]{1,40})", re.I)
_WEB_ALIASES = {"latin_1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}
XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml\b[^>]*\?>", re.I)


def web_codec(label: str | None) -> str | None:
    """Python's codec for a charset label as browsers read it (ISO-8859-1 and ASCII mean Windows-1252),
    or None for an unknown label."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WEB_ALIASES.get(name, name)


def utf16_without_bom(content: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when `content` looks like UTF-16 without a byte-order mark, else None.

    Markup is mostly ASCII, so UTF-16 puts a NUL in every other byte: in the odd positions for
    little-endian, the even ones for big-endian, and almost never in the other parity.
    """
    head = content[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd > 0.6 and nul_even < 0.05:
        return "utf-16-le"
    if nul_even > 0.6 and nul_odd < 0.05:
        return "utf-16-be"
    return None


def utf16_by_nul_parity(content: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the NUL bytes of `content` all sit in one parity, as in UTF-16
    text without a byte-order mark (the high byte of every Latin character, space, digit and
    punctuation mark is NUL; Devanagari's is 0x09), else None. For plain text, where markup's mostly
    ASCII bytes cannot be relied on (`utf16_without_bom` is for pages)."""
    if len(content) < 2 or len(content) % 2:
        return None
    even, odd = content[0::2].count(0), content[1::2].count(0)
    enough = max(1, len(content) // 40)  # NUL in 1 code unit of 20 at least: spaces alone give more
    if odd >= enough and even <= odd // 50:
        return "utf-16-le"
    if even >= enough and odd <= even // 50:
        return "utf-16-be"
    return None


def html_text(text: str, item: str | None = None, stage: str = STAGE) -> str:
    """Decoded HTML made safe for lxml: XML declaration removed; NUL-laced text refused."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.lstrip()[:5].lower() == "<?xml":
        text = XML_DECLARATION.sub("", text, count=1)
    if "\x00" in text:
        nuls = text.count("\x00")
        raise BadInputError(
            stage,
            f"the page has {nuls:,} NUL characters after decoding: binary data or an "
            "encoding without a byte-order mark that cannot be recognised (UTF-32?)",
            item=item,
        )
    return text


def candidates(content: bytes, content_type: str | None = None) -> list[str]:
    """The codecs to try for `content`, most authoritative first (see the module docstring)."""
    names: list[str] = []
    for bom, name in _BOMS:
        if content.startswith(bom):
            names.append(name)
            break
    if m := _HTTP_CHARSET.search(content_type or ""):
        names.append(m.group(1))
    head = content[:HEAD_BYTES]
    ascii_compatible = not names or not names[0].startswith("utf-16")
    for pattern in (_META_CHARSET, _XML_ENCODING):
        if m := pattern.search(head):
            label = m.group(1).decode("ascii")
            # A UTF-16 label read from ASCII bytes cannot be right (the bytes would not be ASCII).
            names.append("utf-8" if label.lower().startswith("utf-16") and ascii_compatible else label)
    if guess := utf16_without_bom(content):
        names.append(guess)
    names.append("utf-8")
    codecs_ = [c for c in (web_codec(n) for n in names) if c]
    return list(dict.fromkeys(codecs_))


def decode_html(
    content: bytes, content_type: str | None = None, item: str | None = None, stage: str = STAGE
) -> str:
    """The text of an HTML page's bytes (see the module docstring); BadInputError only for NUL-laced text."""
    names = candidates(content, content_type)
    for n, name in enumerate(names):
        try:
            text = content.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" in text and n + 1 < len(names):
            continue  # a label that yields NUL-laced text is wrong when another candidate is left
        return html_text(text, item, stage)
    # Nothing decodes cleanly: the first candidate, with bad bytes as Windows-1252 when it is UTF-8.
    first = names[0]
    errors = CP1252_FALLBACK if first.startswith("utf-8") else "replace"
    return html_text(content.decode(first, errors=errors), item, stage)
