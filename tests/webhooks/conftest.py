"""A real webhook receiver on loopback, and webhooks that send to it.

The receiver is Python's http.server in a thread. Each path answers as the
test scripted it (a status, a redirect, a slow or trickling answer, a huge
body), and every request is recorded with whether its signature verified.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from webhooks.models import EventKind, Webhook


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool


@dataclass
class Receiver:
    host: str
    port: int
    secret: str = field(default_factory=lambda: f"whsec_{secrets.token_urlsafe(24)}")
    requests: list[Received] = field(default_factory=list)
    scripts: dict[str, list[Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def script(self, path: str, *answers: Any) -> None:
        """How the next requests to ``path`` are answered, in order; then 200."""
        with self.lock:
            self.scripts[path] = list(answers)

    def next_answer(self, path: str) -> Any:
        with self.lock:
            answers = self.scripts.get(path) or []
            return answers.pop(0) if answers else 200

    def to(self, path: str) -> list[Received]:
        return [request for request in self.requests if request.path == path]

    def verify(self, header: str, body: bytes) -> bool:
        """What docs/webhooks.md tells receivers to do."""
        try:
            parts = dict(item.split("=", 1) for item in header.split(","))
            timestamp = int(parts["t"])
        except (KeyError, ValueError):
            return False
        if abs(time.time() - timestamp) > 300:
            return False
        expected = hmac.new(
            self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, parts.get("v1", ""))


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            verified = receiver.verify(self.headers.get("Frontdesk-Signature", ""), body)
            with receiver.lock:
                receiver.requests.append(
                    Received(self.path, dict(self.headers.items()), body, verified)
                )
            self.answer(receiver.next_answer(self.path))

        def answer(self, answer: Any) -> None:
            if isinstance(answer, int):
                self.reply(answer, b"ok" if answer < 300 else b"receiver says no")
            elif answer[0] == "body":
                self.reply(answer[1], answer[2])
            elif answer[0] == "redirect":
                self.send_response(302)
                self.send_header("Location", answer[1])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif answer[0] == "sleep":
                time.sleep(answer[1])
                self.reply(200, b"late")
            elif answer[0] == "trickle":
                # Headers at once, then a byte every ``answer[1]`` seconds for a long time.
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                try:
                    for _ in range(1000):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(answer[1])
                except OSError:
                    return
            elif answer[0] == "huge":
                self.send_response(200)
                self.send_header("Content-Length", str(answer[1]))
                self.end_headers()
                chunk = b"y" * 65536
                try:
                    for _ in range(answer[1] // len(chunk)):
                        self.wfile.write(chunk)
                except OSError:
                    return

        def reply(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The sender may have given up waiting: what the slow receiver's test wants.
            with contextlib.suppress(OSError):
                self.wfile.write(body)

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Receiver("127.0.0.1", 0)))
    server.daemon_threads = True
    host, port = server.server_address[:2]
    made = Receiver(str(host), int(port))
    server.RequestHandlerClass = _handler(made)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield made
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _short_timeouts(settings) -> None:
    settings.WEBHOOK_CONNECT_TIMEOUT = 1
    settings.WEBHOOK_READ_TIMEOUT = 0.5
    settings.WEBHOOK_TOTAL_TIMEOUT = 1.5
    settings.WEBHOOK_BACKOFF = 30
    settings.WEBHOOK_BACKOFF_CAP = 3600
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    settings.FRONTDESK_URL = "https://desk.example"


def make_hook(receiver: Receiver, path: str = "/hook", *events: str, **fields: Any) -> Webhook:
    """A webhook to the loopback receiver: the tests' own explicit allowance of a
    private address."""
    return Webhook.objects.create(
        name=fields.pop("name", "Receiver"),
        url=receiver.url(path),
        secret=receiver.secret,
        event_kinds=list(events or EventKind.values),
        allow_private_addresses=fields.pop("allow_private_addresses", True),
        **fields,
    )
