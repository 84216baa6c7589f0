"""Scores of the whole pipeline on a labelled set, per language (en, hi) and overall, against a baseline.

    python evaluation/generalisation.py [evaluation/generalisation.jsonl] [--json] [--show-errors]

Input: JSON Lines, one raw article per line as `pipeline.readers` reads it (url, title, published, text
or html, source, summary, fetched_at) plus "id" and "labels":
  relevant      bool
  dates         [{text, value, granularity}]: every date mention of title and article text, resolved
  entities      [{name, type, mentions}]: every proper name, by canonical English name (the gazetteer's
                `name` when it holds the entity), with the surface forms as written ("mentions" optional:
                the name alone then)
  event         id of the event the article reports, or null; event_day its day (YYYY-MM-DD) or null
  duplicate_of  id of the record this one is a wire copy of, or null
  language      optional ("en" | "hi"); otherwise the script decides (Devanagari letters outnumber Latin)
Site chrome (share buttons, "Also read" links, sidebars, comments) and printed publication lines
("Posted On: ...", "Updated: ...") are not labelled: names and dates the pipeline finds there count
against it. A wire dateline ("NEW DELHI, Dec 5 (PTI) –") is part of the report: its place, agency and
date are labelled. Demonyms ("Chinese troops") are not mentions of the country.

Every record goes through the real stages in file order: `pipeline.readers.read` on the file, then
`pipeline.process.process` with the in-memory dedupe and story registries (as `python -m pipeline
process` without --es), so duplicates and stories are found among the set's own records. A record that
fails to read or to process is a miss everywhere (nothing predicted) and is printed.

Figures (micro-averaged; "ours" and, where one applies, "baseline" = `evaluation/evaluate.py`'s plain
baseline: get_text, dateparser.search_dates against published (or fetched_at), capitalised words,
keyword relevance, and the publication day as event day):
  entities    P/R/F1. A predicted entity matches a gold one when the names are equal, or when one of its
              mentions equals one of the gold mentions (both casefolded, NFC, punctuation and whitespace
              folded); one-to-one, each name counted once per article. Also: recall by linked predictions
              only, recall of gold names the gazetteer holds (by canonical name, as it stands) and of the
              others, and the share of matched pairs with the right type.
  dates       P/R/F1 on (value, granularity), all mentions and split into absolute (the mention's text
              carries a year) and relative/yearless.
  event day   share of records with a gold event_day whose predicted `story_date` equals it.
  relevance   P/R/F1.
  wire copies share of gold duplicate_of pairs the pipeline joins (the copy's duplicate_of is the
              original's id, or both lead to the same original); false duplicates: records marked as
              duplicates that have no gold duplicate_of.
  stories     over pairs of relevant records with gold events: same-event pairs given one story_id, and
              different-event pairs given one story_id (lower is better). Per language: pairs within it.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evaluation.evaluate import CHINA, baseline_dates, baseline_names, baseline_text  # noqa: E402

LANGUAGES = ("en", "hi")
_YEAR = re.compile(r"(?<![0-9०-९])(?:1[5-9]|20)[0-9]{2}(?![0-9०-९])|(?<![०-९])(?:१[५-९]|२०)[०-९]{2}(?![०-९])")
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_LATIN = re.compile(r"[A-Za-z]")


# ------------------------------------------------------------------------------------------- pure scoring
def norm(s: str) -> str:
    """Casefold, NFC, punctuation and symbols to spaces, whitespace collapsed ("People's" = "people s")."""
    s = unicodedata.normalize("NFC", s).casefold()
    s = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in s)
    return " ".join(s.split())


@dataclass
class PRF:
    """True positives, false positives and false negatives, and what follows from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }

    def line(self) -> str:
        return (
            f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn})"
        )


@dataclass
class Share:
    """hits out of total."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += bool(hit)
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"share": round(self.value, 4), "hits": self.hits, "total": self.total}

    def line(self) -> str:
        return f"{self.value:.3f}  ({self.hits}/{self.total})"


def unique_entities(entities: Iterable[dict]) -> list[dict]:
    """One entity per name (casefolded, normalised) in an article, mentions pooled: Counter semantics."""
    out: dict[str, dict] = {}
    for e in entities:
        key = norm(e.get("name") or "")
        if not key:
            continue
        mentions = [m for m in (e.get("mentions") or []) if isinstance(m, str)]
        if key in out:
            out[key]["mentions"] |= {norm(m) for m in mentions}
            out[key]["linked"] = out[key]["linked"] or _linked(e)
        else:
            out[key] = {
                "name": e.get("name"),
                "key": key,
                "type": e.get("type"),
                "linked": _linked(e),
                "mentions": {norm(m) for m in mentions if norm(m)} | {key},
            }
    return list(out.values())


def _linked(e: dict) -> bool:
    if "linked" in e:
        return bool(e["linked"])
    return not str(e.get("id") or "").startswith("unlinked/")


def match_entities(
    predicted: Iterable[dict], gold: Iterable[dict]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """One-to-one matches (predicted, gold), then the unmatched predicted and the unmatched gold.

    Equal names are paired first; then pairs sharing a mention, gold entities in label order, each taking
    the first free predicted entity.
    """
    preds, golds = unique_entities(predicted), unique_entities(gold)
    pairs: list[tuple[dict, dict]] = []
    free = list(preds)
    left: list[dict] = []
    for g in golds:
        p = next((p for p in free if p["key"] == g["key"]), None)
        if p is None:
            left.append(g)
        else:
            pairs.append((p, g))
            free.remove(p)
    unmatched_gold = []
    for g in left:
        p = next((p for p in free if p["mentions"] & g["mentions"]), None)
        if p is None:
            unmatched_gold.append(g)
        else:
            pairs.append((p, g))
            free.remove(p)
    return pairs, free, unmatched_gold


def has_year(text: str) -> bool:
    """Whether a date mention's text carries a year (absolute) rather than leaning on a reference date."""
    return bool(_YEAR.search(text or ""))


def date_counts(
    predicted: Iterable[dict], gold: Iterable[dict], which: str = "all"
) -> tuple[int, int, int, Counter, Counter]:
    """tp, fp, fn and the unmatched predicted / gold (value, granularity) Counters; `which` is all,
    absolute or relative (decided by each mention's text)."""

    def keep(d: dict) -> bool:
        return which == "all" or has_year(d.get("text", "")) == (which == "absolute")

    p = Counter((d.get("value"), d.get("granularity")) for d in predicted if keep(d))
    g = Counter((d.get("value"), d.get("granularity")) for d in gold if keep(d))
    hit = p & g
    return sum(hit.values()), sum((p - hit).values()), sum((g - hit).values()), p - hit, g - hit


def root_of(ident: str | None, duplicate_of: dict[str, str | None]) -> str | None:
    """The original an id leads to through duplicate_of links (itself when it is an original)."""
    seen = set()
    while ident is not None and duplicate_of.get(ident) and ident not in seen:
        seen.add(ident)
        ident = duplicate_of[ident]
    return ident


def wire_copies(
    gold_pairs: list[tuple[str, str]],
    predicted_id: dict[str, str | None],
    predicted_dup: dict[str, str | None],
) -> Share:
    """Share of gold (copy, original) record pairs the pipeline joins. Ids are record ids; `predicted_id`
    maps them to the pipeline's article ids, `predicted_dup` to the pipeline's duplicate_of."""
    by_article = {predicted_id[r]: predicted_dup.get(r) for r in predicted_id if predicted_id[r]}
    share = Share()
    for copy, original in gold_pairs:
        a, b = predicted_id.get(copy), predicted_id.get(original)
        if a is None or b is None:
            share.add(False)
            continue
        share.add(predicted_dup.get(copy) == b or root_of(a, by_article) == root_of(b, by_article))
    return share


def story_pairs(items: list[tuple[str, str | None]]) -> tuple[Share, Share]:
    """(gold event, predicted story_id) per record -> (same-event pairs with one story, different-event
    pairs with one story). A missing story_id never counts as shared."""
    same, different = Share(), Share()
    for (ea, sa), (eb, sb) in combinations(items, 2):
        together = sa is not None and sa == sb
        (same if ea == eb else different).add(together)
    return same, different


def story_errors(members: list[tuple[str, str, str | None]]) -> list[str]:
    """Events split over several stories, and stories holding several events, as text."""
    out = []
    by_event: dict[str, list[tuple[str, str | None]]] = {}
    by_story: dict[str, list[tuple[str, str]]] = {}
    for rid, event, story in members:
        by_event.setdefault(event, []).append((rid, story))
        if story is not None:
            by_story.setdefault(story, []).append((rid, event))
    for event, items in by_event.items():
        if len(items) > 1 and len({s for _, s in items}) > 1:
            out.append(f"story split: {event}: " + ", ".join(f"{r} -> {str(s)[:8]}" for r, s in items))
    for story, items in by_story.items():
        if len({e for _, e in items}) > 1:
            out.append(f"story merged: {story[:8]}: " + ", ".join(f"{r} ({e})" for r, e in items))
    return out


@functools.cache
def gazetteer_names() -> frozenset[str]:
    """Normalised canonical names of the gazetteer as it stands (empty when it cannot be loaded)."""
    try:
        from pipeline.entities import gazetteer

        return frozenset(norm(e.name) for e in gazetteer().entities.values())
    except Exception:  # the split below is then "not in the gazetteer" for all: still a valid recall
        return frozenset()


def language_of(record: dict) -> str:
    """The record's language: its label, else the script of its title and body."""
    lang = (record.get("labels") or {}).get("language")
    if lang in LANGUAGES:
        return lang
    body = f"{record.get('title') or ''} {record.get('text') or record.get('html') or ''}"
    return "hi" if len(_DEVANAGARI.findall(body)) > len(_LATIN.findall(body)) else "en"


# ------------------------------------------------------------------------------------------- running
@dataclass
class Prediction:
    """What one system said about one record (empty when it failed)."""

    entities: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    relevant: bool = False
    story_date: str | None = None
    story_id: str | None = None
    article_id: str | None = None
    duplicate_of: str | None = None
    error: str | None = None


def run_pipeline(path: str, n_records: int) -> list[Prediction]:
    """The real reader and stages over `path`, in file order, with in-memory registries."""
    from pipeline.dedupe import MemoryDedupeIndex
    from pipeline.errors import BadInputError
    from pipeline.process import Failure, process
    from pipeline.readers import read
    from pipeline.stories import MemoryStoryIndex

    items = list(read(path))
    predictions = [Prediction() for _ in range(max(n_records, len(items)))]
    good = [(i, item) for i, item in enumerate(items) if not isinstance(item, BadInputError)]
    for i, item in enumerate(items):
        if isinstance(item, BadInputError):
            predictions[i].error = f"read: {item}"
    clusters = MemoryStoryIndex()
    results = process((a for _, a in good), registry=MemoryDedupeIndex(), clusters=clusters)
    for (i, _), result in zip(good, results, strict=True):
        if isinstance(result, Failure):
            predictions[i].error = f"{result.stage}: {result.error}"
            continue
        predictions[i] = Prediction(
            entities=list(getattr(result, "entities", None) or []),
            dates=list(getattr(result, "dates", None) or []),
            relevant=bool(getattr(result, "relevant", False)),
            story_date=getattr(result, "story_date", None),
            story_id=getattr(result, "story_id", None),
            article_id=getattr(result, "id", None),
            duplicate_of=getattr(result, "duplicate_of", None),
        )
    # A later report can merge two stories: the story ids are the ones the run ends with.
    for prediction in predictions:
        if prediction.article_id and (story := clusters.story_of(prediction.article_id)):
            prediction.story_id = story
    return predictions[:n_records]


def run_baseline(record: dict) -> Prediction:
    """The plain baseline of evaluation/evaluate.py, as a Prediction (dates resolved against published,
    else fetched_at; event day = the publication day)."""
    try:
        text = baseline_text(record)
    except Exception as exc:  # a record the baseline cannot read is a miss for it too
        return Prediction(error=f"baseline: {type(exc).__name__}: {exc}")
    reference = record.get("published") or record.get("fetched_at")
    dates = [{"text": t, "value": v, "granularity": "day"} for t, v in baseline_dates(text, reference)]
    names = [{"name": n, "type": None, "mentions": [n], "linked": False} for n in baseline_names(text)]
    day = None
    if reference:
        import dateparser

        parsed = dateparser.parse(reference)
        day = parsed.date().isoformat() if parsed else None
    return Prediction(entities=names, dates=dates, relevant=bool(CHINA.search(text)), story_date=day)


SYSTEMS = ("ours", "baseline")
SHARE_METRICS = (
    "entities-linked-recall",
    "entities-recall-in-gazetteer",
    "entities-recall-not-in-gazetteer",
    "entity-type-accuracy",
    "event-day",
    "wire-copies",
    "false-duplicates",
    "stories-same-event-together",
    "stories-different-events-together",
)
SCOPES = ("en", "hi", "all")


class Report:
    """Every figure, per system and per scope (language or all)."""

    def __init__(self) -> None:
        self.prf: dict[tuple[str, str, str], PRF] = {}
        self.share: dict[tuple[str, str, str], Share] = {}
        self.counts: dict[str, Counter] = {s: Counter() for s in SCOPES}
        self.errors: list[str] = []

    def p(self, system: str, scope: str, metric: str) -> PRF:
        return self.prf.setdefault((system, scope, metric), PRF())

    def s(self, system: str, scope: str, metric: str) -> Share:
        return self.share.setdefault((system, scope, metric), Share())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"counts": {s: dict(self.counts[s]) for s in SCOPES}}
        for (system, scope, metric), v in sorted(self.prf.items()):
            out.setdefault(scope, {}).setdefault(metric, {})[system] = v.to_dict()
        for (system, scope, metric), v in sorted(self.share.items()):
            out.setdefault(scope, {}).setdefault(metric, {})[system] = v.to_dict()
        out["errors"] = self.errors
        return out


def score_record(
    report: Report, system: str, scopes: tuple[str, ...], labels: dict, pred: Prediction
) -> list[str]:
    """Add one record's figures; returns its misses as text (for --show-errors)."""
    misses = []
    pairs, fp, fn = match_entities(pred.entities, labels.get("entities") or [])
    d_all = date_counts(pred.dates, labels.get("dates") or [])
    d_abs = date_counts(pred.dates, labels.get("dates") or [], "absolute")
    d_rel = date_counts(pred.dates, labels.get("dates") or [], "relative")
    gold_relevant = bool(labels.get("relevant"))
    for scope in scopes:
        report.p(system, scope, "entities").add(len(pairs), len(fp), len(fn))
        if system != "baseline":  # the baseline links nothing and types nothing
            linked = report.s(system, scope, "entities-linked-recall")
            for p, _ in pairs:
                linked.add(p["linked"])
            for _ in fn:
                linked.add(False)
            types = report.s(system, scope, "entity-type-accuracy")
            for p, g in pairs:
                types.add(p["type"] == g["type"])
        known = gazetteer_names()
        for g_found, g in [(True, g) for _, g in pairs] + [(False, g) for g in fn]:
            where = "in" if g["key"] in known else "not-in"
            report.s(system, scope, f"entities-recall-{where}-gazetteer").add(g_found)
        for metric, (tp, dfp, dfn, _, _) in (
            ("dates", d_all),
            ("dates-absolute", d_abs),
            ("dates-relative", d_rel),
        ):
            report.p(system, scope, metric).add(tp, dfp, dfn)
        report.p(system, scope, "relevance").add(
            int(pred.relevant and gold_relevant),
            int(pred.relevant and not gold_relevant),
            int(gold_relevant and not pred.relevant),
        )
        if labels.get("event_day"):
            report.s(system, scope, "event-day").add(pred.story_date == labels["event_day"])
    if fp or fn:
        misses.append(f"entities +{sorted(p['name'] for p in fp)!r} -{sorted(g['name'] for g in fn)!r}")
    wrong_type = [f"{g['name']}: {p['type']} not {g['type']}" for p, g in pairs if p["type"] != g["type"]]
    if wrong_type:
        misses.append("types " + "; ".join(wrong_type))
    if d_all[1] or d_all[2]:
        misses.append(f"dates +{dict(d_all[3])} -{dict(d_all[4])}")
    if pred.relevant != gold_relevant:
        misses.append(f"relevant={pred.relevant}")
    if labels.get("event_day") and pred.story_date != labels["event_day"]:
        misses.append(f"story_date {pred.story_date} not {labels['event_day']}")
    return misses


def evaluate(path: str) -> Report:
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    records: list[dict] = []
    for n, line in enumerate(lines):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        records.append(record if isinstance(record, dict) else {"id": f"#{n}", "labels": None})
    ours = run_pipeline(path, len(records))
    report = Report()
    gold_dups: dict[str, list[tuple[str, str]]] = {s: [] for s in SCOPES}
    stories: dict[str, list[tuple[str, str | None]]] = {s: [] for s in SCOPES}
    story_members: list[tuple[str, str, str | None]] = []
    ids: dict[str, str | None] = {}
    dups: dict[str, str | None] = {}
    for n, (record, pred) in enumerate(zip(records, ours, strict=True)):
        rid = str(record.get("id") or f"#{n}")
        labels = record.get("labels")
        if not isinstance(labels, dict):
            report.errors.append(f"{rid}: no labels (line {n + 1} is not a labelled record): not scored")
            continue
        lang = language_of(record)
        scopes = (lang, "all")
        for scope in scopes:
            c = report.counts[scope]
            c["records"] += 1
            c["relevant"] += bool(labels.get("relevant"))
            c["html"] += bool(record.get("html"))
            c["without_published"] += not record.get("published")
            c["date_labels"] += len(labels.get("dates") or [])
            c["entity_labels"] += len(labels.get("entities") or [])
            c["failed"] += pred.error is not None
        if pred.error:
            report.errors.append(f"{rid}: FAILED {pred.error}")
        base = run_baseline(record)
        misses = score_record(report, "ours", scopes, labels, pred)
        score_record(report, "baseline", scopes, labels, base)
        ids[rid], dups[rid] = pred.article_id, pred.duplicate_of
        if labels.get("duplicate_of"):
            for scope in scopes:
                gold_dups[scope].append((rid, str(labels["duplicate_of"])))
        elif pred.duplicate_of:
            misses.append(f"false duplicate of {pred.duplicate_of}")
            for scope in scopes:
                report.s("ours", scope, "false-duplicates").add(True)
        else:
            for scope in scopes:
                report.s("ours", scope, "false-duplicates").add(False)
        if labels.get("relevant") and labels.get("event"):
            for scope in scopes:
                stories[scope].append((str(labels["event"]), pred.story_id))
            story_members.append((rid, str(labels["event"]), pred.story_id))
        if misses:
            report.errors.append(f"{rid} [{lang}]: " + " | ".join(misses))
    report.errors.extend(story_errors(story_members))
    for scope in SCOPES:
        # the copy's language decides the scope; a pair is found in the predictions of both records
        share = wire_copies(gold_dups[scope], ids, dups)
        report.share[("ours", scope, "wire-copies")] = share
        same, different = story_pairs(stories[scope])
        report.share[("ours", scope, "stories-same-event-together")] = same
        report.share[("ours", scope, "stories-different-events-together")] = different
    return report


def print_report(report: Report) -> None:
    for scope in SCOPES:
        c = report.counts[scope]
        if not c["records"]:
            print(f"== {scope}: no records\n")
            continue
        print(
            f"== {scope}: {c['records']} records ({c['relevant']} relevant, {c['html']} html, "
            f"{c['without_published']} without published, {c['failed']} failed), "
            f"{c['date_labels']} date labels, {c['entity_labels']} entity labels"
        )
        for metric in ("entities", "dates", "dates-absolute", "dates-relative", "relevance"):
            for system in SYSTEMS:
                print(f"  {metric:<34} {system:<9} {report.p(system, scope, metric).line()}")
        for metric in SHARE_METRICS:
            for system in SYSTEMS:
                if (system, scope, metric) in report.share:
                    print(f"  {metric:<34} {system:<9} {report.share[(system, scope, metric)].line()}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", default=str(ROOT / "evaluation" / "generalisation.jsonl"))
    parser.add_argument("--json", action="store_true", help="print every figure as one JSON object")
    parser.add_argument("--show-errors", action="store_true", help="list the misses of each record")
    args = parser.parse_args(argv)
    report = evaluate(args.path)
    if args.json:
        data = report.to_dict()
        if not args.show_errors:
            data.pop("errors")
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    print_report(report)
    failed = [e for e in report.errors if "FAILED" in e or "not scored" in e]
    if failed:
        print("Records that failed (scored as misses):")
        print("\n".join("  " + e for e in failed))
    if args.show_errors:
        print("\nMisses per record (ours):")
        print("\n".join("  " + e for e in report.errors if e not in failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
