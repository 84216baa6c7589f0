"""Response bodies: decompression that never exceeds a size cap, and binary content recognised.

What it does: decodes a gzip/deflate `Content-Encoding` chunk by chunk without producing more than
the cap in all (`BoundedDecoder`: a decompression bomb stops at the cap, memory bounded by it), and
tells binary data (PDF, images, archives, executables, NUL bytes) from text whatever the server
declared (`binary_kind`).

What it does not: it decodes no character set (`pipeline.decoding` does) and fetches nothing.
"""

from __future__ import annotations

import zlib
from typing import Any


class BoundedDecoder:
    """Content-Encoding decoder that never produces more than `limit` bytes in all (bomb-proof)."""

    def __init__(self, encoding: str, limit: int):
        self.encoding = encoding
        self.limit = limit
        self.produced = 0
        self._obj = self._new()

    def _new(self) -> Any:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.encoding == "deflate":
            return zlib.decompressobj()
        return None

    def _decompress(self, data: bytes, first: bool) -> bytes:
        try:
            return self._obj.decompress(data, self.limit - self.produced + 1)
        except zlib.error:
            if self.encoding == "deflate" and self.produced == 0 and first:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
                return self._obj.decompress(data, self.limit - self.produced + 1)
            raise

    def feed(self, data: bytes) -> bytes:
        if self._obj is None:
            self.produced += len(data)
            return data
        out: list[bytes] = []
        while data:
            chunk = self._decompress(data, not out)
            self.produced += len(chunk)
            out.append(chunk)
            if self.produced > self.limit:
                break
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._obj.unused_data:  # a second gzip member
                data = self._obj.unused_data
                self._obj = self._new()
        return b"".join(out)


_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP/WAV/AVI)"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"Rar!", "a RAR archive"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
)
_BINARY_TYPES = tuple(
    "image/ audio/ video/ font/ application/pdf application/zip application/gzip application/x-gzip "
    "application/x-tar application/x-7z application/vnd.ms- application/msword "
    "application/vnd.openxmlformats".split()
)


def binary_kind(content: bytes, content_type: str | None) -> str | None:
    """What binary thing `content` is ('a PDF document', ...), or None if it looks like text."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if ctype.startswith(_BINARY_TYPES):
        return f"a {ctype} file"
    head = content[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        return None  # UTF-16 text: NUL bytes are expected
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    return None
