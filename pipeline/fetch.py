"""Fetch stage: HTTP GET of feeds and pages, safe to point at the open web.

It returns bytes and response metadata; it does not parse. Transient failures (network, timeout, 5xx,
429) raise `TransientError` so that Airflow retries them; permanent ones (4xx, too large, wrong
scheme, forbidden destination, binary content) raise `BadInputError` so that they are dead-lettered
at once.

What every fetch enforces:
- only `http` and `https` URLs;
- SSRF: the host is resolved, and every address it resolves to must be public (no private, loopback,
  link-local, multicast, reserved, unspecified, shared or IPv4-in-IPv6 forms of those). The check runs
  inside the connection itself (`_GuardedBackend.connect_tcp`): the socket connects to the address
  that was just vetted, so a DNS answer that changes between check and connect (DNS rebinding) cannot
  slip through. Redirects are followed here, hop by hop (bounded, loops detected), and each hop's
  connection is vetted the same way. Environment proxies are ignored (they would bypass the check).
  `Settings.allow_private_networks` lifts the check (local runs, tests); a feed's `allow_private_network`
  lifts it for that feed's own host only (a redirect elsewhere is still vetted);
- connect and read timeouts, and a total deadline over the whole exchange (headers included), so a
  server that drips one byte a second is cut off;
- a size cap on the body as received and as decompressed (a gzip bomb stops at the cap, with memory
  bounded by the cap);
- content sanity: binary data (PDF, images, archives, NUL bytes) is refused even when the server
  calls it text/html or XML.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import ipaddress
import socket
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from pipeline.decoding import CP1252_FALLBACK, decode_html  # noqa: F401  (CP1252_FALLBACK: re-exported)
from pipeline.errors import BadInputError, TransientError
from pipeline.settings import Settings

STAGE = "fetch"
MAX_URL_CHARS = 8192  # browsers and servers give up around here; longer is an attack or a broken feed
REDIRECT_STATUSES = (301, 302, 303, 307, 308)

# The absolute monotonic deadline of the fetch running in this thread; read by every socket operation.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("fetch_deadline", default=None)
_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="fetch-dns")


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


# --- SSRF: which addresses may be contacted ------------------------------------------------------

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo), if any."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def forbidden_reason(address: str) -> str | None:
    """Why `address` must not be contacted by default ('loopback', 'private', ...), or None if public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = forbidden_reason(str(inner))
            return f"{reason} (IPv4 {inner} inside IPv6)" if reason else None
    for reason, test in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("shared (carrier-grade NAT)", isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED),
        ("non-global", not ip.is_global),
    ):
        if test:
            return reason
    return None


class ForbiddenDestination(Exception):
    """The host resolves to an address the fetcher may not contact."""


class UnresolvableHost(Exception):
    """DNS gave no address for the host."""


def resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """Addresses of `host` (IP literals as they are), bounded by `timeout` seconds."""
    host = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    future = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=timeout)
    except concurrent.futures.TimeoutError as exc:
        raise httpcore.ConnectTimeout(f"DNS lookup of {host} took longer than {timeout:.1f} s") from exc
    except socket.gaierror as exc:
        raise UnresolvableHost(f"DNS lookup of {host} failed: {exc.strerror or exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise UnresolvableHost(f"DNS lookup of {host} returned no address")
    return addresses


def _remaining(timeout: float | None) -> float | None:
    """`timeout` shortened to what is left of the current fetch's total deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        return 0.0
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the fetch's total deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        left = _remaining(timeout)
        if left == 0.0:
            raise httpcore.ReadTimeout("total deadline of the fetch exceeded")
        return self._inner.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        left = _remaining(timeout)
        if left == 0.0:
            raise httpcore.WriteTimeout("total deadline of the fetch exceeded")
        self._inner.write(buffer, left)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, vets and connects in one step, so the socket goes to the address that was checked.

    TLS still verifies the certificate against the host name (httpcore passes the URL's host as SNI
    and for hostname checking), only the TCP connection is pinned to the vetted address.
    """

    def __init__(self, allow_private: bool | frozenset[str]):
        # True: every destination; a set of host names: private addresses only for those hosts.
        self.allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def _allowed(self, host: str) -> bool:
        if isinstance(self.allow_private, bool):
            return self.allow_private
        return host.strip("[]").lower() in self.allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port, _remaining(timeout))
        if not self._allowed(host):
            refused = {a: forbidden_reason(a) for a in addresses}
            refused = {a: r for a, r in refused.items() if r}
            if refused:
                # One bad address refuses the host: connecting to "the other one" would let an
                # attacker who controls DNS pick which address we end up on.
                described = ", ".join(f"{a} ({r})" for a, r in refused.items())
                raise ForbiddenDestination(f"{host} resolves to a non-public address: {described}")
        error: Exception | None = None
        for address in addresses:
            left = _remaining(timeout)
            if left == 0.0:
                raise httpcore.ConnectTimeout("total deadline of the fetch exceeded while connecting")
            try:
                stream = self._inner.connect_tcp(
                    address, port, timeout=left, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream)
        assert error is not None
        raise error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise ForbiddenDestination("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the SSRF-guarded, deadline-aware network backend and no proxies."""

    def __init__(self, *, allow_private: bool | frozenset[str], **kwargs: Any):
        super().__init__(trust_env=False, **kwargs)
        ssl_context = httpx.create_ssl_context(verify=kwargs.get("verify", True), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=20,
            max_keepalive_connections=10,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(allow_private),
        )


# --- Bodies: size cap across decompression, binary sniffing ---------------------------------------


class _BoundedDecoder:
    """Content-Encoding decoder that never produces more than `limit` bytes in all (bomb-proof)."""

    def __init__(self, encoding: str, limit: int):
        self.encoding = encoding
        self.limit = limit
        self.produced = 0
        self._obj = self._new()

    def _new(self) -> Any:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.encoding == "deflate":
            return zlib.decompressobj()
        return None

    def feed(self, data: bytes) -> bytes:
        if self._obj is None:
            self.produced += len(data)
            return data
        out: list[bytes] = []
        while data:
            try:
                chunk = self._obj.decompress(data, self.limit - self.produced + 1)
            except zlib.error:
                if self.encoding == "deflate" and self.produced == 0 and not out:
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
                    chunk = self._obj.decompress(data, self.limit - self.produced + 1)
                else:
                    raise
            self.produced += len(chunk)
            out.append(chunk)
            if self.produced > self.limit:
                break
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._obj.unused_data:  # a second gzip member
                data = self._obj.unused_data
                self._obj = self._new()
        return b"".join(out)


_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP/WAV/AVI)"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"Rar!", "a RAR archive"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
)
_BINARY_TYPES = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/pdf",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-7z",
    "application/vnd.ms-",
    "application/msword",
    "application/vnd.openxmlformats",
)


def binary_kind(content: bytes, content_type: str | None) -> str | None:
    """What binary thing `content` is ('a PDF document', ...), or None if it looks like text."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if ctype.startswith(_BINARY_TYPES):
        return f"a {ctype} file"
    head = content[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        return None  # UTF-16 text: NUL bytes are expected
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    return None


# --- The fetcher ---------------------------------------------------------------------------------


class Fetcher:
    """A small, hardened HTTP client for feeds and article pages."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None):
        self.settings = settings
        self._clients: dict[bool | frozenset[str], httpx.Client] = {}
        if client is not None:
            self._clients[settings.allow_private_networks] = client

    def _client(self, allow_private: bool | frozenset[str]) -> httpx.Client:
        # One pool per policy: a connection opened while private addresses were allowed is never
        # reused by a fetch that does not allow them.
        if allow_private not in self._clients:
            s = self.settings
            self._clients[allow_private] = httpx.Client(
                transport=GuardedTransport(allow_private=allow_private),
                timeout=httpx.Timeout(s.fetch_timeout, connect=min(s.fetch_connect_timeout, s.fetch_timeout)),
                follow_redirects=False,  # followed by hand, each hop vetted
                trust_env=False,
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
        allow: bool | frozenset[str] = self.settings.allow_private_networks
        if allow is False and allow_private:
            allow = frozenset({(urlsplit(url).hostname or "").lower()})
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        t0 = time.monotonic()
        token = _DEADLINE.set(t0 + self.settings.fetch_deadline)
        try:
            return self._follow(url, headers, allow, feed, t0)
        finally:
            _DEADLINE.reset(token)

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
            raise BadInputError(
                STAGE,
                f"refusing URL scheme {scheme!r}{where}: only http and https are fetched",
                feed=feed,
                item=url,
            )
        if not parts.hostname:
            raise BadInputError(STAGE, "URL has no host name; fix it in the feed list", feed=feed, item=url)

    def _follow(
        self, url: str, headers: dict[str, str], allow: bool | frozenset[str], feed: str | None, t0: float
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
                        target = str(response.url.join(response.headers["Location"]))
                        if target in visited:
                            chain = " -> ".join([*visited, target])
                            raise BadInputError(
                                STAGE,
                                f"redirect loop: {chain}; fix the URL in the feed list",
                                feed=feed,
                                item=url,
                            )
                        current = target
                        continue
                    return self._read(response, feed, t0, tuple(visited[:-1]))
            except ForbiddenDestination as exc:
                via = f" after redirect from {visited[-2]}" if len(visited) > 1 else ""
                raise BadInputError(
                    STAGE,
                    f"refusing to fetch {current}{via}: {exc}. Private and local networks are not fetched "
                    "unless the feed sets allow_private_network (or BORDER_ALLOW_PRIVATE_NETWORKS=true)",
                    feed=feed,
                    item=url,
                ) from exc
            except UnresolvableHost as exc:
                raise TransientError(
                    STAGE,
                    f"{exc}; check the host name in the feed list (retried, in case DNS was down)",
                    feed=feed,
                    item=url,
                ) from exc
            except httpx.TimeoutException as exc:
                elapsed = time.monotonic() - t0
                if elapsed >= self.settings.fetch_deadline - 0.05:
                    msg = (
                        f"total time limit of {self.settings.fetch_deadline:g} s exceeded (server too slow: "
                        f"{type(exc).__name__}); the feed is retried later"
                    )
                else:
                    msg = f"timed out after {elapsed:.1f} s ({type(exc).__name__}, limit {self.settings.fetch_timeout:g} s per read); retried later"
                raise TransientError(STAGE, msg, feed=feed, item=current) from exc
            except httpx.TransportError as exc:
                raise TransientError(
                    STAGE,
                    f"network error: {type(exc).__name__}: {exc or 'connection failed'}; retried later",
                    feed=feed,
                    item=current,
                ) from exc
        chain = " -> ".join(visited)
        raise BadInputError(
            STAGE,
            f"more than {self.settings.fetch_max_redirects} redirects: {chain}; put the final URL in the feed list",
            feed=feed,
            item=url,
        )

    def _read(
        self, response: httpx.Response, feed: str | None, t0: float, redirects: tuple[str, ...]
    ) -> FetchResult:
        url = str(response.url)
        status = response.status_code
        if status == 304:
            return self._result(response, b"", t0, redirects)
        if status == 429 or status >= 500:
            after = response.headers.get("Retry-After")
            hint = f" (server asks to retry after {after})" if after else ""
            raise TransientError(
                STAGE, f"HTTP {status} from the server{hint}; retried later", feed=feed, item=url
            )
        if status >= 400:
            raise BadInputError(
                STAGE,
                f"HTTP {status}; check the URL in the feed list (the page may have moved or gone)",
                feed=feed,
                item=url,
            )
        if status in REDIRECT_STATUSES:
            raise BadInputError(
                STAGE, f"HTTP {status} redirect without a Location header", feed=feed, item=url
            )
        cap = self.settings.fetch_max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise BadInputError(
                STAGE,
                f"body of {int(declared):,} bytes exceeds the {cap:,}-byte limit (BORDER_FETCH_MAX_BYTES)",
                feed=feed,
                item=url,
            )
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise BadInputError(STAGE, f"unsupported Content-Encoding {encoding!r}", feed=feed, item=url)
        decoder = _BoundedDecoder(encoding, cap)
        chunks: list[bytes] = []
        received = 0
        try:
            for raw in response.iter_raw():
                received += len(raw)
                if received > cap:
                    raise BadInputError(
                        STAGE,
                        f"body exceeds the {cap:,}-byte limit (BORDER_FETCH_MAX_BYTES)",
                        feed=feed,
                        item=url,
                    )
                chunks.append(decoder.feed(raw))
                if decoder.produced > cap:
                    raise BadInputError(
                        STAGE,
                        f"body decompresses to more than the {cap:,}-byte limit "
                        f"({received:,} bytes received, {encoding}): refused as a decompression bomb",
                        feed=feed,
                        item=url,
                    )
        except zlib.error as exc:
            raise BadInputError(
                STAGE, f"body is not valid {encoding} data: {exc}", feed=feed, item=url
            ) from exc
        content = b"".join(chunks)
        content_type = response.headers.get("Content-Type")
        kind = binary_kind(content, content_type)
        if kind:
            raise BadInputError(
                STAGE,
                f"the server sent {kind} (Content-Type {content_type or 'missing'}), not a feed or "
                "an article page; check the URL",
                feed=feed,
                item=url,
            )
        return self._result(response, content, t0, redirects)

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
