"""Fetch stage: HTTP GET of feeds and pages, safe to point at the open web.

It returns bytes and response metadata; it does not parse. Transient failures (network, timeout, 5xx,
429) raise `TransientError` so that Airflow retries them; permanent ones (4xx, too large, wrong
scheme, forbidden destination, binary content) raise `BadInputError` so that they are dead-lettered
at once.

What every fetch enforces:
- the outbound guard (`pipeline.outbound`, shared with webhook deliveries): only `http` and `https`
  URLs of bounded length; every address the host resolves to must be public, checked inside the
  connection itself (no DNS rebinding); no proxies from the environment. Redirects are followed here,
  hop by hop (bounded, loops detected), and each hop's connection is vetted the same way.
  `Settings.allow_private_networks` lifts the address check (local runs, tests); a feed's
  `allow_private_network` lifts it for that feed's own host only (a redirect elsewhere is still vetted);
- connect and read timeouts, and a total deadline over the whole exchange (headers included), so a
  server that drips one byte a second is cut off;
- a size cap on the body as received and as decompressed (a gzip bomb stops at the cap, with memory
  bounded by the cap: `pipeline.bodies`);
- content sanity: binary data (PDF, images, archives, NUL bytes) is refused even when the server
  calls it text/html or XML.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from pipeline import outbound
from pipeline.bodies import BoundedDecoder, binary_kind
from pipeline.bodies import BoundedDecoder as _BoundedDecoder  # noqa: F401  (re-exported)
from pipeline.decoding import CP1252_FALLBACK, decode_html  # noqa: F401  (CP1252_FALLBACK: re-exported)
from pipeline.errors import BadInputError, TransientError
from pipeline.outbound import (  # noqa: F401  (re-exported: the names callers import from the fetcher)
    MAX_URL_CHARS,
    ForbiddenDestination,
    GuardedTransport,
    UnresolvableHost,
    forbidden_reason,
    resolve,
)
from pipeline.settings import Settings

STAGE = "fetch"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


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
    redirects: tuple[str, ...] = ()  # the URLs that answered with a redirect, in order

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text (`pipeline.decoding.decode_html`): charset from the BOM, the HTTP header, a
        `<meta charset>` or the XML declaration, else UTF-8 with undecodable bytes read as Windows-1252;
        the XML declaration is removed. BadInputError only when the text would be NUL-laced."""
        return decode_page(self.content, self.content_type)


def decode_page(content: bytes, content_type: str | None) -> str:
    """Decode an HTML page the way browsers do, closely enough for extraction (`pipeline.decoding`)."""
    return decode_html(content, content_type, stage=STAGE)


def _bad(message: str, feed: str | None, url: str) -> BadInputError:
    """A permanent fetch error: dead-lettered at once, with the feed and the URL."""
    return BadInputError(STAGE, message, feed=feed, item=url)


class Fetcher:
    """A small, hardened HTTP client for feeds and article pages."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None):
        self.settings = settings
        self._clients: dict[outbound.AllowPrivate, httpx.Client] = {}
        if client is not None:
            self._clients[settings.allow_private_networks] = client

    def _client(self, allow_private: outbound.AllowPrivate) -> httpx.Client:
        # One pool per policy: a connection opened while private addresses were allowed is never
        # reused by a fetch that does not allow them.
        if allow_private not in self._clients:
            s = self.settings
            self._clients[allow_private] = outbound.client(
                allow_private=allow_private,
                timeout=httpx.Timeout(s.fetch_timeout, connect=min(s.fetch_connect_timeout, s.fetch_timeout)),
                headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            )
        return self._clients[allow_private]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

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
        allow_private: bool | None = None,
    ) -> FetchResult:
        """GET `url`; with `etag`/`last_modified`, a 304 comes back as `not_modified`.

        `allow_private` (a feed's `allow_private_network`) lets this fetch reach a private address, but
        only at the host of `url` itself: a redirect from there to another private host is still
        refused. `Settings.allow_private_networks` lifts the check everywhere (local runs, tests).
        """
        allow: outbound.AllowPrivate = self.settings.allow_private_networks
        if allow is False and allow_private:
            allow = frozenset({(urlsplit(url).hostname or "").lower()})
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        t0 = time.monotonic()
        with outbound.deadline(self.settings.fetch_deadline):
            return self._follow(url, headers, allow, feed, t0)

    def _check_url(self, url: str, feed: str | None, origin: str) -> None:
        if len(url) > MAX_URL_CHARS:
            raise BadInputError(
                STAGE,
                f"URL is {len(url):,} characters long (limit {MAX_URL_CHARS:,}): not fetched",
                feed=feed,
                item=url[:200] + "…",
            )
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            where = "" if url == origin else f" (redirected from {origin})"
            raise _bad(f"refusing URL scheme {scheme!r}{where}: only http and https are fetched", feed, url)
        if not parts.hostname:
            raise _bad("URL has no host name; fix it in the feed list", feed, url)

    def _follow(
        self, url: str, headers: dict[str, str], allow: outbound.AllowPrivate, feed: str | None, t0: float
    ) -> FetchResult:
        client = self._client(allow)
        current = url
        visited: list[str] = []
        for _ in range(self.settings.fetch_max_redirects + 1):
            self._check_url(current, feed, url)
            visited.append(current)
            try:
                with client.stream("GET", current, headers=headers) as response:
                    if response.status_code in REDIRECT_STATUSES and response.headers.get("Location"):
                        current = self._next_hop(response, visited, feed, url)
                        continue
                    return self._read(response, feed, t0, tuple(visited[:-1]))
            except httpx.TransportError as exc:
                raise self._transport_error(exc, visited, feed, url, t0) from exc
        chain = " -> ".join(visited)
        raise _bad(
            f"more than {self.settings.fetch_max_redirects} redirects: {chain}; put the final URL in the "
            "feed list",
            feed,
            url,
        )

    @staticmethod
    def _next_hop(response: httpx.Response, visited: list[str], feed: str | None, url: str) -> str:
        target = str(response.url.join(response.headers["Location"]))
        if target in visited:
            chain = " -> ".join([*visited, target])
            raise _bad(f"redirect loop: {chain}; fix the URL in the feed list", feed, url)
        return target

    def _transport_error(
        self, exc: httpx.TransportError, visited: list[str], feed: str | None, url: str, t0: float
    ) -> BadInputError | TransientError:
        """The stage's error for a request that got no response: refused, unresolvable, slow, broken."""
        current = visited[-1]
        if isinstance(exc, ForbiddenDestination):
            via = f" after redirect from {visited[-2]}" if len(visited) > 1 else ""
            return _bad(
                f"refusing to fetch {current}{via}: {exc}. Private and local networks are not fetched "
                "unless the feed sets allow_private_network (or BORDER_ALLOW_PRIVATE_NETWORKS=true)",
                feed,
                url,
            )
        if isinstance(exc, UnresolvableHost):
            return TransientError(
                STAGE,
                f"{exc}; check the host name in the feed list (retried, in case DNS was down)",
                feed=feed,
                item=url,
            )
        if isinstance(exc, httpx.TimeoutException):
            elapsed = time.monotonic() - t0
            if elapsed >= self.settings.fetch_deadline - 0.05:
                msg = (
                    f"total time limit of {self.settings.fetch_deadline:g} s exceeded (server too slow: "
                    f"{type(exc).__name__}); the feed is retried later"
                )
            else:
                msg = (
                    f"timed out after {elapsed:.1f} s ({type(exc).__name__}, limit "
                    f"{self.settings.fetch_timeout:g} s per read); retried later"
                )
            return TransientError(STAGE, msg, feed=feed, item=current)
        return TransientError(
            STAGE,
            f"network error: {type(exc).__name__}: {exc or 'connection failed'}; retried later",
            feed=feed,
            item=current,
        )

    def _read(
        self, response: httpx.Response, feed: str | None, t0: float, redirects: tuple[str, ...]
    ) -> FetchResult:
        if response.status_code == 304:
            return self._result(response, b"", t0, redirects)
        self._check_status(response, feed)
        content = self._read_body(response, feed)
        content_type = response.headers.get("Content-Type")
        kind = binary_kind(content, content_type)
        if kind:
            raise BadInputError(
                STAGE,
                f"the server sent {kind} (Content-Type {content_type or 'missing'}), not a feed or "
                "an article page; check the URL",
                feed=feed,
                item=str(response.url),
            )
        return self._result(response, content, t0, redirects)

    @staticmethod
    def _check_status(response: httpx.Response, feed: str | None) -> None:
        url = str(response.url)
        status = response.status_code
        if status == 429 or status >= 500:
            after = response.headers.get("Retry-After")
            hint = f" (server asks to retry after {after})" if after else ""
            raise TransientError(
                STAGE, f"HTTP {status} from the server{hint}; retried later", feed=feed, item=url
            )
        if status >= 400:
            raise _bad(
                f"HTTP {status}; check the URL in the feed list (the page may have moved or gone)", feed, url
            )
        if status in REDIRECT_STATUSES:
            raise _bad(f"HTTP {status} redirect without a Location header", feed, url)

    def _read_body(self, response: httpx.Response, feed: str | None) -> bytes:
        """The decoded body, refused past the size cap as received or as decompressed."""
        url = str(response.url)
        cap = self.settings.fetch_max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise _bad(
                f"body of {int(declared):,} bytes exceeds the {cap:,}-byte limit (BORDER_FETCH_MAX_BYTES)",
                feed,
                url,
            )
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise _bad(f"unsupported Content-Encoding {encoding!r}", feed, url)
        decoder = BoundedDecoder(encoding, cap)
        chunks: list[bytes] = []
        received = 0
        try:
            for raw in response.iter_raw():
                received += len(raw)
                if received > cap:
                    raise _bad(f"body exceeds the {cap:,}-byte limit (BORDER_FETCH_MAX_BYTES)", feed, url)
                chunks.append(decoder.feed(raw))
                if decoder.produced > cap:
                    raise _bad(
                        f"body decompresses to more than the {cap:,}-byte limit "
                        f"({received:,} bytes received, {encoding}): refused as a decompression bomb",
                        feed,
                        url,
                    )
        except zlib.error as exc:
            raise _bad(f"body is not valid {encoding} data: {exc}", feed, url) from exc
        return b"".join(chunks)

    @staticmethod
    def _result(
        response: httpx.Response, content: bytes, t0: float, redirects: tuple[str, ...]
    ) -> FetchResult:
        return FetchResult(
            url=str(response.url),
            status=response.status_code,
            content=content,
            content_type=response.headers.get("Content-Type"),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            elapsed_s=time.monotonic() - t0,
            headers=dict(response.headers),
            redirects=redirects,
        )
