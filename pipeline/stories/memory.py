"""Stories among the articles of one run, kept in memory."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pipeline.article import Article
from pipeline.dedupe import members, push
from pipeline.stories.keys import _day, with_story_key
from pipeline.stories.similarity import DATE_TOLERANCE_DAYS, StoryKey, story_score


def _key(article: Article, story_id: str | None = None) -> StoryKey:
    return StoryKey(
        article.id or article.input,
        story_id or article.story_id or article.id or article.input,
        tuple(article.story_entities or ()),
        article.story_date,
        tuple(article.story_dates or ()),
    )


def best_match(key: StoryKey, candidates: list[StoryKey]) -> StoryKey | None:
    best: tuple[float, StoryKey] | None = None
    for other in candidates:
        if other.id == key.id:
            continue
        score = story_score(key, other)
        if score > 0 and (best is None or score > best[0]):
            best = (score, other)
    return best[1] if best else None


def _days_around(
    values: tuple[str | None, ...] | list[str | None], tolerance: int = DATE_TOLERANCE_DAYS
) -> set[str]:
    days = {_day(v) for v in values} - {None}
    return {(d + dt.timedelta(days=n)).isoformat() for d in days for n in range(-tolerance, tolerance + 1)}


class MemoryStoryIndex:
    """Stories among the articles seen by this object (one run's inputs), in order of arrival.

    Candidates are looked up in buckets keyed by (entity id, day), each holding the BUCKET_SIZE most
    recent articles, and only the CANDIDATES sharing the most entities are scored: the cost per
    article stays flat however many articles mention "Rajnath Singh" on the same day.
    """

    BUCKET_SIZE = 50
    CANDIDATES = 30

    def __init__(self) -> None:
        self._keys: dict[str, StoryKey] = {}
        self._order: dict[str, int] = {}
        # Buckets of the most recent ids (see dedupe.push: not deques, which cost ~600 bytes each).
        self._by_day: dict[tuple[str, str], str | list[str]] = {}  # (entity, any day B mentions)
        self._by_story_date: dict[tuple[str, str], str | list[str]] = {}  # (entity, B's story date)
        self._undated: dict[str, str | list[str]] = {}  # entity -> B without a story date
        self._recent: dict[str, str | list[str]] = {}  # entity -> every B, for undated A

    def story_of(self, article_id: str | None) -> str | None:
        key = self._keys.get(article_id or "")
        return key.story_id if key else None

    def candidates(self, key: StoryKey) -> list[StoryKey]:
        """The recent articles sharing the most entities with `key` whose dates may agree with it."""
        shared: Counter[str] = Counter()
        for e in key.entities:
            if key.story_date:
                for d in _days_around([key.story_date]):
                    shared.update(members(self._by_day, (e, d)))
                for d in _days_around(key.story_dates):
                    shared.update(members(self._by_story_date, (e, d)))
                shared.update(members(self._undated, e))
            else:
                shared.update(members(self._recent, e))
        best = sorted(shared, key=lambda i: (-shared[i], -self._order[i]))[: self.CANDIDATES]
        return [self._keys[i] for i in best]

    def add(self, key: StoryKey) -> None:
        if key.id in self._keys:
            return
        self._keys[key.id] = key
        self._order[key.id] = len(self._order)
        days = {x for x in (*key.story_dates, key.story_date) if x}
        for e in key.entities:
            push(self._recent, e, key.id, self.BUCKET_SIZE)
            if key.story_date:
                push(self._by_story_date, (e, key.story_date), key.id, self.BUCKET_SIZE)
            else:
                push(self._undated, e, key.id, self.BUCKET_SIZE)
            for d in days:
                push(self._by_day, (e, d), key.id, self.BUCKET_SIZE)

    def assign(self, article: Article) -> Article:
        """Set the story key fields and `story_id`, and remember the article."""
        article = with_story_key(article)
        key = _key(article)
        story_id = self.story_of(article.duplicate_of) or self.story_of(article.id)
        if story_id is None:
            match = best_match(key, self.candidates(key))
            story_id = match.story_id if match else key.id
        self.add(_key(article, story_id))
        return article.replace(story_id=story_id)
