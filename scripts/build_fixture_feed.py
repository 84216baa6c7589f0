"""Build seeds/feed.xml (RSS 2.0) from seeds/manifest.json and the seed texts.

python scripts/build_fixture_feed.py          # write seeds/feed.xml
python scripts/build_fixture_feed.py --check  # exit 1 if seeds/feed.xml is out of date
"""

from __future__ import annotations

import json
import sys
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import dateparser

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def rfc822(printed: str) -> str:
    # Indian outlets print IST, which is +05:30 (dateparser alone would read IST as Israel time).
    value = dateparser.parse(printed.replace("IST", "+0530"), settings={"RETURN_AS_TIMEZONE_AWARE": True})
    assert value is not None, printed
    return format_datetime(value)


def build() -> str:
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    feed = manifest["feed"]
    items = []
    for seed in manifest["seeds"]:
        text = (SEEDS / seed["file"]).read_text(encoding="utf-8")
        parts = [
            f'      <guid isPermaLink="false">{escape(seed["file"])}</guid>',
            f"      <link>{escape(seed['url'])}</link>",
        ]
        if seed.get("title"):
            parts.insert(0, f"      <title>{escape(seed['title'])}</title>")
        if seed.get("published"):
            parts.append(f"      <pubDate>{rfc822(seed['published'])}</pubDate>")
        if seed.get("byline"):
            parts.append(f"      <dc:creator>{escape(seed['byline'])}</dc:creator>")
        parts.append(f"      <content:encoded><![CDATA[{text}]]></content:encoded>")
        items.append("    <item>\n" + "\n".join(parts) + "\n    </item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "  <channel>\n"
        f"    <title>{escape(feed['title'])}</title>\n"
        f"    <link>{escape(feed['link'])}</link>\n"
        f"    <description>{escape(feed['description'])}</description>\n"
        + "\n".join(items)
        + "\n  </channel>\n</rss>\n"
    )


def main() -> int:
    xml = build()
    target = SEEDS / "feed.xml"
    if "--check" in sys.argv:
        if not target.exists() or target.read_text(encoding="utf-8") != xml:
            print("seeds/feed.xml is out of date: run python scripts/build_fixture_feed.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(xml, encoding="utf-8")
    print(f"wrote {target} ({len(manifest_items(xml))} items)")
    return 0


def manifest_items(xml: str) -> list[str]:
    return xml.split("<item>")[1:]


if __name__ == "__main__":
    sys.exit(main())
