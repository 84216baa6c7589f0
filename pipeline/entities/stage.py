"""The entities stage: the passes run in order over one tokenisation of the text (a token taken by one
pass is not reused by a later one), and their mentions merged into one entry per entity."""

from __future__ import annotations

from typing import Any

from pipeline.article import Article
from pipeline.entities.compass import compass_places, hindi_compass_names
from pipeline.entities.datelines import dateline_places, datelines
from pipeline.entities.gazetteer_index import Gazetteer, gazetteer
from pipeline.entities.hindi import hindi_open_pass
from pipeline.entities.latin import latin_open_pass, place_events
from pipeline.entities.linked import (
    Found,
    anchor_pass,
    credit,
    gazetteer_pass,
    qualified_ministries,
    resolve_weak,
)
from pipeline.entities.romanise import slug
from pipeline.entities.text import DEVANAGARI_RE, tokenize
from pipeline.entities.titles import surname_pass, title_pass


def analyse(text: str, gaz: Gazetteer) -> list[Found]:
    """All name mentions of `text`, linked or not, in text order (weak aliases still unresolved)."""
    tokens = tokenize(text)
    spans = datelines(text, tokens)
    found, covered = gazetteer_pass(gaz, text, tokens)
    if spans:
        found += dateline_places(text, tokens, covered, spans, gaz)
    qualified_ministries(gaz, text, found)
    found += anchor_pass(gaz, text, tokens, covered)
    found += title_pass(gaz, text, tokens, covered, found)
    found += surname_pass(text, tokens, covered, found)
    if DEVANAGARI_RE.search(text):
        found += hindi_compass_names(gaz, text, tokens, covered)
        found += hindi_open_pass(gaz, text, tokens, covered, found)
    found += latin_open_pass(gaz, text, tokens, covered, found)
    found += surname_pass(text, tokens, covered, found)
    found += place_events(gaz, text, found)
    found += compass_places(gaz, text, found)
    return sorted((f for f in found if not f.dropped), key=lambda f: f.start)


def _entry(results: dict[str, dict[str, Any]], eid: str, name: str, etype: str, surface: str, linked: bool):
    entry = results.setdefault(
        eid, {"id": eid, "name": name, "type": etype, "mentions": [], "linked": linked}
    )
    if surface and surface not in entry["mentions"]:
        entry["mentions"].append(surface)
    return entry


def find_entities(text: str, gaz: Gazetteer | None = None) -> list[dict[str, Any]]:
    """Entities mentioned in `text`, in order of first mention."""
    gaz = gaz or gazetteer()
    found = analyse(text, gaz)
    strong_positions: dict[str, list[int]] = {}
    for f in found:
        if f.entity_id:
            strong_positions.setdefault(f.entity_id, []).append(f.start)
    results: dict[str, dict[str, Any]] = {}
    for f in found:
        eid = f.entity_id
        if eid is None and f.weak_candidates:
            eid = resolve_weak(f, strong_positions) or credit(gaz, text, f)
            if eid is None:
                continue
        if eid is None:
            unlinked_id = f"unlinked/{f.unlinked_type}/{slug(f.unlinked_name)}"
            _entry(results, unlinked_id, f.unlinked_name, f.unlinked_type, f.surface, False)
            continue
        entity = gaz.entities[eid]
        entry = _entry(results, entity.id, entity.name, entity.type, f.surface, True)
        # Read with getattr: gazetteers without these optional fields stay valid.
        sector, coordinates = getattr(entity, "sector", None), getattr(entity, "coordinates", None)
        if sector:
            entry["sector"] = sector
        if coordinates:
            entry["coordinates"] = {"lat": float(coordinates[0]), "lon": float(coordinates[1])}
    return list(results.values())


def person_spans(text: str, gaz: Gazetteer | None = None) -> list[tuple[int, int]]:
    """(start, end) of every person's name in `text`: from the gazetteer and from title + name rules."""
    gaz = gaz or gazetteer()
    spans = []
    for f in analyse(text, gaz):
        if (
            f.entity_id
            and gaz.entities[f.entity_id].type == "person"
            or (f.entity_id is None and f.unlinked_name and f.unlinked_type == "person")
            or f.weak_candidates
        ):
            spans.append((f.start, f.end))
    return spans


def tag(article: Article) -> Article:
    """Set `entities` from the title and the text."""
    text = "\n\n".join(part for part in (article.title, article.text) if part)
    return article.replace(entities=find_entities(text))
