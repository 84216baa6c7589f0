"""The one guard for outbound HTTP: feeds, article pages and webhook deliveries all leave through it.

What it gives: `client()`, an `httpx.Client` whose every connection is vetted (`GuardedTransport`),
`check_url()` for the URL itself, `vet_target()` for checking a target when it is configured (a
webhook subscription), and `deadline()` for a total time limit over an exchange.

The rules, the same for every target:
- only `http` and `https` URLs with a host, at most `MAX_URL_CHARS` characters;
- the host is resolved and every address it resolves to must be public (`forbidden_reason`): no
  loopback, private, link-local, multicast, unspecified, reserved, carrier-grade NAT (100.64.0.0/10),
  site-local or other non-global address; an IPv4 address carried inside IPv6 (IPv4-mapped
  ::ffff:0:0/96, NAT64 64:ff9b::/96, IPv4-compatible) is vetted as that IPv4 address; 6to4
  (2002::/16) and Teredo (2001::/32) are tunnel relays and refused whatever they carry. One bad
  address refuses the host;
- the check runs inside the connection itself (`_GuardedBackend.connect_tcp`): the socket connects to
  the address that was just vetted, so a DNS answer that changes between check and connect (DNS
  rebinding) cannot slip through. Redirects are not followed by the client: a caller that follows
  them makes a new request per hop, and each hop's connection is vetted the same way;
- proxies from the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`) and `.netrc` are ignored
  (`trust_env=False`): a proxy would connect on our behalf, past the check;
- every socket read and write ends by the total deadline of the exchange, when one is set, so a server
  that drips one byte a second is cut off.
`allow_private` lifts the address check: True for every host (local runs and tests on 127.0.0.1), or a
set of host names (a feed's `allow_private_network` for its own host; a redirect elsewhere is vetted).

What it does not: it does not read or judge bodies (size caps, decompression and content sniffing are
the fetch stage's) and does not retry.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import contextvars
import ipaddress
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

MAX_URL_CHARS = 8192  # browsers and servers give up around here; longer is an attack or a broken feed

# The absolute monotonic deadline of the exchange running in this context; read by every socket operation.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("http_deadline", default=None)
_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="outbound-dns")

AllowPrivate = bool | frozenset[str]


# --- Which addresses may be contacted ------------------------------------------------------------

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
_IETF_PROTOCOL = ipaddress.ip_network("192.0.0.0/24")  # protocol assignments (DS-Lite, NAT64 discovery...)
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")  # deprecated, still routed inside some networks
_SIXTOFOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")


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


def _tunnel(ip: ipaddress.IPv6Address) -> str | None:
    if ip in _SIXTOFOUR:
        return "6to4 relay (2002::/16)"
    if ip in _TEREDO:
        return "Teredo relay (2001::/32)"
    return None


def forbidden_reason(address: str) -> str | None:
    """Why `address` must not be contacted by default ('loopback', 'private', ...), or None if public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = forbidden_reason(str(inner))
            if reason:
                return f"{reason} (IPv4 {inner} inside IPv6)"
            return _tunnel(ip)
    is_v4 = isinstance(ip, ipaddress.IPv4Address)
    for reason, test in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("shared (carrier-grade NAT)", is_v4 and ip in _SHARED),
        ("IETF protocol assignment", is_v4 and ip in _IETF_PROTOCOL),
        ("site-local", not is_v4 and ip in _SITE_LOCAL),
        ("non-global", not ip.is_global),
    ):
        if test:
            return reason
    return None


class ForbiddenDestination(httpx.ConnectError):
    """The host resolves to an address that may not be contacted (an `httpx.ConnectError`, so that a
    caller catching httpx's errors sees it as a connection that could not be made)."""


class UnresolvableHost(httpx.ConnectError):
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


def _allowed(host: str, allow_private: AllowPrivate) -> bool:
    if isinstance(allow_private, bool):
        return allow_private
    return host.strip("[]").lower() in allow_private


def vet_addresses(host: str, addresses: list[str], allow_private: AllowPrivate = False) -> None:
    """Raise `ForbiddenDestination` when any of `host`'s addresses is not public (unless allowed)."""
    if _allowed(host, allow_private):
        return
    refused = {a: r for a in addresses if (r := forbidden_reason(a))}
    if refused:
        # One bad address refuses the host: connecting to "the other one" would let an attacker who
        # controls DNS pick which address we end up on.
        described = ", ".join(f"{a} ({r})" for a, r in refused.items())
        raise ForbiddenDestination(f"{host} resolves to a non-public address: {described}")


def check_url(url: str) -> str | None:
    """Why `url` may not be requested at all (too long, not http/https, no host), or None."""
    if len(url) > MAX_URL_CHARS:
        return f"URL is {len(url):,} characters long (limit {MAX_URL_CHARS:,})"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f"URL scheme {parts.scheme.lower()!r} refused: only http and https are requested"
    if not parts.hostname:
        return "URL has no host name"
    return None


def vet_target(url: str, *, allow_private: AllowPrivate = False, timeout: float = 10.0) -> None:
    """Check a target when it is configured (a webhook URL): `check_url`, then its host's addresses.

    Raises ValueError with the reason. Connecting later is vetted again (the DNS answer may change);
    this check only tells the operator early."""
    if problem := check_url(url):
        raise ValueError(f"target {url[:200]!r} refused: {problem}")
    parts = urlsplit(url)
    try:
        addresses = resolve(parts.hostname or "", parts.port or 443, timeout)
        vet_addresses(parts.hostname or "", addresses, allow_private)
    except ForbiddenDestination as exc:
        raise ValueError(f"target refused, a private address: {exc}") from None
    except (UnresolvableHost, httpcore.ConnectTimeout) as exc:
        raise ValueError(f"target host does not resolve: {exc}") from None


# --- The total deadline --------------------------------------------------------------------------


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every socket operation in this block ends within `seconds` of its start, in all (an inner,
    later deadline does not extend an outer one)."""
    end = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(end if outer is None else min(outer, end))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _remaining(timeout: float | None) -> float | None:
    """`timeout` shortened to what is left of the current total deadline."""
    end = _DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        return 0.0
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the total deadline."""

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


# --- The transport -------------------------------------------------------------------------------


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, vets and connects in one step, so the socket goes to the address that was checked.

    TLS still verifies the certificate against the host name (httpcore passes the URL's host as SNI
    and for hostname checking), only the TCP connection is pinned to the vetted address.
    """

    def __init__(self, allow_private: AllowPrivate):
        self.allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port, _remaining(timeout))
        vet_addresses(host, addresses, self.allow_private)
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
        raise ForbiddenDestination("unix sockets are not requested")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the vetting, deadline-aware network backend and no proxies."""

    def __init__(self, *, allow_private: AllowPrivate, **kwargs: Any):
        super().__init__(trust_env=False, **kwargs)
        ssl_context = httpx.create_ssl_context(verify=kwargs.get("verify", True), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=20,
            max_keepalive_connections=10,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(allow_private),
        )


class VettedClient(httpx.Client):
    """An `httpx.Client` on the `GuardedTransport` that refuses a URL `check_url` refuses; with
    `total_s`, each non-streaming request (headers and body) ends within that many seconds in all.
    Streaming callers set `deadline()` themselves."""

    def __init__(self, *, allow_private: AllowPrivate, total_s: float | None = None, **kwargs: Any):
        super().__init__(
            transport=GuardedTransport(allow_private=allow_private),
            trust_env=False,
            follow_redirects=False,
            **kwargs,
        )
        self.total_s = total_s

    def build_request(self, method: str, url: Any, **kwargs: Any) -> httpx.Request:
        # The URL as the caller gave it, before httpx percent-encodes it (the length a feed or a
        # subscription states).
        if problem := check_url(str(url)):
            raise ForbiddenDestination(problem)
        return super().build_request(method, url, **kwargs)

    def send(self, request: httpx.Request, *, stream: bool = False, **kwargs: Any) -> httpx.Response:
        if self.total_s is None or stream:
            return super().send(request, stream=stream, **kwargs)
        with deadline(self.total_s):
            return super().send(request, stream=stream, **kwargs)


def client(
    *,
    allow_private: AllowPrivate = False,
    timeout: httpx.Timeout | float = 10.0,
    total_s: float | None = None,
    headers: dict[str, str] | None = None,
) -> VettedClient:
    """The vetted client (see the module docstring): redirects not followed, no environment proxies,
    `timeout` per connect/read/write, `total_s` over each whole request when set."""
    return VettedClient(allow_private=allow_private, total_s=total_s, timeout=timeout, headers=headers)
