"""HTML input: decoding of every HTML source, full-page detection, tables, the page's own publication
date and its day in the page's offset, JSON Lines split at line feeds only. All pages written here."""

from __future__ import annotations

import json

import pytest

from pipeline import dates
from pipeline.article import Article
from pipeline.clean import clean, page_to_text, prepare_tables
from pipeline.decoding import decode_html, utf16_without_bom
from pipeline.errors import BadInputError
from pipeline.fetch import decode_page
from pipeline.readers import read, read_file
from pipeline.stories import story_dates

PARA = (
    "The two delegations met at the border meeting point on Tuesday and agreed to keep the patrolling "
    "arrangement in place through the winter months, officials said."
)
ACCENTED = "The café owner in Zürich said the minister’s “frank” remarks — made at dinner — were welcome."


def page(body: str, head: str = "", declaration: str = "") -> str:
    return (
        f"{declaration}<!DOCTYPE html><html><head>{head}"
        "<title>Talks at the border point resume</title></head>"
        f"<body><nav><a href='/'>Home</a> <a href='/india'>India</a></nav>{body}</body></html>"
    )


def article_body(*paragraphs: str) -> str:
    return (
        "<article><h1>Talks at the border point resume</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article>"
    )


# ---------------------------------------------------------------------------------------------- decoding
def test_cp1252_html_file_without_any_declaration_is_read(tmp_path):
    path = tmp_path / "a.html"
    path.write_bytes(page(article_body(PARA, ACCENTED)).encode("cp1252"))
    [a] = read_file(str(path))
    assert ACCENTED in a.raw_html
    assert ACCENTED in clean(a).text


def test_iso_8859_1_html_file_declared_by_meta_charset_is_read(tmp_path):
    text = "Le ministre a décrit la réunion à Genève comme « très utile » pour la paix à la frontière."
    path = tmp_path / "b.html"
    path.write_bytes(page(article_body(PARA, text), head='<meta charset="iso-8859-1">').encode("iso-8859-1"))
    [a] = read_file(str(path))
    assert text in clean(a).text


def test_http_equiv_content_type_declares_the_charset():
    html = page(
        article_body(ACCENTED),
        head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    )
    assert ACCENTED in decode_html(html.encode("cp1252"))


def test_xml_declaration_gives_the_encoding_and_is_removed_before_lxml(tmp_path):
    html = page(article_body(PARA, ACCENTED), declaration='<?xml version="1.0" encoding="windows-1252"?>\n')
    path = tmp_path / "x.html"
    path.write_bytes(html.encode("cp1252"))
    [a] = read_file(str(path))
    assert not a.raw_html.lstrip().startswith("<?xml")
    assert ACCENTED in clean(a).text
    # The same page as a string (the "html" of a JSON line) still carries its declaration: lxml would refuse
    # it.
    out = clean(Article(input="j#0", raw_html=html))
    assert ACCENTED in out.text


def test_fetched_page_decoding_is_the_same_path():
    html = page(article_body(ACCENTED), declaration='<?xml version="1.0" encoding="iso-8859-1"?>')
    text = decode_page(html.encode("cp1252"), "text/html")
    assert ACCENTED in text and "<?xml" not in text
    assert decode_page(html.encode("utf-8"), "text/html; charset=utf-8") == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_not_read_as_nul_laced_text(tmp_path, codec):
    html = page(article_body(PARA, "रक्षा मंत्री ने सीमा पर शांति बनाए रखने की बात कही।"))
    data = html.encode(codec)
    assert utf16_without_bom(data) == codec
    path = tmp_path / "u.html"
    path.write_bytes(data)
    [a] = read_file(str(path))
    assert "\x00" not in a.raw_html
    assert "रक्षा मंत्री" in clean(a).text


def test_utf16_with_bom_is_read():
    html = page(article_body(PARA))
    assert PARA in decode_html(html.encode("utf-16"))


def test_nul_laced_text_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "w.html"
    path.write_bytes(page(article_body(PARA)).encode("utf-32-le"))  # no BOM: not recognisable
    [err] = list(read(str(path)))
    assert isinstance(err, BadInputError)
    assert "NUL characters" in str(err)


# ---------------------------------------------------------------------------------------------- full page
def test_page_opening_with_a_long_inline_style_is_still_a_full_page():
    style = "<style>" + "".join(f".c{i} {{ margin: {i}px; color: #333; }}\n" for i in range(400)) + "</style>"
    assert len(style) > 4000
    html = style + page(
        article_body(PARA, PARA.replace("Tuesday", "Friday")),
        head='<meta property="article:published_time" content="2024-10-21T18:30:00+05:30">',
    )
    a = clean(Article(input="s.html", raw_html=html))
    assert a.published == "2024-10-21T18:30:00+05:30"
    assert a.published_at_source == "page"
    assert "margin" not in a.text and "Home" not in a.text


# ---------------------------------------------------------------------------------------------- tables
PROSE_TABLE = (
    f"<table><tr><td><p>{PARA.replace('Tuesday', 'Monday')}</p>"
    f"<p>{PARA.replace('winter', 'summer')}</p></td></tr></table>"
)
LINK_TABLE = (
    "<table><tr><td><a href='/s1'>Share</a></td><td><a href='/s2'>Tweet</a></td>"
    "<td><a href='/s3'>Email</a></td></tr></table>"
)
DATA_TABLE = (
    "<table><tr><th>Round</th><th>Venue</th></tr><tr><td>21st</td><td>Chushul-Moldo</td></tr>"
    "<tr><td>22nd</td><td>Beijing</td></tr></table>"
)


def test_table_of_article_text_is_kept_and_a_layout_table_of_links_dropped():
    html = page(
        "<article><h1>Talks at the border point resume</h1>"
        + f"<p>{PARA}</p>"
        + PROSE_TABLE
        + LINK_TABLE
        + DATA_TABLE
        + f"<p>{PARA.replace('officials', 'diplomats')}</p></article>"
    )
    text = page_to_text(html)[0]
    assert PARA.replace("Tuesday", "Monday") in text.split("\n")
    assert PARA.replace("winter", "summer") in text.split("\n")
    assert "Tweet" not in text and "Share" not in text
    assert "22nd | Beijing" in text.split("\n")
    assert "---" not in text
    # What dropping every table loses (the extractor's include_tables=False):
    flat = page_to_text(html, tables=False)[0]
    assert PARA.replace("Tuesday", "Monday") not in flat


def test_prepare_tables_sorts_nested_tables_innermost_first():
    import lxml.html

    tree = lxml.html.fromstring(
        page(f"<table><tr><td>{LINK_TABLE}<p>{PARA}</p>{DATA_TABLE}</td></tr></table>")
    )
    assert prepare_tables(tree) == {"prose": 1, "debris": 1, "data": 1}


# ---------------------------------------------------------------------------------------------- page date
SIDEBAR = (
    "<aside class='sidebar'><h3>Most read</h3><ul><li><a href='/o'>Other story</a> "
    "<time datetime='2025-02-03T09:00:00+05:30'>Feb 3</time></li></ul></aside>"
)
COMMENTS = (
    "<section id='comments'><div class='comment'><p>Well said.</p>"
    "<time datetime='2025-03-01T11:00:00+05:30'>Mar 1</time></div></section>"
)
RELATED = (
    "<div class='related-stories'><article><a href='/r'>Earlier talks</a>"
    "<time datetime='2023-05-05T10:00:00+05:30'>May 5</time></article></div>"
)


def test_json_ld_date_beats_a_sidebar_or_comment_time_that_comes_first():
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "datePublished": "2019-01-01"},
                {"@type": "NewsArticle", "headline": "Talks", "datePublished": "2024-10-21T18:30:00+05:30"},
            ],
        }
    )
    html = page(SIDEBAR + COMMENTS + article_body(PARA) + f"<script type='application/ld+json'>{ld}</script>")
    assert page_to_text(html)[3] == "2024-10-21T18:30:00+05:30"


def test_reportage_news_article_type_and_itemprop_are_read():
    ld = json.dumps({"@type": ["ReportageNewsArticle"], "datePublished": "2024-09-12T08:00:00+05:30"})
    html = page(SIDEBAR + article_body(PARA) + f"<script type='application/ld+json'>{ld}</script>")
    assert page_to_text(html)[3] == "2024-09-12T08:00:00+05:30"
    html = page(
        SIDEBAR + "<article><h1>Talks</h1><span itemprop='datePublished' content='2024-09-13'>13 Sep</span>"
        f"<p>{PARA}</p></article>"
    )
    assert page_to_text(html)[3] == "2024-09-13"


def test_time_element_counts_only_inside_the_article_body():
    body = (
        "<article class='story'><h1>Talks at the border point resume</h1>"
        "<time class='updated' datetime='2024-08-02T10:00:00+05:30'>Updated</time>"
        "<time datetime='2024-08-01T09:00:00+05:30'>Aug 1</time>" + f"<p>{PARA}</p><p>{PARA}</p></article>"
    )
    html = page(SIDEBAR + RELATED + body + COMMENTS)
    assert page_to_text(html, date_fallback=False)[3] == "2024-08-01T09:00:00+05:30"
    # No article time at all: the sidebar's, comments' and related cards' times are not taken.
    bare = page(SIDEBAR + RELATED + article_body(PARA, PARA) + COMMENTS)
    assert page_to_text(bare, date_fallback=False)[3] is None


# ---------------------------------------------------------------------------------------------- offsets
def test_foreign_offset_near_midnight_keeps_its_own_day():
    a = dates.normalise(
        Article(
            input="x",
            source="example.com",
            published="2024-12-31T23:11:00-05:00",
            text="Talks were held on Tuesday.",
        )
    )
    assert a.published_at == "2024-12-31T23:11:00-05:00"
    assert a.date_reference == "2024-12-31"
    assert story_dates(a)[0] == "2024-12-31"
    utc = dates.normalise(Article(input="x", source="example.org", published="Dec 31, 2024 23:11 UTC"))
    assert utc.published_at == "2024-12-31T23:11:00+00:00"


def test_indian_outlet_printing_utc_gets_its_ist_day():
    a = dates.normalise(Article(input="x", source="hindustantimes.com", published="2024-12-31T20:00:00Z"))
    assert a.published_at == "2025-01-01T01:30:00+05:30"
    hi = dates.normalise(
        Article(input="x", source="example.com", language="hi", published="2024-12-31T20:00:00Z")
    )
    assert hi.published_at.startswith("2025-01-01")


def test_times_without_a_zone_and_ist_are_india_time():
    assert dates.parse_published("Dec 31, 2024 11:50 PM").isoformat() == "2024-12-31T23:50:00+05:30"
    assert dates.parse_published("Dec 31, 2024 11:50 PM IST").isoformat() == "2024-12-31T23:50:00+05:30"
    assert dates.parse_published("December 31, 2024 11:11 PM EST").isoformat() == "2024-12-31T23:11:00-05:00"
    assert dates.parse_published("Tue, 31 Dec 2024 23:11:00 -0000").isoformat() == "2024-12-31T23:11:00+00:00"


# ---------------------------------------------------------------------------------------------- JSON Lines
def test_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path):
    records = [
        {"title": "First", "text": "One\u2028two\u2029three\u0085four paragraphs."},
        {"title": "Second", "text": "The second article."},
        {"title": "Third", "text": "The third article."},
    ]
    path = tmp_path / "a.jsonl"
    path.write_bytes("\r\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8"))
    items = read_file(str(path))
    assert [a.raw_title for a in items] == ["First", "Second", "Third"]
    assert [a.input for a in items] == [f"{path}#0", f"{path}#1", f"{path}#2"]
    assert read_file(f"{path}#2")[0].raw_title == "Third"
    assert "\u2028two" in items[0].raw_text


def test_htmldate_fallback_reads_the_url_but_not_comment_or_sidebar_times():
    bare = page(SIDEBAR + RELATED + article_body(PARA, PARA) + COMMENTS)
    assert page_to_text(bare)[3] is None
    dated = page_to_text(bare, "https://example.com/world/2024/06/07/talks-resume")[3]
    assert dated == "2024-06-07"


def test_time_in_the_block_holding_the_text_when_there_is_no_article_element():
    html = page(
        SIDEBAR + "<div class='post'><h1>Talks at the border point resume</h1><span class='posted-on'>"
        "<time datetime='2024-07-04T21:00:00+05:30'>4 July</time></span><div class='entry-content'>"
        f"<p>{PARA}</p><p>{PARA}</p></div></div>" + COMMENTS
    )
    assert page_to_text(html, date_fallback=False)[3] == "2024-07-04T21:00:00+05:30"


def test_hindi_printed_date_line_is_the_publication_date():
    a = clean(
        Article(
            input="h",
            raw_text="सीमा पर गश्त फिर शुरू होगी\nप्रकाशित: 10 अक्टूबर 2024\n"
            "रक्षा मंत्री ने कहा कि पूर्वी लद्दाख में स्थिति स्थिर है।",
        )
    )
    assert a.published == "10 अक्टूबर 2024"
    assert dates.parse_published("प्रकाशित: 10 अक्टूबर 2024").date().isoformat() == "2024-10-10"


def test_data_table_nested_in_a_layout_table_stays_a_table():
    html = page(
        f"<table><tr><td class='content'><h1>Talks</h1><p>{PARA}</p>{DATA_TABLE}"
        f"<p>{PARA.replace('Tuesday', 'Friday')}</p></td><td>{LINK_TABLE}</td></tr></table>"
    )
    lines = page_to_text(html)[0].split("\n")
    assert "21st | Chushul-Moldo" in lines
    assert PARA.replace("Tuesday", "Friday") in lines


def test_article_whose_own_class_names_a_share_bar_keeps_its_time():
    html = page(
        "<article class='story social-share-enabled'><h1>Talks at the border point resume</h1>"
        "<time datetime='2024-05-06T10:00:00+05:30'>6 May</time>"
        + f"<p>{PARA}</p><p>{PARA}</p></article>"
        + COMMENTS
    )
    assert page_to_text(html, date_fallback=False)[3] == "2024-05-06T10:00:00+05:30"


def test_article_cards_that_do_not_hold_the_text_are_not_the_article():
    cards = "".join(
        f"<article class='card'><a href='/c{i}'>Story {i}</a>"
        f"<time datetime='2022-01-0{i}'>Jan</time></article>"
        for i in range(1, 4)
    )
    html = page(
        "<div class='story'><h1>Talks at the border point resume</h1>"
        f"<time datetime='2024-05-07T10:00:00+05:30'>7 May</time><p>{PARA}</p><p>{PARA}</p></div>"
        f"<div class='more'>{cards}</div>"
    )
    assert page_to_text(html, date_fallback=False)[3] == "2024-05-07T10:00:00+05:30"


def test_time_introduced_as_an_update_comes_after_the_publication_time():
    html = page(
        "<article><h1>Talks at the border point resume</h1><p class='meta'>Updated: "
        "<time datetime='2024-05-09T08:00:00+05:30'>9 May</time> | Published: "
        "<time datetime='2024-05-08T22:00:00+05:30'>8 May</time></p>"
        + f"<p>{PARA}</p><p>{PARA}</p></article>"
    )
    assert page_to_text(html, date_fallback=False)[3] == "2024-05-08T22:00:00+05:30"


def test_date_line_printed_in_the_article_block_is_read_when_the_page_states_no_date():
    hindi = "रक्षा मंत्री ने कहा कि पूर्वी लद्दाख में स्थिति स्थिर है लेकिन सतर्कता बनाए रखनी होगी।"
    html = page(
        "<article><h1>सीमा पर गश्त फिर शुरू होगी</h1><div class='byline'>द्वारा: संवाददाता</div>"
        "<div class='dateline'>प्रकाशित: 25 मार्च 2024</div><div class='story-body'>"
        + "".join(f"<p>{hindi}</p>" for _ in range(3))
        + "</div></article>"
        + COMMENTS
    )
    published = page_to_text(html)[3]
    assert published == "25 मार्च 2024"
    assert page_to_text(html, date_fallback=False)[3] is None


def test_fetched_page_is_decoded_by_its_http_charset_over_127_0_0_1(http_server):
    from dataclasses import replace

    from pipeline.fetch import Fetcher
    from pipeline.settings import Settings

    html = page(article_body(PARA, ACCENTED), declaration='<?xml version="1.0" encoding="utf-8"?>')
    url = http_server.add("/a", html.encode("cp1252"), content_type="text/html; charset=windows-1252")
    with Fetcher(replace(Settings.from_env({}), allow_private_networks=True)) as fetcher:
        text = fetcher.get(url).text()
    assert ACCENTED in text and not text.startswith("<?xml")
    assert ACCENTED in clean(Article(input="a", raw_url=url, raw_html=text)).text
