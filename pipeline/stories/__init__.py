"""Stories stage: articles that report the same event share a `story_id`, across outlets and languages.

The story key of an article is language-independent:
- `story_entities`: the linked, non-generic entity ids named in its *lead* (title and first paragraphs,
  LEAD_MIN_CHARS to LEAD_CHARS characters: who met whom, where, at which forum) — the entities stage
  gives the same ids for "राजनाथ सिंह" and "Rajnath Singh". When the lead names fewer than two, every
  linked entity of the article is used; entities they imply are added ("Eastern Ladakh" -> "Ladakh");
  the dateline's place ("New Delhi:") is left out. Names in the lead that the gazetteer does not know
  are added as `name/<type>/<consonant skeleton>` ("अमित रावत" and "Amit Rawat" ->
  "name/person/mt-rwt"), and the numbered rounds the lead prints as `round/<n>` ("21st round", "32वीं
  बैठक" -> "round/21", "round/32").
- `story_date`: the day of the event: the first day-granularity date the text mentions, when it is
  not after the publication day (+1) nor more than EVENT_WINDOW_DAYS before it; else the publication
  day; else None. `story_dates`: every day mentioned, plus the publication day. A publication time that
  is only the fetch time (`published_at_source` "fetched") is an upper bound, not a day of the story.

Two articles are in the same story when
- their entity similarity (weighted Jaccard: people 3, events and rounds 2, organisations and places 1,
  unknown names 2 for people else 1; an unknown name counts as shared with another spelling of it,
  linked or not; or, when the dates agree, CONTAINMENT_FACTOR times the share of the smaller key the
  larger names: a preview) is at least ENTITY_THRESHOLD, they name no two different sets of border
  places without one in common (then the event days themselves must agree when the places differ),
  they share at least one linked person when both name linked people, and they share a round when
  both print one (the 21st and the 22nd round are two stories whatever else they share), and
- their dates agree: one's `story_date` is within DATE_TOLERANCE_DAYS of a day the other mentions
  within EVENT_WINDOW_DAYS of its own story date (a recalled earlier event does not count). When they
  share a recurring mechanism (talks, meetings, summits: `recurring_ids`), the two story dates
  themselves must agree. When either has no `story_date` (a preview without a date), dates cannot
  tell, and the entity similarity must reach UNDATED_ENTITY_THRESHOLD instead.
They also cannot be one story when they name meetings with different counterparts (see `vetoed`).
A story is a connected component of these links: an article joins every story it links to, merging
them when no two of their articles veto each other and their event days are close (see
`MemoryStoryIndex`), so the grouping does not depend on the order of arrival; otherwise it starts a
story whose id is its own id. A duplicate joins the story of the article it duplicates.

`MemoryStoryIndex` matches within the given inputs; `ElasticsearchStoryIndex` looks candidates up in
the index (a `terms` query on `story_entities` filtered by a date window, so the cost does not grow
with the index) and in the current batch.

Modules: `keys` (the story key of an article), `names` (unknown names as keys), `similarity`
(whether two keys are one story), `memory` (`MemoryStoryIndex`), `elastic`
(`ElasticsearchStoryIndex`). This module re-exports the names other modules use.
"""

from __future__ import annotations

from pipeline.stories.elastic import ElasticsearchStoryIndex  # noqa: F401
from pipeline.stories.keys import (  # noqa: F401
    EVENT_WINDOW_DAYS,
    LEAD_CHARS,
    LEAD_MIN_CHARS,
    lead_text,
    rounds,
    story_dates,
    story_entities,
    with_story_key,
)
from pipeline.stories.memory import MemoryStoryIndex, _days_around, _key, best_match  # noqa: F401
from pipeline.stories.names import FUZZY_NAME_RATIO, NAME, ROUND, name_key  # noqa: F401
from pipeline.stories.similarity import (  # noqa: F401
    CONTAINMENT_FACTOR,
    CONTAINMENT_MIN_WEIGHT,
    DATE_TOLERANCE_DAYS,
    ENTITY_THRESHOLD,
    TYPE_WEIGHTS,
    UNDATED_ENTITY_THRESHOLD,
    UNLINKED_WEIGHTS,
    StoryKey,
    border_place_ids,
    containment,
    entity_similarity,
    recurring_ids,
    story_score,
    vetoed,
    wide_place_ids,
)

STAGE = "stories"
