"""HTML article pages: main text and publication date, ours against trafilatura and htmldate.

    .venv/bin/python benchmarks/html_pages.py              # 240 pages
    .venv/bin/python benchmarks/html_pages.py --pages 600

Pages are generated here, deterministically (seeded), from sentence templates and page layouts written
for this benchmark (no third-party page is used): CMS-like layouts (a modern <article> page, a
WordPress-like theme, an old table layout, a bare story page, a <br>-separated page, a Hindi outlet)
with navigation, cookie banners, sidebars and "most read" lists with their own timestamps, related
stories as <article> cards, comments with timestamps, share bars, footers; data tables and layout tables
of article text inside the article; the date given by JSON-LD (plain or @graph with a WebPage of another
date), OpenGraph/article meta, itemprop, an article <time>, a printed date line, only the URL, or not
at all; charsets UTF-8, Windows-1252 (declared by <meta> or not at all), ISO-8859-1 (http-equiv),
UTF-16 with BOM, an XML declaration, a 5-10 KB inline <style> before everything; foreign outlets with
their own offsets, some minutes from midnight. Each page has a gold text (its paragraphs and table
cells) and a gold day (the local day in the page's printed offset; an Indian outlet's day in IST).

Scoring, as trafilatura's evaluation does: bag-of-tokens precision and recall against the gold text
(lower-cased word tokens, Devanagari included), per page, averaged; a leading line equal to the title
is removed from every system's output first. Date: the predicted day equals the gold day (None when the
page states no date). Every system gets the page's bytes and URL, in the same process:
ours = `decoding.decode_html` + clean + language + dates; trafilatura `extract` (comments off,
its default date search); htmldate `find_date` fast (extensive_search=False, original_date=True) and
extensive (original_date=True). Times are CPU time per page (time.process_time; the machine is shared).

The check kept from benchmarks/process.py: the whole pipeline (`pipeline.process.process`, every stage
to story id) must stay >= 1.5x the naive get_text + dateparser search_dates over the same pages, in
the same run; the script exits 1 when it does not.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
import time
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import clean as clean_mod  # noqa: E402
from pipeline import dates, language  # noqa: E402
from pipeline.article import Article  # noqa: E402
from pipeline.decoding import decode_html  # noqa: E402
from pipeline.errors import BadInputError  # noqa: E402

IST = timezone(timedelta(hours=5, minutes=30))
PLACES = [
    "Depsang",
    "Demchok",
    "Galwan",
    "Pangong Tso",
    "Gogra",
    "Hot Springs",
    "Yangtse",
    "Chushul",
    "Tawang",
    "Doklam",
    "Nathu La",
    "Kibithu",
    "Daulat Beg Oldi",
    "Arunachal Pradesh",
    "eastern Ladakh",
    "Sikkim",
]
OFFICIALS = [
    "the defence minister",
    "the external affairs minister",
    "a senior army commander",
    "the foreign ministry spokesperson",
    "the national security adviser",
    "a retired lieutenant general",
    "the chief of army staff",
    "an official in New Delhi",
]
HI_DAYS = ["सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EN = [
    "Troops from both sides completed the disengagement at {place} on {day}, {official} said in a statement.",
    (
        "The {n}th round of corps commander-level talks was held at the Chushul-Moldo meeting point, with "
        "both delegations describing the discussions as frank."
    ),
    (
        "Satellite images reviewed by analysts show new road construction about {n} km from {place}, though "
        "the purpose of the work is unclear."
    ),
    "{Official} said patrolling would resume in {place} under the arrangement agreed last month.",
    (
        "Grazing rights for herders near {place} had been a long-standing demand of the local council, which "
        "welcomed the decision."
    ),
    (
        "The army has moved additional artillery units to forward positions, according to two officials "
        "familiar with the deployment."
    ),
    (
        "Officials said the buffer zones created after the 2020 clashes would be reviewed once verification "
        "patrols were complete."
    ),
    (
        "Both sides agreed to maintain peace and tranquillity along the Line of Actual Control while the "
        "talks continue."
    ),
    (
        "The working mechanism for consultation and coordination met virtually on {day} and discussed the "
        "remaining friction points."
    ),
    (
        "A new bridge over the river near {place} will cut the travel time for troops and supplies by "
        "several hours."
    ),
    "The opposition questioned the government in Parliament over the status of patrolling points in {place}.",
    "{Official} told reporters that the situation was stable but could not be called normal.",
    (
        "Winter temperatures at the posts near {place} fall below minus {n} degrees, making logistics the "
        "main challenge."
    ),
    "Local residents said mobile connectivity had improved since the new towers were installed in {place}.",
    (
        "The two foreign ministers met on the sidelines of the regional summit and reviewed the progress "
        "made so far."
    ),
    (
        "Analysts cautioned that the agreement covers only a few of the disputed areas and leaves larger "
        "questions open."
    ),
    (
        "The ministry issued a statement saying that the special representatives would meet before the end "
        "of the year."
    ),
    (
        "Village councils in {place} have asked for better roads, schools and health centres for the "
        "families living near the frontier."
    ),
    (
        "The defence budget for border infrastructure has risen by {n} per cent over three years, officials "
        "said."
    ),
    "A joint survey team visited the area on {day} to verify the dismantling of temporary structures.",
    "Heavy snowfall closed the pass for {n} days, stranding supply trucks at the base camp.",
    (
        "Former diplomats said the thaw reflected a wider interest in stabilising relations after years of "
        "tension."
    ),
    (
        "The state government announced compensation for farmers whose fields were damaged during the "
        "military exercise."
    ),
    "Satellite phone services will be extended to {n} remote villages under the new connectivity scheme.",
    (
        "The cricket board announced the squad for the home series, recalling two fast bowlers after injury "
        "layoffs."
    ),
    (
        "Markets closed higher on {day} as banking and technology stocks gained after the central bank held "
        "rates."
    ),
    (
        "The monsoon arrived in Kerala {n} days late this year, the weather office said, but rainfall is "
        "expected to be normal."
    ),
    "Tourism operators in {place} reported a sharp rise in bookings after the road reopened for visitors.",
]
ACCENTS = [
    "The café near the résumé office in Zürich hosted the delegation’s informal dinner, an aide said.",
    "“We remain hopeful,” the envoy said — adding that the next meeting would be “decisive”.",
    "A visiting professor from São Paulo described the talks as a “déjà vu” of earlier rounds.",
]
HI = [
    "रक्षा मंत्री ने {day} को कहा कि पूर्वी लद्दाख में स्थिति स्थिर है लेकिन सतर्कता बनाए रखनी होगी।",
    "दोनों देशों के सैन्य कमांडरों के बीच {n}वें दौर की बातचीत चुशूल-मोल्डो में हुई।",
    "अधिकारियों के अनुसार सीमा के पास नई सड़क बनने से सैनिकों की आवाजाही में कई घंटे की बचत होगी।",
    "विदेश मंत्रालय के प्रवक्ता ने बताया कि गश्त की व्यवस्था पर सहमति बन गई है।",
    "स्थानीय लोगों ने कहा कि सर्दियों में तापमान शून्य से {n} डिग्री नीचे चला जाता है।",
    "विपक्ष ने संसद में सरकार से सीमा पर बफर जोन की स्थिति के बारे में सवाल पूछा।",
    "सेना ने अग्रिम चौकियों तक रसद पहुंचाने के लिए नए हेलीपैड तैयार किए हैं।",
    "गांव की पंचायत ने सीमावर्ती इलाकों में स्कूल और अस्पताल खोलने की मांग की है।",
    "विशेषज्ञों का कहना है कि समझौते से तनाव कम होगा लेकिन कई मुद्दे अभी बाकी हैं।",
    "भारी बर्फबारी के कारण दर्रा {n} दिनों तक बंद रहा और ट्रक बेस कैंप पर फंसे रहे।",
    "राज्य सरकार ने सैन्य अभ्यास में नुकसान झेलने वाले किसानों के लिए मुआवजे की घोषणा की।",
    "दोनों विदेश मंत्रियों ने शिखर सम्मेलन के दौरान मुलाकात कर प्रगति की समीक्षा की।",
    "मौसम विभाग ने बताया कि इस साल मानसून केरल में {n} दिन देर से पहुंचा।",
    "पर्यटन कारोबारियों ने कहा कि सड़क खुलने के बाद बुकिंग में तेज बढ़ोतरी हुई है।",
]
HI_MONTHS = ["जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"]
EN_TITLES = [
    "Troops complete disengagement at {place}",
    "Border talks: patrolling to resume in {place}",
    "New road near {place} raises questions",
    "Army strengthens logistics for winter near {place}",
    "Villages near {place} seek better roads and schools",
    "Special representatives to meet again, says ministry",
]
HI_TITLES = [
    "पूर्वी लद्दाख में गश्त फिर शुरू होगी",
    "सीमा पर नई सड़क से सैनिकों को राहत",
    "सीमावर्ती गांवों में स्कूल की मांग",
    "सैन्य वार्ता का नया दौर चुशूल में",
]
INDIAN = [
    "https://www.hindustantimes.com/india-news/",
    "https://www.ndtv.com/india-news/",
    "https://www.thehindu.com/news/national/",
    "https://www.tribuneindia.com/news/nation/",
    "https://theprint.in/defence/",
]
HINDI_OUTLETS = [
    "https://www.amarujala.com/india-news/",
    "https://www.bhaskar.com/national/",
    "https://www.livehindustan.com/national/",
]
FOREIGN = [
    ("https://www.example-times.com/world/asia/", timezone(timedelta(hours=-5))),
    ("https://news.example.co.uk/world/", UTC),
    ("https://www.example-post.com/world/", timezone(timedelta(hours=-8))),
    ("https://www.example-zeitung.de/ausland/", timezone(timedelta(hours=1))),
    ("https://www.example-herald.sg/asia/", timezone(timedelta(hours=8))),
]


@dataclass
class Page:
    content: bytes
    url: str
    title: str
    gold_text: str
    gold_day: str | None
    tags: list[str] = field(default_factory=list)


def fill(template: str, rng: random.Random) -> str:
    official = rng.choice(OFFICIALS)
    days = HI_DAYS if re.search(r"[\u0900-\u097F]", template) else DAYS
    return template.format(
        place=rng.choice(PLACES),
        day=rng.choice(days),
        n=rng.randint(3, 40),
        official=official,
        Official=official[0].upper() + official[1:],
    )


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraphs(rng: random.Random, hindi: bool, accents: bool) -> list[str]:
    pool = HI if hindi else EN
    sentences = [fill(t, rng) for t in rng.sample(pool, rng.randint(5, 10))]
    if accents and not hindi:
        sentences[rng.randrange(len(sentences))] = rng.choice(ACCENTS)
    out, k = [], 0
    while k < len(sentences):
        size = rng.randint(1, 3)
        out.append(" ".join(sentences[k : k + size]))
        k += size
    return out


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def printed(dt: datetime, ist: bool) -> str:
    """A date line as outlets print it."""
    zone = "IST" if ist else dt.strftime("%z")
    return f"Published: {dt.strftime('%b %d, %Y, %I:%M %p')} {zone}"


def noise(rng: random.Random, hindi: bool, day: datetime) -> dict[str, str]:
    """Page chrome: each piece carries its own text and, for some, its own timestamps."""
    other = day - timedelta(days=rng.randint(1, 400))
    later = day + timedelta(days=rng.randint(1, 30))
    nav = (
        "<nav class='main-nav'><ul>"
        + "".join(
            f"<li><a href='/{w.lower()}'>{w}</a></li>"
            for w in (
                ["होम", "देश", "दुनिया", "खेल"]
                if hindi
                else ["Home", "India", "World", "Sports", "Opinion", "Videos"]
            )
        )
        + "</ul></nav>"
    )
    cookie = (
        "<div class='cookie-banner' id='cookie-consent'><p>We use cookies to improve your experience. By "
        "continuing "
        "to browse you agree to our use of cookies.</p><button>Accept</button></div>"
    )
    sidebar = (
        "<aside class='sidebar'><h3>Most read</h3><ul>"
        + "".join(
            f"<li><a href='/s{i}'>{esc(fill(rng.choice(EN_TITLES), rng))}</a> <time "
            f"datetime='{iso(other + timedelta(hours=i))}'>"
            f"{(other + timedelta(hours=i)).strftime('%b %d')}</time></li>"
            for i in range(4)
        )
        + "</ul></aside>"
    )
    related = (
        "<section class='related-stories'><h3>Related</h3>"
        + "".join(
            f"<article class='card'><a href='/r{i}'>{esc(fill(rng.choice(EN_TITLES), rng))}</a>"
            f"<time datetime='{iso(other - timedelta(days=i))}'>"
            f"{(other - timedelta(days=i)).strftime('%d %b %Y')}</time></article>"
            for i in range(3)
        )
        + "</section>"
    )
    comments = (
        "<section id='comments' class='comments'><h3>3 comments</h3><ol class='comment-list'>"
        + "".join(
            f"<li class='comment'><span class='author'>Reader{i}</span> <time "
            f"datetime='{iso(later + timedelta(hours=i))}'>"
            f"{(later + timedelta(hours=i)).strftime('%B %d, %Y at %I:%M %p')}</time><p>This is a comment "
            f"number {i} "
            f"about the report, posted by a reader.</p></li>"
            for i in range(3)
        )
        + "</ol></section>"
    )
    share = (
        "<table class='share'><tr><td><a href='/fb'>Facebook</a></td><td><a href='/tw'>Twitter</a></td>"
        "<td><a href='/wa'>WhatsApp</a></td><td><a href='/em'>Email</a></td></tr></table>"
    )
    footer = (
        f"<footer><p>© {day.year} Example Media Ltd. All rights reserved.</p><a href='/about'>About us</a> "
        "<a href='/privacy'>Privacy policy</a></footer>"
    )
    newsletter = (
        "<div class='newsletter promo'><p>Sign up for our daily newsletter and get the top stories in your "
        "inbox.</p></div>"
    )
    return {
        "nav": nav,
        "cookie": cookie,
        "sidebar": sidebar,
        "related": related,
        "comments": comments,
        "share": share,
        "footer": footer,
        "newsletter": newsletter,
    }


def data_table(rng: random.Random) -> tuple[str, list[str]]:
    rows = [("Round", "Venue", "Outcome")] + [
        (
            f"{n}th",
            rng.choice(["Chushul", "Moldo", "Beijing", "New Delhi"]),
            rng.choice(["joint statement", "no agreement", "talks to continue"]),
        )
        for n in range(rng.randint(10, 15), rng.randint(16, 20))
    ]
    html = (
        "<table class='data'>"
        + "".join(
            "<tr>"
            + "".join(f"<{'th' if i == 0 else 'td'}>{c}</{'th' if i == 0 else 'td'}>" for c in r)
            + "</tr>"
            for i, r in enumerate(rows)
        )
        + "</table>"
    )
    return html, [" ".join(r) for r in rows]


def generate(n: int, seed: int = 11) -> list[Page]:
    rng = random.Random(seed)
    pages = []
    base = datetime(2023, 1, 1, tzinfo=UTC)
    for i in range(n):
        tags: list[str] = []
        layout = ["modern", "wordpress", "table", "bare", "br", "hindi"][i % 6]
        hindi = layout == "hindi"
        charset = "utf-8"
        if not hindi:
            charset = rng.choices(
                ["utf-8", "windows-1252", "cp1252-undeclared", "iso-8859-1", "utf-16"], [5, 1, 1, 1, 1]
            )[0]
        elif rng.random() < 0.15:
            charset = "utf-16"
        accents = charset != "utf-8" or rng.random() < 0.2
        # Who publishes: an Indian outlet (IST), or a foreign one with its own offset.
        if hindi:
            outlet, tz, indian = rng.choice(HINDI_OUTLETS), IST, True
        elif rng.random() < 0.6:
            outlet, tz, indian = rng.choice(INDIAN), IST, True
        else:
            (outlet, tz), indian = rng.choice(FOREIGN), False
        instant = base + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        if rng.random() < 0.25:  # minutes from midnight, local
            local = instant.astimezone(tz)
            instant = local.replace(hour=rng.choice([0, 23]), minute=rng.randrange(60))
            tags.append("near-midnight")
        local = instant.astimezone(tz)
        # Indian outlets often print UTC in their metadata; their day is still India's.
        meta_zone = UTC if indian and rng.random() < 0.3 else tz
        stamp = instant.astimezone(meta_zone)
        if meta_zone is not tz:
            tags.append("indian-utc")
        title = fill(rng.choice(HI_TITLES if hindi else EN_TITLES), rng)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or f"story-{i}"
        date_kind = rng.choices(
            [
                "jsonld",
                "graph",
                "og",
                "itemprop",
                "time",
                "printed",
                "url",
                "none",
                "meta-name",
                "broken-jsonld",
                "time-outside",
            ],
            [5, 2, 3, 2, 2, 2, 1, 1, 1, 1, 1],
        )[0]
        url = (
            f"{outlet}{local.strftime('%Y/%m/%d')}/{slug}-{i}"
            if date_kind == "url"
            else f"{outlet}{slug}-{i}.html"
        )
        gold_day = None if date_kind == "none" else local.date().isoformat()
        tags += [layout, date_kind, charset, "indian" if indian else "foreign"]
        paras = paragraphs(rng, hindi, accents)
        parts = noise(rng, hindi, local)
        gold = list(paras)
        # The article body as a list of blocks, so that extras can go between paragraphs.
        blocks = [f"<p>{esc(p)}</p>" for p in paras]
        if layout == "br":
            blocks = ["<div class='story-text'>" + "<br><br>".join(esc(p) for p in paras) + "</div>"]
        r = rng.random()
        if not hindi and r < 0.2:
            table, cells = data_table(rng)
            blocks.insert(rng.randrange(1, len(blocks) + 1), table)
            gold += cells
            tags.append("data-table")
        elif not hindi and r < 0.35 and layout not in ("table", "br"):
            # Part of the article laid out in a table (a pull-out box, an old CMS template).
            at = rng.randrange(1, len(blocks))
            blocks = blocks[:at] + [
                "<table class='story-box'><tr><td>" + "".join(blocks[at:]) + "</td></tr></table>"
            ]
            tags.append("prose-table")
        # Inside the article: subheadings, lists and quotes are text; captions, ad labels, tags, bios are not.
        extras = []
        if rng.random() < 0.3:
            sub = fill(rng.choice(HI_TITLES if hindi else EN_TITLES), rng)
            extras.append((f"<h2>{esc(sub)}</h2>", sub))
        if rng.random() < 0.25:
            points = [fill(t, rng) for t in rng.sample(HI if hindi else EN, 3)]
            extras.append(
                ("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in points) + "</ul>", "\n".join(points))
            )
        if rng.random() < 0.2:
            quote = fill(rng.choice(HI if hindi else EN), rng)
            extras.append((f"<blockquote><p>{esc(quote)}</p></blockquote>", quote))
        if rng.random() < 0.3:
            extras.append(
                (
                    "<figure><img src='/i.jpg' alt=''><figcaption>Soldiers at a forward post. (PTI file "
                    "photo)"
                    "</figcaption></figure>",
                    "",
                )
            )
        if rng.random() < 0.3:
            extras.append(("<div class='ad-slot'>Advertisement</div>", ""))
        if rng.random() < 0.2 and not hindi:
            extras.append(
                (f"<p>ALSO READ: <a href='/also'>{esc(fill(rng.choice(EN_TITLES), rng))}</a></p>", "")
            )
        for html_part, text_part in extras:  # after a paragraph, never last (a trailing heading is not real)
            blocks.insert(rng.randrange(1, len(blocks)) if len(blocks) > 1 else 0, html_part)
            if text_part:
                gold.append(text_part)
        if rng.random() < 0.3:
            blocks.append(parts["share"])
        if rng.random() < 0.3:
            blocks.append(
                "<div class='tags'>Tags: <a href='/t/india'>India</a> <a href='/t/china'>China</a> "
                "<a href='/t/lac'>LAC</a></div>"
            )
        if rng.random() < 0.2:
            blocks.append(
                "<div class='author-bio'><p>The writer is a correspondent who covers defence and foreign "
                "affairs for the paper.</p></div>"
            )
        body_html = "".join(blocks)
        head = [f"<title>{esc(title)} | Example News</title>"]
        charset_label = {"windows-1252": "windows-1252", "iso-8859-1": "iso-8859-1", "utf-16": "utf-16"}.get(
            charset, "utf-8"
        )
        if charset == "iso-8859-1":
            head.insert(0, f"<meta http-equiv='Content-Type' content='text/html; charset={charset_label}'>")
        elif charset != "cp1252-undeclared":
            head.insert(0, f"<meta charset='{charset_label}'>")
        head.append("<meta name='viewport' content='width=device-width, initial-scale=1'>")
        head.append(f"<link rel='canonical' href='{url}'>")
        article_time = ""
        date_line = ""
        if date_kind == "jsonld":
            ld = {
                "@context": "https://schema.org",
                "@type": rng.choice(["NewsArticle", "Article", "ReportageNewsArticle"]),
                "headline": title,
                "datePublished": iso(stamp),
                "dateModified": iso(stamp + timedelta(hours=5)),
            }
            head.append(f"<script type='application/ld+json'>{json.dumps(ld, ensure_ascii=False)}</script>")
        elif date_kind == "graph":
            ld = {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebSite", "name": "Example News", "datePublished": "2009-04-01"},
                    {"@type": "WebPage", "datePublished": iso(stamp - timedelta(days=3))},
                    {"@type": "NewsArticle", "headline": title, "datePublished": iso(stamp)},
                ],
            }
            head.append(f"<script type='application/ld+json'>{json.dumps(ld, ensure_ascii=False)}</script>")
        elif date_kind == "og":
            head.append(f"<meta property='article:published_time' content='{iso(stamp)}'>")
            head.append(f"<meta property='article:modified_time' content='{iso(stamp + timedelta(days=1))}'>")
        elif date_kind == "itemprop":
            article_time = f"<meta itemprop='datePublished' content='{iso(stamp)}'>"
        elif date_kind == "time":
            article_time = f"<time datetime='{iso(stamp)}'>{local.strftime('%d %B %Y')}</time>"
        elif date_kind == "printed":
            date_line = f"<div class='dateline'>{printed(local, indian)}</div>"
            if hindi:
                date_line = (
                    f"<div class='dateline'>प्रकाशित: {local.day} {HI_MONTHS[local.month - 1]} "
                    f"{local.year}</div>"
                )
        elif date_kind == "meta-name":
            key, value = rng.choice(
                [
                    ("publish-date", iso(stamp)),
                    ("DC.date.issued", local.date().isoformat()),
                    ("pubdate", iso(stamp)),
                ]
            )
            head.append(f"<meta name='{key}' content='{value}'>")
        elif date_kind == "broken-jsonld":  # a trailing comma: not JSON, still readable
            head.append(
                '<script type=\'application/ld+json\'>{"@type": "NewsArticle", '
                f'"datePublished": "{iso(stamp)}", "headline": "{title}",}}</script>'
            )
        elif date_kind == "time-outside":  # <time pubdate> in a header strip above the article, not in it
            date_line = (
                f"<div class='story-meta'><time pubdate "
                f"datetime='{iso(stamp)}'>{local.strftime('%d %b %Y')}</time></div>"
            )
        byline = (
            f"<div class='byline'>By {rng.choice(['Staff Reporter', 'Our Correspondent', 'A. Writer'])}</div>"
        )
        if hindi:
            byline = "<div class='byline'>द्वारा: संवाददाता</div>"
        h1 = f"<h1>{esc(title)}</h1>"
        if layout == "modern":
            page_body = (
                parts["nav"]
                + (parts["cookie"] if rng.random() < 0.5 else "")
                + ("<main>" if rng.random() < 0.5 else "<div class='wrap'>")
                + parts["sidebar"]
                + f"<article class='story'>{h1}{byline}{article_time}{date_line}<div "
                f"class='article-body'>{body_html}</div>"
                + "</article>"
                + parts["related"]
                + parts["comments"]
                + "</div>"
                + parts["footer"]
            )
        elif layout == "wordpress":
            page_body = (
                "<div id='page' class='site has-sidebar'>"
                + parts["nav"]
                + f"<div id='content'><div class='post'><h1 class='entry-title'>{esc(title)}</h1>"
                + f"<span class='posted-on'>{article_time}</span>{date_line}<div "
                f"class='entry-content'>{body_html}"
                + "</div></div>"
                + parts["comments"]
                + "</div><div id='secondary' class='widget-area'>"
                + parts["sidebar"]
                + parts["newsletter"]
                + "</div>"
                + parts["footer"]
                + "</div>"
            )
        elif layout == "table":
            page_body = (
                "<table width='100%'><tr><td class='leftnav'>"
                + parts["nav"]
                + "</td><td class='content'>"
                + f"{h1}{byline}{article_time}{date_line}{body_html}</td><td class='rightcol'>"
                + parts["sidebar"]
                + "</td></tr></table>"
                + parts["footer"]
            )
            tags.append("prose-table")
        elif layout == "bare":
            page_body = (
                f"<div class='story'>{h1}{article_time}{date_line}{body_html}</div>" + parts["related"]
            )
        elif layout == "br":
            page_body = (
                parts["nav"]
                + parts["cookie"]
                + f"<div class='content'>{h1}{byline}{article_time}{date_line}"
                + body_html
                + "</div>"
                + parts["comments"]
                + parts["footer"]
            )
        else:  # hindi outlet
            page_body = (
                parts["nav"]
                + f"<div class='container'><article>{h1}{byline}{article_time}{date_line}"
                + f"<div class='story-body'>{body_html}</div></article>"
                + parts["sidebar"]
                + "</div>"
                + parts["comments"]
                + parts["footer"]
            )
        lang = "hi" if hindi else "en"
        html = (
            f"<!DOCTYPE html><html lang='{lang}'><head>{''.join(head)}</head><body>{page_body}</body></html>"
        )
        if rng.random() < 0.1:
            style = (
                "<style>"
                + "".join(
                    f".b{k} .c{k} {{ margin: {k % 9}px; padding: {k % 7}px; color: #{k % 999:03d}; }}\n"
                    for k in range(rng.randint(110, 220))
                )
                + "</style>"
            )
            html = style + html
            tags.append("big-style")
        if rng.random() < 0.08 and charset in ("utf-8", "windows-1252"):
            html = f"<?xml version='1.0' encoding='{charset_label}'?>\n" + html
            tags.append("xml-declaration")
        codec = {
            "windows-1252": "cp1252",
            "cp1252-undeclared": "cp1252",
            "iso-8859-1": "cp1252",
            "utf-16": "utf-16",
        }.get(charset, "utf-8")
        pages.append(Page(html.encode(codec), url, title, "\n".join(gold), gold_day, tags))
    return pages


# ---------------------------------------------------------------------------------------------- scoring
TOKEN = re.compile(r"[\w\u0900-\u097F]+")


def tokens(text: str) -> collections.Counter:
    return collections.Counter(TOKEN.findall(text.lower()))


def without_title(text: str | None, title: str) -> str:
    lines = [ln for ln in (text or "").split("\n") if ln.strip()]
    key = lambda s: re.sub(r"\W+", "", s.lower())  # noqa: E731
    if lines and key(lines[0]) == key(title):
        lines = lines[1:]
    return "\n".join(lines)


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p, g = tokens(pred), tokens(gold)
    common = sum((p & g).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


# ---------------------------------------------------------------------------------------------- systems
def ours(page: Page) -> tuple[str, str | None]:
    try:
        html = decode_html(page.content)
        a = clean_mod.clean(Article(input="bench", raw_url=page.url, raw_html=html))
    except BadInputError:
        return "", None
    a = dates.normalise(language.detect(a))
    return a.text, (a.published_at or "")[:10] or None


def trafilatura_system(page: Page) -> tuple[str, str | None]:
    import trafilatura

    out = trafilatura.extract(
        page.content, url=page.url, output_format="json", with_metadata=True, include_comments=False
    )
    if not out:
        return "", None
    doc = json.loads(out)
    return doc.get("text") or "", (doc.get("date") or "")[:10] or None


def htmldate_fast(page: Page) -> tuple[str, str | None]:
    from htmldate import find_date

    return "", find_date(page.content, url=page.url, extensive_search=False, original_date=True)


def htmldate_extensive(page: Page) -> tuple[str, str | None]:
    from htmldate import find_date

    return "", find_date(page.content, url=page.url, extensive_search=True, original_date=True)


def variant(**kwargs):
    """Ours with `page_to_text` options changed (tables off, no htmldate fallback), for comparison."""
    original = clean_mod.page_to_text

    def run(page: Page) -> tuple[str, str | None]:
        clean_mod.page_to_text = lambda p, u=None: original(p, u, **kwargs)
        try:
            return ours(page)
        finally:
            clean_mod.page_to_text = original

    return run


def without_htmldate(page: Page) -> tuple[str, str | None]:
    """Ours with the htmldate fallback off (the printed date line still read)."""
    original = clean_mod.htmldate_published
    clean_mod.htmldate_published = lambda tree, url=None: None
    try:
        return ours(page)
    finally:
        clean_mod.htmldate_published = original


def evaluate(name: str, system, pages: list[Page], text: bool = True) -> dict:
    scores, correct, seconds = [], 0, 0.0
    wrong: collections.Counter = collections.Counter()
    for page in pages:
        start = time.process_time()
        pred_text, pred_day = system(page)
        seconds += time.process_time() - start
        if text:
            scores.append(prf(without_title(pred_text, page.title), page.gold_text))
        if pred_day == page.gold_day:
            correct += 1
        else:
            wrong.update(
                t for t in page.tags if t not in ("modern", "wordpress", "table", "bare", "br", "hindi")
            )
    n = len(pages)
    mean = [sum(s[k] for s in scores) / n for k in range(3)] if text else None
    tagged = collections.Counter(t for p in pages for t in p.tags)
    by_tag = {t: 1 - wrong[t] / tagged[t] for t in BREAKDOWN if tagged[t]}
    return {
        "name": name,
        "prf": mean,
        "date": correct / n,
        "ms": 1000 * seconds / n,
        "wrong": wrong,
        "by_tag": by_tag,
    }


# Page kinds whose date accuracy is printed apart (each page has several tags).
BREAKDOWN = (
    "jsonld",
    "graph",
    "og",
    "itemprop",
    "meta-name",
    "broken-jsonld",
    "time",
    "time-outside",
    "printed",
    "url",
    "none",
    "near-midnight",
    "indian-utc",
    "foreign",
    "hindi",
)


def throughput(pages: list[Page]) -> tuple[float, float]:
    """(pages/s of the whole pipeline, pages/s of get_text + search_dates), CPU time, same pages."""
    from bs4 import BeautifulSoup
    from dateparser.search import search_dates

    from pipeline.dedupe import MemoryDedupeIndex
    from pipeline.process import process
    from pipeline.stories import MemoryStoryIndex

    def raw() -> list[Article]:
        return [
            Article(input=f"p#{k}", raw_url=p.url, raw_html=decode_html(p.content))
            for k, p in enumerate(pages)
        ]

    list(process(raw()[:10], registry=MemoryDedupeIndex(), clusters=MemoryStoryIndex()))  # warm-up
    start = time.process_time()
    list(process(raw(), registry=MemoryDedupeIndex(), clusters=MemoryStoryIndex()))
    ours_s = time.process_time() - start
    start = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a in raw():
            search_dates(BeautifulSoup(a.raw_html, "lxml").get_text(" "), languages=["en", "hi"])
    base_s = time.process_time() - start
    return len(pages) / ours_s, len(pages) / base_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--show-wrong", action="store_true", help="print the tags of pages whose date was wrong"
    )
    args = parser.parse_args()
    pages = generate(args.pages, args.seed)
    warnings.simplefilter("ignore")
    (
        ours(pages[0]),
        trafilatura_system(pages[0]),
        htmldate_fast(pages[0]),
    )  # warm-up: models, patterns, imports
    kinds = collections.Counter(t for p in pages for t in p.tags)
    print(f"{len(pages)} pages; " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    rows = [
        evaluate("ours", ours, pages),
        evaluate("ours, tables dropped (include_tables=False)", variant(tables=False), pages),
        evaluate("ours, no htmldate fallback", without_htmldate, pages),
        evaluate("ours, page metadata only (no fallback)", variant(date_fallback=False), pages),
        evaluate("trafilatura extract", trafilatura_system, pages),
        evaluate("htmldate find_date fast", htmldate_fast, pages, text=False),
        evaluate("htmldate find_date extensive", htmldate_extensive, pages, text=False),
    ]
    print(f"\n{'system':46} {'P':>6} {'R':>6} {'F1':>6} {'date':>6} {'ms/page':>8}")
    for r in rows:
        p, rr, f = r["prf"] or ("-", "-", "-")
        fmt = lambda x: f"{x:6.3f}" if isinstance(x, float) else f"{x:>6}"  # noqa: E731
        print(f"{r['name']:46} {fmt(p)} {fmt(rr)} {fmt(f)} {r['date']:6.3f} {r['ms']:8.1f}")
    print("\ndate accuracy by page kind:")
    print(f"{'system':46} " + " ".join(f"{t[:9]:>9}" for t in BREAKDOWN))
    for r in rows:
        print(
            f"{r['name'][:46]:46} " + " ".join(f"{r['by_tag'].get(t, float('nan')):9.2f}" for t in BREAKDOWN)
        )
    print(f"{'(pages)':46} " + " ".join(f"{kinds[t]:9d}" for t in BREAKDOWN))
    if args.show_wrong:
        for r in rows:
            print(f"wrong dates, {r['name']}: {dict(r['wrong'].most_common())}")
    ours_rate, base_rate = throughput(pages)
    ratio = ours_rate / base_rate
    print(
        f"\nwhole pipeline {ours_rate:.1f} pages/s per CPU-second; get_text + search_dates {base_rate:.1f} "
        f"pages/s; "
        f"ratio {ratio:.2f} (must be >= 1.5)"
    )
    return 0 if ratio >= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
