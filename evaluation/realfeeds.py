"""Parse real publishers' feeds with the pipeline and report what came out (optional; not run by `make test`).

    python evaluation/realfeeds.py [DIR]        # default: ../shared/realfeeds beside the project

The feeds are third-party files: they are read from where they are kept and never copied into the
repository (the tests use the project's own fixtures in tests/fixtures/feeds, which keep their quirks).
Per feed: entries found vs `<item>`/`<entry>` elements in the bytes, entries with a link, with a
`published_at`, entries whose stages failed, and the titles the relevance stage keeps.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import clean, dates, language, relevance  # noqa: E402
from pipeline.errors import BadInputError  # noqa: E402
from pipeline.feeds import read_feed  # noqa: E402


def report(path: Path) -> tuple[int, list[str]]:
    """Print one feed's figures; return its number of problems and the titles kept as relevant."""
    content = path.read_bytes()
    elements = (
        content.count(b"<item>")
        + content.count(b"<item ")
        + content.count(b"<entry>")
        + content.count(b"<entry ")
    )
    try:
        parsed = read_feed(content, feed_name=path.name)
    except BadInputError as exc:
        print(f"{path.name}: refused: {exc}")
        return 1, []
    linked = dated = failed = 0
    kept: list[str] = []
    for article in parsed.articles:
        linked += bool(article.raw_url)
        try:
            a = dates.normalise(relevance.score(language.detect(clean.clean(article))))
        except Exception as exc:  # a report of what breaks, not a pipeline: count and show it
            failed += 1
            print(f"  failed: {article.raw_url}: {type(exc).__name__}: {exc}")
            continue
        dated += a.published_at is not None
        if a.relevant:
            kept.append(a.title or "")
    n = len(parsed.articles)
    print(
        f"{path.name}: {n} entries of {elements} elements, {linked} with a link, {dated} with published_at, "
        f"{failed} failed, {len(kept)} relevant"
    )
    for title in kept:
        print(f"  relevant: {title}")
    return (n != elements) + (linked != n) + failed, kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "realfeeds"))
    args = parser.parse_args()
    paths = sorted(p for p in Path(args.dir).glob("*") if p.suffix.lower() in (".xml", ".rss", ".atom"))
    if not paths:
        print(f"no feeds in {args.dir}", file=sys.stderr)
        return 2
    problems = sum(report(p)[0] for p in paths)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
