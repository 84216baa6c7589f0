"""Stories of the indexed articles, looked up in Elasticsearch, and of the current batch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from elastic_transport import TransportError
from elasticsearch import Elasticsearch, NotFoundError

from pipeline.article import Article
from pipeline.errors import TransientError
from pipeline.settings import Settings
from pipeline.stories.keys import _day, with_story_key
from pipeline.stories.memory import MemoryStoryIndex, _key
from pipeline.stories.similarity import StoryKey

STAGE = "stories"


class ElasticsearchStoryIndex:
    """Stories of the indexed articles (looked up in Elasticsearch) and of the current batch.

    Stories of the batch merge as in `MemoryStoryIndex`, and a batch story merges into an indexed one
    (the indexed id survives). Two indexed stories merge only with `merge_indexed`: the caller then
    calls `relabel_indexed()` once the batch is indexed, which re-indexes the absorbed stories'
    articles under the surviving id (each under a new `ingest_seq`: followers see the change) and
    returns absorbed id -> surviving id, the stories whose documents must be rebuilt."""

    CANDIDATES = 30
    WINDOW_DAYS = 7  # candidates' story_date within this many days of the article's
    RELABEL_MAX = 10_000  # articles re-indexed per absorbed story (a story is a few dozen at most)

    def __init__(
        self,
        es: Elasticsearch,
        settings: Settings,
        *,
        merge_indexed: bool = False,
        index: str | None = None,
    ) -> None:
        self.es = es
        self.settings = settings
        self.index = index or settings.read_alias  # another index: a reprocess reads the one it fills
        self.batch = MemoryStoryIndex()
        self.batch.merge_fixed = merge_indexed
        self.merge_indexed = merge_indexed
        self.lookups = 0

    def _search(self, query: dict[str, Any], size: int, article: Article) -> list[dict[str, Any]]:
        self.lookups += 1
        try:
            response = self.es.search(
                index=self.index,
                query=query,
                size=size,
                source=["story_id", "story_entities", "story_date", "story_dates"],
            )
        except NotFoundError:
            return []
        except TransportError as exc:
            raise TransientError(STAGE, f"story lookup failed: {exc}", item=article.input) from exc
        return response["hits"]["hits"]

    def indexed_lookup(self, article: Article) -> tuple[str | None, list[StoryKey]]:
        """One search: the story of `article` itself if it is already indexed (a re-run keeps its
        story), and the indexed articles sharing an entity with it in its date window (or undated),
        best first."""
        clauses: list[dict[str, Any]] = []
        if article.id:
            clauses.append({"ids": {"values": [article.id], "boost": 1000}})
        if article.story_entities:
            candidates: dict[str, Any] = {
                "bool": {"filter": [{"terms": {"story_entities": article.story_entities}}]}
            }
            day = _day(article.story_date)
            if day is not None:
                window = dt.timedelta(days=self.WINDOW_DAYS)
                candidates["bool"]["filter"].append(
                    {
                        "bool": {
                            "should": [
                                {
                                    "range": {
                                        "story_date": {
                                            "gte": (day - window).isoformat(),
                                            "lte": (day + window).isoformat(),
                                        }
                                    }
                                },
                                {
                                    "terms": {
                                        "story_dates": [
                                            (day + dt.timedelta(days=n)).isoformat() for n in (-1, 0, 1)
                                        ]
                                    }
                                },
                                {"bool": {"must_not": {"exists": {"field": "story_date"}}}},
                            ],
                            "minimum_should_match": 1,
                        }
                    }
                )
            # More shared entities score higher: the best candidates come first.
            candidates["bool"]["should"] = [{"term": {"story_entities": e}} for e in article.story_entities]
            clauses.append(candidates)
        if not clauses:
            return None, []
        query = {"bool": {"should": clauses, "minimum_should_match": 1}}
        own, found = None, []
        for hit in self._search(query, self.CANDIDATES + 1, article):
            if hit["_id"] == article.id:
                own = hit["_source"].get("story_id") or hit["_id"]
            else:
                found.append(StoryKey.from_source(hit["_id"], hit["_source"]))
        return own, found[: self.CANDIDATES]

    def _indexed_story_of(self, article_id: str, article: Article) -> str | None:
        hits = self._search({"ids": {"values": [article_id]}}, 1, article)
        return (hits[0]["_source"].get("story_id") or hits[0]["_id"]) if hits else None

    def assign(self, article: Article) -> Article:
        """Set the story key fields and `story_id`: an indexed story first, else one of this batch."""
        article = with_story_key(article)
        key = _key(article)
        story_id = self.batch.story_of(article.duplicate_of)
        if story_id is None and article.duplicate_of:
            story_id = self._indexed_story_of(article.duplicate_of, article)
        if story_id is None:
            story_id, candidates = self.indexed_lookup(article)
            if story_id is None:
                # Indexed stories keep their ids; two of them merge only with `merge_indexed`.
                self.batch.fixed.update(c.story_id for c in candidates)
                if self.merge_indexed:  # their articles take part in the checks before a merge
                    for candidate in candidates:
                        self.batch.add(candidate)
                story_id = self.batch.join(
                    key, self.batch.linked_stories(key, candidates + self.batch.candidates(key))
                )
        self.batch.add(_key(article, story_id))
        return article.replace(story_id=story_id)

    def relabel(self, articles: list[Article]) -> list[Article]:
        """`articles` of this batch with the story ids they go by now (a later article of the batch
        may have merged two of its stories); call before indexing them."""
        return self.batch.relabel(articles)

    def relabel_indexed(self) -> dict[str, str]:
        """Re-index the indexed articles of the indexed stories this batch merged into another, under
        the surviving story id; returns absorbed story id -> surviving id (empty without
        `merge_indexed`). Call after the batch itself is indexed."""
        from pipeline.index import index_articles  # the index module does not import this one

        absorbed = {s: self.batch.current(s) for s in self.batch.merged if s in self.batch.fixed}
        if not absorbed:
            return {}
        self.es.indices.refresh(index=self.index)  # the batch just indexed holds members too
        hits = self.es.search(
            index=self.index,
            query={"terms": {"story_id": sorted(absorbed)}},
            size=self.RELABEL_MAX,
        )["hits"]["hits"]
        moved = [
            Article.from_dict(h["_source"]).replace(story_id=absorbed[h["_source"]["story_id"]]) for h in hits
        ]
        if moved:
            # Through the write alias; a reprocess writes into the index it reads.
            target = None if self.index == self.settings.read_alias else self.index
            report = index_articles(self.es, self.settings, moved, index=target)
            if report.failed:
                raise TransientError(STAGE, f"relabelling {len(report.failed)} articles failed")
        self.batch.fixed -= set(absorbed)
        for story in absorbed:
            self.batch.merged.pop(story, None)
        return absorbed
