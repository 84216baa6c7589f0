"""Feed parsing on hostile and broken bytes: entities, encodings, truncation, size (pipeline/feeds.py)."""

from __future__ import annotations

import time

import pytest

from pipeline.errors import BadInputError
from pipeline.feeds import decode_feed, parse_feed, read_feed

RSS = (
    '<?xml version="1.0" encoding="{enc}"?><rss version="2.0"><channel><title>t</title>{items}'
    "</channel></rss>"
)


def rss(items: str, enc: str = "utf-8") -> str:
    return RSS.format(enc=enc, items=items)


def item(title: str, link: str | None = None, date: str | None = None) -> str:
    return (
        f"<item><title>{title}</title>"
        + (f"<link>{link}</link>" if link else "")
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + "</item>"
    )


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><rss version="2.0"><channel><item><title>&lol9;</title><link>https://e.com/1</link></item></channel></rss>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<rss version="2.0"><channel><item><title>&xxe;</title><link>https://e.com/1</link></item></channel></rss>'
)
XXE_PARAMETER = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>'
    b'<rss version="2.0"><channel><item><title>x</title></item></channel></rss>'
)


def test_billion_laughs_is_refused_without_expanding_anything():
    t0 = time.monotonic()
    with pytest.raises(
        BadInputError,
        match=r"\[parse\] feed refused: entity .lol1. refers to other entities: "
        r'an entity-expansion \("billion laughs"\) attempt',
    ):
        read_feed(BILLION_LAUGHS, feed_name="evil")
    assert time.monotonic() - t0 < 1.0


def test_external_entity_is_refused_and_the_file_is_never_read():
    with pytest.raises(BadInputError) as info:
        read_feed(XXE, feed_name="evil")
    assert "declares an external entity 'xxe' (file:///etc/passwd): an XXE attempt" in str(info.value)
    assert "root:" not in str(info.value)


def test_external_parameter_entity_is_refused():
    with pytest.raises(BadInputError, match="external entity 'remote'"):
        read_feed(XXE_PARAMETER, feed_name="evil")


def test_plain_text_entities_are_kept():
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY outlet "The Hindu">]>'
        b'<rss version="2.0"><channel><item><title>LAC&nbsp;talks, &outlet;</title><link>https://e.com/1</link></item></channel></rss>'
    )
    [article] = parse_feed(doc, feed_name="ok")
    assert article.raw_title == "LAC\xa0talks, The Hindu"


def test_rss091_public_doctype_is_not_fetched_and_parses():
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>t</title>'
        b"<item><title>A</title><link>https://e.com/1</link></item></channel></rss>"
    )
    assert [(a.raw_title, a.raw_url) for a in parse_feed(doc, feed_name="old")] == [("A", "https://e.com/1")]


def test_windows_1252_feed_is_decoded_correctly():
    doc = rss(item("“Galwan” – café"), enc="windows-1252").encode("cp1252")
    result = read_feed(doc, feed_name="f")
    assert (result.encoding, result.articles[0].raw_title, result.problems) == (
        "cp1252",
        "“Galwan” – café",
        [],
    )


def test_latin1_label_is_read_as_windows_1252_like_browsers_do():
    doc = rss(item("It’s Ladakh")).replace('encoding="utf-8"', 'encoding="ISO-8859-1"').encode("cp1252")
    assert parse_feed(doc, feed_name="f")[0].raw_title == "It’s Ladakh"


@pytest.mark.parametrize(
    ("enc", "title"),
    [
        ("koi8-r", "Пограничный"),
        ("shift_jis", "国境の交渉"),
        ("gb2312", "边境会谈"),
        ("iso-8859-7", "Σύνορα"),
    ],
)
def test_legacy_encodings_are_decoded_as_declared(enc, title):
    assert parse_feed(rss(item(title), enc=enc).encode(enc), feed_name="f")[0].raw_title == title


def test_utf16_feed_with_bom_is_decoded():
    assert (
        parse_feed(rss(item("सीमा वार्ता"), enc="utf-16").encode("utf-16"), feed_name="f")[0].raw_title
        == "सीमा वार्ता"
    )


def test_invalid_utf8_keeps_hindi_and_reads_the_stray_bytes_as_windows_1252():
    doc = rss(item("भारत चीन QxQ")).encode("utf-8").replace(b"QxQ", b"\x93x\x94")
    result = read_feed(doc, feed_name="f")
    assert result.articles[0].raw_title == "भारत चीन “x”"
    assert [str(p.error) for p in result.problems] == [
        "[parse] encoding: 2 invalid utf-8 byte(s) read as Windows-1252; the rest decoded as utf-8 (feed=f)"
    ]


def test_unknown_declared_encoding_falls_back_to_utf8_with_a_problem():
    result = read_feed(rss(item("Doklam")).replace("utf-8", "x-no-such").encode(), feed_name="f")
    assert (result.articles[0].raw_title, [p.error.message for p in result.problems]) == (
        "Doklam",
        ["encoding: unknown encoding 'x-no-such' in the XML declaration, ignored"],
    )


def test_control_characters_that_xml_forbids_are_dropped():
    assert parse_feed(rss(item("Dep\x01sang\x1b")).encode(), feed_name="f")[0].raw_title == "Depsang"


def test_truncated_feed_keeps_complete_entries_and_reports_the_cut_one():
    doc = rss(item("A", "https://e.com/1") + item("B", "https://e.com/2")).encode()
    doc = doc[: doc.index(b"<link>https://e.com/2")] + b"<link>https://e.co"
    result = read_feed(doc, feed_name="f")
    assert [(a.raw_title, a.raw_url) for a in result.articles] == [("A", "https://e.com/1")]
    assert [p.error.message for p in result.problems] == [
        "feed is truncated: its last entry is cut off and was not kept (1 complete entries kept); "
        "check the feed if this repeats"
    ]
    assert result.problems[0].input == {"title": "B", "link": None}


def test_empty_feed_is_not_an_error():
    result = read_feed(rss("").encode(), feed_name="f")
    assert (result.articles, result.problems, result.entries_seen) == ([], [], 0)


def test_empty_body_is_a_clear_error():
    with pytest.raises(
        BadInputError,
        match=r"\[parse\] empty response body: the server sent no feed; check the URL \(feed=f\)",
    ):
        read_feed(b"  \n", feed_name="f")


def test_html_page_instead_of_a_feed_names_the_feed_it_links():
    page = b'<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="https://e.com/rss.xml"></head></html>'
    with pytest.raises(
        BadInputError,
        match="returned an HTML page, not RSS/Atom; the feed may have moved; the page links a feed at https://e.com/rss.xml",
    ):
        read_feed(page, feed_name="f", base_url="https://e.com/feed")


def test_entries_without_links_or_dates_are_kept():
    result = read_feed(
        rss(item("No link, no date") + item("Linked", "https://e.com/2")).encode(), feed_name="f"
    )
    assert [(a.input, a.raw_title, a.raw_url, a.published) for a in result.articles] == [
        ("f#0", "No link, no date", None, None),
        ("f#1", "Linked", "https://e.com/2", None),
    ]


def test_far_future_date_string_is_kept_as_printed_for_the_dates_stage():
    [article] = parse_feed(
        rss(item("Future", "https://e.com/1", "Thu, 01 Jan 2150 00:00:00 +0000")).encode(), feed_name="f"
    )
    assert article.published == "Thu, 01 Jan 2150 00:00:00 +0000"


def test_ten_thousand_entries_are_capped_and_the_rest_listed_not_dropped():
    doc = rss("".join(item(f"Item {i}", f"https://e.com/{i}") for i in range(10_000))).encode()
    t0 = time.monotonic()
    result = read_feed(doc, feed_name="big", max_entries=2000)
    assert time.monotonic() - t0 < 20
    assert (len(result.articles), result.entries_seen, result.articles[-1].raw_url) == (
        2000,
        10_000,
        "https://e.com/1999",
    )
    [problem] = result.problems
    listed = problem.input["entries"]
    assert (len(listed), listed[0], listed[-1]["link"]) == (
        8000,
        {"n": 2000, "link": "https://e.com/2000", "title": "Item 2000"},
        "https://e.com/9999",
    )


def test_a_string_is_never_taken_as_a_url_or_file_name():
    with pytest.raises(TypeError):
        read_feed("file:///etc/passwd", feed_name="f")  # type: ignore[arg-type]


def test_decode_prefers_the_xml_declaration_when_http_charset_is_wrong():
    text, encoding, warnings = decode_feed(rss(item("café")).encode("utf-8"), "text/xml; charset=iso-8859-1")
    assert ("café" in text, encoding, warnings) == (True, "utf-8", [])
