"""Shared fixtures: settings with a per-session index prefix on the real cluster in ES_URL, and real
HTTP servers on 127.0.0.1 for feeds and pages."""

from __future__ import annotations

import http.server
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FEED_FIXTURES = ROOT / "tests" / "fixtures" / "feeds"  # written for the project (see its README.md)


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Called per request instead of the fixed status/body when set: (handler) -> (status, headers, body)
    handler: Callable[[http.server.BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]] | None = None


class LocalHTTPServer:
    """A real threaded HTTP server on 127.0.0.1 whose routes a test sets; counts requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                server.hits[path] = server.hits.get(path, 0) + 1
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(path)
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                elif route.handler is not None:
                    status, headers, body = route.handler(self)
                else:
                    status, headers, body = route.status, route.headers, route.body
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        status: int = 200,
        content_type: str = "application/rss+xml",
        **kw,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(
            status=status, body=data, headers={"Content-Type": content_type, **kw.pop("headers", {})}, **kw
        )
        return self.url(path)

    def __enter__(self) -> LocalHTTPServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def http_server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture(scope="session")
def es_url() -> str:
    url = os.environ.get("ES_URL")
    if not url:
        pytest.fail(
            "ES_URL is not set: run the tests with `make test`, which starts a real local Elasticsearch"
        )
    return url


@pytest.fixture
def settings(es_url: str, tmp_path: Path) -> Settings:
    """Settings on the real cluster with an index prefix of this test's own, 127.0.0.1 allowed."""
    prefix = f"bwtest-{uuid.uuid4().hex[:10]}"
    return replace(
        Settings.from_env(),
        es_url=es_url,
        index_prefix=prefix,
        allow_private_networks=True,
        fetch_timeout=5.0,
    )


@pytest.fixture
def es(settings: Settings):
    from pipeline.index import client

    es = client(settings)
    yield es
    es.indices.delete(
        index=f"{settings.index_prefix}*",
        ignore_unavailable=True,
        allow_no_indices=True,
        expand_wildcards="all",
    )
    es.options(ignore_status=404).indices.delete_index_template(name=f"{settings.index_prefix}*")
    es.close()
