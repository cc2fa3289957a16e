"""A deployment of real processes for the fault tests: machines ("nodes") that
each run `frontdesk serve`, `frontdesk worker` and `frontdesk mailgate` against
one database, one Redis and one media store (a shared folder, or a bucket of
moto's S3 server), an SMTP sink they all send to, and a browser that signs in
and posts the forms a page shows.

Every process goes through ``Processes``, which starts it in a session of its
own and, when the test ends, stops the whole session (SIGTERM, then SIGKILL).
A server a test needs that cannot be reached fails the test: a fault suite
that skips proves nothing. A test skips only in the pass of the other
database (the PostgreSQL ones in the SQLite pass, and the other way round).
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import http.client
import os
import secrets
import selectors
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import boto3
import psycopg
import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from moto.server import ThreadedMotoServer
from psycopg import sql

from tests.fixtures_mail import free_port

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "frontdesk.cli"]
PASSWORD = "fault-tests-1"

T = TypeVar("T")

# What a node's environment says for itself; the rest comes from the test's own.
_NODE_SETTINGS = (
    "DATABASE_",
    "REDIS_URL",
    "HUEY_",
    "EMAIL_",
    "MAIL_",
    "MEDIA_",
    "FRONTDESK_",
    "WEB_CONCURRENCY",
    "BIND",
    "DEBUG",
    "LOG_LEVEL",
)


def wait_until(
    condition: Callable[[], T], timeout: float, explain: Callable[[], str] = lambda: ""
) -> T:
    """The first true value of ``condition``, polled until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s\n{explain()}")
        time.sleep(0.1)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def running(self) -> bool:
        return self.popen.poll() is None


class Processes:
    """Every process a test starts, and the servers and databases they use.

    ``stop_all`` ends the processes and what they started, and only then
    closes what ``use`` opened: no process sees its database dropped.
    """

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[Process] = []
        self._used = contextlib.ExitStack()

    def use(self, resource: contextlib.AbstractContextManager[T]) -> T:
        """Open a server or database for the test; it is closed after every process stopped."""
        return self._used.enter_context(resource)

    def start(self, name: str, args: Sequence[str], env: Mapping[str, str]) -> Process:
        log_path = self.logs / f"{name}.log"
        with open(log_path, "ab") as log:
            popen = subprocess.Popen(  # noqa: S603
                [*COMMAND, *args],
                env=dict(env),
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log_path)
        self.started.append(process)
        return process

    def kill(self, process: Process) -> None:
        """kill -9 of the process and everything in its session, as a crash or the OOM killer."""
        self._signal(process, signal.SIGKILL)
        process.popen.wait(timeout=10)

    def stop_all(self, timeout: float = 15) -> None:
        """SIGTERM to every process at once, SIGKILL to what is left after ``timeout``."""
        try:
            for process in self.started:
                if process.running():
                    self._signal(process, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            for process in self.started:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
                self._signal(process, signal.SIGKILL)
                process.popen.wait(timeout=10)
        finally:
            self._used.close()

    @staticmethod
    def _signal(process: Process, number: int) -> None:
        # Started with start_new_session: the session's id is the process's own.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, number)


@dataclass
class Web:
    url: str
    process: Process


@dataclass
class Node:
    """One machine of the deployment: its environment and the processes it runs."""

    name: str
    env: dict[str, str]
    processes: Processes

    def command(self, *args: str, timeout: float = 120) -> str:
        """A `frontdesk` command run to its end; it must succeed."""
        done = subprocess.run(  # noqa: S603
            [*COMMAND, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            timeout=timeout,
            start_new_session=True,
        )
        output = (done.stdout + done.stderr).decode(errors="replace")
        assert done.returncode == 0, f"frontdesk {' '.join(args)} failed:\n{output}"
        return output

    def setup(self, code: str) -> None:
        """Python run inside the deployment with the functions of tests/faults/setup_data.py."""
        self.command("shell", "-c", f"from tests.faults import setup_data\n{code}")

    def mailgate(self, raw: bytes, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
        """What an MTA does with a message: pipe it to `frontdesk mailgate`."""
        return subprocess.run(  # noqa: S603
            [*COMMAND, "mailgate"],
            input=raw,
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            timeout=timeout,
            start_new_session=True,
        )

    def serve(self, workers: int = 1) -> Web:
        web = self._start_web(workers)
        wait_for_web(web)
        return web

    def worker(self, name: str = "worker") -> Process:
        process = self.processes.start(f"{self.name}-{name}", ["worker"], self.env)
        wait_for_worker(process)
        return process

    def serve_and_work(self, workers: int = 1) -> tuple[Web, Process]:
        """`frontdesk serve` and `frontdesk worker`, started side by side."""
        web = self._start_web(workers)
        worker = self.processes.start(f"{self.name}-worker", ["worker"], self.env)
        wait_for_web(web)
        wait_for_worker(worker)
        return web, worker

    def _start_web(self, workers: int) -> Web:
        port = free_port()
        process = self.processes.start(
            f"{self.name}-serve",
            ["serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            self.env,
        )
        return Web(f"http://127.0.0.1:{port}", process)


def wait_for_worker(process: Process) -> None:
    wait_until(
        lambda: "Huey consumer started" in process.output() or not process.running(),
        30,
        process.output,
    )
    assert process.running(), process.output()


def wait_for_web(web: Web, timeout: float = 60) -> None:
    def answers() -> bool:
        if not web.process.running():
            raise AssertionError(f"the web server stopped:\n{web.process.output()}")
        try:
            return Browser().get(web.url, "/login/", timeout=2).status == 200
        except OSError:
            return False

    wait_until(answers, timeout, web.process.output)


def node_env(**values: str) -> dict[str, str]:
    """The environment of a node: the test's own (its SECRET_KEY, which every node
    shares), without the settings a node decides, plus ``values``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(_NODE_SETTINGS)}
    env.update(
        {
            "DEBUG": "false",
            "LOG_LEVEL": "INFO",
            "HUEY_IMMEDIATE": "false",
            "PYTHONUNBUFFERED": "1",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_TIMEOUT": "10",
        }
    )
    env.update(values)
    return env


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    running = Processes(tmp_path)
    try:
        yield running
    finally:
        running.stop_all()


# -- PostgreSQL ---------------------------------------------------------------


def postgres_server() -> str:
    """The PostgreSQL server of the PostgreSQL pass (its DATABASE_URL).

    The fault tests make databases of their own there: the processes they start
    must see committed data, which pytest-django's test database, wrapped in a
    transaction per test, would not show them.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "a PostgreSQL fault test: it runs in the PostgreSQL pass of the test command "
            "(DATABASE_URL=postgres://...)"
        )
    return url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


@dataclass
class PostgresDatabase:
    """A database of one test's own on the PostgreSQL server, dropped afterwards."""

    url: str
    name: str
    maintenance_url: str

    def query(self, statement: str, *params: object) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(statement, params).fetchall()

    def url_through(self, proxy: TcpProxy) -> str:
        """The database's URL by way of ``proxy``."""
        parts = urlsplit(self.url)
        netloc = f"{parts.netloc.rpartition('@')[0]}@127.0.0.1:{proxy.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def refuse_connections(self) -> None:
        """The database goes away for everybody, the server stays up: no new
        connections, and every open one is cut (its transaction rolled back)."""
        self._admin(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false"))
        with psycopg.connect(self.maintenance_url, autocommit=True) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.name,),
            )

    def allow_connections(self) -> None:
        self._admin(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true"))

    def _admin(self, statement: sql.SQL) -> None:
        with psycopg.connect(self.maintenance_url, autocommit=True) as connection:
            connection.execute(statement.format(sql.Identifier(self.name)))


@contextlib.contextmanager
def postgres_database(server_url: str) -> Iterator[PostgresDatabase]:
    name = f"frontdesk_faults_{secrets.token_hex(4)}"
    maintenance_url = _with_database(server_url, "postgres")
    try:
        with psycopg.connect(maintenance_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        pytest.fail(f"PostgreSQL is not usable at {server_url}: {error}", pytrace=False)
    database = PostgresDatabase(_with_database(server_url, name), name, maintenance_url)
    try:
        yield database
    finally:
        with psycopg.connect(maintenance_url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@dataclass
class SqliteDatabase:
    """The SQLite file of a one-machine deployment, in the test's data folder."""

    path: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def query(self, statement: str, *params: object) -> list[tuple[Any, ...]]:
        # Django's placeholders are PostgreSQL's; the test's statements use both alike.
        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as connection:
            return connection.execute(statement.replace("%s", "?"), params).fetchall()


def sqlite_pass() -> None:
    """A SQLite fault test runs in the SQLite pass of the test command only."""
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        pytest.skip("a SQLite fault test: it runs in the SQLite pass of the test command")


@contextlib.contextmanager
def database_of_this_pass(
    data: Path,
) -> Iterator[tuple[PostgresDatabase | SqliteDatabase, dict[str, str]]]:
    """The kind of deployment the pass tests: PostgreSQL and Redis in the PostgreSQL
    pass, SQLite with its SQLite worker queue in the SQLite pass. Yields the
    database and what the nodes' environment needs for it."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        with postgres_database(url) as database, redis_queue() as queue:
            yield database, {"DATABASE_URL": database.url, **queue}
    else:
        sqlite = SqliteDatabase(data / "frontdesk.sqlite3")
        yield sqlite, {"DATABASE_URL": sqlite.url}


class TcpProxy:
    """Forwards connections to a server until told to ``hang``: then it cuts the
    connections it carries and takes new ones without a word, as a frozen
    database server or pooler does, or a network that drops its packets."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ)
        self._peers: dict[socket.socket, socket.socket] = {}
        self._held: list[socket.socket] = []
        self._answering = True
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def hang(self) -> None:
        with self._lock:
            self._answering = False
            while self._peers:
                self._close(next(iter(self._peers)))

    def resume(self) -> None:
        with self._lock:
            self._answering = True
            for connection in self._held:
                connection.close()
            self._held.clear()

    def close(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)
        with self._lock:
            for connection in [*self._peers, *self._held]:
                connection.close()
        self._listener.close()

    def _run(self) -> None:
        while not self._stopped.is_set():
            for key, _ in self._selector.select(timeout=0.1):
                with self._lock:
                    if key.fileobj is self._listener:
                        self._accept()
                    elif key.fileobj in self._peers:
                        # Only sockets of this proxy are registered.
                        self._pump(key.fileobj)  # type: ignore[arg-type]

    def _accept(self) -> None:
        client, _ = self._listener.accept()
        if not self._answering:
            self._held.append(client)
            return
        try:
            server = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        self._peers[client], self._peers[server] = server, client
        for end in (client, server):
            self._selector.register(end, selectors.EVENT_READ)

    def _pump(self, source: socket.socket) -> None:
        try:
            data = source.recv(65536)
            if data:
                self._peers[source].sendall(data)
                return
        except OSError:
            pass
        self._close(source)

    def _close(self, connection: socket.socket) -> None:
        other = self._peers.pop(connection)
        self._peers.pop(other, None)
        for end in (connection, other):
            self._selector.unregister(end)
            end.close()


@contextlib.contextmanager
def tcp_proxy(port: int, host: str = "127.0.0.1") -> Iterator[TcpProxy]:
    proxy = TcpProxy(port, host)
    try:
        yield proxy
    finally:
        proxy.close()


# -- Redis ----------------------------------------------------------------------


@contextlib.contextmanager
def redis_queue() -> Iterator[dict[str, str]]:
    """REDIS_URL and a HUEY_NAME of the test's own (queue and cache keys); removed after."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {url}: {error} (make test starts it)")
    name = f"frontdesk-faults-{uuid.uuid4().hex[:8]}"
    try:
        yield {"REDIS_URL": url, "HUEY_NAME": name}
    finally:
        # huey leaves the dashes out of the name in some of its keys.
        for pattern in (f"*{name}*", f"*{name.replace('-', '')}*"):
            for key in client.scan_iter(pattern):
                client.delete(key)
        client.close()


# -- S3 -------------------------------------------------------------------------


@dataclass
class S3Store:
    """A bucket of the test's own in an S3-compatible store, and the settings naming it."""

    env: dict[str, str]
    client: Any

    def keys(self) -> list[str]:
        bucket = self.env["MEDIA_S3_BUCKET"]
        listed = self.client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return sorted(item["Key"] for item in listed)


@contextlib.contextmanager
def s3_store() -> Iterator[S3Store]:
    """moto's S3 server on a free loopback port, with a new bucket; stopped after."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        env = {
            "MEDIA_S3_BUCKET": f"frontdesk-faults-{uuid.uuid4().hex[:8]}",
            "MEDIA_S3_ENDPOINT_URL": f"http://{host}:{port}",
            "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_S3_ACCESS_KEY_ID": "frontdesk-faults",
            "MEDIA_S3_SECRET_ACCESS_KEY": "frontdesk-faults-secret",
        }
        client = boto3.client(
            "s3",
            endpoint_url=env["MEDIA_S3_ENDPOINT_URL"],
            region_name=env["MEDIA_S3_REGION"],
            aws_access_key_id=env["MEDIA_S3_ACCESS_KEY_ID"],
            aws_secret_access_key=env["MEDIA_S3_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=env["MEDIA_S3_BUCKET"])
        yield S3Store(env, client)
    finally:
        server.stop()


# -- SMTP -----------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    message_id: str
    subject: str
    recipients: tuple[str, ...]
    attachments: tuple[tuple[str, bytes], ...]


class SmtpSink:
    """An aiosmtpd server that keeps what it was given.

    A message counts as delivered once its DATA is complete, before the reply,
    as with a real MTA, which has queued it by then: a sender that dies waiting
    for the reply has still delivered it. ``delay`` seconds before each reply
    make a slow server, whose reply a sender can be killed waiting for.
    """

    def __init__(self, delay: float = 0.0) -> None:
        self.port = free_port()
        self.delay = delay
        self._lock = threading.Lock()
        self._delivered: list[Delivery] = []
        self._answered: list[str] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        message_id = str(message.get("Message-ID", "")).strip().strip("<>")
        attachments = tuple(
            (part.get_filename() or "", bytes(part.get_payload(decode=True) or b""))
            for part in message.walk()
            if part.get_filename()
        )
        delivery = Delivery(
            message_id, str(message.get("Subject", "")), tuple(envelope.rcpt_tos), attachments
        )
        with self._lock:
            self._delivered.append(delivery)
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self._answered.append(message_id)
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def delivered(self) -> list[Delivery]:
        with self._lock:
            return list(self._delivered)

    def counts(self) -> Counter[str]:
        """How often each Message-ID was delivered."""
        return Counter(delivery.message_id for delivery in self.delivered)

    def snapshot(self) -> tuple[Counter[str], Counter[str]]:
        """At one instant: Message-IDs delivered, and those whose sender got the 250."""
        with self._lock:
            return Counter(d.message_id for d in self._delivered), Counter(self._answered)


@contextlib.contextmanager
def smtp_sink(delay: float = 0.0) -> Iterator[SmtpSink]:
    sink = SmtpSink(delay)
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


# -- The browser ------------------------------------------------------------------


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    text: str
    seconds: float
    content: bytes

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


@dataclass
class Browser:
    """One person's browser: its cookies count for every node, as for one host name
    behind a load balancer. No JavaScript, unless a request says it is htmx's."""

    cookies: dict[str, str] = field(default_factory=dict)

    def get(
        self, base: str, path: str, *, timeout: float = 30, headers: Mapping[str, str] = {}
    ) -> Page:
        return self._request(base, "GET", path, None, headers, timeout)

    def post(
        self,
        base: str,
        path: str,
        fields: Mapping[str, object],
        *,
        files: Sequence[tuple[str, str, bytes]] = (),
        multipart: bool = False,
        timeout: float = 30,
        headers: Mapping[str, str] = {},
    ) -> Page:
        if files or multipart:
            boundary = f"----faults{secrets.token_hex(8)}"
            body = _multipart(fields, files, boundary)
            kind = f"multipart/form-data; boundary={boundary}"
        else:
            body = urlencode(list(_pairs(fields))).encode()
            kind = "application/x-www-form-urlencoded"
        headers = {**headers, "Content-Type": kind, "Origin": base}
        return self._request(base, "POST", path, body, headers, timeout)

    def sign_in(self, base: str, email_address: str, password: str = PASSWORD) -> None:
        page = self.get(base, "/login/")
        form = form_with_action(page.text, "/login/")
        form.update(username=email_address, password=password)
        signed_in = self.post(base, "/login/", form)
        assert signed_in.status == 302, (signed_in.status, signed_in.text[:2000])

    def _request(
        self,
        base: str,
        method: str,
        path: str,
        body: bytes | None,
        headers: Mapping[str, str],
        timeout: float,
    ) -> Page:
        host = urlsplit(base).netloc
        connection = http.client.HTTPConnection(host, timeout=timeout)
        headers = dict(headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self._keep(value)
        return Page(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            content.decode(errors="replace"),
            time.monotonic() - started,
            content,
        )

    def _keep(self, header: str) -> None:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel.value and morsel["max-age"] != "0":
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)


def _pairs(fields: Mapping[str, object]) -> Iterator[tuple[str, str]]:
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            yield name, str(item)


def _multipart(
    fields: Mapping[str, object], files: Sequence[tuple[str, str, bytes]], boundary: str
) -> bytes:
    parts = []
    for name, value in _pairs(fields):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, content in files:
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


class _Forms(HTMLParser):
    """The hidden and text inputs of each form of a page, by the form's action."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self._current = self.forms.setdefault(attributes.get("action") or "", {})
        elif (
            tag == "input"
            and self._current is not None
            and attributes.get("name")
            and (attributes.get("type") or "text") not in ("submit", "button", "file")
        ):
            self._current[attributes["name"] or ""] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def form_with_action(html: str, action: str) -> dict[str, object]:
    """What a form of the page posts (its CSRF token among it), found by its action."""
    reader = _Forms()
    reader.feed(html)
    assert action in reader.forms, f"no form posting to {action} on the page:\n{html[:3000]}"
    return dict(reader.forms[action])


def run_together(*calls: Callable[[], T]) -> list[T | BaseException]:
    """Run the calls in threads released at one moment; each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[T | BaseException] = [RuntimeError("did not finish")] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def no_traceback(page: Page) -> bool:
    """An error page shows nothing of the code (DEBUG is off on every node)."""
    return "Traceback" not in page.text and 'File "' not in page.text
