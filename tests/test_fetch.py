"""Pure parts of the fetch stage: which addresses are refused, binary sniffing, bomb-proof decoding."""

from __future__ import annotations

import gzip
import zlib

import pytest

from pipeline.fetch import _BoundedDecoder, binary_kind, forbidden_reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoint
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "shared (carrier-grade NAT)"),
        ("255.255.255.255", "private"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback (IPv4 127.0.0.1 inside IPv6)"),
        ("::ffff:10.0.0.5", "private (IPv4 10.0.0.5 inside IPv6)"),
        ("::ffff:169.254.169.254", "link-local (IPv4 169.254.169.254 inside IPv6)"),
        ("64:ff9b::a00:1", "private (IPv4 10.0.0.1 inside IPv6)"),
        ("2002:7f00:1::", "loopback (IPv4 127.0.0.1 inside IPv6)"),
        ("::127.0.0.1", "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ],
)
def test_non_public_addresses_are_refused_with_their_kind(address, reason):
    assert forbidden_reason(address) == reason


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "151.101.1.69", "2606:4700::1111", "::ffff:8.8.8.8", "2a00:1450:4009:81f::200e"]
)
def test_public_addresses_are_allowed(address):
    assert forbidden_reason(address) is None


@pytest.mark.parametrize(
    ("content", "content_type", "kind"),
    [
        (b"%PDF-1.7\n...", "text/html", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n....", "text/html; charset=utf-8", "a PNG image"),
        (b"PK\x03\x04....", "application/rss+xml", "a ZIP archive (or Office document)"),
        (b"\x7fELF\x02\x01", "text/xml", "an ELF executable"),
        (b"<html>\x00\x01\x02</html>", "text/html", "binary data (NUL bytes)"),
        (b"<html></html>", "image/jpeg", "a image/jpeg file"),
        (b"<html></html>", "application/pdf", "a application/pdf file"),
    ],
)
def test_binary_content_is_recognised_whatever_the_declared_type(content, content_type, kind):
    assert binary_kind(content, content_type) == kind


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"<?xml version='1.0'?><rss/>", "application/rss+xml"),
        ("<?xml version='1.0' encoding='utf-16'?><rss/>".encode("utf-16"), "text/xml"),
        ("<?xml version='1.0' encoding='utf-16le'?><rss/>".encode("utf-16-le"), "text/xml"),
        ("<html><body>भारत</body></html>".encode(), "text/html"),
        (b"<rss/>", None),
        (b"<rss/>", "application/octet-stream"),
    ],
)
def test_text_content_is_not_binary(content, content_type):
    assert binary_kind(content, content_type) is None


def test_gzip_bomb_decoding_stops_just_past_the_limit():
    bomb = gzip.compress(b"\0" * 20_000_000)
    decoder = _BoundedDecoder("gzip", 1_000_000)
    out = decoder.feed(bomb)
    assert (len(bomb) < 30_000, len(out), decoder.produced) == (True, 1_000_001, 1_000_001)


def test_gzip_body_under_the_limit_is_decoded_whole_even_in_small_chunks():
    body = ("सीमा वार्ता " * 5000).encode()
    packed = gzip.compress(body)
    decoder = _BoundedDecoder("gzip", 10_000_000)
    out = b"".join(decoder.feed(packed[i : i + 100]) for i in range(0, len(packed), 100))
    assert out == body


def test_raw_deflate_is_accepted_like_zlib_deflate():
    body = b"<rss>" + b"x" * 1000 + b"</rss>"
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    packed = raw.compress(body) + raw.flush()
    assert _BoundedDecoder("deflate", 10_000).feed(packed) == body
    assert _BoundedDecoder("deflate", 10_000).feed(zlib.compress(body)) == body


def test_two_gzip_members_are_both_decoded():
    assert _BoundedDecoder("gzip", 100).feed(gzip.compress(b"abc") + gzip.compress(b"def")) == b"abcdef"


def test_the_fetcher_ignores_proxies_from_the_environment(http_server, monkeypatch):
    from dataclasses import replace

    from pipeline.fetch import Fetcher
    from pipeline.settings import Settings
    from tests.conftest import LocalHTTPServer

    url = http_server.add("/feed.xml", b"<rss/>")
    with LocalHTTPServer() as proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy"):
            monkeypatch.setenv(name, proxy.base_url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with Fetcher(replace(Settings.from_env({}), allow_private_networks=True)) as fetcher:
            assert fetcher.get(url).content == b"<rss/>"
        assert (proxy.hits, http_server.hits) == ({}, {"/feed.xml": 1})


@pytest.mark.parametrize(
    "host", ["[2002:7f00:1::1]", "[::ffff:100.64.0.1]", "100.64.0.1", "[64:ff9b::7f00:1]", "[fe80::1]"]
)
def test_the_fetcher_refuses_every_non_public_class_before_connecting(host):
    from pipeline.errors import BadInputError
    from pipeline.fetch import Fetcher
    from pipeline.settings import Settings

    with Fetcher(Settings.from_env({})) as fetcher, pytest.raises(BadInputError, match="non-public address"):
        fetcher.get(f"http://{host}:9/feed.xml", feed="f")
