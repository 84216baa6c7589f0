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
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>t</title>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def fast(settings):
    """Short limits so every hostile case ends quickly: 1 s per read, 3 s in all, 5 MB bodies."""
    return replace(
        settings, fetch_timeout=1.0, fetch_connect_timeout=1.0, fetch_deadline=3.0, fetch_max_bytes=5_000_000
    )


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
    assert (
        str(info.value)
        == "[fetch] HTTP 404; check the URL in the feed list (the page may have moved or gone) "
        f"(feed=hostile, item={url})"
    )


@pytest.mark.parametrize("status", [500, 503])
def test_http_5xx_is_transient_for_airflow_to_retry(fast, http_server, status):
    url = http_server.add(
        "/down.xml", "down", status=status, content_type="text/plain", headers={"Retry-After": "120"}
    )
    with pytest.raises(TransientError) as info:
        fetch(fast, url)
    assert (
        info.value.message == f"HTTP {status} from the server (server asks to retry after 120); retried later"
    )


def test_connection_refused_is_transient(fast):
    with pytest.raises(
        TransientError, match=r"\[fetch\] network error: ConnectError: .*refused.*; retried later"
    ):
        fetch(fast, f"http://127.0.0.1:{free_port()}/feed.xml")


def test_server_that_never_answers_times_out_after_the_read_timeout(fast):
    with RawServer(never_answers) as server:
        t0 = time.monotonic()
        with pytest.raises(
            TransientError,
            match=r"timed out after 1\.\d s \(ReadTimeout, limit 1 s per read\); retried later",
        ):
            fetch(fast, server.url)
        assert time.monotonic() - t0 < 2.5


def test_body_dripping_a_byte_a_second_is_cut_at_the_total_deadline(fast):
    with RawServer(lambda c: drips_body(c, interval=1.0)) as server:
        t0 = time.monotonic()
        with pytest.raises(TransientError, match=r"total time limit of 3 s exceeded \(server too slow"):
            fetch(replace(fast, fetch_timeout=2.0), server.url)  # each read succeeds within its timeout
        assert 2.9 < time.monotonic() - t0 < 4.5


def test_headers_dripping_a_byte_a_second_are_cut_at_the_total_deadline(fast):
    with RawServer(lambda c: drips_headers(c, interval=1.0)) as server:
        t0 = time.monotonic()
        with pytest.raises(TransientError, match=r"total time limit of 3 s exceeded"):
            fetch(replace(fast, fetch_timeout=2.0), server.url)
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
    with pytest.raises(
        BadInputError, match=r"more than 5 redirects: .*/r0 -> .*/r5; put the final URL in the feed list"
    ):
        fetch(fast, http_server.url("/r0"))
    assert sum(http_server.hits.values()) == 6


def test_redirects_are_followed_to_the_feed(fast, http_server):
    http_server.add("/old", status=301, headers={"Location": "/new.xml"})
    final = http_server.add("/new.xml", rss(RSS_ITEM.format(title="A", link="https://e.com/1")))
    result = fetch(fast, http_server.url("/old"))
    assert (
        result.url,
        result.status,
        result.redirects,
        len(read_feed(result.content, feed_name="f").articles),
    ) == (final, 200, (http_server.url("/old"),), 1)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "2130706433", "127.1", "0.0.0.0"]
)
def test_loopback_in_any_spelling_is_refused_by_default_before_connecting(strict, http_server, host):
    http_server.add("/feed.xml", rss())
    url = f"http://{host}:{http_server.httpd.server_address[1]}/feed.xml"
    with pytest.raises(
        BadInputError,
        match=r"refusing to fetch .*resolves to a non-public address: .*\((loopback|unspecified)",
    ):
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
        assert info.value.message.startswith(
            f"refusing to fetch {target} after redirect from {start}: "
            "localhost resolves to a non-public address"
        )
        assert (http_server.hits, internal.hits) == ({"/feed.xml": 1}, {})


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1:70/", "http:///nohost"]
)
def test_only_http_and_https_urls_with_a_host_are_fetched(fast, url):
    with pytest.raises(BadInputError, match=r"\[fetch\] (refusing URL scheme|URL has no host name)"):
        fetch(fast, url)


def test_redirect_to_a_file_url_is_refused(fast, http_server):
    start = http_server.add("/feed.xml", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(BadInputError) as info:
        fetch(fast, start)
    assert (
        info.value.message
        == f"refusing URL scheme 'file' (redirected from {start}): only http and https are fetched"
    )


# --- Bodies: size, compression bombs, binary -------------------------------------------------------


def test_50_mb_page_with_its_length_declared_is_refused_before_reading(fast, http_server):
    url = http_server.add("/huge.html", b"<p>" + b"x" * 50_000_000 + b"</p>", content_type="text/html")
    with pytest.raises(
        BadInputError,
        match=r"body of 50,000,007 bytes exceeds the 5,000,000-byte limit \(BORDER_FETCH_MAX_BYTES\)",
    ):
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
    with pytest.raises(
        BadInputError,
        match=r"body decompresses to more than the 5,000,000-byte limit \(.* bytes received, gzip\): "
        r"refused as a decompression bomb",
    ):
        fetch(fast, url)


def test_gzip_feed_is_decoded(fast, http_server):
    url = http_server.add(
        "/feed.xml",
        gzip.compress(rss(RSS_ITEM.format(title="LAC", link="https://e.com/1"))),
        headers={"Content-Encoding": "gzip"},
    )
    assert [a.raw_title for a in read_feed(fetch(fast, url).content, feed_name="f").articles] == ["LAC"]


def test_binary_file_served_as_html_is_refused(fast, http_server):
    url = http_server.add(
        "/article.html",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 100,
        content_type="text/html; charset=utf-8",
    )
    with pytest.raises(BadInputError) as info:
        fetch(fast, url)
    assert info.value.message == (
        "the server sent a PDF document (Content-Type text/html; charset=utf-8), not a feed or an "
        "article page; check the URL"
    )


def test_html_served_instead_of_the_feed_is_a_clear_parse_error(fast, http_server):
    url = http_server.add(
        "/feed.xml", b"<!DOCTYPE html><html><body><h1>We moved!</h1></body></html>", content_type="text/html"
    )
    result = fetch(fast, url)
    with pytest.raises(
        BadInputError, match=r"^\[parse\] not a parsable feed: the server returned an HTML page, not RSS/Atom"
    ):
        read_feed(result.content, feed_name="f", base_url=result.url, content_type=result.content_type)


def test_xxe_feed_over_http_never_reveals_the_file(fast, http_server):
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><item><title>&xxe;</title><link>https://e.com/1</link></item></channel></rss>'
    )
    result = fetch(fast, http_server.add("/xxe.xml", doc))
    with pytest.raises(BadInputError) as info:
        read_feed(result.content, feed_name="f")
    assert "root:" not in str(info.value)


# --- The batch goes on: every hostile feed and page through the real ingest DAG ---------------------

SEED_ITEM = """<item><title>India, China hold border talks on the LAC: {topic}</title><link>{link}</link>
<pubDate>{date}</pubDate><content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"""
TEXTS = {
    "depsang": (
        "Depsang",
        "Indian and Chinese military commanders held talks on disengagement at Depsang and Demchok along the "
        "Line of Actual Control in eastern Ladakh, the Army said. Both sides agreed to verify the pullback.",
    ),
    "tawang": (
        "Tawang",
        "India and China discussed the situation in the Tawang sector of Arunachal Pradesh at the WMCC "
        "meeting in Beijing; the Ministry of External Affairs said the Line of Actual Control must be "
        "respected.",
    ),
    "galwan": (
        "Galwan",
        "Five years after the Galwan clash, the Indian Army and the People's Liberation Army of China "
        "resumed coordinated patrolling in eastern Ladakh, officials in New Delhi said on the border "
        "agreement.",
    ),
}


def seed_item(key: str, link: str, date: str, text_suffix: str = "") -> str:
    topic, text = TEXTS[key]
    return SEED_ITEM.format(topic=topic, link=link, date=date, text=text + text_suffix)


def _page_feed(http_server) -> bytes:
    pages = {
        "huge": (b"<html><body><p>" + b"x" * 50_000_000 + b"</p></body></html>", "text/html"),
        "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64, "text/html; charset=utf-8"),
        "nested": (
            (
                "<html><body>"
                + "<div>" * 50_000
                + "India and China discussed the LAC at Depsang."
                + "</div>" * 50_000
                + "</body></html>"
            ).encode(),
            "text/html",
        ),
        "scripts": (
            (
                "<html><head><script>var x = 1;</script></head><body>"
                + "<script>track()</script>" * 500
                + "</body></html>"
            ).encode(),
            "text/html",
        ),
        "oneline": (
            (
                "<html><body><article><p>"
                + "India and China held border talks on the LAC at Depsang. " * 8000
                + "</p></article></body></html>"
            ).encode(),
            "text/html",
        ),
    }
    items = []
    for name, (body, ctype) in pages.items():
        link = http_server.add(f"/p/{name}", body, content_type=ctype)
        items.append(
            f"<item><title>Page {name}</title><link>{link}</link>"
            f"<description>Summary of {name}.</description></item>"
        )
    return rss("".join(items))


def test_hostile_feeds_and_pages_are_dead_lettered_and_the_good_feeds_land(
    dag_env, monkeypatch, settings, es, http_server
):
    from tests.conftest import SEEDS
    from tests.integration.conftest import counts, run_dag, run_record

    never, drip = RawServer(never_answers), RawServer(lambda c: drips_body(c, interval=1.0))
    billion = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<rss version="2.0"><channel><item><title>&c;</title></item></channel></rss>'
    )
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><item><title>&xxe;</title><link>https://e.com/x</link></item></channel></rss>'
    )
    truncated = rss(
        seed_item("depsang", "https://fixtures.example/t/1", "Wed, 20 Nov 2024 10:00:00 +0530")
        + seed_item("depsang", "https://fixtures.example/t/2", "Wed, 20 Nov 2024 11:00:00 +0530")
    )
    truncated = truncated[: truncated.index(b"https://fixtures.example/t/2") + 10]
    bad_bytes = rss(
        seed_item("tawang", "https://fixtures.example/enc/1", "Wed, 20 Nov 2024 10:00:00 +0530", " QQok")
    ).replace(b"QQok", b"\x93ok\x94")
    future = rss(
        seed_item("galwan", "https://fixtures.example/future/1", "Thu, 01 Jan 2150 00:00:00 +0000")
        + "<item><title>India and China border talks at Depsang on the LAC, no link, no date</title>"
        "<content:encoded>India and China held talks on the LAC at Depsang in eastern Ladakh; "
        "patrolling resumes.</content:encoded></item>"
    )
    many = rss(
        "".join(
            f"<item><title>Item {i}</title><link>https://fixtures.example/many/{i}</link>"
            f"<content:encoded>Cricket score {i}.</content:encoded></item>"
            for i in range(10_000)
        )
    )
    internal = http_server.url("/internal").replace("127.0.0.1", "localhost")
    with never, drip:
        feeds = [
            ("seeds", http_server.add("/feed.xml", (SEEDS / "feed.xml").read_bytes()), False),
            ("http404", http_server.add("/404.xml", "gone", status=404, content_type="text/plain"), False),
            ("http503", http_server.add("/503.xml", "busy", status=503, content_type="text/plain"), False),
            ("refused", f"http://127.0.0.1:{free_port()}/feed.xml", False),
            ("never-answers", never.url, False),
            ("drip", drip.url, False),
            ("redirect-loop", http_server.add("/loop", status=302, headers={"Location": "/loop2"}), False),
            ("redirect-private", http_server.add("/ssrf", status=302, headers={"Location": internal}), False),
            (
                "html",
                http_server.add(
                    "/html.xml", "<!DOCTYPE html><html><body>moved</body></html>", content_type="text/html"
                ),
                False,
            ),
            ("truncated", http_server.add("/truncated.xml", truncated), False),
            ("bad-bytes", http_server.add("/bad.xml", bad_bytes), False),
            ("empty", http_server.add("/empty.xml", rss()), False),
            ("future-nolink", http_server.add("/future.xml", future), False),
            ("many", http_server.add("/many.xml", many), False),
            ("billion-laughs", http_server.add("/lol.xml", billion), False),
            ("xxe", http_server.add("/xxe.xml", xxe), False),
            ("binary", http_server.add("/bin.xml", b"%PDF-1.4\n" + bytes(range(256)) * 10), False),
            ("pages", http_server.add("/pages.xml", _page_feed(http_server)), True),
        ]
        http_server.add("/loop2", status=302, headers={"Location": "/loop"})
        http_server.add("/internal", "secret", content_type="text/plain")
        dag_env(feeds)
        monkeypatch.setenv("BORDER_ALLOW_PRIVATE_NETWORKS", "false")  # each feed allows only its own host
        monkeypatch.setenv("BORDER_FETCH_TIMEOUT", "2")  # per read: longer than the drip's 1 s between bytes
        monkeypatch.setenv("BORDER_FETCH_DEADLINE", "3")
        monkeypatch.setenv("BORDER_FETCH_MAX_BYTES", "5000000")
        monkeypatch.setenv("BORDER_FEED_MAX_ENTRIES", "50")
        run = run_dag()

    es.indices.refresh(index=f"{settings.index_prefix}*")
    dead = {
        (d["_source"]["feed"], d["_source"]["stage"], d["_source"]["item"]): d["_source"]
        for d in es.search(index=settings.index("deadletter"), size=100)["hits"]["hits"]
    }
    by_feed = {}
    for (feed, stage, _item), doc in dead.items():
        by_feed.setdefault(feed, []).append((stage, doc["error"]))
    expected = {
        "http404": ("fetch", "HTTP 404"),
        "http503": ("fetch", "HTTP 503"),
        "refused": ("fetch", "ConnectError"),
        "never-answers": ("fetch", "timed out"),
        "drip": ("fetch", "total time limit of 3 s exceeded"),
        "redirect-loop": ("fetch", "redirect loop"),
        "redirect-private": ("fetch", "non-public address"),
        "html": ("parse", "HTML page"),
        "billion-laughs": ("parse", "billion laughs"),
        "xxe": ("parse", "XXE"),
        "binary": ("fetch", "PDF document"),
    }
    for feed, (stage, words) in expected.items():
        assert [(s, words in e) for s, e in by_feed[feed]] == [(stage, True)], (feed, by_feed.get(feed))
    assert (
        sorted(by_feed["truncated"]) == [("parse", by_feed["truncated"][0][1])]
        and "truncated" in by_feed["truncated"][0][1]
    )
    assert [("invalid utf-8" in e) for _, e in by_feed["bad-bytes"]] == [True]
    assert [("10000 entries, more than the 50-entry limit" in e) for _, e in by_feed["many"]] == [True]
    pages = sorted((stage, item.rsplit("/", 1)[-1]) for (feed, stage, item) in dead if feed == "pages")
    assert pages == [("clean", "oneline"), ("page", "binary"), ("page", "huge"), ("page", "scripts")]
    assert "seeds" not in by_feed and "empty" not in by_feed and "future-nolink" not in by_feed
    assert "root:" not in str(list(dead.values()))  # /etc/passwd never read
    assert http_server.hits.get("/internal") is None  # the SSRF target was never contacted

    # The good feeds landed: seeds, the complete truncated entry, the repaired one, both future/no-link
    # entries,
    # the capped 50 of "many", and the 5 page entries (kept with their summaries when the page failed).
    raw, indexed = counts(es, settings)
    assert raw == 5 + 1 + 1 + 2 + 50 + 5
    record = run_record(es, settings, run)
    print(f"run record: {record['message']}")
    assert (record["feeds_failed"], record["feeds_fetched"]) == (11, 7)
    docs = {
        h["_source"].get("url") or h["_source"]["title"]: h["_source"]
        for h in es.search(index=settings.read_alias, size=200)["hits"]["hits"]
    }
    assert docs["https://fixtures.example/future/1"]["published_at_source"] == "fetched"
    # Undated: published when first seen, so it is not invisible in time-filtered views.
    assert (
        docs["India and China border talks at Depsang on the LAC, no link, no date"]["published_at_source"]
        == "fetched"
    )
    assert "“ok”" in docs["https://fixtures.example/enc/1"]["text"]
    nested = es.get(index=settings.index("raw"), id=_raw_id(http_server.url("/p/nested")))["_source"]
    assert "Depsang" in nested["raw_html"]
    assert indexed == len(docs) == record["indexed"]


def _raw_id(url: str) -> str:
    from pipeline.article import Article
    from pipeline.ingest import entry_id

    return entry_id(Article(raw_url=url))
