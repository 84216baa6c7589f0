"""Settings in one place: read from the environment once, then passed in. No stage reads the
environment itself. (Airflow components take Elasticsearch from the connection `border_news_es`
instead: `plugins/border_news_hook.py`; this module imports nothing of Airflow.)"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ES_URL = "http://127.0.0.1:9200"
LOCAL_NODE_SCRIPT = PROJECT_ROOT / "scripts" / "elasticsearch.sh"

# What Elasticsearch allows in an index name, narrowed to what a prefix may be: lower case letters,
# digits, `.`, `_`, `-`, not starting with `_`, `-`, `+` or `.` (hidden and system indices), so that no
# prefix reads another's indices (`_all`, `x*`, `a,b`) or names one the cluster refuses.
_PREFIX = re.compile(r"[a-z0-9][a-z0-9._-]*")
MAX_PREFIX_CHARS = 100  # index names are at most 255 bytes; the suffixes (`-stories-v1`, ...) need room


class SettingsError(ValueError):
    """A setting that cannot work, reported before any request is made."""


def check_index_prefix(prefix: str) -> str:
    """`prefix` if it is a safe index-name prefix; SettingsError saying why not otherwise."""
    if len(prefix) > MAX_PREFIX_CHARS or not _PREFIX.fullmatch(prefix):
        raise SettingsError(
            f"BORDER_INDEX_PREFIX={prefix!r} is not a usable index prefix: use 1 to {MAX_PREFIX_CHARS} "
            "lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (no wildcards, "
            "commas or upper case: Elasticsearch would read other indices or refuse the name)"
        )
    return prefix


def local_node_url(env: dict[str, str] | None = None, timeout: float = 5.0) -> str | None:
    """The URL of the local node `scripts/elasticsearch.sh` runs (`make run` leaves it running), or
    None when none runs. Asks the script itself (`url`), so its choice of folder (the clone's cache,
    or a private folder under /var/tmp when run as root) is followed, not repeated here."""
    if not LOCAL_NODE_SCRIPT.is_file():
        return None
    try:
        done = subprocess.run(
            ["bash", str(LOCAL_NODE_SCRIPT), "url"],
            env=dict(os.environ if env is None else env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    url = done.stdout.strip()
    return url if done.returncode == 0 and url.startswith(("http://", "https://")) else None


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    es_url: str = DEFAULT_ES_URL
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
    # A page that keeps failing transiently: after this many fetches or this long since the first
    # failure, whichever comes first, the entry goes in with the feed's own content.
    page_max_attempts: int = 3
    page_max_wait_s: float = 6 * 3600
    process_batch_size: int = 500
    # Webhooks DAG: seconds each subscription may take per run (`subscriptions.deliver_new`); what a
    # slow or failing receiver leaves undelivered goes out on a later run.
    webhook_budget_s: float = 30.0

    def __post_init__(self) -> None:
        check_index_prefix(self.index_prefix)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, *, find_local_node: bool = False) -> Settings:
        """Settings from environment variables (BORDER_* and ES_*). With `find_local_node` (the CLI),
        an unset ES_URL means the node `scripts/elasticsearch.sh` runs, if one does."""
        e = os.environ if env is None else env
        default = cls()
        es_url = e.get("ES_URL") or (find_local_node and local_node_url(e)) or default.es_url
        return cls(
            es_url=es_url,
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
            page_max_attempts=max(1, int(e.get("BORDER_PAGE_MAX_ATTEMPTS") or default.page_max_attempts)),
            page_max_wait_s=float(e.get("BORDER_PAGE_MAX_WAIT_S") or default.page_max_wait_s),
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
