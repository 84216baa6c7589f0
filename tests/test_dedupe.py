"""Dedupe stage: stable ids, exact and near-duplicate detection on copies of the seeds."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from pipeline import dedupe
from pipeline.article import Article
from pipeline.dedupe import MemoryDedupeIndex, content_hash, fingerprint
from pipeline.ingest.rawqueue import entry_id
from pipeline.urls import canonical_url
from tests.conftest import ROOT, SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
NDTV = "https://www.ndtv.com/india-news/rajnath-singh-to-meet-chinese-counterpart-dong-jun-in-laos-6999999"


def seed(n: int) -> str:
    return SEED_FILES[n].read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n", text) if p.strip()]


def article(text: str, url: str | None = None) -> Article:
    return fingerprint(Article(input="test", text=text, url=url))


# Copies of a seed as another site or a later edit would serve it.
def with_other_debris(text: str) -> str:
    return (
        "Menu Explore Home India World Videos\nFollow us on X and Instagram\n"
        + text
        + (
            "\nREAD | Army chief visits forward posts in Ladakh\nThis story is now available on "
            "WhatsApp. Click to join.\n"
        )
    )


def reflowed(text: str) -> str:
    return " ".join(paragraphs(text))


def one_sentence_per_paragraph(text: str) -> str:
    return "\n\n".join(re.split(r"(?<=[.।])\s+", reflowed(text)))


def republished_update(text: str) -> str:
    ps = paragraphs(text)
    ps.insert(
        len(ps) // 2,
        "Updated with the ministry's statement issued later in the evening after the talks ended.",
    )
    return "\n\n".join(ps) + "\n\n(With inputs from agencies)"


def syndicated_shorter(text: str) -> str:
    ps = paragraphs(text)
    return "\n\n".join(ps[: max(1, int(len(ps) * 0.75))])


# --- fingerprints
def test_content_hash_ignores_case_punctuation_whitespace_and_paragraph_breaks():
    assert content_hash("Rajnath Singh met Dong Jun.\n\nThey agreed.") == content_hash(
        "rajnath singh  met dong jun — they agreed"
    )


def test_content_hash_changes_when_a_word_changes():
    assert content_hash("Rajnath Singh met Dong Jun.") != content_hash("Rajnath Singh met Wang Yi.")


def test_id_is_the_hash_of_the_canonical_url_like_the_raw_index_id():
    assert article(seed(4), url=NDTV).id == entry_id(Article(input="unused", raw_url=NDTV))


def test_same_url_keeps_its_id_when_the_text_is_edited():
    assert article(seed(4), url=NDTV).id == article(republished_update(seed(4)), url=NDTV).id


def test_without_url_the_id_follows_the_content():
    assert article(seed(1)).id == article(reflowed(seed(1))).id
    assert article(seed(1)).id != article(seed(2)).id


def test_fingerprint_is_the_same_in_another_process():
    code = (
        "import json,sys; from pipeline.article import Article; from pipeline.dedupe import fingerprint;"
        "a=fingerprint(Article(text=sys.stdin.read(), url='https://x.example/a'));"
        "print(json.dumps([a.id, a.content_hash, a.minhash, a.minhash_bands]))"
    )
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code],
                input=seed(0),
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
                env={"PYTHONHASHSEED": str(n), "PATH": ""},
            ).stdout
        )
        for n in (1, 2)
    ]
    here = article(seed(0), url="https://x.example/a")
    assert runs[0] == runs[1] == [here.id, here.content_hash, here.minhash, here.minhash_bands]


def test_signature_has_num_perm_values_and_one_key_per_band():
    a = article(seed(2))
    assert len(a.minhash) == dedupe.NUM_PERM == dedupe.BANDS * dedupe.ROWS
    assert [k.split(":")[0] for k in a.minhash_bands] == [f"b{i}" for i in range(dedupe.BANDS)]


def test_empty_text_has_no_signature_and_an_id_from_its_input():
    a = fingerprint(Article(input="feed#3", text=""))
    assert (a.content_hash, a.minhash, a.minhash_bands) == (None, None, [])
    assert a.id == dedupe.article_id(None, None, "feed#3")


# --- near-duplicates of every seed are flagged, as duplicates of the original
COPIES = [with_other_debris, reflowed, one_sentence_per_paragraph, republished_update, syndicated_shorter]


@pytest.mark.parametrize("copy", COPIES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", range(len(SEED_FILES)))
def test_copy_of_a_seed_at_another_url_is_a_duplicate_of_the_seed(n, copy):
    registry = MemoryDedupeIndex()
    original = registry.check(article(seed(n), url=f"https://a.example/{n}"))
    duplicate = registry.check(article(copy(seed(n)), url=f"https://b.example/syndicated/{n}"))
    assert (original.duplicate_of, duplicate.duplicate_of) == (None, original.id)


def test_exact_copy_at_another_url_is_found_by_content_hash():
    registry = MemoryDedupeIndex(threshold=1.01)  # near-duplicate matching off: only the hash can find it
    original = registry.check(article(seed(3), url="https://a.example/x"))
    assert registry.check(article(seed(3) + "\n\n", url="https://b.example/y")).duplicate_of == original.id


@pytest.mark.parametrize(
    "variant",
    [
        NDTV + "/amp",
        NDTV + "?utm_source=twitter&utm_medium=social&fbclid=abc",
        NDTV + "#comments",
        "https://amp.ndtv.com/india-news/rajnath-singh-to-meet-chinese-counterpart-dong-jun-in-laos-6999999",
    ],
)
def test_tracking_and_amp_urls_give_the_same_id_and_are_flagged(variant):
    registry = MemoryDedupeIndex()
    original = registry.check(article(seed(4), url=canonical_url(NDTV)))
    again = registry.check(article(with_other_debris(seed(4)), url=canonical_url(variant)))
    assert (again.id, again.duplicate_of) == (original.id, original.id)


def test_different_seeds_are_not_duplicates():
    registry = MemoryDedupeIndex()
    checked = [registry.check(article(seed(n), url=f"https://a.example/{n}")) for n in range(len(SEED_FILES))]
    assert [a.duplicate_of for a in checked] == [None] * len(SEED_FILES)


def test_reports_of_the_same_meeting_by_different_outlets_are_not_duplicates():
    assert dedupe.jaccard(article(seed(1)).minhash, article(seed(2)).minhash) < 0.1


def test_a_copy_of_a_copy_points_to_the_first_article():
    registry = MemoryDedupeIndex()
    first = registry.check(article(seed(2), url="https://a.example/1"))
    second = registry.check(article(with_other_debris(seed(2)), url="https://b.example/2"))
    third = registry.check(article(reflowed(with_other_debris(seed(2))), url="https://c.example/3"))
    assert (second.duplicate_of, third.duplicate_of) == (first.id, first.id)


def test_measured_similarity_of_copies_is_above_and_of_other_articles_below_the_threshold():
    # The figures docs/processing.md quotes: every copy >= 0.59, every pair of different seeds <= 0.05.
    copies = [
        dedupe.jaccard(article(seed(n)).minhash, article(copy(seed(n))).minhash)
        for n in range(len(SEED_FILES))
        for copy in COPIES
    ]
    others = [
        dedupe.jaccard(article(seed(i)).minhash, article(seed(j)).minhash)
        for i in range(len(SEED_FILES))
        for j in range(i + 1, len(SEED_FILES))
    ]
    assert min(copies) >= dedupe.NEAR_DUPLICATE_THRESHOLD + 0.05
    assert max(others) <= dedupe.NEAR_DUPLICATE_THRESHOLD - 0.4


def test_a_bucket_keeps_its_most_recent_values_and_one_value_as_itself():
    buckets: dict = {}
    dedupe.push(buckets, "k", "a", size=2)
    assert (buckets["k"], dedupe.members(buckets, "k")) == ("a", ("a",))
    for value in "bcd":
        dedupe.push(buckets, "k", value, size=2)
    assert (dedupe.members(buckets, "k"), dedupe.members(buckets, "missing")) == (["c", "d"], ())


# --- wire copies of short reports, and two rounds of the same talks
def wire_copy(text: str) -> str:
    """A copy as another outlet serves a wire report: site debris, a first line and a tail added."""
    return (
        "Menu Home India World\nFollow us on X\nNEW DELHI, (Agency): Officials confirmed the details "
        "late in the evening.\n"
        + text
        + "\nAlso read: other stories from the region today.\n(With inputs from agencies)\nShare this article"
    )


def test_wire_copies_of_short_reports_are_found_and_other_rounds_are_not_duplicates():
    from pipeline.clean import clean
    from tests.test_stories import CASES

    def fp(text: str, url: str) -> Article:
        return fingerprint(clean(Article(input=url, url=url, raw_text=text)))

    originals = [fp(c["text"], f"https://a.example/{n}") for n, c in enumerate(CASES)]
    index = MemoryDedupeIndex()
    assert [index.check(a).duplicate_of for a in originals] == [None] * len(
        originals
    )  # rounds, languages, events
    copies = [index.check(fp(wire_copy(c["text"]), f"https://b.example/{n}")) for n, c in enumerate(CASES)]
    assert [c.duplicate_of for c in copies] == [a.id for a in originals]
