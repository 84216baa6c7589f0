"""Misbehaving HTTP servers on 127.0.0.1 for the hostile-input and fault tests: real sockets whose
per-connection behaviour a test writes (never answer, drip bytes, close early, stream forever)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable


class RawServer:
    """A TCP server on 127.0.0.1 that runs `behaviour(conn)` for each connection, in its own thread."""

    def __init__(self, behaviour: Callable[[socket.socket], None]):
        self.behaviour = behaviour
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            self.behaviour(conn)

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def read_request(conn: socket.socket) -> bytes:
    """Read the request head (up to the blank line)."""
    data = b""
    conn.settimeout(5)
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def never_answers(conn: socket.socket) -> None:
    read_request(conn)
    time.sleep(30)


def drips_body(conn: socket.socket, interval: float = 1.0, total: int = 120) -> None:
    """Headers at once, then one byte of body per `interval` seconds."""
    read_request(conn)
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: %d\r\n\r\n" % total
    )
    for _ in range(total):
        conn.sendall(b" ")
        time.sleep(interval)


def drips_headers(conn: socket.socket, interval: float = 1.0) -> None:
    """The status line and headers one byte per `interval` seconds, forever (a read timeout never fires)."""
    read_request(conn)
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
        conn.sendall(bytes([byte]))
        time.sleep(interval)


def streams_forever(conn: socket.socket, content_type: bytes = b"text/html") -> None:
    """A 200 without Content-Length whose body never ends (1 MB per send)."""
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type + b"\r\nConnection: close\r\n\r\n")
    block = b"<p>" + b"x" * (1 << 20) + b"</p>"
    while True:
        conn.sendall(block)


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 in front of Elasticsearch that forwards requests whole, except the
    `cut_at`-th bulk request whose body contains `marker`: of that one it forwards the head and half
    the body, then calls `on_cut()` (which stops the node) and drops the connection."""

    def __init__(self, upstream_port: int, marker: bytes, cut_at: int, on_cut: Callable[[], None]):
        self.upstream_port, self.marker, self.cut_at, self.on_cut = upstream_port, marker, cut_at, on_cut
        self.bulks_seen = 0
        self.cut_done = threading.Event()
        self.server = RawServer(self._serve)

    @property
    def url(self) -> str:
        return self.server.url.rstrip("/")

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
        buffer = b""
        client.settimeout(None)
        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = client.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                while len(buffer) < length:
                    chunk = client.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                body, buffer = buffer[:length], buffer[length:]
                if (
                    b"/_bulk" in head.split(b"\r\n", 1)[0]
                    and self.marker in body
                    and not self.cut_done.is_set()
                ):
                    self.bulks_seen += 1
                    if self.bulks_seen == self.cut_at:
                        upstream.sendall(head + b"\r\n\r\n" + body[: length // 2])
                        time.sleep(0.2)  # the node has started reading this bulk request
                        self.on_cut()
                        self.cut_done.set()
                        return
                upstream.sendall(head + b"\r\n\r\n" + body)
        finally:
            with contextlib.suppress(OSError):
                upstream.close()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                target.sendall(chunk)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def __enter__(self) -> CuttingProxy:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)
