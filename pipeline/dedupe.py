"""Dedupe stage: stable ids, exact duplicates by content hash, near-duplicates by MinHash-LSH.

`fingerprint(article)` is a pure function that sets
- `id`: sha256 of the canonical url (the same value as the raw entry's id,
  `ingest.rawqueue.entry_id`), or of the content hash when the article has no url. The same url
  keeps its id when the outlet edits the text, so a re-published update *replaces* the earlier
  version in the index instead of sitting next to it; re-running a batch writes the same ids (no
  duplicates).
- `content_hash`: sha256 of the normalised text (NFC, case-folded, words only: punctuation, markup
  residue and whitespace runs are gone), so reflowed paragraphs and quote styles do not change it.
- `minhash`: a datasketch MinHash (NUM_PERM permutations) of the text's word SHINGLE_SIZE-shingles,
  and `minhash_bands`: the LSH band keys "b<i>:<hash>" (BANDS bands of ROWS rows). Two articles share
  at least one band key with high probability when their shingle Jaccard similarity is above ~0.4.

Registries decide `duplicate_of` (the id of the earlier article): `MemoryDedupeIndex` within the given
inputs, `ElasticsearchDedupeIndex` against the indexed articles (a `terms` query on the stored band
keys and content hash, so the cost per article does not grow with the index) plus the current batch.
Candidates are verified by the estimated Jaccard similarity of their MinHash signatures.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zlib
from collections import Counter
from typing import Any

import numpy as np
from datasketch import MinHash
from elastic_transport import TransportError
from elasticsearch import Elasticsearch, NotFoundError

from pipeline.article import Article
from pipeline.entities import TOKEN_RE
from pipeline.errors import TransientError
from pipeline.settings import Settings

STAGE = "dedupe"
SHINGLE_SIZE = 3  # words per shingle (docs/processing.md: measured against 2, 4 and 5)
NUM_PERM = 128
BANDS, ROWS = 32, 4  # BANDS * ROWS == NUM_PERM; candidate threshold ~ (1/BANDS) ** (1/ROWS) = 0.42
NEAR_DUPLICATE_THRESHOLD = 0.5  # estimated Jaccard of the word shingles, to call it a near-duplicate
MINHASH_SEED = 1  # fixed: signatures must be comparable across runs and workers
MINHASH_SCHEME = "affine32"  # named explicitly: stored signatures must not change with datasketch's default


def normalised_words(text: str) -> list[str]:
    """The text's words, NFC + case-folded, without punctuation (tokens as the entities stage sees them)."""
    return TOKEN_RE.findall(unicodedata.normalize("NFC", text).casefold())


def content_hash(text: str, words: list[str] | None = None) -> str:
    """Exact-duplicate fingerprint of a text: insensitive to case, punctuation and whitespace."""
    words = normalised_words(text) if words is None else words
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def shingle_hash(data: bytes) -> int:
    """32-bit hash of a shingle: CRC-32 is stable across processes and ~5x faster than datasketch's
    default SHA-1; MinHash's random permutations (a*h+b mod p) spread its values."""
    return zlib.crc32(data)


def shingles(words: list[str], k: int = SHINGLE_SIZE) -> set[bytes]:
    """Word k-shingles (the whole text as one shingle when it is shorter than k words)."""
    if len(words) < k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


# Generating the permutations costs as much as hashing an article: do it once.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


def minhash_of(words: list[str], k: int = SHINGLE_SIZE, num_perm: int = NUM_PERM) -> MinHash | None:
    shingle_set = shingles(words, k)
    if not shingle_set:
        return None
    permutations = _PERMUTATIONS if num_perm == NUM_PERM else None
    m = MinHash(
        num_perm=num_perm,
        seed=MINHASH_SEED,
        hashfunc=shingle_hash,
        permutations=permutations,
        scheme=MINHASH_SCHEME,
    )
    m.update_batch(list(shingle_set))
    return m


def band_keys(hashvalues: np.ndarray | list[int], bands: int = BANDS, rows: int = ROWS) -> list[str]:
    """LSH band keys of a signature: "b<i>:<16 hex>" for each band of `rows` values."""
    values = np.asarray(hashvalues, dtype=np.uint64)
    return [
        f"b{i}:{hashlib.blake2b(values[i * rows : (i + 1) * rows].tobytes(), digest_size=8).hexdigest()}"
        for i in range(bands)
    ]


def jaccard(a: np.ndarray | list[int], b: np.ndarray | list[int]) -> float:
    """Estimated Jaccard similarity of two MinHash signatures (share of equal values)."""
    x, y = np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)
    if x.shape != y.shape or not len(x):
        return 0.0
    return float(np.count_nonzero(x == y)) / len(x)


def article_id(url: str | None, text_hash: str | None, input_ref: str = "") -> str:
    """Stable id: from the canonical url, else from the content, else from where it came from."""
    if url:
        key = url
    elif text_hash:
        key = "content:" + text_hash
    else:
        key = "input:" + input_ref
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def fingerprint(article: Article) -> Article:
    """Set `id`, `content_hash`, `minhash` and `minhash_bands` (pure function of url, title and text)."""
    body = article.text or article.title or ""
    words = normalised_words(body)
    chash = content_hash(body, words) if words else None
    m = minhash_of(words)
    return article.replace(
        id=article_id(article.url, chash, article.input),
        content_hash=chash,
        minhash=[int(v) for v in m.hashvalues] if m is not None else None,
        minhash_bands=band_keys(m.hashvalues) if m is not None else [],
    )


def push(buckets: dict, key: object, value: str, size: int) -> None:
    """Add `value` to the bucket `key`, keeping its `size` most recent values. A bucket of one value is
    the value itself: most band keys are seen once, and a list per key would double the memory."""
    bucket = buckets.get(key)
    if bucket is None:
        buckets[key] = value
    elif isinstance(bucket, str):
        buckets[key] = [bucket, value]
    else:
        bucket.append(value)
        if len(bucket) > size:
            del bucket[0]


def members(buckets: dict, key: object) -> list[str] | tuple[str, ...]:
    """The values in bucket `key` (see `push`)."""
    bucket = buckets.get(key)
    if bucket is None:
        return ()
    return (bucket,) if isinstance(bucket, str) else bucket


class MemoryDedupeIndex:
    """Duplicates among the articles seen by this object (one run's inputs), in order of arrival.

    Each band bucket keeps its BUCKET_SIZE most recent articles (a copy of a copy still leads to the
    original through `duplicate_of`), and only the VERIFY candidates sharing the most bands are
    compared: the cost per article stays flat as the run grows.
    """

    BUCKET_SIZE = 50
    VERIFY = 10

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> None:
        self.threshold = threshold
        self._root: dict[str, str] = {}  # id -> id of the original it duplicates (itself if original)
        self._by_hash: dict[str, str] = {}
        # Band key (as its in-process hash: an int is smaller than the string) -> recent ids.
        # Not deques: most buckets hold one id, and an empty deque alone is ~600 bytes.
        self._by_band: dict[int, str | list[str]] = {}
        self._signature: dict[str, np.ndarray] = {}

    def find(self, article: Article) -> str | None:
        """Id of the earliest article seen that `article` duplicates, or None."""
        if article.id in self._root:
            return self._root[article.id]  # same canonical url (or same content without url) again
        if article.content_hash and article.content_hash in self._by_hash:
            return self._root[self._by_hash[article.content_hash]]
        if not article.minhash:
            return None
        shared: Counter[str] = Counter()
        for key in article.minhash_bands or []:
            shared.update(members(self._by_band, hash(key)))
        best: tuple[float, str] | None = None
        # More shared bands means a higher Jaccard: verify only the best few candidates.
        for other, _ in shared.most_common(self.VERIFY):
            score = jaccard(article.minhash, self._signature[other])
            if score >= self.threshold and (best is None or score > best[0]):
                best = (score, other)
        return self._root[best[1]] if best else None

    def add(self, article: Article) -> None:
        """Remember `article` (after `find`) so later ones can duplicate it."""
        if not article.id or article.id in self._root:
            return
        self._root[article.id] = article.duplicate_of or article.id
        if article.content_hash:
            self._by_hash.setdefault(article.content_hash, article.id)
        if article.minhash:
            self._signature[article.id] = np.asarray(article.minhash, dtype=np.uint64)
            for key in article.minhash_bands or []:
                push(self._by_band, hash(key), article.id, self.BUCKET_SIZE)

    def check(self, article: Article) -> Article:
        """Set `duplicate_of` (the earlier article's id, or None) and remember the article."""
        checked = article.replace(duplicate_of=self.find(article))
        self.add(checked)
        return checked


class ElasticsearchDedupeIndex:
    """Duplicates of already indexed articles (looked up in Elasticsearch) or of this batch's."""

    CANDIDATES = 20

    def __init__(
        self,
        es: Elasticsearch,
        settings: Settings,
        threshold: float = NEAR_DUPLICATE_THRESHOLD,
        index: str | None = None,
    ) -> None:
        self.es = es
        self.settings = settings
        self.index = index or settings.read_alias  # another index: a reprocess reads the one it fills
        self.threshold = threshold
        self.batch = MemoryDedupeIndex(threshold)
        self.lookups = 0  # Elasticsearch searches made, for the run report

    def find_indexed(self, article: Article) -> str | None:
        """Id of the indexed original that `article` duplicates, or None."""
        should: list[dict[str, Any]] = []
        if article.content_hash:
            should.append({"term": {"content_hash": article.content_hash}})
        if article.minhash_bands:
            should.append({"terms": {"minhash_bands": article.minhash_bands}})
        if not should:
            return None
        query: dict[str, Any] = {"bool": {"should": should, "minimum_should_match": 1}}
        if article.id:  # the same article re-run or updated in place is not its own duplicate
            query["bool"]["must_not"] = [{"ids": {"values": [article.id]}}]
        self.lookups += 1
        try:
            response = self.es.search(
                index=self.index,
                query=query,
                size=self.CANDIDATES,
                source=["content_hash", "minhash", "duplicate_of", "published_at"],
            )
        except NotFoundError:
            return None  # nothing indexed yet
        except TransportError as exc:  # connection problems, timeouts: worth a retry (Airflow)
            raise TransientError(STAGE, f"dedupe lookup failed: {exc}", item=article.input) from exc
        best: tuple[float, str] | None = None
        for hit in response["hits"]["hits"]:
            src = hit["_source"]
            root = src.get("duplicate_of") or hit["_id"]
            if article.content_hash and src.get("content_hash") == article.content_hash:
                return root
            if article.minhash and src.get("minhash"):
                score = jaccard(article.minhash, src["minhash"])
                if score >= self.threshold and (best is None or score > best[0]):
                    best = (score, root)
        return best[1] if best else None

    def check(self, article: Article) -> Article:
        """Set `duplicate_of`: an indexed original first (it is earlier), else one of this batch."""
        duplicate_of = self.find_indexed(article) or self.batch.find(article)
        checked = article.replace(duplicate_of=duplicate_of)
        self.batch.add(checked)
        return checked
