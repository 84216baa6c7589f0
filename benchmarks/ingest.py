"""Ingest benchmark: a real Airflow scheduler runs `border_news_ingest` every minute over local feeds
that publish new items continuously; measures articles/s into Elasticsearch, the freshness lag
(published in the feed -> searchable through the read alias) at p50/p95, and the share of each run's
wall time spent in the pipeline's stages versus in Airflow.

    .venv/bin/python benchmarks/ingest.py --feeds 50 --articles 20000 --minutes 5

Everything runs on 127.0.0.1: a threaded feed server (RSS with ETag / 304), the project's
Elasticsearch (ES_URL, a `bench-*` prefix, deleted at the end unless --keep), and Airflow 3 with the
LocalExecutor on a copy of the project's SQLite metadata DB in a temporary AIRFLOW_HOME (API server for
the task execution API, DAG processor, scheduler). The baseline, in the same process, runs the same
pipeline code without Airflow (`ingest_feed` per feed, then `process_pending`) over a smaller batch.
"""

from __future__ import annotations

import argparse
import email.utils
import http.server
import json
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import index  # noqa: E402
from pipeline.runs import percentile  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

PLACES = [
    "Depsang",
    "Demchok",
    "Galwan",
    "Pangong Tso",
    "Gogra",
    "Hot Springs",
    "Tawang",
    "Yangtse",
    "Doklam",
    "Arunachal Pradesh",
    "eastern Ladakh",
    "Sikkim",
    "Chumar",
    "Daulat Beg Oldi",
    "Kailash range",
    "Asaphila",
]
ACTORS = [
    "Indian Army",
    "the PLA",
    "ITBP",
    "Chinese troops",
    "Indian troops",
    "the Western Theatre Command",
    "Indian and Chinese commanders",
    "the Ministry of External Affairs",
    "Beijing",
    "New Delhi",
]
VERBS = [
    "reported",
    "completed",
    "reviewed",
    "discussed",
    "verified",
    "resumed",
    "inspected",
    "proposed",
    "logged",
    "recorded",
    "flagged",
    "confirmed",
]
NOUNS = [
    "patrols",
    "buffer zones",
    "infrastructure projects",
    "grazing rights",
    "sorties",
    "camps",
    "vehicles",
    "observation posts",
    "talks",
    "corps commander meetings",
    "satellite images",
    "roads",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def article_text(rng: random.Random, n: int) -> tuple[str, str]:
    """A border-news-like title and text, different enough from any other (random numbers, choices)."""
    place = rng.choice(PLACES)
    title = (
        f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.randint(2, 999)} {rng.choice(NOUNS)} near {place} "
        f"along the LAC ({n})"
    )
    sentences = []
    for _ in range(7):
        sentences.append(
            f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.randint(2, 9999)} {rng.choice(NOUNS)} near "
            f"{rng.choice(PLACES)} on the Line of Actual Control on {rng.randint(1, 28)} "
            f"{rng.choice(MONTHS)}, "
            f"officials in the India-China border region said, citing {rng.randint(2, 999)} "
            f"{rng.choice(NOUNS)} "
            f"and {rng.randint(2, 99)} km of {rng.choice(NOUNS)}."
        )
    return title, " ".join(sentences)


class Publisher:
    """Feeds that gain items at a steady rate; each serves its latest `window` items with an ETag."""

    def __init__(self, feeds: int, total: int, seconds: float, window: int, seed: int = 7):
        self.names = [f"bench-feed-{i:03d}" for i in range(feeds)]
        self.items: dict[str, list[tuple[str, str, str, float]]] = {n: [] for n in self.names}
        self.published: dict[str, float] = {}  # link -> time it appeared in its feed
        self.total, self.seconds, self.window = total, seconds, window
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.count = 0

    def publish_one(self) -> None:
        n = self.count
        name = self.names[n % len(self.names)]
        title, text = article_text(self.rng, n)
        link = f"https://bench.border-watch.example/{name}/{n}"
        now = time.time()
        with self.lock:
            self.items[name].append((title, link, text, now))
            del self.items[name][: -self.window]
            self.published[link] = now
        self.count += 1

    def run(self) -> None:
        start = time.time()
        while not self.stop.is_set() and self.count < self.total:
            due = int((time.time() - start) / self.seconds * self.total) + 1
            while self.count < min(due, self.total):
                self.publish_one()
            time.sleep(0.05)

    def feed_xml(self, name: str) -> tuple[str, bytes]:
        with self.lock:
            items = list(self.items.get(name, []))
        etag = f'"{name}-{len(items)}-{items[-1][1].rsplit("/", 1)[-1] if items else 0}"'
        body = "".join(
            f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{email.utils.formatdate(ts, usegmt=True)}</pubDate>"
            f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
            for title, link, text, ts in reversed(items)
        )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{name}</title><link>https://bench.border-watch.example/</link>{body}</channel></rss>"
        )
        return etag, xml.encode("utf-8")


def serve(publisher: Publisher) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            name = self.path.strip("/").removesuffix(".xml")
            etag, body = publisher.feed_xml(name)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def write_feeds(path: Path, base: str, names: list[str]) -> None:
    lines = ["feeds:"]
    for name in names:
        lines += [
            f"  - name: {name}",
            f"    url: {base}/{name}.xml",
            "    language: en",
            "    outlet: bench.example",
            "    fetch_full_page: false",
            "    allow_private_network: true",
        ]
    path.write_text("\n".join(lines) + "\n")


class Poller:
    """Sees documents become searchable through the read alias; records when each was first seen."""

    def __init__(self, es, settings: Settings):
        self.es, self.settings = es, settings
        self.seen: dict[str, tuple[str, float]] = {}  # id -> (url, first seen)
        self.stop = threading.Event()
        self.error: str | None = None

    def run(self) -> None:
        since = "1970-01-01T00:00:00Z"
        while not self.stop.is_set():
            try:
                if self.es.indices.exists_alias(name=self.settings.read_alias):
                    response = self.es.search(
                        index=self.settings.read_alias,
                        size=10000,
                        source=["url", "ingested_at"],
                        query={"range": {"ingested_at": {"gte": since}}},
                        sort=[{"ingested_at": "asc"}],
                    )
                    now = time.time()
                    for hit in response["hits"]["hits"]:
                        if hit["_id"] not in self.seen:
                            self.seen[hit["_id"]] = (hit["_source"].get("url"), now)
                    if response["hits"]["hits"]:
                        # re-read a margin: a document indexed earlier may become visible later
                        last = response["hits"]["hits"][-1]["_source"]["ingested_at"]
                        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(_epoch(last) - 120))
            except Exception as exc:  # noqa: BLE001 - report, keep polling
                self.error = repr(exc)
            self.stop.wait(2)


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def baseline(settings: Settings, articles: int, feeds: int) -> float:
    """Articles/s of the same pipeline code without Airflow: every feed once, then process_pending."""
    from pipeline.feeds import FeedConfig
    from pipeline.ingest import ingest_feed, process_pending

    publisher = Publisher(feeds, articles, 1.0, window=articles)
    for _ in range(articles):
        publisher.publish_one()
    server = serve(publisher)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    es = index.client(settings)
    try:
        t0 = time.monotonic()
        for name in publisher.names:
            ingest_feed(
                es, settings, FeedConfig(name=name, url=f"{base}/{name}.xml", allow_private_network=True)
            )
        t_fetch = time.monotonic() - t0
        outcome = process_pending(es, settings)
        elapsed = time.monotonic() - t0
        print(
            f"baseline (no Airflow): {articles} articles from {feeds} feeds: fetch+raw {t_fetch:.1f} s, "
            f"process+index {elapsed - t_fetch:.1f} s; indexed {outcome.indexed}, duplicates "
            f"{outcome.duplicates}, "
            f"rejected {outcome.rejected} -> {outcome.indexed / elapsed:.1f} articles/s"
        )
        return outcome.indexed / elapsed
    finally:
        server.shutdown()
        es.indices.delete(
            index=f"{settings.index_prefix}*",
            ignore_unavailable=True,
            allow_no_indices=True,
            expand_wildcards="all",
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument(
        "--articles", type=int, default=20000, help="articles published in all, evenly over --minutes"
    )
    parser.add_argument(
        "--minutes", type=float, default=5.0, help="publishing time; then up to --drain-minutes to catch up"
    )
    parser.add_argument("--drain-minutes", type=float, default=3.0)
    parser.add_argument("--window", type=int, default=400, help="items each feed lists")
    parser.add_argument("--baseline-articles", type=int, default=1000)
    parser.add_argument("--parallelism", type=int, default=4)
    parser.add_argument(
        "--feeds-per-task", type=int, default=1, help="BORDER_FEEDS_PER_TASK: feeds per mapped fetch task"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench indices and the temporary AIRFLOW_HOME"
    )
    args = parser.parse_args()

    env_settings = Settings.from_env()
    if not os.environ.get("ES_URL"):
        print("ES_URL is not set: run through `make bench` (or export the local node's URL)", file=sys.stderr)
        return 2
    stamp = time.strftime("%H%M%S")
    base_settings = replace(env_settings, allow_private_networks=True)
    rate = baseline(
        replace(base_settings, index_prefix=f"bench-base-{stamp}"),
        args.baseline_articles,
        min(args.feeds, 10),
    )

    settings = replace(base_settings, index_prefix=f"bench-{stamp}")
    publisher = Publisher(args.feeds, args.articles, args.minutes * 60, args.window)
    server = serve(publisher)
    feed_base = f"http://127.0.0.1:{server.server_address[1]}"
    home = Path(tempfile.mkdtemp(prefix="bench-airflow-"))
    feeds_file = home / "feeds.yaml"
    write_feeds(feeds_file, feed_base, publisher.names)
    shutil.copy(ROOT / ".airflow" / "airflow.db", home / "airflow.db")
    api_port = free_port()
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": str(args.parallelism),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(16),  # shared by the API server and the workers
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "BORDER_FEEDS_FILE": str(feeds_file),
        "BORDER_INDEX_PREFIX": settings.index_prefix,
        "BORDER_SCHEDULE": "* * * * *",
        "BORDER_ALLOW_PRIVATE_NETWORKS": "true",
        "BORDER_TASK_RETRIES": "1",
        "BORDER_FEEDS_PER_TASK": str(args.feeds_per_task),
        "PYTHONPATH": str(ROOT),
    }
    airflow = str(Path(sys.executable).parent / "airflow")
    # The copied DB may hold a run of the DAG left running or queued by an interrupted test: with
    # max_active_runs=1 it would block every scheduled run, so mark such leftovers failed.
    with sqlite3.connect(home / "airflow.db") as db:
        db.execute(
            "UPDATE dag_run SET state = 'failed' WHERE dag_id = 'border_news_ingest' AND state IN "
            "('running', 'queued')"
        )
    procs = []
    for cmd in (
        ["api-server", "--host", "127.0.0.1", "--port", str(api_port), "--workers", "1"],
        ["dag-processor"],
        ["scheduler"],
    ):
        log = (home / f"{cmd[0]}.log").open("wb")
        procs.append(
            subprocess.Popen(
                [airflow, *cmd], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        )
    # The DAG may exist paused in the copied DB (DAGs are created paused): unpause it once it is parsed.
    for _ in range(30):
        done = subprocess.run(
            [airflow, "dags", "unpause", "border_news_ingest"], env=env, capture_output=True, text=True
        )
        if done.returncode == 0:
            break
        time.sleep(2)
    else:
        print(f"could not unpause border_news_ingest: {done.stderr[-500:]}", file=sys.stderr)
    es = index.client(settings)
    poller = Poller(es, settings)
    threading.Thread(target=poller.run, daemon=True).start()
    print(
        f"Airflow (LocalExecutor, SQLite, parallelism {args.parallelism}, {args.feeds_per_task} feeds per "
        f"task) in {home}; {args.feeds} feeds publishing "
        f"{args.articles} articles over {args.minutes} min; schedule every minute"
    )
    t_start = time.time()
    pub_thread = threading.Thread(target=publisher.run, daemon=True)
    pub_thread.start()
    try:
        deadline = t_start + args.minutes * 60
        while time.time() < deadline:
            time.sleep(15)
            print(
                (
                    f"  t+{time.time() - t_start:5.0f} s: published {publisher.count}, searchable "
                    f"{len(poller.seen)}"
                ),
                flush=True,
            )
        publisher.stop.set()
        drain_end = time.time() + args.drain_minutes * 60
        while time.time() < drain_end and len(poller.seen) < publisher.count:
            time.sleep(10)
            print(
                (
                    f"  drain t+{time.time() - t_start:5.0f} s: published {publisher.count}, searchable "
                    f"{len(poller.seen)}"
                ),
                flush=True,
            )
    finally:
        publisher.stop.set()
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        poller.stop.set()
        server.shutdown()

    lags = [
        seen - publisher.published[url] for url, seen in poller.seen.values() if url in publisher.published
    ]
    times = sorted(seen for _, seen in poller.seen.values())
    span = (times[-1] - t_start) if times else 0.0
    es.indices.refresh(index=f"{settings.index_prefix}-runs", ignore_unavailable=True)
    run_docs = (
        [
            h["_source"]
            for h in es.search(
                index=f"{settings.index_prefix}-runs", size=1000, sort=[{"started_at": "asc"}]
            )["hits"]["hits"]
        ]
        if es.indices.exists(index=f"{settings.index_prefix}-runs")
        else []
    )
    wall = sum(r.get("duration_s") or 0 for r in run_docs)
    stages = sum(
        (
            r["durations_s"].get("slowest_feed", 0)
            + r["durations_s"].get("process", 0)
            + r["durations_s"].get("index", 0)
            + r["durations_s"].get("deadletter", 0)
        )
        for r in run_docs
    )
    result = {
        "feeds": args.feeds,
        "published": publisher.count,
        "searchable": len(poller.seen),
        "publishing_s": round(args.minutes * 60),
        "runs": len(run_docs),
        "articles_per_s": round(len(poller.seen) / span, 2) if span else None,  # from the benchmark's start
        # from the first searchable document to the last one: the rate once the first run got going
        "articles_per_s_steady": round((len(times) - 1) / (times[-1] - times[0]), 2)
        if len(times) > 1 and times[-1] > times[0]
        else None,
        "first_searchable_after_s": round(times[0] - t_start, 1) if times else None,
        "backlog_at_end": publisher.count - len(poller.seen),
        "lag_p50_s": round(percentile(lags, 50), 1) if lags else None,
        "lag_p95_s": round(percentile(lags, 95), 1) if lags else None,
        "lag_max_s": round(max(lags), 1) if lags else None,
        "run_wall_s": round(wall, 1),
        "in_stages_s": round(stages, 1),
        "stage_share": round(stages / wall, 3) if wall else None,
        "airflow_share": round(1 - stages / wall, 3) if wall else None,
        "baseline_articles_per_s": round(rate, 2),
        "ratio_vs_baseline": round(len(poller.seen) / span / rate, 3) if span and rate else None,
        "poller_error": poller.error,
    }
    print(json.dumps(result, indent=2))
    for r in run_docs:
        print(
            f"  run {r['run_id'][-25:]}: {r['duration_s']:.1f} s wall, new {r['new']}, indexed "
            f"{r['indexed']}, "
            f"stages {json.dumps(r['durations_s'])}"
        )
    if not args.keep:
        es.indices.delete(
            index=f"{settings.index_prefix}*",
            ignore_unavailable=True,
            allow_no_indices=True,
            expand_wildcards="all",
        )
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
