"""The one Airflow-side way to reach Elasticsearch: `BorderNewsHook`, in the style of the provider
hooks (conn id `border_news_es`; the environment as fallback).

Every DAG task, the operators' view and the run-note listener get their `Settings` and client here,
so configured through the Airflow connection alone they all read the same cluster. Settings that are
not about the connection (index prefix, feeds file, schedule...) come from the environment
(`pipeline.settings.Settings.from_env`). This module lives in the plugins folder because Airflow puts
that folder on `sys.path` of every component (scheduler, API server, DAG processor, workers), and
`pipeline/` must stay importable without Airflow.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from airflow.sdk import BaseHook

from pipeline.settings import Settings, _bool

ES_CONNECTION_ID = "border_news_es"
log = logging.getLogger(__name__)


def es_settings_from_connection(conn: Any, base: Settings | None = None) -> Settings:
    """`base` (default: from the environment) with the Elasticsearch URL, credentials and TLS options of
    an Airflow connection: host (with or without scheme), port, schema ('https'/'http'), login and
    password (basic auth), extra `api_key` (wins over basic auth), `verify_certs`, `ca_certs`."""
    base = base or Settings.from_env()
    extra = dict(getattr(conn, "extra_dejson", None) or {})
    host = (conn.host or "").strip()
    if not host:
        raise ValueError(
            f"Airflow connection {getattr(conn, 'conn_id', '?')!r} has no host: set the Elasticsearch URL"
        )
    if "://" in host:
        scheme, host = host.split("://", 1)
    else:
        scheme = (conn.schema or extra.get("scheme") or "https").lower()
    host = host.rstrip("/")
    url = f"{scheme}://{host}" + (f":{conn.port}" if conn.port and ":" not in host.rsplit("]", 1)[-1] else "")
    api_key = extra.get("api_key") or None
    verify = extra.get("verify_certs", base.es_verify_certs)
    return replace(
        base,
        es_url=url,
        es_api_key=api_key,
        es_username=None if api_key else (conn.login or None),
        es_password=None if api_key else (conn.password or None),
        es_verify_certs=verify if isinstance(verify, bool) else _bool(str(verify), True),
        es_ca_certs=extra.get("ca_certs") or base.es_ca_certs,
    )


def _in_task() -> bool:
    from airflow.sdk.execution_time import task_runner

    return getattr(task_runner, "SUPERVISOR_COMMS", None) is not None


def find_connection(conn_id: str) -> Any | None:
    """The Airflow connection `conn_id`, or None. In a task through the Task SDK; elsewhere (the API
    server's view, a listener under `airflow dags test`) the SDK may only see environment variables,
    so the metadata database and the configured secrets backends are asked as well."""
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        return BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        if _in_task():
            return None
    try:
        from airflow.exceptions import AirflowNotFoundException as NotFound
        from airflow.models.connection import Connection
    except ImportError:  # a worker without the Airflow core
        return None
    try:
        return Connection.get_connection_from_secrets(conn_id)
    except NotFound:
        return None
    except Exception as exc:  # noqa: BLE001 - no metadata database here: say so, use the environment
        log.warning("connection %s not readable here (%s): Elasticsearch from the environment", conn_id, exc)
        return None


class BorderNewsHook(BaseHook):
    """Elasticsearch settings and client for border-watch, from the connection `border_news_es`
    (URL, credentials, TLS) when it exists, else from the environment (ES_URL, ES_API_KEY...)."""

    conn_name_attr = "border_news_conn_id"
    default_conn_name = ES_CONNECTION_ID
    conn_type = "elasticsearch"
    hook_name = "Border news Elasticsearch"

    def __init__(self, border_news_conn_id: str = ES_CONNECTION_ID, env: dict[str, str] | None = None):
        super().__init__()
        self.border_news_conn_id = border_news_conn_id
        self.env = env
        self._settings: Settings | None = None

    @staticmethod
    def env_settings() -> Settings:
        """The settings read when a DAG file is parsed (schedule, retries, feeds file): the
        environment only; a task's Elasticsearch settings come from `get_settings`."""
        return Settings.from_env()

    def get_settings(self) -> Settings:
        if self._settings is None:
            base = Settings.from_env(self.env)
            conn = find_connection(self.border_news_conn_id)
            self._settings = base if conn is None else es_settings_from_connection(conn, base)
        return self._settings

    def get_conn(self):
        """A new Elasticsearch client (`pipeline.index.client`); the caller closes it."""
        from pipeline.index import client

        return client(self.get_settings())
