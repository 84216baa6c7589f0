"""Fetch stage: HTTP GET of feeds and pages, with conditional GET, timeouts, retries and a size cap.

It returns bytes and response metadata; it does not parse. Transient failures (network, timeout, 5xx,
429) raise `TransientError` so that Airflow retries them; permanent ones (4xx, too large, wrong
scheme) raise `BadInputError` so that they are dead-lettered at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from pipeline.errors import BadInputError, TransientError
from pipeline.settings import Settings

STAGE = "fetch"


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL, after redirects
    status: int  # 200, or 304 when not modified
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    elapsed_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """A small HTTP client for feeds and article pages."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None):
        self.settings = settings
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout, connect=min(10.0, settings.fetch_timeout)),
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        feed: str | None = None,
    ) -> FetchResult:
        """GET `url`; with `etag`/`last_modified`, a 304 comes back as `not_modified`."""
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise BadInputError(STAGE, f"refusing URL scheme {scheme!r}: only http and https", feed=feed, item=url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        t0 = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return self._result(response, b"", t0)
                if response.status_code == 429 or response.status_code >= 500:
                    raise TransientError(STAGE, f"HTTP {response.status_code} from server; will retry", feed=feed, item=url)
                if response.status_code >= 400:
                    raise BadInputError(STAGE, f"HTTP {response.status_code}; check the URL in the feed list", feed=feed, item=url)
                declared = response.headers.get("Content-Length")
                cap = self.settings.fetch_max_bytes
                if declared and declared.isdigit() and int(declared) > cap:
                    raise BadInputError(STAGE, f"body of {declared} bytes exceeds the {cap}-byte limit", feed=feed, item=url)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise BadInputError(STAGE, f"body exceeds the {cap}-byte limit", feed=feed, item=url)
                    chunks.append(chunk)
                    if time.monotonic() - t0 > self.settings.fetch_timeout * 3:
                        raise TransientError(STAGE, "download too slow: total time limit exceeded", feed=feed, item=url)
                return self._result(response, b"".join(chunks), t0)
        except httpx.TooManyRedirects as exc:
            raise BadInputError(STAGE, f"too many redirects: {exc}", feed=feed, item=url) from exc
        except httpx.TimeoutException as exc:
            raise TransientError(STAGE, f"timed out after {self.settings.fetch_timeout} s: {type(exc).__name__}", feed=feed, item=url) from exc
        except httpx.TransportError as exc:
            raise TransientError(STAGE, f"network error: {type(exc).__name__}: {exc}", feed=feed, item=url) from exc

    @staticmethod
    def _result(response: httpx.Response, content: bytes, t0: float) -> FetchResult:
        return FetchResult(
            url=str(response.url),
            status=response.status_code,
            content=content,
            content_type=response.headers.get("Content-Type"),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            elapsed_s=time.monotonic() - t0,
            headers=dict(response.headers),
        )
