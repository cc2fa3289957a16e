"""Two machines, one PostgreSQL, one Redis, one media folder: nothing is done twice.

Each node runs `frontdesk serve` and `frontdesk worker`, and an MTA on each
pipes the same mail into `frontdesk mailgate` at the same moment. Two
supervisors race for every new ticket through the two web servers (over HTTP,
with their sessions and the CSRF token the page gave them), answer through
both, and both workers send to one SMTP sink: each message makes one ticket,
each ticket gets one assignee (the loser is told who), each mail goes out once.

Two machines with media folders of their own instead: refused alone, served
with the S3-compatible store (moto's server), where each node reads what the
other one wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.deployment import (
    PASSWORD,
    Browser,
    Node,
    Page,
    Processes,
    form_with_action,
    node_env,
    postgres_database,
    postgres_server,
    redis_queue,
    run_together,
    s3_store,
    smtp_sink,
    wait_until,
)
from tests.fixtures_mail import make_mail
from tests.panel.helpers import rendered_form

pytestmark = pytest.mark.faults

SUPPORT = "support@frontdesk.example"
MAILS = 8
SUPERVISORS = {"ann@frontdesk.example": "Ann Lee", "bo@frontdesk.example": "Bo Chen"}
ADMIN = "ada@frontdesk.example"
# Every byte value, which no text decoding would pass through unchanged.
INVOICE = b"%PDF-1.4\n" + bytes(range(256)) * 64
LABEL = bytes(range(255, -1, -1)) * 64


def press(
    browser: Browser, url: str, page: str, action: str, headers: dict[str, str]
) -> Callable[[], Page]:
    """Pressing a button: the form the page showed, posted to ``url``."""
    fields = form_with_action(page, action)
    return lambda: browser.post(url, action, fields, headers=headers)


def test_two_nodes_take_each_message_once_give_each_ticket_one_owner_and_send_each_mail_once(
    processes: Processes, tmp_path
):
    server = postgres_server()
    database = processes.use(postgres_database(server))
    queue = processes.use(redis_queue())
    sink = processes.use(smtp_sink())
    shared = {
        "DATABASE_URL": database.url,
        # One folder both nodes write to and read from, as a mount every machine shares.
        "FRONTDESK_NODES": "several",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MEDIA_ROOT_SHARED": "true",
        "EMAIL_PORT": str(sink.port),
        **queue,
    }
    nodes = [
        Node(name, node_env(FRONTDESK_DATA_DIR=str(tmp_path / name), **shared), processes)
        for name in ("node1", "node2")
    ]
    nodes[0].command("migrate", "--no-input")
    nodes[0].setup(
        f"setup_data.helpdesk({SUPPORT!r}, 'We have your message.')\n"
        + "".join(
            f"setup_data.supervisor({email!r}, {name!r}, {PASSWORD!r})\n"
            for email, name in SUPERVISORS.items()
        )
    )
    webs, workers = zip(*(node.serve_and_work() for node in nodes), strict=True)

    # Ingestion: every message reaches both nodes' MTAs at once.
    mails = [
        make_mail(
            sender=f"Customer {index} <customer{index}@a.example>",
            to=SUPPORT,
            subject=f"Order {index} never arrived",
            message_id=f"order-{index}@a.example",
            attachments=[("invoice.txt", "text/plain", f"invoice {index}".encode())]
            if index % 3 == 0
            else [],
        )
        for index in range(MAILS)
    ]
    with ThreadPoolExecutor(4) as pool:
        exits = list(
            pool.map(lambda job: nodes[job % 2].mailgate(mails[job // 2]), range(2 * MAILS))
        )
    assert [done.returncode for done in exits] == [0] * 2 * MAILS, [
        done.stderr.decode() for done in exits if done.returncode
    ]
    stored = database.query(
        "SELECT message_id, count(*), min(ticket_id) FROM mail_inboundmessage GROUP BY 1"
    )
    assert sorted((m, n) for m, n, _ in stored) == sorted(
        (f"order-{index}@a.example", 1) for index in range(MAILS)
    )
    numbers = sorted(ticket for *_, ticket in stored)
    assert len(set(numbers)) == MAILS and None not in numbers
    assert database.query("SELECT count(*) FROM tickets_ticket") == [(MAILS,)]
    assert database.query("SELECT count(*) FROM mail_quarantinedmessage") == [(0,)]

    # Sign-ins on different nodes; the session is the deployment's, not the node's.
    people = {email: Browser() for email in SUPERVISORS}
    for (email, browser), web in zip(people.items(), webs, strict=True):
        browser.sign_in(web.url, email)
    forms = {
        email: browser.get(web.url, "/panel/tickets/unassigned/").text
        for (email, browser), web in zip(people.items(), reversed(webs), strict=True)
    }

    # Pick-ups: both supervisors press Pick Up on every ticket at the same
    # moment, each through another node (swapped every ticket); every third
    # race as htmx does it, the others as a browser without JavaScript.
    winners: dict[int, str] = {}
    for index, number in enumerate(numbers):
        action = f"/panel/tickets/{number}/pick-up/"
        as_htmx = {"HX-Request": "true"} if index % 3 == 2 else {}
        order = list(zip(people.items(), webs if index % 2 else webs[::-1], strict=True))
        pages = run_together(
            *(
                press(browser, web.url, forms[email], action, as_htmx)
                for (email, browser), web in order
            )
        )
        outcome = {}
        for ((email, browser), web), page in zip(order, pages, strict=True):
            assert isinstance(page, Page), page
            if as_htmx:
                assert page.status == 200, (page.status, page.text[:2000])
                outcome[email] = page.text
            else:
                # The winner lands on the ticket, the loser on the list; both read why.
                assert page.location in (
                    f"/panel/tickets/{number}/",
                    "/panel/tickets/unassigned/",
                ), page.headers
                outcome[email] = browser.get(web.url, page.location).text
        won = [email for email, text in outcome.items() if "Picked up: yours now." in text]
        assert len(won) == 1, outcome
        winners[number] = won[0]
        loser = next(email for email in outcome if email != won[0])
        assert f"Already picked up by {SUPERVISORS[won[0]]}." in outcome[loser]
    owners = database.query(
        "SELECT t.number, u.email FROM tickets_ticket t JOIN accounts_user u "
        "ON u.id = t.assignee_id"
    )
    assert dict(owners) == winners
    assert (
        database.query(
            "SELECT ticket_id, count(*) FROM tickets_event WHERE code = 'assignee' GROUP BY 1 "
            "HAVING count(*) <> 1"
        )
        == []
    )

    # Answers: each owner reads the answer form on one node and posts it to the other.
    def answer_all(email: str) -> list[int]:
        browser = people[email]
        statuses = []
        for index, number in enumerate(n for n in numbers if winners[n] == email):
            shown, posted = webs[index % 2], webs[(index + 1) % 2]
            page = browser.get(shown.url, f"/panel/tickets/{number}/")
            fields = rendered_form(page.text, "answer-form")
            fields["answer"] = f"Answer to #{number}: it is on its way."
            files = [("attachments", "label.txt", b"tracking 1Z999")] * (number == numbers[0])
            sent = browser.post(
                posted.url, f"/panel/tickets/{number}/reply/", fields, files=files,
                multipart=True,
            )  # fmt: skip
            statuses.append(sent.status)
        return statuses

    with ThreadPoolExecutor(2) as pool:
        statuses = [status for result in pool.map(answer_all, people) for status in result]
    assert statuses == [302] * MAILS

    # Attachments that one node's mailgate stored are served by both web servers.
    attachments = database.query(
        "SELECT a.id, m.ticket_id FROM tickets_attachment a "
        "JOIN tickets_message m ON m.id = a.message_id WHERE a.filename = 'invoice.txt'"
    )
    assert len(attachments) == len(range(0, MAILS, 3))
    for pk, number in attachments:
        browser = people[winners[number]]
        for web in webs:
            download = browser.get(web.url, f"/panel/attachments/{pk}/")
            assert download.status == 200 and download.text.startswith("invoice ")

    # Mail: a confirmation and an answer per ticket, each sent once by one of the workers.
    expected = {row[0] for row in database.query("SELECT message_id FROM mail_outgoingmail")}
    assert len(expected) == 2 * MAILS
    wait_until(
        lambda: database.query(
            "SELECT count(*) FROM mail_outgoingmail WHERE state = 'sent'"
        ) == [(2 * MAILS,)],
        60,
        lambda: "\n".join(worker.output()[-3000:] for worker in workers),
    )  # fmt: skip
    wait_until(lambda: set(sink.counts()) >= expected, 10, lambda: str(sink.counts()))
    counts = sink.counts()
    assert set(counts) == expected
    assert set(counts.values()) == {1}, counts
    with_file = [d for d in sink.delivered if d.attachments]
    assert [d.attachments for d in with_file] == [(("label.txt", b"tracking 1Z999"),)]
    # Both workers took their share of the queue.
    for worker in workers:
        assert "Executing mail.tasks.send_outgoing_mail" in worker.output(), worker.output()


def test_two_nodes_with_folders_of_their_own_are_refused_and_share_files_through_the_s3_store(
    processes: Processes, tmp_path
):
    server = postgres_server()
    database = processes.use(postgres_database(server))
    queue = processes.use(redis_queue())
    sink = processes.use(smtp_sink())
    store = processes.use(s3_store())
    # Each machine has a media folder of its own, which the other never sees.
    local = {
        name: node_env(
            FRONTDESK_DATA_DIR=str(tmp_path / name),
            MEDIA_ROOT=str(tmp_path / name / "media"),
            DATABASE_URL=database.url,
            FRONTDESK_NODES="several",
            EMAIL_PORT=str(sink.port),
            **queue,
        )
        for name in ("node1", "node2")
    }
    nodes = [Node(name, {**env, **store.env}, processes) for name, env in local.items()]
    first = nodes[0]
    first.command("migrate", "--no-input")
    first.setup(
        f"setup_data.helpdesk({SUPPORT!r}, 'We have your message.')\n"
        "from accounts.models import User\n"
        f"User.objects.create_superuser({ADMIN!r}, {PASSWORD!r}, full_name='Ada Admin')\n"
    )
    mail = make_mail(
        to=SUPPORT,
        subject="The invoice is wrong",
        message_id="invoice-1@a.example",
        attachments=[("invoice.pdf", "application/pdf", INVOICE)],
    )
    unsigned = make_mail(to=SUPPORT, subject="Nobody sent this")
    unsigned = unsigned.replace(b"From: Alice <alice@a.example>\n", b"")

    # Refused: without the store, node 1's mailgate would keep the mail in its own
    # folder; it says so in one line and exits 75, so the MTA keeps the mail.
    refused = Node("node1", local["node1"], processes).mailgate(mail)
    assert refused.returncode == 75, refused.stderr.decode()
    [line] = refused.stderr.decode().splitlines()
    assert "FRONTDESK_NODES=several" in line and "MEDIA_S3_BUCKET" in line
    assert database.query("SELECT count(*) FROM mail_inboundmessage") == [(0,)]

    # Served: with the store, node 1 takes the mail (and one it quarantines) ...
    webs, workers = zip(*(node.serve_and_work() for node in nodes), strict=True)
    for raw in (mail, unsigned):
        done = first.mailgate(raw)
        assert done.returncode == 0, done.stderr.decode()
    [(number, attachment)] = database.query(
        "SELECT m.ticket_id, a.id FROM tickets_attachment a "
        "JOIN tickets_message m ON m.id = a.message_id"
    )
    [(quarantined,)] = database.query("SELECT id FROM mail_quarantinedmessage")

    # ... and node 2 serves its attachment and the raw mail it quarantined.
    browser = Browser()
    browser.sign_in(webs[1].url, ADMIN)
    download = browser.get(webs[1].url, f"/panel/attachments/{attachment}/")
    assert (download.status, download.content) == (200, INVOICE)
    kept = browser.get(webs[1].url, f"/panel/mail/quarantine/{quarantined}/raw/")
    assert (kept.status, kept.content) == (200, unsigned)

    # An answer with a file posted on node 2 goes out whole, from whichever worker takes it.
    page = browser.get(webs[1].url, f"/panel/tickets/{number}/")
    fields = rendered_form(page.text, "answer-form")
    fields["answer"] = "Here is the corrected label."
    sent = browser.post(
        webs[1].url, f"/panel/tickets/{number}/reply/", fields,
        files=[("attachments", "label.bin", LABEL)], multipart=True,
    )  # fmt: skip
    assert sent.status == 302, sent.text[:2000]
    # The confirmation of the new ticket and the answer.
    wait_until(
        lambda: database.query(
            "SELECT count(*) FROM mail_outgoingmail WHERE state = 'sent'"
        ) == [(2,)],
        30,
        lambda: "\n".join(worker.output()[-3000:] for worker in workers),
    )  # fmt: skip
    wait_until(lambda: len(sink.delivered) >= 2, 10, lambda: str(sink.counts()))
    assert sorted(d.attachments for d in sink.delivered) == [(), (("label.bin", LABEL),)]

    # Every file is in the bucket, none in either machine's folder.
    stored = database.query(
        "SELECT file FROM tickets_attachment UNION ALL SELECT raw FROM mail_inboundmessage "
        "UNION ALL SELECT raw FROM mail_quarantinedmessage"
    )
    assert store.keys() == sorted(name for (name,) in stored)
    assert not any((tmp_path / name / "media").exists() for name in local)
