"""Settings in one place: read from the environment once, then passed in. No stage reads the
environment itself. (Airflow components take Elasticsearch from the connection `border_news_es`
instead: `plugins/border_news_hook.py`; this module imports nothing of Airflow.)"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    es_url: str = "http://127.0.0.1:9200"
    es_api_key: str | None = field(default=None, repr=False)
    es_username: str | None = None
    # Secrets: never in the repr (logs, tracebacks); `redact` removes them from any message.
    es_password: str | None = field(default=None, repr=False)
    es_verify_certs: bool = True
    es_ca_certs: str | None = None
    # Every index and alias name starts with this, so tests and deployments can share a cluster.
    index_prefix: str = "border-news"
    feeds_file: Path = PROJECT_ROOT / "config" / "feeds.yaml"
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 10 * 1024 * 1024
    fetch_connect_timeout: float = 10.0
    # Total time for one fetch, headers and body included: a server that drips bytes is cut off here.
    fetch_deadline: float = 60.0
    fetch_max_redirects: int = 5
    # Entries kept from one feed per fetch; the rest are dead-lettered (with their links), not dropped.
    feed_max_entries: int = 2000
    user_agent: str = "border-watch/0.1 (+https://github.com/border-watch)"
    # Loopback/private destinations are refused unless allowed (SSRF); tests allow 127.0.0.1.
    allow_private_networks: bool = False
    # Ingest DAG: cron or preset (BORDER_SCHEDULE), Airflow retries of transient feed failures,
    # concurrent page fetches per feed, articles per processing batch.
    schedule: str = "*/5 * * * *"
    task_retries: int = 3
    # Feeds per mapped fetch task: 1 (the default) gives each feed its own task; with many feeds on a
    # small machine, a few feeds per task cut Airflow's per-task start-up cost (benchmarks/ingest.py).
    feeds_per_task: int = 1
    page_concurrency: int = 4
    process_batch_size: int = 500
    # Webhooks DAG: seconds each subscription may take per run (`subscriptions.deliver_new`); what a
    # slow or failing receiver leaves undelivered goes out on a later run.
    webhook_budget_s: float = 30.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Settings from environment variables (BORDER_* and ES_*)."""
        e = os.environ if env is None else env
        default = cls()
        return cls(
            es_url=e.get("ES_URL") or default.es_url,
            es_api_key=e.get("ES_API_KEY") or None,
            es_username=e.get("ES_USERNAME") or None,
            es_password=e.get("ES_PASSWORD") or None,
            es_verify_certs=_bool(e.get("ES_VERIFY_CERTS"), True),
            es_ca_certs=e.get("ES_CA_CERTS") or None,
            index_prefix=e.get("BORDER_INDEX_PREFIX") or default.index_prefix,
            feeds_file=Path(e["BORDER_FEEDS_FILE"]) if e.get("BORDER_FEEDS_FILE") else default.feeds_file,
            fetch_timeout=float(e.get("BORDER_FETCH_TIMEOUT") or default.fetch_timeout),
            fetch_max_bytes=int(e.get("BORDER_FETCH_MAX_BYTES") or default.fetch_max_bytes),
            fetch_connect_timeout=float(
                e.get("BORDER_FETCH_CONNECT_TIMEOUT") or default.fetch_connect_timeout
            ),
            fetch_deadline=float(e.get("BORDER_FETCH_DEADLINE") or default.fetch_deadline),
            fetch_max_redirects=int(e.get("BORDER_FETCH_MAX_REDIRECTS") or default.fetch_max_redirects),
            feed_max_entries=int(e.get("BORDER_FEED_MAX_ENTRIES") or default.feed_max_entries),
            allow_private_networks=_bool(e.get("BORDER_ALLOW_PRIVATE_NETWORKS"), False),
            schedule=e.get("BORDER_SCHEDULE") or default.schedule,
            task_retries=int(e.get("BORDER_TASK_RETRIES") or default.task_retries),
            feeds_per_task=max(1, int(e.get("BORDER_FEEDS_PER_TASK") or default.feeds_per_task)),
            page_concurrency=int(e.get("BORDER_PAGE_CONCURRENCY") or default.page_concurrency),
            process_batch_size=int(e.get("BORDER_PROCESS_BATCH_SIZE") or default.process_batch_size),
            webhook_budget_s=float(e.get("BORDER_WEBHOOK_BUDGET_S") or default.webhook_budget_s),
        )

    def index(self, kind: str) -> str:
        """Name of one of the project's indices or aliases: 'raw', 'deadletter', 'runs', 'state', ..."""
        return f"{self.index_prefix}-{kind}"

    @property
    def read_alias(self) -> str:
        return self.index_prefix

    @property
    def write_alias(self) -> str:
        return f"{self.index_prefix}-write"

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return self.redact(f"Settings({shown})")

    def redact(self, text: str) -> str:
        """`text` with this settings' secrets (password, API key, credentials in the URL) replaced by ***."""
        for secret in (self.es_password, self.es_api_key):
            if secret and len(secret) >= 3:
                text = text.replace(secret, "***")
        return _URL_CREDENTIALS.sub(r"\1***@", text)


# Credentials inside a URL (scheme://user:password@host), removed by `Settings.redact`.
_URL_CREDENTIALS = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/@\s:]+:[^/@\s]*@", re.I)
