"""One HTTP POST of a delivery, bounded in every way a receiver could stretch it.

The connection goes to the address webhooks/targets.py checked (never a new
DNS look-up), with the URL's host as Host header and TLS server name, so
certificates are checked against the name. http.client follows no redirects:
a 3xx is an answer like any other that is not 2xx. A connect timeout, a read
timeout for every wait, and a watchdog that shuts the socket at the total
deadline (a receiver trickling a byte a second defeats a read timeout alone)
bound one attempt; at most ``RESPONSE_KEPT`` bytes of the answer are read.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass

from frontdesk.text import one_line, without_controls
from webhooks import conf
from webhooks.targets import Target

#: Bytes of a response read and kept for the delivery log.
RESPONSE_KEPT = 2048
USER_AGENT = "Frontdesk-Webhooks/1"
SIGNATURE_HEADER = "Frontdesk-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>``."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass(frozen=True)
class Outcome:
    status: int | None
    body: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address rather than to what the name resolves to now."""

    def __init__(self, target: Target, read_timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=read_timeout)
        self.address = target.address
        self.raw: socket.socket | None = None

    def connect(self) -> None:
        self.raw = socket.create_connection(
            (self.address, self.port), timeout=conf.connect_timeout()
        )
        self.raw.settimeout(self.timeout)
        self.raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self.raw


class _PinnedTLSConnection(_PinnedConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


class _Watchdog:
    """Shuts the connection's socket at the deadline, whatever it is waiting for."""

    def __init__(self, connection: _PinnedConnection, seconds: float) -> None:
        self.connection = connection
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        raw = self.connection.raw
        if raw is not None:
            with contextlib.suppress(OSError):
                raw.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


def post(target: Target, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST ``body`` to the target; never raises for what the network or receiver does."""
    kind = _PinnedTLSConnection if target.scheme == "https" else _PinnedConnection
    total = conf.total_timeout()
    connection = kind(target, conf.read_timeout())
    # perf_counter, not monotonic: a test that moves the clock moves monotonic too.
    started = time.perf_counter()
    status: int | None = None
    kept = b""
    error = ""
    with _Watchdog(connection, total) as watchdog:
        try:
            connection.putrequest("POST", target.path, skip_accept_encoding=True)
            for name, value in {
                "Content-Type": "application/json",
                "Content-Length": str(len(body)),
                "User-Agent": USER_AGENT,
                "Connection": "close",
                **headers,
            }.items():
                connection.putheader(name, value)
            connection.endheaders(body)
            response = connection.getresponse()
            status = response.status
            kept = response.read(RESPONSE_KEPT)
        except (OSError, http.client.HTTPException, ValueError) as failure:
            error = _describe(failure)
        finally:
            connection.close()
    if watchdog.fired:
        status, error = None, f"No complete answer within {total:g} seconds."
    duration_ms = int((time.perf_counter() - started) * 1000)
    # The receiver's bytes are the receiver's: no NUL (PostgreSQL refuses it in text)
    # and no other control character reaches the log.
    return Outcome(
        status=status,
        body=without_controls(kept.decode("utf-8", "replace")),
        error=one_line(error),
        duration_ms=duration_ms,
    )


def _describe(failure: BaseException) -> str:
    if isinstance(failure, TimeoutError | socket.timeout):
        return "Timed out waiting for the receiver."
    if isinstance(failure, ssl.SSLError):
        return f"TLS: {failure}"[:500]
    return f"{type(failure).__name__}: {failure}"[:500]
