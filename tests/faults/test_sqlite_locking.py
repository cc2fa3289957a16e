"""One machine on SQLite under concurrent writers: nobody sees "database is locked".

`frontdesk serve` (two gunicorn processes) and `frontdesk worker` on one
SQLite file, with the worker queue in SQLite too, as `frontdesk run` sets
them up. Four MTA deliveries at a time pipe MAILS messages into `frontdesk
mailgate` (a process per message, as an MTA does), while two people post
answers over HTTP as fast as the server takes them. SQLite has one writer at
a time: the others must wait their turn (WAL, IMMEDIATE transactions and a
busy timeout), never fail.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.deployment import (
    PASSWORD,
    Browser,
    Node,
    Page,
    Processes,
    SqliteDatabase,
    form_with_action,
    node_env,
    smtp_sink,
    sqlite_pass,
    wait_until,
)
from tests.fixtures_mail import make_mail
from tests.panel.helpers import rendered_form

pytestmark = pytest.mark.faults

SUPPORT = "support@frontdesk.example"
SUPERVISORS = ("ann@frontdesk.example", "bo@frontdesk.example")
MAILS = 40
DELIVERIES = 4
LOCKED = "database is locked"


def test_concurrent_mailgates_and_answers_on_sqlite_all_succeed_and_all_is_stored(
    processes: Processes, tmp_path
):
    sqlite_pass()
    data = tmp_path / "data"
    database = SqliteDatabase(data / "frontdesk.sqlite3")
    sink = processes.use(smtp_sink())
    node = Node(
        "node",
        node_env(
            DATABASE_URL=database.url,
            FRONTDESK_DATA_DIR=str(data),
            MEDIA_ROOT=str(data / "media"),
            EMAIL_PORT=str(sink.port),
            MAIL_NEW_TICKETS_PER_SENDER="1000",
        ),
        processes,
    )
    node.command("migrate", "--no-input")
    node.setup(
        f"setup_data.helpdesk({SUPPORT!r}, 'We have your message.')\n"
        + "".join(
            f"setup_data.supervisor({email!r}, {email.split('@')[0]!r}, {PASSWORD!r})\n"
            for email in SUPERVISORS
        )
    )
    # One ticket for each person to answer, picked up over HTTP.
    for email in SUPERVISORS:
        owner = email.split("@")[0]
        raw = make_mail(to=SUPPORT, subject=f"For {owner}", message_id=f"{owner}@a.example")
        assert node.mailgate(raw).returncode == 0
    web, worker = node.serve_and_work(workers=2)
    people = {email: Browser() for email in SUPERVISORS}
    tickets = {}
    for email, browser in people.items():
        browser.sign_in(web.url, email)
        ((number,),) = database.query(
            "SELECT ticket_id FROM mail_inboundmessage WHERE message_id = %s",
            f"{email.split('@')[0]}@a.example",
        )
        action = f"/panel/tickets/{number}/pick-up/"
        unassigned = browser.get(web.url, "/panel/tickets/unassigned/").text
        assert browser.post(web.url, action, form_with_action(unassigned, action)).status == 302
        tickets[email] = number

    mails = [
        make_mail(
            sender=f"Sender {index} <sender{index}@a.example>",
            to=SUPPORT,
            subject=f"Question {index}",
            message_id=f"question-{index}@a.example",
        )
        for index in range(MAILS)
    ]
    delivering = threading.Event()
    delivering.set()
    answered: dict[str, list[tuple[str, Page]]] = {email: [] for email in SUPERVISORS}
    shown: list[Page] = []

    def keep_answering(email: str) -> None:
        browser, number = people[email], tickets[email]
        while delivering.is_set():
            # The form as the page shows it now: its version follows each answer.
            page = browser.get(web.url, f"/panel/tickets/{number}/")
            shown.append(page)
            if page.status != 200:
                return
            fields = rendered_form(page.text, "answer-form")
            text = f"Answer {len(answered[email]) + 1} from {email}."
            fields["answer"] = text
            posted = browser.post(
                web.url, f"/panel/tickets/{number}/reply/", fields, multipart=True
            )
            answered[email].append((text, posted))

    answering = [threading.Thread(target=keep_answering, args=(e,)) for e in SUPERVISORS]
    for thread in answering:
        thread.start()
    try:
        with ThreadPoolExecutor(DELIVERIES) as pool:
            gated = list(pool.map(node.mailgate, mails))
    finally:
        delivering.clear()
        for thread in answering:
            thread.join(timeout=60)

    failed = [
        (done.returncode, done.stderr.decode())
        for done in gated
        if done.returncode or LOCKED.encode() in done.stderr
    ]
    assert failed == [], failed
    refused = [
        (text, page.status, page.text[:500])
        for posts in answered.values()
        for text, page in posts
        if page.status != 302
    ]
    refused += [("", page.status, page.text[:500]) for page in shown if page.status != 200]
    # The server's log says why (a traceback for a 500).
    assert refused == [], (refused, web.process.output()[-8000:])
    assert all(len(posts) >= 5 for posts in answered.values()), answered

    # Every mail stored once, as a ticket of its own; every answer stored.
    stored = database.query(
        "SELECT message_id, count(*) FROM mail_inboundmessage "
        "WHERE ticket_id IS NOT NULL AND message_id LIKE 'question-%' GROUP BY 1",
    )
    assert sorted(stored) == sorted((f"question-{index}@a.example", 1) for index in range(MAILS))
    assert database.query("SELECT count(*) FROM tickets_ticket") == [(MAILS + len(people),)]
    assert database.query("SELECT count(*) FROM mail_quarantinedmessage") == [(0,)]
    texts = sorted(
        text for (text,) in database.query("SELECT text FROM tickets_message WHERE kind = 'answer'")
    )
    assert texts == sorted(text for posts in answered.values() for text, _ in posts)

    # The worker sent everything through its SQLite queue; nobody logged the lock.
    total = MAILS + len(people) + len(texts)
    wait_until(
        lambda: (
            database.query("SELECT count(*) FROM mail_outgoingmail WHERE state = 'sent'")
            == [(total,)]
        ),
        60,
        worker.output,
    )
    assert len(sink.counts()) == total
    for process in (web.process, worker):
        assert LOCKED not in process.output(), process.output()[-5000:]
