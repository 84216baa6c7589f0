"""The outbound-HTTP guard (pipeline/outbound.py): which addresses are refused, and the vetted client's
behaviour over real HTTP on 127.0.0.1 (refused before connecting, environment proxies ignored, URL
length cap, total deadline, redirects not followed)."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from pipeline import outbound
from pipeline.outbound import ForbiddenDestination, forbidden_reason, vet_addresses, vet_target


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.20.30.40", "private"),
        ("172.31.255.1", "private"),
        ("192.168.0.10", "private"),
        ("fd12:3456::1", "private"),
        ("100.64.0.1", "shared (carrier-grade NAT)"),
        ("100.127.255.254", "shared (carrier-grade NAT)"),
        ("169.254.169.254", "link-local"),
        ("fe80::abcd", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff05::2", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("fec0::1", "site-local"),
        ("192.0.0.8", "IETF protocol assignment"),
        # 6to4 2002::/16: a private or loopback IPv4 inside is named; a public one is still a relay.
        ("2002:c0a8:0101::1", "private (IPv4 192.168.1.1 inside IPv6)"),
        ("2002:7f00:1::1", "loopback (IPv4 127.0.0.1 inside IPv6)"),
        ("2002:6440:1::1", "shared (carrier-grade NAT) (IPv4 100.64.0.1 inside IPv6)"),
        ("2002:808:808::1", "6to4 relay (2002::/16)"),
        # NAT64 64:ff9b::/96 and IPv4-mapped ::ffff:0:0/96: vetted as the IPv4 address they carry.
        ("64:ff9b::7f00:1", "loopback (IPv4 127.0.0.1 inside IPv6)"),
        ("64:ff9b::a9fe:a9fe", "link-local (IPv4 169.254.169.254 inside IPv6)"),
        ("::ffff:100.64.0.1", "shared (carrier-grade NAT) (IPv4 100.64.0.1 inside IPv6)"),
        ("::ffff:192.168.1.1", "private (IPv4 192.168.1.1 inside IPv6)"),
        # Teredo 2001::/32: a relay whatever client address it carries.
        ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", "Teredo relay (2001::/32)"),
    ],
)
def test_every_non_public_address_class_is_refused_with_its_kind(address, reason):
    assert forbidden_reason(address) == reason


@pytest.mark.parametrize("address", ["8.8.4.4", "2606:4700:4700::1001", "::ffff:1.1.1.1", "64:ff9b::808:808"])
def test_public_addresses_and_public_ipv4_behind_nat64_or_mapping_are_allowed(address):
    assert forbidden_reason(address) is None


def test_one_non_public_address_among_public_ones_refuses_the_host():
    with pytest.raises(ForbiddenDestination, match=r"10\.0\.0\.7 \(private\)"):
        vet_addresses("news.example", ["8.8.8.8", "10.0.0.7"])
    vet_addresses("news.example", ["8.8.8.8", "10.0.0.7"], allow_private=True)
    vet_addresses("news.example", ["10.0.0.7"], allow_private=frozenset({"news.example"}))
    with pytest.raises(ForbiddenDestination):
        vet_addresses("other.example", ["10.0.0.7"], allow_private=frozenset({"news.example"}))


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:8080/hook", "private address"),
        ("http://[2002:7f00:1::1]/hook", "private address"),
        ("http://100.64.0.1/hook", "private address"),
        ("http://[::ffff:10.0.0.1]/hook", "private address"),
        ("ftp://news.example/hook", "only http and https"),
        ("http:///hook", "no host name"),
        ("http://news.example/" + "a" * 9000, "characters long"),
    ],
)
def test_a_configured_target_is_vetted_by_the_same_rules(url, problem):
    with pytest.raises(ValueError, match=problem):
        vet_target(url)


def test_a_private_target_passes_only_when_private_networks_are_allowed():
    vet_target("http://127.0.0.1:8080/hook", allow_private=True)


def test_a_loopback_url_is_refused_before_any_connection(http_server):
    url = http_server.add("/feed", b"<rss/>")
    with outbound.client() as http, pytest.raises(ForbiddenDestination, match="loopback"):
        http.get(url)
    assert http_server.hits == {}
    with outbound.client(allow_private=True) as http:
        assert http.get(url).status_code == 200
    assert http_server.hits == {"/feed": 1}


def test_proxies_from_the_environment_are_ignored(http_server, monkeypatch):
    from tests.conftest import LocalHTTPServer

    url = http_server.add("/page", b"direct")
    with LocalHTTPServer() as proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
            monkeypatch.setenv(name, proxy.base_url)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        with httpx.Client() as plain:  # what a default client does with this environment
            plain.get(url)
        assert sum(proxy.hits.values()) == 1
        with outbound.client(allow_private=True) as http:
            assert http.get(url).content == b"direct"
        assert sum(proxy.hits.values()) == 1 and http_server.hits == {"/page": 1}


def test_an_overlong_url_is_refused_without_a_request(http_server):
    with outbound.client(allow_private=True) as http, pytest.raises(ForbiddenDestination, match="limit"):
        http.get(http_server.url("/" + "x" * outbound.MAX_URL_CHARS))
    assert http_server.hits == {}


def test_redirects_are_not_followed(http_server):
    url = http_server.add("/old", status=302, headers={"Location": "/new"})
    http_server.add("/new", b"moved")
    with outbound.client(allow_private=True) as http:
        assert http.get(url).status_code == 302
    assert http_server.hits == {"/old": 1}


def _dripping_server() -> tuple[socket.socket, str]:
    """A server that sends its response head one byte every 0.2 s, forever."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)

    def serve() -> None:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        with conn:
            conn.recv(4096)
            try:
                for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"z" * 1000:
                    conn.sendall(bytes([byte]))
                    time.sleep(0.2)
            except OSError:
                pass

    threading.Thread(target=serve, daemon=True).start()
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}/"


def test_the_total_deadline_cuts_a_server_that_drips_its_headers():
    sock, url = _dripping_server()
    try:
        with outbound.client(allow_private=True, timeout=1.0, total_s=1.5) as http:
            t0 = time.monotonic()
            with pytest.raises(httpx.TimeoutException):
                http.post(url, content=b"{}")
            elapsed = time.monotonic() - t0
        # Each byte comes within the 1 s read timeout: only the total deadline can stop this.
        assert 1.4 <= elapsed < 3.0
    finally:
        sock.close()
