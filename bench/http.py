"""The panel over HTTP at scale: the production server, a generated desk, the floor.

    .venv/bin/python -m bench.http --tickets 100000
    .venv/bin/python -m bench.http --tickets 1000000 --reuse
    .venv/bin/python -m bench.http --tickets 1000000 --reuse \
        --postgres postgres://postgres:postgres@127.0.0.1:5432/frontdesk_bench
    .venv/bin/python -m bench.http --reuse --only W2,W3

Makes (or, with ``--reuse``, finds) a desk of ``--tickets`` tickets with
bench/generate.py in a folder of its own, starts ``frontdesk serve`` on it (2
workers, DEBUG off, the settings of production) on a free port, signs in as an
administrator, a supervisor and an agent, and times each workload against the
**floor**: a signed-in request for the lightest real page of the panel
(My Profile: the panel has no trivial page, and none is added for this),
requested alternately with the workload, by the same person, in the same run.
The ratio to the floor is what to compare between runs and machines.

Workloads (W5 changes the data: it runs only when asked for by ``--only`` or
``--mass``, and a desk it has run on has 20,000 tickets closed):

- W1 panel home as supervisor and as agent;
- W2 a ticket page (20 and 3 messages), an attachment download;
- W3 quick search by number, e-mail, a word in 1 % of titles, a rare word, a
  word in none;
- W4 advanced search with three filters and a sort; page 200 of a list; the
  "Breaching soon" view and the unassigned list sorted by due time;
- W5 mass-close of 10,000 tickets (start to finish, through the worker), first
  without telling the customers, then 10,000 others telling them: the worker
  composes and sends each closing notice to an SMTP server of this process
  (aiosmtpd, accepting and dropping), and the time until the last is sent is
  given too;
- W6 requests per second on W1 (and on the floor) with concurrent clients;
- W7 the reports page as a supervisor, the last 30 days (the default period):
  sums of the roll-ups (reports/), service-level attainment and the top accounts;
- W8 the REST API with the supervisor's personal token: the newest tickets, and
  the full-text search of a word in 1 % and of a rare word;
- the peak resident memory of the web workers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "/panel/profile/"
SECRET_KEY = "bench-only-key-never-used-anywhere-else-0123456789"  # noqa: S105
#: The advanced search (S22) with three filters and a sort: its path and query.
ADVANCED_SEARCH = "/panel/search/advanced/"


@dataclass
class Workload:
    key: str
    name: str
    role: str
    path: Callable[[dict[str, Any]], str | None]
    expect: int = 200
    #: Asked with the person's API token (``Authorization: Bearer``), not the session.
    api: bool = False


def _ticket(facts: dict[str, Any], size: int) -> str | None:
    number = facts.get(f"ticket_{size}_messages")
    return f"/panel/tickets/{number}/" if number else None


def _search(words: str) -> str:
    return "/panel/search/?" + urlencode({"q": words})


def _advanced(facts: dict[str, Any]) -> str:
    # Three filters (status, priority range, text) and a sort (S22).
    query = {
        "status": "open",
        "priority_min": "50",
        "text": facts["common_word"],
        "sort": "-modified",
    }
    return ADVANCED_SEARCH + "?" + urlencode(query)


def _api(path: str, **query: str) -> str:
    return f"/api/v1/{path}" + ("?" + urlencode(query) if query else "")


WORKLOADS = [
    Workload("W1", "panel home, supervisor", "supervisor", lambda f: "/panel/"),
    Workload("W1", "panel home, agent", "agent", lambda f: "/panel/"),
    Workload("W2", "ticket page, 20 messages", "supervisor", lambda f: _ticket(f, 20)),
    Workload("W2", "ticket page, 3 messages", "supervisor", lambda f: _ticket(f, 3)),
    Workload(
        "W2",
        "attachment download",
        "supervisor",
        lambda f: f"/panel/attachments/{f['attachment']}/" if f.get("attachment") else None,
    ),
    Workload(
        "W3",
        "quick search, a number",
        "supervisor",
        lambda f: _search(str(f["ticket_number"])),
        302,
    ),
    Workload("W3", "quick search, an e-mail", "supervisor", lambda f: _search(f["requester"])),
    Workload(
        "W3", "quick search, a word in 1 %", "supervisor", lambda f: _search(f["common_word"])
    ),
    Workload("W3", "quick search, a rare word", "supervisor", lambda f: _search(f["rare_word"])),
    Workload(
        "W3", "quick search, a word in none", "supervisor", lambda f: _search(f["absent_word"])
    ),
    Workload("W4", "advanced search, 3 filters + sort", "supervisor", _advanced),
    Workload(
        "W4",
        "unassigned by title, page 200",
        "supervisor",
        lambda f: "/panel/tickets/unassigned/?sort=title&page=200",
    ),
    Workload(
        "W4",
        "received this month by title, page 200",
        "admin",
        lambda f: "/panel/tickets/received/month/?sort=title&page=200",
    ),
    # Service levels: the team view "Breaching soon" (panel migration 0003) and the
    # unassigned list sorted by the stored next due time.
    Workload(
        "W4",
        "breaching soon, by due",
        "supervisor",
        lambda f: ADVANCED_SEARCH + "?" + urlencode({"due": "soon", "sort": "due"}),
    ),
    Workload(
        "W4",
        "unassigned by due, page 200",
        "supervisor",
        lambda f: "/panel/tickets/unassigned/?sort=due&page=200",
    ),
    Workload(
        "W7", "reports page, supervisor, last 30 days", "supervisor", lambda f: "/panel/reports/"
    ),
    # The REST API with the supervisor's personal token: the newest tickets, and the
    # full-text search (best match first).
    Workload("W8", "API tickets, newest first", "supervisor", lambda f: _api("tickets"), api=True),
    Workload(
        "W8",
        "API search, a word in 1 %",
        "supervisor",
        lambda f: _api("search", q=f["common_word"]),
        api=True,
    ),
    Workload(
        "W8",
        "API search, a rare word",
        "supervisor",
        lambda f: _api("search", q=f["rare_word"]),
        api=True,
    ),
]


# The desk and the server -------------------------------------------------------------


def make_desk(options: argparse.Namespace) -> tuple[Path, dict[str, Any]]:
    vendor = "postgresql" if options.postgres else "sqlite"
    folder = Path(
        options.folder
        or Path(tempfile.gettempdir()) / "frontdesk-bench" / f"{vendor}-{options.tickets}"
    )
    marker = folder / "generated.json"
    if options.reuse and marker.exists():
        facts = json.loads(marker.read_text())
        same = facts["tickets"] == options.tickets and (
            not options.postgres or facts["database_url"] == options.postgres
        )
        if same:
            return folder, facts
    command = [
        sys.executable,
        "-m",
        "bench.generate",
        "--tickets",
        str(options.tickets),
        "--folder",
        str(folder),
    ]
    if options.postgres:
        command += ["--postgres", options.postgres]
    print(f"# generating {options.tickets} tickets in {folder} ...", file=sys.stderr, flush=True)
    subprocess.run(  # noqa: S603 - our own command line
        command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=_environment(folder, None)
    )
    return folder, json.loads(marker.read_text())


def _environment(folder: Path, database_url: str | None, code: Path = ROOT) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "HUEY_", "FRONTDESK_", "DEBUG"))
    }
    environment.update(
        FRONTDESK_DATA_DIR=str(folder),
        SECRET_KEY=SECRET_KEY,
        DEBUG="false",
        DJANGO_SETTINGS_MODULE="frontdesk.settings",
        # W8 asks more than a person would in a minute.
        API_RATE_LIMIT="1000000",
        # The code of this tree (or the one --code names), whatever the virtualenv installed.
        PYTHONPATH=str(code),
    )
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``frontdesk serve`` (gunicorn, 2 workers) and, for W5, ``frontdesk worker``."""

    def __init__(
        self, folder: Path, facts: dict[str, Any], workers: int, code: Path = ROOT
    ) -> None:
        self.folder = folder
        self.code = code
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.environment = _environment(folder, facts["database_url"], code)
        self.environment["FRONTDESK_URL"] = self.base
        command = Path(sys.executable).parent / "frontdesk"
        self.log = (folder / "server.log").open("ab")
        if code == ROOT:
            # The code may have moved on since the desk was made (a reused one).
            subprocess.run(  # noqa: S603 - our own command
                [str(command), "migrate", "--no-input"],
                cwd=ROOT,
                env=self.environment,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                check=True,
            )
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [str(command), "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            cwd=code,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.worker: subprocess.Popen[bytes] | None = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/login/", timeout=5).status_code == 200:
                    return
            # Refused while it starts; slow to answer on a busy machine.
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"the server did not answer; see {folder / 'server.log'}")

    def api_token(self, email: str) -> str:
        """A new personal API token of ``email`` (W8), made as the Profile page does."""
        code = (
            "from accounts import tokens; from accounts.models import User; "
            f"print(tokens.create_personal(actor=User.objects.get(email={email!r}), "
            "name='bench').secret)"
        )
        made = subprocess.run(  # noqa: S603 - our own command
            [str(Path(sys.executable).parent / "frontdesk"), "shell", "-c", code],
            cwd=self.code,
            env=self.environment,
            capture_output=True,
            text=True,
            check=True,
        )
        return made.stdout.strip().splitlines()[-1]

    def start_worker(self) -> None:
        command = Path(sys.executable).parent / "frontdesk"
        self.worker = subprocess.Popen(  # noqa: S603 - our own command
            [str(command), "worker"],
            cwd=self.code,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop_worker(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGTERM)
            self.worker.wait(timeout=60)
        self.worker = None

    def web_workers(self) -> list[int]:
        """The gunicorn workers: the children of the process ``serve`` became."""
        children = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", text, re.MULTILINE):
                children.append(int(status.parent.name))
        return children

    def peak_memory(self) -> int:
        """The largest peak resident set (VmHWM) of a web worker, in bytes."""
        peaks = []
        for pid in self.web_workers():
            match = re.search(
                r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE
            )
            if match:
                peaks.append(int(match.group(1)) * 1024)
        return max(peaks, default=0)

    def stop(self) -> None:
        for process in (self.worker, self.process):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        self.log.close()


def sign_in(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(base + "/login/")
    response = session.post(
        base + "/login/",
        data={
            "username": email,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": base + "/login/"},
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise SystemExit(f"signing in as {email} failed ({response.status_code})")
    return session


# Timing ------------------------------------------------------------------------------


def timed_get(session: requests.Session, url: str, expect: int) -> float:
    started = time.perf_counter()
    response = session.get(url, allow_redirects=False)
    elapsed = time.perf_counter() - started
    if response.status_code != expect:
        raise RuntimeError(f"{url}: {response.status_code}, expected {expect}")
    return elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Result:
    key: str
    name: str
    median: float
    p95: float
    floor_median: float
    floor_p95: float
    count: int


def interleaved(
    session: requests.Session, base: str, workload: Workload, path: str, count: int
) -> Result:
    """``count`` requests of the workload and of the floor, alternating (which goes
    first alternates too), after a few of each to warm up."""
    url, floor = base + path, base + FLOOR
    for _ in range(3):
        timed_get(session, url, workload.expect)
        timed_get(session, floor, 200)
    times, floors = [], []
    for round_ in range(count):
        if round_ % 2:
            floors.append(timed_get(session, floor, 200))
            times.append(timed_get(session, url, workload.expect))
        else:
            times.append(timed_get(session, url, workload.expect))
            floors.append(timed_get(session, floor, 200))
    return Result(
        workload.key,
        workload.name,
        statistics.median(times),
        percentile(times, 0.95),
        statistics.median(floors),
        percentile(floors, 0.95),
        count,
    )


def throughput(sessions: list[requests.Session], url: str, seconds: float) -> float:
    """Requests per second that ``len(sessions)`` clients get through, each on its own thread."""
    done = [0] * len(sessions)
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < stop:
            if sessions[index].get(url, allow_redirects=False).status_code == 200:
                done[index] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(sessions))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def clone(session: requests.Session) -> requests.Session:
    copy = requests.Session()
    copy.cookies.update(session.cookies)
    return copy


# Mass close (W5) -----------------------------------------------------------------------


MASS_CLOSE = 10_000
ACTIVE = ("new", "open", "on_hold", "reopened")


def fetch(facts: dict[str, Any], query: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Rows of the desk's database, read directly (``?`` marks a value)."""
    if facts["vendor"] == "postgresql":
        import psycopg

        with psycopg.connect(facts["database_url"]) as connection:
            return list(connection.execute(query.replace("?", "%s"), params))
    path = facts["database_url"].removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.execute(query, params))


def working_tickets(facts: dict[str, Any], count: int) -> list[tuple[int, int]]:
    """The newest ``count`` working tickets, with their versions."""
    marks = ", ".join("?" * len(ACTIVE))
    rows = fetch(
        facts,
        f"SELECT number, version FROM tickets_ticket WHERE status IN ({marks}) "  # noqa: S608
        "ORDER BY number DESC LIMIT ?",
        (*ACTIVE, count),
    )
    return [(int(number), int(version)) for number, version in rows]


def job_state(facts: dict[str, Any], job: int) -> tuple[str, int, int]:
    [(state, handled, total)] = fetch(
        facts,
        "SELECT state, done + refused + skipped, total FROM tickets_massjob WHERE id = ?",
        (job,),
    )
    return str(state), int(handled), int(total)


def execute(facts: dict[str, Any], statement: str, params: tuple[Any, ...]) -> None:
    """Change the desk's database directly (``?`` marks a value)."""
    if facts["vendor"] == "postgresql":
        import psycopg

        with psycopg.connect(facts["database_url"]) as server:
            server.execute(statement.replace("?", "%s"), params)
        return
    path = facts["database_url"].removeprefix("sqlite:///")
    with closing(sqlite3.connect(path, timeout=60)) as embedded, embedded:
        embedded.execute(statement, params)


class SmtpSink:
    """An SMTP server that accepts every mail and keeps only the count."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.received = 0
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                sink.received += 1
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.port = self.controller.port

    def stop(self) -> None:
        self.controller.stop()


def mass_close(
    server: Server,
    session: requests.Session,
    facts: dict[str, Any],
    *,
    size: int = MASS_CLOSE,
    tell: bool = False,
) -> str:
    """W5: the newest 10,000 working tickets closed as one mass action (the mass form's
    ``numbers`` field, confirmed), done by ``frontdesk worker``: the seconds from the
    request to the job's end. Telling the customers, the queues get a closing notice
    first and the seconds until the worker has sent the last notice are given too.
    The desk keeps them closed."""
    tickets = working_tickets(facts, size)
    if len(tickets) < size:
        return f"not run: only {len(tickets)} working tickets left"
    if tell:
        execute(
            facts,
            "UPDATE tickets_queue SET closed_ticket_response = ? WHERE closed_ticket_response = ''",
            ("We have resolved your request. Reply to this mail if anything is left.",),
        )
    [(last_mail,)] = fetch(facts, "SELECT COALESCE(MAX(id), 0) FROM mail_outgoingmail", ())
    server.start_worker()
    session.get(server.base + "/panel/")
    started = time.perf_counter()
    data = {
        "numbers": " ".join(f"{number}:{version}" for number, version in tickets),
        "confirmed": "yes",
        "next": "/panel/",
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }
    if tell:
        data["tell_customers"] = "on"
    response = session.post(
        server.base + "/panel/tickets/mass/close/",
        data=data,
        headers={"Referer": server.base + "/panel/"},
        allow_redirects=False,
    )
    asked = time.perf_counter() - started
    found = re.search(r"/panel/mass/(\d+)/", response.headers.get("Location", ""))
    if response.status_code != 302 or not found:
        return f"not run: the mass close answered {response.status_code}"
    job = int(found.group(1))
    state, handled, total = job_state(facts, job)
    while state in ("queued", "running") and time.perf_counter() - started < 600:
        time.sleep(0.2)
        state, handled, total = job_state(facts, job)
    took = time.perf_counter() - started
    done = (
        f"{took:.1f} s ({handled:,} of {total:,} handled, job {state}; "
        f"{handled / took:,.0f} tickets/s; the request itself {asked * 1000:.0f} ms)"
    )
    if not tell:
        return done
    query = (
        "SELECT COUNT(*), SUM(CASE WHEN state = 'sent' THEN 1 ELSE 0 END) "
        "FROM mail_outgoingmail WHERE id > ? AND kind = 'closed'"
    )
    written = sent = 0
    while time.perf_counter() - started < 1800:
        [(written, sent)] = fetch(facts, query, (last_mail,))
        if written and written == (sent or 0):
            break
        time.sleep(1)
    mailed = time.perf_counter() - started
    return (
        f"{done}; closing notices written since the request (the worker's auto-close too; "
        f"the per-recipient cap drops some): {written:,}, the last of them sent "
        f"{mailed:.1f} s after the request"
    )


# The report ----------------------------------------------------------------------------


def report(
    results: list[Result], extra: list[str], facts: dict[str, Any], server: Server, started: float
) -> None:
    print(
        f"\n# {facts['vendor']}, {facts['tickets']:,} tickets, {facts['messages']:,} messages, "
        f"{facts['bytes'] / 2**30:.1f} GiB; floor: {FLOOR} "
        "(signed in, the same person, interleaved)\n"
    )
    print(
        "| | workload | median | p95 | floor median | floor p95 "
        "| × floor (median) | × floor (p95) | n |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for each in results:
        print(
            f"| {each.key} | {each.name} | {each.median * 1000:.1f} ms | {each.p95 * 1000:.1f} ms "
            f"| {each.floor_median * 1000:.1f} ms | {each.floor_p95 * 1000:.1f} ms "
            f"| {each.median / each.floor_median:.1f}x | {each.p95 / each.floor_p95:.1f}x "
            f"| {each.count} |"
        )
    for line in extra:
        print(line)
    print(f"\npeak memory of a web worker (VmHWM): {server.peak_memory() / 2**20:.0f} MiB")
    print(f"run took {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres", help="a PostgreSQL database URL (dropped and re-created unless --reuse)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="use the desk generated before, if there is one"
    )
    parser.add_argument(
        "--folder", help="where the desk lives (default: a folder of the temporary directory)"
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="requests per workload (and as many of the floor)"
    )
    parser.add_argument(
        "--only", default="", help="workloads to run, e.g. W1,W3 (default: all but W5)"
    )
    parser.add_argument("--mass", action="store_true", help="also run W5 (closes 20,000 tickets)")
    parser.add_argument(
        "--mass-size", type=int, default=MASS_CLOSE, help="tickets each W5 job closes"
    )
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients for W6")
    parser.add_argument("--seconds", type=float, default=20, help="duration of each W6 measurement")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="serve another source tree (e.g. `git archive` of an earlier commit) on the same "
        "desk, for a before/after comparison; its database must already be migrated",
    )
    options = parser.parse_args()
    only = {key.strip().upper() for key in options.only.split(",") if key.strip()}
    wanted = only or {"W1", "W2", "W3", "W4", "W6", "W7", "W8"} | (
        {"W5"} if options.mass else set()
    )
    folder, facts = make_desk(options)
    started = time.monotonic()
    server = Server(folder, facts, options.workers, options.code.resolve())
    try:
        sessions = {
            role: sign_in(server.base, email, facts["password"])
            for role, email in facts["people"].items()
        }
        results, extra = [], []
        tokens: dict[str, str] = {}
        for workload in WORKLOADS:
            if workload.key not in wanted:
                continue
            session = sessions[workload.role]
            if workload.api:
                if workload.role not in tokens:
                    tokens[workload.role] = server.api_token(facts["people"][workload.role])
                # The floor stays the session's page; the workload carries the token.
                session = clone(session)
                session.headers["Authorization"] = f"Bearer {tokens[workload.role]}"
            path = workload.path(facts)
            if path is None:
                extra.append(f"{workload.key} {workload.name}: not in this desk")
                continue
            try:
                results.append(interleaved(session, server.base, workload, path, options.requests))
            except RuntimeError as error:
                extra.append(f"{workload.key} {workload.name}: not run ({error})")
            print(f"# {workload.key} {workload.name} done", file=sys.stderr, flush=True)
        if "W6" in wanted:
            clients = [clone(sessions["supervisor"]) for _ in range(options.clients)]
            home = throughput(clients, server.base + "/panel/", options.seconds)
            floor = throughput(clients, server.base + FLOOR, options.seconds)
            extra.append(
                f"\nW6 requests per second, {options.clients} clients, {options.seconds:.0f} s "
                f"each: panel home (supervisor) {home:.1f}/s, floor {floor:.1f}/s: "
                f"{floor / home:.1f}x the floor's cost"
            )
        if "W5" in wanted:
            size = options.mass_size
            done = mass_close(server, sessions["admin"], facts, size=size)
            extra.append(f"\nW5 mass close of {size:,} tickets (as an administrator): {done}")
            sink = SmtpSink()
            try:
                server.stop_worker()
                server.environment.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(sink.port))
                done = mass_close(server, sessions["admin"], facts, size=size, tell=True)
            finally:
                sink.stop()
            extra.append(
                f"\nW5 mass close of {size:,} tickets telling the customers: {done}; "
                f"the SMTP server received {sink.received:,}"
            )
        report(results, extra, facts, server, started)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
