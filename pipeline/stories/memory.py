"""Stories among the articles of one run, kept in memory: the connected components of the links
between articles (`story_score` > 0), so the grouping does not depend on the order of arrival."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pipeline.article import Article
from pipeline.dedupe import members, push
from pipeline.stories.keys import _day, with_story_key
from pipeline.stories.similarity import DATE_TOLERANCE_DAYS, StoryKey, story_score, vetoed


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
    """Stories among the articles seen by this object (one run's inputs).

    An article is linked to every candidate it scores with (`story_score` > 0); its story is the
    connected component of those links. A new article that links two stories merges them, unless
    any two of their articles are `vetoed` or their event days lie more than MERGE_SPAN_DAYS apart
    (single links must not chain different events into one story); it then joins the best-scoring
    one it is compatible with. A story keeps the id it started with (its first article's id); of two
    merged stories the one whose earliest article is earliest (`story_date`, then id) keeps its id,
    and `merged` records absorbed id -> surviving id, so the caller can relabel what it already
    wrote (`story_of` always gives the current id).

    Candidates are looked up in buckets keyed by (entity id, day), each holding the BUCKET_SIZE most
    recent articles, and only the CANDIDATES sharing the most entities are scored: the cost per
    article stays flat however many articles mention "Rajnath Singh" on the same day.
    """

    BUCKET_SIZE = 50
    CANDIDATES = 30
    MERGE_SPAN_DAYS = 2
    MERGE_CHECK = 50  # members compared per story when two merge (the earliest ones)

    def __init__(self) -> None:
        self._keys: dict[str, StoryKey] = {}
        self._order: dict[str, int] = {}
        self._label: dict[str, str] = {}  # article id -> story id it was given (follow `merged`)
        self._members: dict[str, list[str]] = {}  # story id -> article ids
        self.merged: dict[str, str] = {}  # absorbed story id -> the story id it was merged into
        self.fixed: set[str] = set()  # story ids written elsewhere (see `join`)
        self.merge_fixed = False  # whether two of them may merge (their articles are then relabelled)
        # Buckets of the most recent ids (see dedupe.push: not deques, which cost ~600 bytes each).
        self._by_day: dict[tuple[str, str], str | list[str]] = {}  # (entity, any day B mentions)
        self._by_story_date: dict[tuple[str, str], str | list[str]] = {}  # (entity, B's story date)
        self._undated: dict[str, str | list[str]] = {}  # entity -> B without a story date
        self._recent: dict[str, str | list[str]] = {}  # entity -> every B, for undated A

    def current(self, story_id: str) -> str:
        """The story id `story_id` now goes by (itself unless it was merged into another)."""
        while story_id in self.merged:
            story_id = self.merged[story_id]
        return story_id

    def story_of(self, article_id: str | None) -> str | None:
        label = self._label.get(article_id or "")
        return self.current(label) if label else None

    def members_of(self, story_id: str) -> list[str]:
        return list(self._members.get(self.current(story_id), ()))

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
        """Remember `key` as a member of the story `key.story_id`."""
        if key.id in self._keys:
            return
        self._keys[key.id] = key
        self._order[key.id] = len(self._order)
        story = self.current(key.story_id)
        self._label[key.id] = story
        self._members.setdefault(story, []).append(key.id)
        days = {x for x in (*key.story_dates, key.story_date) if x}
        for e in key.entities:
            push(self._recent, e, key.id, self.BUCKET_SIZE)
            if key.story_date:
                push(self._by_story_date, (e, key.story_date), key.id, self.BUCKET_SIZE)
            else:
                push(self._undated, e, key.id, self.BUCKET_SIZE)
            for d in days:
                push(self._by_day, (e, d), key.id, self.BUCKET_SIZE)

    def linked_stories(self, key: StoryKey, candidates: list[StoryKey]) -> list[str]:
        """The stories `key` links to, best-scoring first (a candidate's story as this index knows it,
        else the story id the candidate carries)."""
        best: dict[str, float] = {}
        for other in candidates:
            if other.id == key.id:
                continue
            score = story_score(key, other)
            if score > 0:
                story = self.story_of(other.id) or self.current(other.story_id)
                best[story] = max(best.get(story, 0.0), score)
        return sorted(best, key=lambda s: (-best[s], s))

    def _compatible(self, keys: list[StoryKey], story: str, *, merging: bool) -> bool:
        others = [self._keys[i] for i in self._members.get(story, ())[: self.MERGE_CHECK]]
        for a in keys:
            for b in others:
                if vetoed(a, b):
                    return False
                da, db = _day(a.story_date), _day(b.story_date)
                if merging and da and db and abs((da - db).days) > self.MERGE_SPAN_DAYS:
                    return False
        return True

    def _earliest(self, story: str) -> tuple[str, str]:
        dated = [self._keys[i].story_date for i in self._members.get(story, ()) if self._keys[i].story_date]
        return (min(dated) if dated else "9999", story)

    def join(self, key: StoryKey, linked: list[str]) -> str:
        """The story `key` belongs to, merging the linked stories that are compatible (see class doc).
        A `fixed` story (already written elsewhere, e.g. indexed) is never absorbed by one that is
        not, and of two fixed ones the second takes part only with `merge_fixed`."""
        group: list[str] = []
        for story in linked:
            if story in self.fixed and not self.merge_fixed and any(g in self.fixed for g in group):
                continue
            if not group:
                if self._compatible([key], story, merging=False):
                    group.append(story)
                continue
            keys = [key] + [
                self._keys[i] for g in group for i in self._members.get(g, [])[: self.MERGE_CHECK]
            ]
            if self._compatible(keys, story, merging=True):
                group.append(story)
        if not group:
            return key.id
        fixed = [g for g in group if g in self.fixed]
        survivor = min(fixed or group, key=self._earliest)
        for story in group:
            if story != survivor:
                self.merged[story] = survivor
                self._members.setdefault(survivor, []).extend(self._members.pop(story, []))
        return survivor

    def assign(self, article: Article) -> Article:
        """Set the story key fields and `story_id`, and remember the article."""
        article = with_story_key(article)
        key = _key(article)
        story_id = self.story_of(article.duplicate_of) or self.story_of(article.id)
        if story_id is None:
            story_id = self.join(key, self.linked_stories(key, self.candidates(key)))
        self.add(_key(article, story_id))
        return article.replace(story_id=story_id)

    def relabel(self, articles: list[Article]) -> list[Article]:
        """`articles` (assigned by this index) with the story ids they go by now."""
        out = []
        for a in articles:
            story = self.story_of(a.id or a.input)
            out.append(a.replace(story_id=story) if story and story != a.story_id else a)
        return out
