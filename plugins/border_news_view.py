"""Airflow 3 UI plugin: a "Border news" page with per-feed health, webhook subscriptions' health, the
last runs' counts and the most frequent new (unlinked) names.

A FastAPI app (mounted by the API server under `/border-news`) renders the page from Elasticsearch
(`pipeline.health`, `pipeline.discovery`; the cluster of `BorderNewsHook`); an external view puts it
in the Airflow navigation, shown inside the Airflow UI at `/plugin/border-news`. It also serves the
same data as JSON at `/border-news/api/overview`.

Both are behind Airflow's own authentication: Airflow does not authenticate a plugin's FastAPI app
(a mounted app inherits none of the core API's dependencies), so the app itself depends on the auth
manager the deployment configures (`requires_access_view(AccessView.WEBSITE)`: the Airflow session
cookie or a bearer token of a user allowed to see the Airflow UI). Anonymous requests get 401, a user
without that permission 403.
"""

from __future__ import annotations

import html
from typing import Any

from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
from airflow.api_fastapi.core_api.security import requires_access_view
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI(
    title="Border news",
    description="border-watch operators' view: feed health, subscriptions and recent runs",
    dependencies=[Depends(requires_access_view(AccessView.WEBSITE))],
)

RUN_COLUMNS = (
    ("started_at", "started"),
    ("state", "state"),
    ("feeds_fetched", "fetched"),
    ("feeds_not_modified", "not modified"),
    ("feeds_failed", "failed feeds"),
    ("entries_seen", "entries seen"),
    ("new", "new"),
    ("processed", "processed"),
    ("kept", "kept"),
    ("rejected", "rejected"),
    ("duplicates", "duplicates"),
    ("indexed", "indexed"),
    ("failed", "failed"),
    ("dead_lettered", "dead-lettered"),
    ("freshness_lag_p95_s", "lag p95 (s)"),
    ("duration_s", "duration (s)"),
)
NAME_COLUMNS = (
    ("name", "name"),
    ("type", "type"),
    ("articles", "articles"),
    ("languages", "languages"),
    ("outlets", "outlets"),
    ("last_seen", "last seen"),
    ("id", "id"),
)
FEED_COLUMNS = (
    ("feed", "feed"),
    ("status", "status"),
    ("last_success_at", "last success"),
    ("last_error_at", "last error at"),
    ("last_error", "last error"),
    ("items_24h", "items (24 h)"),
    ("dead_letters_24h", "dead letters (24 h)"),
    ("consecutive_failures", "consecutive failures"),
)
SUBSCRIPTION_COLUMNS = (
    ("name", "subscription"),
    ("status", "status"),
    ("parked", "parked"),
    ("consecutive_failures", "consecutive failures"),
    ("last_delivered_at", "last delivered"),
    ("last_call_at", "last call"),
    ("last_error", "last error"),
)

STYLE = """body{font-family:system-ui,sans-serif;margin:1.2rem;color:#1f2933}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid #d2d6dc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f0f2f5}
td.num{text-align:right}.ok{color:#0a7d32;font-weight:600}.failing,.unhealthy{color:#b42318;font-weight:600}
.retrying{color:#b54708;font-weight:600}
.err{max-width:32rem;font-family:monospace;font-size:.75rem}"""


def _overview() -> dict[str, Any]:
    """What the page shows, read from the cluster of `BorderNewsHook` (the connection
    `border_news_es`, else the environment), the one the DAG tasks write to."""
    from border_news_hook import BorderNewsHook

    from pipeline import health

    hook = BorderNewsHook()
    settings = hook.get_settings()
    with hook.get_conn() as es:
        return {
            **health.overview(es, settings),
            "subscriptions": subscription_health(es, settings),
            **new_names(es, settings),
        }


def subscription_health(es: Any, settings: Any) -> list[dict[str, Any]]:
    """One row per webhook subscription: the health its last delivery call recorded (`status` ok,
    retrying or unhealthy; `parked` documents in its dead-letter list; the last error). Never the
    secret, nor the target URL (which may carry a token)."""
    from pipeline import subscriptions

    rows = []
    for record in subscriptions.list_subscriptions(es, settings):
        health = record.get("health") or {}
        rows.append(
            {
                "name": record["name"],
                "status": health.get("status", "new"),
                "parked": int(health.get("parked") or 0),
                "consecutive_failures": int(health.get("consecutive_failures") or 0),
                **{
                    k: health.get(k)
                    for k in ("last_delivered_at", "last_call_at", "last_error", "last_http_status")
                },
            }
        )
    return rows


NEW_NAMES_DAYS = 7


def new_names(es: Any, settings: Any, days: int = NEW_NAMES_DAYS, size: int = 10) -> dict[str, Any]:
    """The most frequent names of the last `days` days that the gazetteer does not know (candidates
    for `python -m pipeline entities promote`)."""
    from pipeline import discovery

    return {
        "new_names": discovery.candidates(es, settings, since=f"{days}d", size=size, examples=1),
        "new_names_days": days,
    }


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "<td>–</td>"
    if isinstance(value, float):
        value = f"{value:.1f}"
    if key.endswith("_at") and isinstance(value, str) and "T" in value:
        value = (
            value.replace("T", " ")[:16] + " UTC"
            if value.endswith(("+00:00", "Z"))
            else value.replace("T", " ")
        )
    css = (
        "num"
        if isinstance(value, int | float) or key.endswith("_s")
        else ("err" if key == "last_error" else "")
    )
    if key == "status":
        css = str(value)
    return f'<td class="{css}">{html.escape(str(value))}</td>'


def _table(rows: list[dict[str, Any]], columns: tuple[tuple[str, str], ...], row_id: str, id_key: str) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in columns)
    body = "".join(
        f'<tr data-{row_id}="{html.escape(str(r.get(id_key)))}">'
        + "".join(_cell(k, r.get(k)) for k, _ in columns)
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _names_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return '<p id="no-new-names">No unlinked names in recent articles.</p>'
    shown = [{**r, "languages": " ".join(f"{k}: {v}" for k, v in r["languages"].items())} for r in rows]
    return (
        _table(shown, NAME_COLUMNS, "name", "id")
        + "<p>Add a reviewed one with <code>python -m pipeline entities promote NAME --type TYPE ...</code>, "
        "then run the reprocess DAG to re-tag what is indexed.</p>"
    )


def _subscriptions_section(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return '<p id="no-subscriptions">No webhook subscription.</p>'
    unhealthy = sum(1 for r in rows if r["status"] == "unhealthy")
    parked = sum(r["parked"] for r in rows)
    return (
        f'<p id="subscriptions-headline">{len(rows)} subscriptions, {unhealthy} unhealthy, '
        f"{parked} parked</p>"
        + _table(rows, SUBSCRIPTION_COLUMNS, "subscription", "name")
        + "<p>Parked documents: <code>python -m pipeline subscriptions parked NAME</code>; after the "
        "receiver is fixed, <code>... subscriptions redeliver NAME</code>. Deliveries: the DAG "
        "<code>border_news_webhooks</code>.</p>"
    )


def render(data: dict[str, Any]) -> str:
    """The page: feed health first (what is broken), then webhook subscriptions, the last runs' counts,
    then new names."""
    feeds, recent = data["feeds"], data["runs"]
    failing = sum(1 for f in feeds if f["status"] == "failing")
    prefix = html.escape(data["index_prefix"])
    head = f'<meta charset="utf-8"><title>Border news</title><style>{STYLE}</style>'
    return f"""<!doctype html><html><head>{head}</head>
<body><h1>Border news — feed health</h1>
<p id="headline">{len(feeds)} feeds, {failing} failing; indices <code>{prefix}-*</code></p>
<h2>Feeds</h2>{_table(feeds, FEED_COLUMNS, "feed", "feed") if feeds else "<p>No feed fetched yet.</p>"}
<h2>Webhook subscriptions</h2>{_subscriptions_section(data.get("subscriptions") or [])}
<h2>Last runs</h2>{_table(recent, RUN_COLUMNS, "run", "run_id") if recent else "<p>No run recorded yet.</p>"}
<h2>New names (last {data.get("new_names_days", NEW_NAMES_DAYS)} days)</h2>
{_names_table(data.get("new_names") or [])}
<p>Failures with the stage, the article and what to do: index <code>{prefix}-deadletter</code>.</p>
</body></html>"""


@app.get("/", response_class=HTMLResponse)
def page() -> str:
    return render(_overview())


@app.get("/api/overview")
def overview() -> dict[str, Any]:
    return _overview()


class BorderNewsViewPlugin(AirflowPlugin):
    name = "border_news_view"
    fastapi_apps = [{"app": app, "url_prefix": "/border-news", "name": "Border news"}]
    external_views = [
        {
            "name": "Border news",
            "href": "border-news/",
            "url_route": "border-news",
            "destination": "nav",
            "category": "browse",
        }
    ]
