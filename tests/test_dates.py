"""Dates stage: publication instants and date mentions (pure functions)."""

from __future__ import annotations

from datetime import date

import dateparser
import pytest

from pipeline.article import Article
from pipeline.clean import clean
from pipeline.dates import Reference, find_dates, latest_full_date, normalise, parse_published, text_reference
from pipeline.feeds import parse_feed
from tests.conftest import FEED_FIXTURES

WED_20_NOV = Reference(date(2024, 11, 20), True)


def mentions(text: str, ref: Reference | None = WED_20_NOV) -> list[tuple[str, str, str]]:
    return [(m.text, m.value, m.granularity) for m in find_dates(text, ref)]


def test_dateparser_reads_ist_as_israel_time():
    # Why parse_published rewrites IST: dateparser alone gives +02:00.
    assert dateparser.parse("Nov 20, 2024 10:04 PM IST").isoformat() == "2024-11-20T22:04:00+02:00"


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Nov 20, 2024 10:04 PM IST", "2024-11-20T22:04:00+05:30"),
        ("Updated: Nov 20, 2024 10:04 pm IST", "2024-11-20T22:04:00+05:30"),
        ("20 Nov 2024, 22:04 (IST)", "2024-11-20T22:04:00+05:30"),
        ("Wed, 20 Nov 2024 22:04:00 +0530", "2024-11-20T22:04:00+05:30"),
        ("Sun, 30Mar 2025 12:41:13 +0530", "2025-03-30T12:41:13+05:30"),
        ("Tue, 01 Apr 2025 12:23:33 GMT", "2025-04-01T12:23:33+00:00"),
        ("2024-11-20T16:34:00Z", "2024-11-20T16:34:00+00:00"),
        ("2024-11-20", "2024-11-20T00:00:00+05:30"),
        ("20 नवम्बर, 2024", "2024-11-20T00:00:00+05:30"),
    ],
)
def test_published_strings_parse_to_iso_with_offset(printed, expected):
    assert parse_published(printed).isoformat() == expected


def test_unparsable_published_is_none():
    assert parse_published("sometime soon") is None
    assert parse_published(None) is None


def test_cdata_pubdate_is_parsed():
    first = parse_feed((FEED_FIXTURES / "states_cdata_rss.xml").read_bytes(), feed_name="hindu")[0]
    a = normalise(clean(first))
    assert a.published_at == "2024-11-20T12:19:41+05:30"
    assert a.published_at_source == "feed"


def test_malformed_pubdate_is_parsed():
    articles = parse_feed((FEED_FIXTURES / "topstories_broken_rss.xml").read_bytes(), feed_name="toi")
    broken = [a for a in articles if a.published == "Sun, 30Mar 2025 12:41:13 +0530"]
    assert len(broken) == 1
    assert normalise(clean(broken[0])).published_at == "2025-03-30T12:41:13+05:30"


def test_every_fixture_feed_item_with_a_date_gets_a_published_at():
    for name in (
        "states_cdata_rss.xml",
        "topstories_broken_rss.xml",
        "international_rss.xml",
        "sports_rss.xml",
    ):
        for a in parse_feed((FEED_FIXTURES / name).read_bytes(), feed_name=name):
            if a.published:
                assert normalise(a).published_at is not None, a.published


def test_absolute_dates_keep_their_granularity():
    assert mentions("on November 20, 2024, since May 2020, and in 2021") == [
        ("November 20, 2024", "2024-11-20", "day"),
        ("May 2020", "2020-05", "month"),
        ("2021", "2021", "year"),
    ]


def test_hindi_absolute_dates():
    assert mentions("20 नवम्बर, 2024 को और सितंबर 2020 में तथा 25 जून 2021 को") == [
        ("20 नवम्बर, 2024", "2024-11-20", "day"),
        ("सितंबर 2020", "2020-09", "month"),
        ("25 जून 2021", "2021-06-25", "day"),
    ]


def test_weekdays_resolve_to_the_latest_such_day_on_or_before_publication():
    assert mentions("On Monday, the ministers met. Singh spoke on Wednesday.") == [
        ("On Monday", "2024-11-18", "day"),
        ("on Wednesday", "2024-11-20", "day"),
    ]


def test_relative_months_and_years():
    assert mentions("late last month; earlier this year; last year; next month") == [
        ("late last month", "2024-10", "month"),
        ("earlier this year", "2024", "year"),
        ("last year", "2023", "year"),
        ("next month", "2024-12", "month"),
    ]


def test_month_with_relative_year():
    assert mentions("appointed in December last year") == [("December last year", "2023-12", "month")]


def test_hindi_relative_expressions():
    assert mentions("पिछले साल तनाव था, इस वर्ष के अक्टूबर में समझौता हुआ, पिछले महीने गश्त शुरू हुई") == [
        ("पिछले साल", "2023", "year"),
        ("इस वर्ष के अक्टूबर", "2024-10", "month"),
        ("पिछले महीने", "2024-10", "month"),
    ]


def test_days_ago_and_yesterday():
    assert mentions("ten days ago; yesterday") == [
        ("ten days ago", "2024-11-10", "day"),
        ("yesterday", "2024-11-19", "day"),
    ]


def test_missing_year_comes_from_the_reference():
    assert mentions("an agreement on October 21; the summit begins November 20") == [
        ("October 21", "2024-10-21", "day"),
        ("November 20", "2024-11-20", "day"),
    ]


def test_a_yearless_date_far_after_publication_is_last_year():
    ref = Reference(date(2025, 1, 5), True)
    assert mentions("talks held on December 28", ref) == [("December 28", "2024-12-28", "day")]


def test_names_are_not_dates():
    assert mentions("Chinese Defence Minister Dong Jun met Singh") == []
    assert mentions("चीनी रक्षा मंत्री एडमिरल डोंग जून से मुलाकात की") == []


def test_ordinals_and_forum_names_are_not_dates():
    assert (
        mentions("the 11th ASEAN Defence Ministers' Meeting-Plus, the G20 Summit, 11वें आसियान, 16वें ब्रिक्स")
        == []
    )


def test_counts_and_money_are_not_years():
    assert mentions("some 2000 troops, Rs 2024 crore, 1,2024 and 3.2020") == []


def test_a_year_before_a_noun_is_a_year():
    assert mentions("the 2020 Galwan Valley clashes and pre-2020 positions") == [
        ("2020", "2020", "year"),
        ("2020", "2020", "year"),
    ]


def test_without_a_reference_relative_and_yearless_dates_are_left_out():
    assert mentions("On Monday, late last month, on October 21, in May 2020", None) == [
        ("May 2020", "2020-05", "month")
    ]


def test_latest_full_date_in_the_text():
    assert latest_full_date("on 18 नवम्बर, 2024 and November 20, 2024 and 2 November 2024") == date(
        2024, 11, 20
    )
    assert latest_full_date("in May 2020 and on October 21") is None


def test_reference_comes_from_publication_when_there_is_one():
    a = normalise(
        Article(
            published="Wed, 20 Nov 2024 22:04:00 +0530",
            published_at_source="feed",
            text="On Monday they met.",
        )
    )
    assert a.published_at == "2024-11-20T22:04:00+05:30"
    assert (a.date_reference, a.date_reference_source) == ("2024-11-20", "published_at")
    assert a.dates == [{"text": "On Monday", "value": "2024-11-18", "granularity": "day"}]


def test_without_publication_the_reference_is_the_latest_full_date_in_the_text():
    a = normalise(Article(text="14 जुलाई को बैठक हुई। 25 जून 2021 को डब्ल्यूएमसीसी की बैठक हुई थी। पिछले साल तनाव था।"))
    assert a.published_at is None
    assert (a.date_reference, a.date_reference_source) == ("2021-06-25", "text")
    assert a.dates == [
        {"text": "14 जुलाई", "value": "2021-07-14", "granularity": "day"},
        {"text": "25 जून 2021", "value": "2021-06-25", "granularity": "day"},
        {"text": "पिछले साल", "value": "2020", "granularity": "year"},
    ]


def test_without_any_reference_nothing_is_resolved_against_today():
    a = normalise(Article(text="Sources told NDTV Friday the talks start November 20."))
    assert (a.published_at, a.date_reference, a.dates) == (None, None, [])


def test_devanagari_digits_are_read():
    assert mentions("२० नवम्बर, २०२४ को") == [("२० नवम्बर, २०२४", "2024-11-20", "day")]


def test_toi_year_glued_to_the_time_is_parsed():
    assert parse_published("Mon, 31 Mar 202510:50:41 +0530").isoformat() == "2025-03-31T10:50:41+05:30"


def test_a_danda_ends_a_hindi_date():
    assert mentions("बैठक 14 जुलाई। फिर आज।") == [("14 जुलाई", "2024-07-14", "day"), ("आज", "2024-11-20", "day")]


def test_future_tense_weekday_is_the_next_one():
    assert mentions("Singh will meet Dong on Friday.") == [("on Friday", "2024-11-22", "day")]
    assert mentions("अगला मुकाबला शुक्रवार को होगा।") == [("शुक्रवार को", "2024-11-22", "day")]


def test_last_month_name_and_month_ranges():
    assert mentions("leaders met in Kazan last October; troops massed in April-May 2020") == [
        ("last October", "2024-10", "month"),  # the latest October before November 2024
        ("April", "2020-04", "month"),
        ("May 2020", "2020-05", "month"),
    ]


def test_day_ranges_give_both_days():
    assert mentions(
        "talks from February 17 to 20, 2025; the summit on November 18-19; 17-20 फरवरी 2025 को"
    ) == [
        ("February 17", "2025-02-17", "day"),
        ("20, 2025", "2025-02-20", "day"),
        ("November 18", "2024-11-18", "day"),
        ("19", "2024-11-19", "day"),
        ("17", "2025-02-17", "day"),
        ("20 फरवरी 2025", "2025-02-20", "day"),
    ]


def test_a_backwards_range_is_not_a_range():
    assert mentions("5 to 3 March") == [("3 March", "2024-03-03", "day")]


# ---------------------------------------------------------------------------------------------- fetch time
def test_undated_fetched_article_is_published_when_first_seen_and_dates_resolve_against_it():
    a = normalise(
        Article(
            fetched_at="2023-08-20T03:10:00+00:00",
            text="The 19th round of talks was held on August 13 and 14. The clash of June 15, 2020 "
            "was recalled. On Friday the ministry issued a statement.",
        )
    )
    assert (a.published_at, a.published_at_source) == ("2023-08-20T08:40:00+05:30", "fetched")
    assert (a.date_reference, a.date_reference_source) == ("2023-08-20", "fetched")
    assert [(d["text"], d["value"]) for d in a.dates] == [
        ("August 13", "2023-08-13"),
        ("14", "2023-08-14"),
        ("June 15, 2020", "2020-06-15"),
        ("On Friday", "2023-08-18"),
    ]


def test_a_printed_date_wins_over_the_fetch_time():
    a = normalise(
        Article(
            published="2024-11-18",
            published_at_source="feed",
            fetched_at="2024-11-20T10:00:00Z",
            text="They met on Monday.",
        )
    )
    assert (a.published_at_source, a.date_reference_source, a.dates[0]["value"]) == (
        "feed",
        "published_at",
        "2024-11-18",
    )


def test_fetch_time_in_utc_is_read_as_the_indian_day():
    a = normalise(Article(fetched_at="2024-11-19T20:00:00Z", text="बुधवार को बैठक हुई।"))
    assert (a.date_reference, a.dates[0]["value"]) == ("2024-11-20", "2024-11-20")


def test_a_naive_or_broken_fetch_time():
    assert (
        normalise(Article(fetched_at="2024-11-19T20:00:00", text="x")).published_at
        == "2024-11-20T01:30:00+05:30"
    )
    assert normalise(Article(fetched_at="yesterday", text="x")).published_at is None


# ---------------------------------------------------------------------------------------------- text
# reference
@pytest.mark.parametrize(
    ("text", "reference"),
    [
        # the report's own full date is the latest, nothing later is printed
        ("On 3 March 2024, the two sides met. They will meet again on March 20.", "2024-03-03"),
        ("दोनों पक्षों ने 12 जनवरी 2025 को बैठक की और 14 जनवरी को फिर मिले।", "2025-01-12"),
        # a recalled event with a full date, the report's own time printed only as month-year or year
        (
            "The talks in October 2024 ended on October 21. Relations fell after the clash of June 15, 2020.",
            None,
        ),
        ("अगस्त 2023 की वार्ता 18 अगस्त को हुई। 15 जून 2020 की झड़प के बाद संबंध बिगड़े थे।", None),
        ("The 2023 meeting on August 13 recalled the Galwan clash of June 15, 2020.", None),
        # a plan or deadline year does not make the printed date a recollection
        (
            "On 9 September 2024 the sides agreed to settle the matter by 2030. Talks resume on "
            "September 20.",
            "2024-09-09",
        ),
        ("10 सितंबर 2024 को बैठक हुई; 2030 तक समाधान का लक्ष्य है।", "2024-09-10"),
        # no full date at all
        ("They met on Monday and again on October 21.", None),
    ],
)
def test_reference_from_the_text_alone(text, reference):
    assert (str(text_reference(text)) if text_reference(text) else None) == reference
    a = normalise(Article(text=text))
    assert (a.date_reference, a.date_reference_source) == ((reference, "text") if reference else (None, None))


def test_without_a_reference_a_yearless_date_takes_the_year_printed_with_its_month_not_a_recalled_one():
    a = normalise(
        Article(
            text="The talks in August 2023 took place on August 13. The clash of June 15, 2020 was recalled."
        )
    )
    assert [d["value"] for d in a.dates] == ["2023-08", "2023-08-13", "2020-06-15"]
    assert (a.date_reference, a.date_reference_source) == (None, None)
    # a month printed with two years, or not at all, gives no year; relative dates stay unresolved
    a = normalise(
        Article(
            text="Talks in August 2023 and August 2024; one on August 13. On Monday, in March 2021, they met."
        )
    )
    assert [d["value"] for d in a.dates] == ["2023-08", "2024-08", "2021-03"]
    a = normalise(Article(text="पिछली बैठक 13 अगस्त को हुई थी; अगस्त 2023 में।"))
    assert [d["value"] for d in a.dates] == ["2023-08-13", "2023-08"]
    a = normalise(Article(text="They met on April 12 last year and since April; the April 2020 clashes."))
    assert [d["value"] for d in a.dates] == ["2020-04"]


def test_hindi_weekdays_with_a_time_of_day():
    ref = Reference(date(2024, 10, 23), True)
    assert mentions("सोमवार शाम बैठक हुई; मंगलवार देर रात बयान आया; रविवार की बैठक", ref) == [
        ("सोमवार", "2024-10-21", "day"),
        ("मंगलवार", "2024-10-22", "day"),
        ("रविवार", "2024-10-20", "day"),
    ]
    assert mentions("सोमवारी व्रत", ref) == []


def test_fixed_date_national_days_are_dates():
    new_year = Reference(date(2024, 1, 1), True)
    assert mentions("a Border Personnel Meeting at Bum La on New Year's Day", new_year) == [
        ("New Year's Day", "2024-01-01", "day")
    ]
    assert mentions("गणतंत्र दिवस के मौके पर दोनों सेनाओं ने मिठाइयां बांटीं", new_year) == [
        ("गणतंत्र दिवस", "2024-01-26", "day")
    ]
    assert mentions("on Independence Day", Reference(date(2024, 8, 16), True)) == [
        ("Independence Day", "2024-08-15", "day")
    ]
    assert mentions("Republic Day 2023", None) == [("Republic Day 2023", "2023-01-26", "day")]
    # another country's day, a new year as a period, and no reference
    assert mentions("Pakistan's Independence Day; नए साल में नीति बदलेगी", new_year) == []
    assert mentions("on New Year's Day", None) == []


# Short reports, fetched or undated, with the dates a reader would give them (written for the purpose).
UNDATED_CASES = [
    # (fetched_at, published, text, gold [(value, gran)])
    (
        "2024-10-23T06:00:00Z",
        None,
        "दोनों देशों के सैन्य कमांडरों ने सोमवार शाम बैठक की। अगली बैठक अगले महीने होगी।",
        [("2024-10-21", "day"), ("2024-11", "month")],
    ),
    ("2024-10-23T06:00:00Z", None, "रक्षा मंत्री ने मंगलवार देर रात बयान जारी किया।", [("2024-10-22", "day")]),
    (
        "2024-10-23T06:00:00Z",
        None,
        "The talks were held on October 21 and follow the agreement of 2005.",
        [("2024-10-21", "day"), ("2005", "year")],
    ),
    (
        "2024-10-23T06:00:00Z",
        None,
        "Troops have faced each other since May 2020; the latest talks took place on Monday.",
        [("2020-05", "month"), ("2024-10-21", "day")],
    ),
    (
        "2024-01-03T06:00:00Z",
        None,
        "The meeting was held on December 28 in Chushul.",
        [("2023-12-28", "day")],
    ),
    (
        None,
        None,
        "India and China held talks on 21 October 2024. They will meet again on November 4.",
        [("2024-10-21", "day"), ("2024-11-04", "day")],
    ),
    (
        None,
        None,
        "The talks in September 2024 took place on September 12. The 2020 clash was recalled.",
        [("2024-09", "month"), ("2024-09-12", "day"), ("2020", "year")],
    ),
    (
        None,
        None,
        "Officials recalled the clash of 15 June 2020. The talks in 2024 were held on August 29.",
        [("2020-06-15", "day"), ("2024", "year")],
    ),
    (
        None,
        "2024-08-30",
        "डब्ल्यूएमसीसी की बैठक 29 अगस्त को हुई। पिछले साल दिसंबर में भी बैठक हुई थी।",
        [("2024-08-29", "day"), ("2023-12", "month")],
    ),
    (
        "2024-08-30T06:00:00Z",
        None,
        "बैठक गुरुवार को नई दिल्ली में हुई। इससे पहले जुलाई में बीजिंग में बैठक हुई थी।",
        [("2024-08-29", "day"), ("2024-07", "month")],
    ),
    (
        "2024-08-30T06:00:00Z",
        None,
        "The WMCC met on Thursday; the previous meeting was in July.",
        [("2024-08-29", "day"), ("2024-07", "month")],
    ),
    (
        "2024-12-20T06:00:00Z",
        None,
        "The Special Representatives met two days ago in Beijing, five years after their last "
        "meeting in December 2019.",
        [("2024-12-18", "day"), ("2019-12", "month")],
    ),
]


def test_dates_of_fetched_and_undated_short_reports():
    tp = fp = fn = 0
    for fetched, pub, text, gold in UNDATED_CASES:
        a = normalise(
            Article(fetched_at=fetched, published=pub, published_at_source="feed" if pub else None, text=text)
        )
        got = {(d["value"], d["granularity"]) for d in a.dates}
        tp, fp, fn = tp + len(got & set(gold)), fp + len(got - set(gold)), fn + len(set(gold) - got)
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.95, (tp, fp, fn)


def test_hindi_day_pairs_joined_by_and():
    ref = Reference(date(2023, 8, 15), True)
    assert mentions("वार्ता 13 और 14 अगस्त को हुई", ref) == [
        ("13", "2023-08-13", "day"),
        ("14 अगस्त", "2023-08-14", "day"),
    ]


# Monday, August 25, 2025: a weekday in a clause about what is to come is the next one, else the last one.
FUTURE_CASES = [
    ("Modi will meet Xi in Tianjin on Tuesday.", "2025-08-26"),
    ("Jaishankar is scheduled to travel to Beijing on Thursday for talks.", "2025-08-28"),
    ("Hotels in Leh are booked until Sunday.", "2025-08-31"),
    ("The two sides are expected to hold the next round on Friday.", "2025-08-29"),
    ("Ahead of Wednesday's meeting, officials reviewed the border situation.", "2025-08-27"),
    ("The talks lasted until Sunday.", "2025-08-24"),
    ("China will respond, the ministry said on Saturday.", "2025-08-23"),
    ("India and China held talks on Friday.", "2025-08-22"),
    ("The ministers, who met on Saturday, will meet again on Thursday.", ["2025-08-23", "2025-08-28"]),
    ("दोनों देशों के अधिकारियों की बुधवार को बैठक होगी।", "2025-08-27"),
    ("विदेश मंत्री गुरुवार को बीजिंग में वांग यी से मुलाकात करेंगे।", "2025-08-28"),
    ("सोमवार को हुई बैठक के बाद दोनों पक्ष शुक्रवार को फिर मिलेंगे।", ["2025-08-25", "2025-08-29"]),
    ("अगले दौर की वार्ता शनिवार को होनी है।", "2025-08-30"),
    ("रविवार तक होटल बुक रहेंगे।", "2025-08-31"),
    ("शनिवार को दोनों देशों के कमांडरों ने बैठक की।", "2025-08-23"),
    ("शुक्रवार को योगी ने सीमा का दौरा किया।", "2025-08-22"),
    ("बुधवार को चीनी सैनिक पीछे हटेंगे, अधिकारियों ने कहा।", "2025-08-27"),
    ("गुरुवार को हुई झड़प में जवान घायल हुए।", "2025-08-21"),
]


@pytest.mark.parametrize(("text", "want"), FUTURE_CASES)
def test_future_weekdays_in_plans_are_the_next_such_day(text, want):
    ref = Reference(date(2025, 8, 25), True)
    got = [m.value for m in find_dates(text, ref) if m.granularity == "day"]
    assert got == (want if isinstance(want, list) else [want])


# (published, text, event day): wire reports filed a day before publication, statements about an
# earlier event ("told Parliament on Tuesday that ... on December 9").
EVENT_DAY_CASES = [
    # (published, text, event day)
    (
        "2024-02-20T22:00:00+05:30",
        "NEW DELHI, Feb 20 (PTI) – India and China held the WMCC talks on Monday and reviewed the border.",
        "2024-02-19",
    ),
    (
        "2024-02-21T08:00:00+05:30",
        "NEW DELHI, Feb 20 (PTI): India and China held the WMCC talks on Monday and reviewed the border.",
        "2024-02-19",
    ),
    (
        "2024-02-21T08:00:00+05:30",
        "Beijing, Feb 20 (Reuters) – Chinese and Indian commanders met on Tuesday at Moldo.",
        "2024-02-20",
    ),
    (
        "2022-12-13T18:00:00+05:30",
        "Defence Minister Rajnath Singh told Parliament on Tuesday that Chinese troops tried to "
        "transgress the LAC in Yangtse on December 9 and were pushed back.",
        "2022-12-09",
    ),
    (
        "2022-12-13T18:00:00+05:30",
        "The minister said on Tuesday that Indian troops repulsed the PLA in a clash on Friday in Tawang.",
        "2022-12-09",
    ),
    (
        "2022-12-13T18:00:00+05:30",
        "रक्षा मंत्री ने मंगलवार को संसद में बताया कि 9 दिसंबर को चीनी सैनिकों ने यांग्त्से में घुसपैठ की कोशिश की।",
        "2022-12-09",
    ),
    ("2022-12-13T18:00:00+05:30", "विदेश मंत्रालय ने मंगलवार को कहा कि शुक्रवार को तवांग में झड़प हुई।", "2022-12-09"),
    (
        "2024-10-22T10:00:00+05:30",
        "नई दिल्ली, 21 अक्टूबर (भाषा) भारत और चीन ने सोमवार को गश्त पर समझौता किया।",
        "2024-10-21",
    ),
    (
        "2024-10-23T10:00:00+05:30",
        "India and China reached a patrolling agreement on Monday, Foreign Secretary Vikram Misri "
        "said on Tuesday.",
        "2024-10-21",
    ),
    (
        "2024-10-23T10:00:00+05:30",
        "Indian and Chinese troops began disengagement at Depsang on Wednesday, officials said.",
        "2024-10-23",
    ),
    (
        "2024-02-21T08:00:00+05:30",
        "NEW DELHI, Feb 20 (PTI) – India and China held border talks today, officials said.",
        "2024-02-20",
    ),
    (
        "2024-02-21T08:00:00+05:30",
        "NEW DELHI, Feb 20 (PTI): India and China will hold border talks tomorrow.",
        "2024-02-21",
    ),
    (
        "2024-02-21T08:00:00+05:30",
        "नई दिल्ली, 20 फरवरी (भाषा) भारत और चीन ने आज सीमा पर बातचीत की।",
        "2024-02-20",
    ),
]


@pytest.mark.parametrize(("published", "text", "want"), EVENT_DAY_CASES)
def test_event_day_is_the_day_the_text_says_it_happened(published, text, want):
    from pipeline import stories

    a = normalise(clean(Article(raw_text=text, published=published)))
    assert stories.story_dates(a)[0] == want


def test_a_wire_dateline_day_is_the_reference_for_today_when_published_next_morning():
    a = normalise(
        clean(
            Article(
                raw_text="NEW DELHI, Feb 20 (PTI) – India and China held talks today.",
                published="2024-02-21T08:00:00+05:30",
            )
        )
    )
    assert a.date_reference == "2024-02-20" and a.published_at.startswith("2024-02-21")
    old = normalise(
        clean(
            Article(
                raw_text="NEW DELHI, Feb 10 (PTI) – India and China held talks today.",
                published="2024-02-21T08:00:00+05:30",
            )
        )
    )
    assert old.date_reference == "2024-02-21"  # too far before publication to be the writing day


def test_a_year_split_over_two_calendar_years_is_not_a_year_mention():
    text = "The allocation for 2025-26 rose, after the 2024–25 budget; वर्ष 2023-24 में भी; the 2020 clash."
    assert [m.value for m in find_dates(text, None)] == ["2020"]


# An instant outside [1990, fetch time + 1 day] is not a publication date: the fetch time replaces it.
WIRE = "NEW DELHI, Feb 20 (PTI) – India and China held talks on Monday."


@pytest.mark.parametrize(
    "published,source",
    [
        ("0001-01-01T00:00:00Z", "example.org"),  # a CMS's "empty" date: OverflowError before
        ("0001-01-01T00:00:00Z", "ndtv.com"),  # ... also when moved to IST
        ("-0001-01-01", "example.org"),  # read as year 1 at a +05:53 offset before
        ("1900-01-01T10:00:00Z", "example.org"),  # indexed as is before
        ("9999-12-31T23:59:59Z", "ndtv.com"),  # OverflowError moving it to IST before
        ("Mon, 01 Jan 0001 00:00:00 GMT", "example.org"),  # read as 2001 before
    ],
)
def test_an_implausible_publication_instant_falls_back_to_the_fetch_time(published, source):
    from pipeline import stories

    a = Article(input="x", source=source, published=published, fetched_at="2025-03-01T10:00:00Z", text=WIRE)
    out = normalise(a)
    assert (out.published_at, out.published_at_source, out.published, out.date_reference) == (
        "2025-03-01T10:00:00+00:00",
        "fetched",
        published,
        "2025-03-01",
    )
    assert stories.with_story_key(out).story_date == "2025-02-24"  # the Monday before, not year 1


def test_the_story_stage_takes_a_year_one_publication_instant_without_overflow():
    from pipeline import stories

    # An article that reached the stories stage with such an instant (an older index, another writer).
    a = Article(input="x", published_at="0001-01-01T00:00:00+00:00", dates=[], text=WIRE)
    assert stories.story_dates(a) == (None, [])


def test_a_plausible_old_date_is_kept_and_the_window_starts_in_1990():
    keep = Article(input="x", published="1990-01-02T00:00:00Z", fetched_at="2025-03-01T10:00:00Z", text="x")
    drop = Article(input="x", published="1989-12-31T00:00:00Z", fetched_at="2025-03-01T10:00:00Z", text="x")
    assert normalise(keep).published_at == "1990-01-02T00:00:00+00:00"
    assert normalise(drop).published_at_source == "fetched"


def test_date_mentions_outside_the_calendar_a_report_means_are_left_out():
    # "0000-00-00" and "31 December 9999" are placeholders; a yearless date resolved against them
    # would leave the calendar.
    text = "Valid until 31 December 9999; created 0000-00-00; the talks on 12 March 2024; on March 14."
    assert [m.value for m in find_dates(text, None)] == ["2024-03-12"]
    out = normalise(Article(input="x", text="Valid until December 31, 9999, renewed on December 30."))
    assert out.dates == [] and out.date_reference is None


@pytest.mark.parametrize(
    "line",
    [
        "Posted On: 12 MAR 2025 5:30PM by PIB Delhi",
        "First published: March 12, 2025, 10:04 IST",
        "Last Updated: March 12, 2025 22:04 IST",
        "Mar 12, 2025 | 10:04 PM",
        "By Staff Reporter | 12 March 2025 10:04 IST",
        "प्रकाशित: 12 मार्च 2025, 10:04 PM (IST)",
        "प्रकाशित तिथि: बुधवार, 12 मार्च 2025",
    ],
)
def test_a_publication_line_inside_the_text_is_not_a_date_the_report_mentions(line):
    text = f"India and China held talks in Beijing on Monday.\n{line}\nThe talks were constructive."
    a = normalise(clean(Article(input="x", raw_text=text, fetched_at="2025-03-12T18:00:00Z")))
    assert [d["value"] for d in a.dates] == ["2025-03-10"]


def test_a_date_in_a_sentence_next_to_a_publication_line_is_kept():
    text = (
        "The talks were held on March 11, 2025 in Beijing.\nUpdated: Mar 12, 2025 10:04 IST\nMore talks soon."
    )
    a = normalise(clean(Article(input="x", raw_text=text, fetched_at="2025-03-12T18:00:00Z")))
    assert [d["value"] for d in a.dates] == ["2025-03-11"]


@pytest.mark.parametrize(
    "text",
    [
        "The file is in room 2020 of South Block.",
        "Call the helpline 1800 2000 100; PIN 2025.",
        "The patrol returned at 2030 hours.",
        "The ITBP trained 1998 recruits and 2019 jawans.",
        "सीमा पर 2000 जवान और 1500 वाहन तैनात हैं।",
    ],
)
def test_numbers_that_count_label_or_time_things_are_not_years(text):
    assert find_dates(text, WED_20_NOV) == []
