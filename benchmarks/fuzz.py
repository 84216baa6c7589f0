"""Long fuzz run of feed parsing, cleaning and dates (the properties of tests/test_fuzz.py, many more inputs).

    python benchmarks/fuzz.py [--examples N]

Prints, per stage, the number of inputs tried, how many were refused with BadInputError, and the slowest
input's time. Any other exception, or an input slower than the limit, fails the run (exit 1).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.article import Article  # noqa: E402
from pipeline.clean import clean  # noqa: E402
from pipeline.dates import find_dates, normalise, parse_published  # noqa: E402
from pipeline.errors import BadInputError  # noqa: E402
from pipeline.feeds import read_feed  # noqa: E402
from tests.test_fuzz import LIMIT_S, WORDS, feed_bytes, markup  # noqa: E402


class Stats:
    def __init__(self, name: str):
        self.name, self.tried, self.refused, self.slowest = name, 0, 0, 0.0

    def run(self, fn, *args, **kwargs):
        self.tried += 1
        t0 = time.monotonic()
        try:
            fn(*args, **kwargs)
        except BadInputError:
            self.refused += 1
        finally:
            elapsed = time.monotonic() - t0
            self.slowest = max(self.slowest, elapsed)
            assert elapsed < LIMIT_S, f"{self.name}: one input took {elapsed:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=3000, help="examples per stage")
    args = parser.parse_args()
    run = settings(
        max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    feeds, cleaning, dates = Stats("feed parsing"), Stats("cleaning"), Stats("dates")

    @run
    @given(feed_bytes())
    def fuzz_feeds(content):
        feeds.run(read_feed, content, feed_name="fuzz", max_entries=100)

    @run
    @given(markup(), st.one_of(st.none(), st.text(max_size=40)))
    def fuzz_clean(html, title):
        cleaning.run(
            clean, Article(input="fuzz#0", raw_url="https://e.com/a", raw_title=title, raw_html=html)
        )

    @run
    @given(
        st.one_of(st.text(max_size=300), st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join)),
        st.one_of(st.none(), st.text(max_size=40)),
    )
    def fuzz_dates(text, published):
        dates.run(parse_published, published)
        dates.run(find_dates, text, None)
        dates.run(
            normalise,
            Article(input="fuzz#0", text=text, published=published, fetched_at="2024-11-20T10:00:00+00:00"),
        )

    t0 = time.monotonic()
    for fn in (fuzz_feeds, fuzz_clean, fuzz_dates):
        fn()
    for s in (feeds, cleaning, dates):
        print(
            f"{s.name:<14} inputs tried {s.tried:>7}  refused (BadInputError) {s.refused:>6}  slowest "
            f"{s.slowest * 1000:8.1f} ms"
        )
    print(
        f"total {feeds.tried + cleaning.tried + dates.tried} inputs in {time.monotonic() - t0:.0f} s, no "
        f"crash, no hang"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
