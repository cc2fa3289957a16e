"""PostgreSQL goes away in the middle of the work, and nothing is lost; or it
stops answering, and nothing hangs.

A supervisor browses the panel and answers a ticket again and again, an MTA
pipes mail into `frontdesk mailgate`, and the worker polls a Dovecot mailbox
and tries to send the answers to an SMTP server that is down. Then the
server's database refuses connections and its open sessions are cut, the
server itself staying up, for OUTAGE seconds: 10 here rather than the 30 of
the hardening issue, to keep the suite short (every connection is refused at
once, so a longer outage only repeats the same failures).

During it, web requests fail at once with a plain error page, mailgate exits
75 so the MTA keeps the mail, and the message in the mailbox stays there.
After it, the same processes, never restarted, work again: the MTA's second
try stores its mail, the worker sends the queued answers once and fetches the
waiting message. What was cut in the middle is whole or absent, never half.
The jobs run every JOB_EVERY seconds here instead of every minute.
"""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.faults.deployment import (
    PASSWORD,
    Browser,
    Node,
    Page,
    Processes,
    form_with_action,
    no_traceback,
    node_env,
    postgres_database,
    postgres_server,
    redis_queue,
    smtp_sink,
    tcp_proxy,
    wait_until,
)
from tests.fixtures_mail import PASSWORD as MAILBOX_PASSWORD
from tests.fixtures_mail import make_mail, run_dovecot
from tests.panel.helpers import rendered_form

pytestmark = pytest.mark.faults

SUPPORT = "support@frontdesk.example"
SUPERVISOR = "ann@frontdesk.example"
OUTAGE = 10.0
CONNECT_TIMEOUT = 2
JOB_EVERY = 3
FETCHES = "Executing mail.tasks.fetch"


@dataclass
class Request:
    started: float
    page: Page
    text: str = ""


def mail(name: str) -> bytes:
    return make_mail(
        sender=f"{name} <{name}@a.example>",
        to=SUPPORT,
        subject=f"Question from {name}",
        message_id=f"{name}@a.example",
    )


def test_the_database_refusing_connections_fails_requests_cleanly_and_loses_nothing(
    processes: Processes, tmp_path
):
    database = processes.use(postgres_database(postgres_server()))
    queue = processes.use(redis_queue())
    sink = processes.use(smtp_sink())
    dovecot = processes.use(run_dovecot(tls=None))
    box = dovecot.new_user()
    node = Node(
        "node",
        node_env(
            DATABASE_URL=database.url,
            FRONTDESK_DATA_DIR=str(tmp_path / "data"),
            MEDIA_ROOT=str(tmp_path / "media"),
            EMAIL_PORT=str(sink.port),
            # Retried every second or two while the SMTP server is down, never given up;
            # a send cut off by the outage is due again after 5 s.
            MAIL_OUTBOX_BACKOFF="1",
            MAIL_OUTBOX_BACKOFF_CAP="2",
            MAIL_OUTBOX_MAX_ATTEMPTS="1000",
            MAIL_OUTBOX_LEASE="5",
            JOB_INTERVALS=f"outbox-sweep={JOB_EVERY},mail-fetch={JOB_EVERY}",
            **queue,
        ),
        processes,
    )
    node.command("migrate", "--no-input")
    node.setup(
        f"setup_data.helpdesk({SUPPORT!r}, 'We have your message.')\n"
        f"setup_data.supervisor({SUPERVISOR!r}, 'Ann Lee', {PASSWORD!r})\n"
        f"setup_data.imap_mailbox({dovecot.imap_port}, {box!r}, {MAILBOX_PASSWORD!r})\n"
    )
    web, worker = node.serve_and_work()

    # A ticket, picked up by Ann, whom the test then lets work.
    assert node.mailgate(mail("first")).returncode == 0
    wait_until(lambda: len(sink.counts()) == 1, 20, worker.output)
    ((number,),) = database.query("SELECT number FROM tickets_ticket")
    ann = Browser()
    ann.sign_in(web.url, SUPERVISOR)
    action = f"/panel/tickets/{number}/pick-up/"
    unassigned = ann.get(web.url, "/panel/tickets/unassigned/").text
    assert ann.post(web.url, action, form_with_action(unassigned, action)).status == 302
    # From here on the SMTP server is down: every answer waits in the outbox.
    sink.stop()

    down = up = float("inf")
    pages: list[Request] = []
    answers: list[Request] = []
    browsing, answering = Browser(dict(ann.cookies)), Browser(dict(ann.cookies))

    def browse() -> None:
        while time.monotonic() < down + OUTAGE - 1:
            started = time.monotonic()
            pages.append(Request(started, browsing.get(web.url, "/panel/", timeout=10)))
            time.sleep(0.2)

    def keep_answering() -> None:
        ticket = f"/panel/tickets/{number}/"
        fields: dict[str, object] = {}
        while time.monotonic() < down + OUTAGE - 1:
            page = answering.get(web.url, ticket, timeout=10)
            if page.status == 200:
                fields = rendered_form(page.text, "answer-form")
            text = f"Answer {len(answers) + 1}."
            started = time.monotonic()
            posted = answering.post(
                web.url, f"{ticket}reply/", {**fields, "answer": text}, multipart=True, timeout=10
            )
            answers.append(Request(started, posted, text))
            time.sleep(0.3)

    gated: dict[str, tuple[float, int, str]] = {}
    new_names = (f"delivery-{index}" for index in itertools.count())

    def deliver() -> None:
        # An MTA handing over one message after the other, into the outage's first seconds.
        while time.monotonic() < down + OUTAGE / 2:
            name, started = next(new_names), time.monotonic()
            done = node.mailgate(mail(name))
            gated[name] = (started, done.returncode, done.stderr.decode())
            time.sleep(0.3)

    load = [threading.Thread(target=work) for work in (browse, keep_answering, deliver, deliver)]
    for thread in load:
        thread.start()
    # The outage comes while all of it runs, once some of it got through.
    wait_until(
        lambda: (
            any(r.page.status == 302 for r in answers)
            and any(code == 0 for _, code, _ in gated.values())
        ),
        30,
    )
    fetches_before = worker.output().count(FETCHES)
    database.refuse_connections()
    down = time.monotonic()
    sink.start()
    dovecot.append(box, mail("dora"))
    for thread in load:
        thread.join(timeout=30)
    time.sleep(max(0.0, down + OUTAGE - time.monotonic()))
    in_the_mailbox = dovecot.inbox(box)
    polls_during = worker.output().count(FETCHES) - fetches_before
    database.allow_connections()
    up = time.monotonic()

    # Every request had its answer at once, and no error page showed code;
    # all that began in the outage failed; mailgate asked the MTA to try again.
    assert pages and answers
    for request in pages + answers:
        page = request.page
        assert no_traceback(page) and page.seconds < 10, (page.status, page.seconds, page.text)
        if request.started > down:
            assert page.status >= 500, (page.status, page.text[:500])
            assert "no-store" in page.headers["cache-control"]
    assert any(r.started > down for r in pages) and any(r.started > down for r in answers)
    for name, (started, code, stderr) in gated.items():
        assert code in (0, 75), (name, code, stderr)
        if started > down:
            assert code == 75 and "temporary failure" in stderr, (name, code, stderr)
    assert any(started > down for started, _, _ in gated.values())
    # The worker polled the mailbox meanwhile, and the message stayed.
    assert polls_during >= 1 and len(in_the_mailbox) == 1, worker.output()[-3000:]

    # After: the same processes work again; the MTA's second try is stored.
    wait_until(lambda: browsing.get(web.url, "/panel/").status == 200, 10)
    again = [mail(name) for name, (_, code, _) in gated.items() if code == 75]
    with ThreadPoolExecutor(2) as pool:
        assert [done.returncode for done in pool.map(node.mailgate, again)] == [0] * len(again)
    # The worker, never restarted, sends the waiting answers and fetches the waiting mail.
    wait_until(lambda: not dovecot.inbox(box), 4 * JOB_EVERY, worker.output)
    wait_until(
        lambda: (
            database.query("SELECT count(*) FROM mail_outgoingmail WHERE state <> 'sent'") == [(0,)]
        ),
        4 * JOB_EVERY,
        worker.output,
    )
    assert worker.running() and web.process.running()

    # Each mail one ticket, nothing half, nothing in quarantine.
    names = ["first", *gated, "dora"]
    assert sorted(
        database.query(
            "SELECT message_id, count(*) FROM mail_inboundmessage "
            "WHERE ticket_id IS NOT NULL AND ticket_message_id IS NOT NULL GROUP BY 1"
        )
    ) == sorted((f"{name}@a.example", 1) for name in names)
    assert database.query("SELECT count(*) FROM mail_inboundmessage") == [(len(names),)]
    assert database.query("SELECT count(*) FROM tickets_ticket") == [(len(names),)]
    assert database.query("SELECT count(*) FROM mail_quarantinedmessage") == [(0,)]
    media = tmp_path / "media"
    kept = {name for (name,) in database.query("SELECT raw FROM mail_inboundmessage")}
    files = {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}
    assert files == kept
    # Every answer the panel confirmed is stored once; one cut off is stored whole
    # (with its mail) or not at all.
    stored = {
        text: count
        for text, count in database.query(
            "SELECT text, count(*) FROM tickets_message WHERE kind = 'answer' GROUP BY 1"
        )
    }
    confirmed = {r.text for r in answers if r.page.status == 302}
    assert confirmed <= set(stored) <= {r.text for r in answers}, (confirmed, stored)
    assert set(stored.values()) == {1}
    answer_mails = database.query("SELECT count(*) FROM mail_outgoingmail WHERE kind = 'answer'")
    assert answer_mails == [(len(stored),)]
    # Each mail went out once: the SMTP server was down until the outage began.
    outgoing = {mid for (mid,) in database.query("SELECT message_id FROM mail_outgoingmail")}
    wait_until(lambda: outgoing <= set(sink.counts()), 10, worker.output)
    counts = sink.counts()
    assert {key: counts[key] for key in outgoing} == dict.fromkeys(outgoing, 1)
    assert up - down >= OUTAGE


def test_a_database_that_does_not_answer_fails_requests_and_mailgate_within_the_connect_timeout(
    processes: Processes, tmp_path
):
    """Not refused but silent: a frozen server or pooler, a network dropping packets.
    A connection then waits for DATABASE_CONNECT_TIMEOUT (CONNECT_TIMEOUT seconds
    here instead of 10), not for ever."""
    server = postgres_server()
    database = processes.use(postgres_database(server))
    target = urlsplit(server)
    proxy = processes.use(tcp_proxy(target.port or 5432, target.hostname or "127.0.0.1"))
    node = Node(
        "node",
        node_env(
            DATABASE_URL=database.url_through(proxy),
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
            FRONTDESK_DATA_DIR=str(tmp_path / "data"),
            MEDIA_ROOT=str(tmp_path / "media"),
        ),
        processes,
    )
    node.command("migrate", "--no-input")
    node.setup(f"setup_data.supervisor({SUPERVISOR!r}, 'Ann Lee', {PASSWORD!r})")
    web = node.serve()
    ann = Browser()
    ann.sign_in(web.url, SUPERVISOR)

    proxy.hang()
    with ThreadPoolExecutor(2) as pool:
        browsing = pool.submit(ann.get, web.url, "/panel/", timeout=20)
        delivering = pool.submit(node.mailgate, mail("silence"))
        page, gated = browsing.result(), delivering.result()
    assert page.status >= 500 and no_traceback(page), (page.status, page.text[:500])
    assert "no-store" in page.headers["cache-control"]
    # One try to connect, not a second one to ask who is signed in.
    assert page.seconds < 2 * CONNECT_TIMEOUT, page.seconds
    assert gated.returncode == 75, gated.stderr.decode()

    proxy.resume()
    assert ann.get(web.url, "/panel/").status == 200
    assert node.mailgate(mail("silence")).returncode == 0
    assert database.query("SELECT count(*) FROM mail_inboundmessage") == [(1,)]
