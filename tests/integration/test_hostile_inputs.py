"""Hostile and broken input over real HTTP on 127.0.0.1: each gets a clear error (or a sane result) in
bounded time. The batch-level behaviour (dead-letter records, the good feeds still land) is checked
through the real ingest DAG at the end of this file."""

from __future__ import annotations

import gzip
import time
from dataclasses import replace

import pytest

from pipeline.errors import BadInputError, TransientError
from pipeline.feeds import read_feed
from pipeline.fetch import Fetcher
from tests.integration.servers import (
    RawServer,
    drips_body,
    drips_headers,
    free_port,
    never_answers,
    streams_forever,
)

RSS_ITEM = "<item><title>{title}</title><link>{link}</link></item>"


def rss(items: str = "") -> bytes:
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


@pytest.fixture
def fast(settings):
    """Short limits so every hostile case ends quickly: 1 s per read, 3 s in all, 5 MB bodies."""
    return replace(settings, fetch_timeout=1.0, fetch_connect_timeout=1.0, fetch_deadline=3.0, fetch_max_bytes=5_000_000)


@pytest.fixture
def strict(fast):
    """The production default: private and loopback destinations refused."""
    return replace(fast, allow_private_networks=False)


def fetch(settings, url, **kw):
    with Fetcher(settings) as fetcher:
        return fetcher.get(url, feed="hostile", **kw)


# --- HTTP errors and dead servers -------------------------------------------------------------------

def test_http_404_is_permanent_and_names_the_url(fast, http_server):
    url = http_server.add("/gone.xml", "nope", status=404, content_type="text/plain")
    with pytest.raises(BadInputError) as info:
        fetch(fast, url)
    assert str(info.value) == f"[fetch] HTTP 404; check the URL in the feed list (the page may have moved or gone) (feed=hostile, item={url})"


@pytest.mark.parametrize("status", [500, 503])
def test_http_5xx_is_transient_for_airflow_to_retry(fast, http_server, status):
    url = http_server.add("/down.xml", "down", status=status, content_type="text/plain", headers={"Retry-After": "120"})
    with pytest.raises(TransientError) as info:
        fetch(fast, url)
    assert info.value.message == f"HTTP {status} from the server (server asks to retry after 120); retried later"


def test_connection_refused_is_transient(fast):
    with pytest.raises(TransientError, match=r"\[fetch\] network error: ConnectError: .*refused.*; retried later"):
        fetch(fast, f"http://127.0.0.1:{free_port()}/feed.xml")


def test_server_that_never_answers_times_out_after_the_read_timeout(fast):
    with RawServer(never_answers) as server:
        t0 = time.monotonic()
        with pytest.raises(TransientError, match=r"timed out after 1\.\d s \(ReadTimeout, limit 1 s per read\); retried later"):
            fetch(fast, server.url)
        assert time.monotonic() - t0 < 2.5


def test_body_dripping_a_byte_a_second_is_cut_at_the_total_deadline(fast):
    with RawServer(lambda c: drips_body(c, interval=1.0)) as server:
        t0 = time.monotonic()
        with pytest.raises(TransientError, match=r"total time limit of 3 s exceeded \(server too slow"):
            fetch(fast, server.url)
        assert 2.9 < time.monotonic() - t0 < 4.5


def test_headers_dripping_a_byte_a_second_are_cut_at_the_total_deadline(fast):
    with RawServer(lambda c: drips_headers(c, interval=1.0)) as server:
        t0 = time.monotonic()
        with pytest.raises(TransientError, match=r"total time limit of 3 s exceeded"):
            fetch(fast, server.url)
        assert time.monotonic() - t0 < 4.5


# --- Redirects and SSRF --------------------------------------------------------------------------

def test_redirect_loop_is_detected_and_shown(fast, http_server):
    a = http_server.add("/a", status=302, headers={"Location": "/b"})
    b = http_server.add("/b", status=301, headers={"Location": "/a"})
    with pytest.raises(BadInputError) as info:
        fetch(fast, a)
    assert info.value.message == f"redirect loop: {a} -> {b} -> {a}; fix the URL in the feed list"
    assert http_server.hits == {"/a": 1, "/b": 1}


def test_too_many_redirects_stop_at_the_limit(fast, http_server):
    for n in range(10):
        http_server.add(f"/r{n}", status=307, headers={"Location": f"/r{n + 1}"})
    with pytest.raises(BadInputError, match=r"more than 5 redirects: .*/r0 -> .*/r5; put the final URL in the feed list"):
        fetch(fast, http_server.url("/r0"))
    assert sum(http_server.hits.values()) == 6


def test_redirects_are_followed_to_the_feed(fast, http_server):
    http_server.add("/old", status=301, headers={"Location": "/new.xml"})
    final = http_server.add("/new.xml", rss(RSS_ITEM.format(title="A", link="https://e.com/1")))
    result = fetch(fast, http_server.url("/old"))
    assert (result.url, result.status, result.redirects, len(read_feed(result.content, feed_name="f").articles)) == (
        final, 200, (http_server.url("/old"),), 1)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "2130706433", "127.1", "0.0.0.0"])
def test_loopback_in_any_spelling_is_refused_by_default_before_connecting(strict, http_server, host):
    http_server.add("/feed.xml", rss())
    url = f"http://{host}:{http_server.httpd.server_address[1]}/feed.xml"
    with pytest.raises(BadInputError, match=r"refusing to fetch .*resolves to a non-public address: .*\((loopback|unspecified)"):
        fetch(strict, url)
    assert http_server.hits == {}


def test_feed_allowed_on_a_private_host_cannot_redirect_to_another_private_host(strict, http_server):
    from tests.conftest import LocalHTTPServer

    with LocalHTTPServer() as internal:
        secret = internal.add("/latest/meta-data", "instance secrets", content_type="text/plain")
        target = secret.replace("127.0.0.1", "localhost")
        start = http_server.add("/feed.xml", status=302, headers={"Location": target})
        with pytest.raises(BadInputError) as info:
            fetch(strict, start, allow_private=True)
        assert info.value.message.startswith(f"refusing to fetch {target} after redirect from {start}: localhost resolves to a non-public address")
        assert (http_server.hits, internal.hits) == ({"/feed.xml": 1}, {})


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1:70/", "http:///nohost"])
def test_only_http_and_https_urls_with_a_host_are_fetched(fast, url):
    with pytest.raises(BadInputError, match=r"\[fetch\] (refusing URL scheme|URL has no host name)"):
        fetch(fast, url)


def test_redirect_to_a_file_url_is_refused(fast, http_server):
    start = http_server.add("/feed.xml", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(BadInputError) as info:
        fetch(fast, start)
    assert info.value.message == f"refusing URL scheme 'file' (redirected from {start}): only http and https are fetched"


# --- Bodies: size, compression bombs, binary -------------------------------------------------------

def test_50_mb_page_with_its_length_declared_is_refused_before_reading(fast, http_server):
    url = http_server.add("/huge.html", b"<p>" + b"x" * 50_000_000 + b"</p>", content_type="text/html")
    with pytest.raises(BadInputError, match=r"body of 50,000,007 bytes exceeds the 5,000,000-byte limit \(BORDER_FETCH_MAX_BYTES\)"):
        fetch(fast, url)


def test_endless_page_without_length_is_cut_at_the_size_cap(fast):
    with RawServer(streams_forever) as server:
        t0 = time.monotonic()
        with pytest.raises(BadInputError, match=r"body exceeds the 5,000,000-byte limit"):
            fetch(fast, server.url)
        assert time.monotonic() - t0 < 3.5


def test_gzip_bomb_is_refused_at_the_cap(fast, http_server):
    bomb = gzip.compress(b" " * 200_000_000)  # 200 MB of spaces in about 200 kB
    url = http_server.add("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(BadInputError, match=r"body decompresses to more than the 5,000,000-byte limit \(.* bytes received, gzip\): refused as a decompression bomb"):
        fetch(fast, url)


def test_gzip_feed_is_decoded(fast, http_server):
    url = http_server.add("/feed.xml", gzip.compress(rss(RSS_ITEM.format(title="LAC", link="https://e.com/1"))), headers={"Content-Encoding": "gzip"})
    assert [a.raw_title for a in read_feed(fetch(fast, url).content, feed_name="f").articles] == ["LAC"]


def test_binary_file_served_as_html_is_refused(fast, http_server):
    url = http_server.add("/article.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 100, content_type="text/html; charset=utf-8")
    with pytest.raises(BadInputError) as info:
        fetch(fast, url)
    assert info.value.message == ("the server sent a PDF document (Content-Type text/html; charset=utf-8), not a feed or an "
                                  "article page; check the URL")


def test_html_served_instead_of_the_feed_is_a_clear_parse_error(fast, http_server):
    url = http_server.add("/feed.xml", b"<!DOCTYPE html><html><body><h1>We moved!</h1></body></html>", content_type="text/html")
    result = fetch(fast, url)
    with pytest.raises(BadInputError, match=r"^\[parse\] not a parsable feed: the server returned an HTML page, not RSS/Atom"):
        read_feed(result.content, feed_name="f", base_url=result.url, content_type=result.content_type)


def test_xxe_feed_over_http_never_reveals_the_file(fast, http_server):
    doc = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           b'<rss version="2.0"><channel><item><title>&xxe;</title><link>https://e.com/1</link></item></channel></rss>')
    result = fetch(fast, http_server.add("/xxe.xml", doc))
    with pytest.raises(BadInputError) as info:
        read_feed(result.content, feed_name="f")
    assert "root:" not in str(info.value)
