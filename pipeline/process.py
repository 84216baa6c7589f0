"""The processing pipeline, composed in one place: clean -> language -> relevance -> dates ->
entities -> dedupe -> stories, one article at a time (a generator: memory stays flat).

`process` yields, for every input article, either the processed `Article` or a `Failure` naming the
stage that broke and why; the others go on. Transient errors (Elasticsearch unavailable) are not
failures of the article: they propagate so the caller can retry the batch. Time spent per stage is
added to a `StageTimings` when one is passed (benchmarks, the DAG's run summary).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipeline import clean, dates, dedupe, entities, language, relevance
from pipeline.article import Article
from pipeline.errors import TransientError


class DedupeRegistry(Protocol):
    def check(self, article: Article) -> Article: ...


class StoryClusters(Protocol):
    def assign(self, article: Article) -> Article: ...


@dataclass(frozen=True)
class Failure:
    """An article that one stage could not process."""

    input: str
    stage: str
    error: str
    article: Article

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "stage": self.stage,
            "error": self.error,
            "url": self.article.url or self.article.raw_url,
        }


@dataclass
class StageTimings:
    """Seconds spent per stage, and how many articles went through / failed."""

    seconds: dict[str, float] = field(default_factory=dict)
    articles: int = 0
    failures: int = 0

    def add(self, stage: str, elapsed: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + elapsed

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "failures": self.failures,
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
        }


Stage = tuple[str, Callable[[Article], Article]]


def stages(registry: DedupeRegistry, clusters: StoryClusters) -> tuple[Stage, ...]:
    """The stages in pipeline order (the README's diagram)."""
    return (
        ("clean", clean.clean),
        ("language", language.detect),
        ("relevance", relevance.score),
        ("dates", dates.normalise),
        ("entities", entities.tag),
        ("dedupe", dedupe.fingerprint),  # id, content_hash, minhash (pure)
        ("registry", registry.check),  # duplicate_of: in memory or Elasticsearch-backed
        ("stories", clusters.assign),  # story_id
    )


def run_stages(
    article: Article,
    pipeline: tuple[Stage, ...],
    timings: StageTimings | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Article | Failure:
    """One article through every stage, or the `Failure` of the first stage that broke."""
    for name, stage in pipeline:
        started = clock()
        try:
            article = stage(article)
        except TransientError:
            raise
        except Exception as exc:  # the per-article boundary: recorded as a Failure, never swallowed
            if timings is not None:
                timings.add(name, clock() - started)
                timings.failures += 1
            return Failure(article.input, name, f"{type(exc).__name__}: {exc}", article)
        if timings is not None:
            timings.add(name, clock() - started)
    if timings is not None:
        timings.articles += 1
    return article


def process(
    articles: Iterable[Article],
    *,
    registry: DedupeRegistry,
    clusters: StoryClusters,
    timings: StageTimings | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Iterator[Article | Failure]:
    """Process a stream of raw articles; yields each processed `Article` or its `Failure`, in input order.

    `clock` times the stages (wall clock by default; benchmarks pass `time.process_time` for CPU time).
    """
    pipeline = stages(registry, clusters)
    for article in articles:
        yield run_stages(article, pipeline, timings, clock)


@dataclass
class BatchResult:
    """A processed batch, split for the caller: what to index, what to dead-letter, and what to report."""

    articles: list[Article]
    failures: list[Failure]
    timings: StageTimings

    def summary(self) -> dict[str, Any]:
        """The counts an operator reads (`pipeline.outcomes`: processed, kept, rejected, duplicates,
        failed by stage), the number of stories among the kept ones, and seconds per stage."""
        from pipeline import outcomes

        results = [outcomes.classify(a.input, a) for a in self.articles]
        counts = outcomes.tally(results + [outcomes.failure(f.input, f.stage) for f in self.failures])
        kept = [a for a, r in zip(self.articles, results, strict=True) if r.outcome == outcomes.KEPT]
        return {
            **{k: getattr(counts, k) for k in ("processed", "kept", "rejected", "duplicates", "failed")},
            "failed_by_stage": counts.failed_by_stage,
            "stories": len({a.story_id for a in kept}),
            "seconds_by_stage": {k: round(v, 3) for k, v in self.timings.seconds.items()},
        }


def process_batch(
    articles: Iterable[Article], *, registry: DedupeRegistry, clusters: StoryClusters
) -> BatchResult:
    """Process a whole batch (a DAG task's input) and keep the results apart by outcome."""
    timings = StageTimings()
    done: list[Article] = []
    failures: list[Failure] = []
    for result in process(articles, registry=registry, clusters=clusters, timings=timings):
        (failures if isinstance(result, Failure) else done).append(result)
    relabel = getattr(clusters, "relabel", None)  # a later article may have merged two stories
    return BatchResult(relabel(done) if relabel else done, failures, timings)
