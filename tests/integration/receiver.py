"""A real HTTP receiver on 127.0.0.1 that records every POST (path, headers, raw body) and answers
with the status a test scripts per request: for webhook deliveries and the Kibana import command."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered
    at: float = 0.0  # time.monotonic() when it arrived


class Receiver:
    """`answer(request_number, path, headers, body) -> (status, response body[, response headers])`;
    default 200 '{}'."""

    def __init__(self, answer: Callable[[int, str, dict[str, str], bytes], tuple] | None = None):
        self.received: list[Received] = []
        self.answer = answer or (lambda n, path, headers, body: (200, b"{}"))
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    status, payload, *extra = receiver.answer(
                        len(receiver.received), self.path, headers, body
                    )
                    receiver.received.append(Received(self.path, headers, body, status, time.monotonic()))
                self.send_response(status)
                for name, value in (extra[0] if extra else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def accepted(self) -> list[Received]:
        return [r for r in self.received if 200 <= r.status < 300]

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
