"""Files of a conversation: downloaded through the rule, never rendered, never a note's."""

from __future__ import annotations

import pytest

from accounts.actors import MAIL_GATEWAY
from tests.conftest import upload
from tickets import actions
from tickets.models import Attachment, Ticket


@pytest.fixture
def ticket(world, media_root) -> Ticket:
    ticket = world.ticket(attachments=[upload("router.log", b"log lines")])
    actions.add_note(
        actor=world.supervisor, ticket=ticket, text="Ledger.", attachments=[upload("ledger.csv")]
    )
    actions.add_system_note(
        actor=MAIL_GATEWAY,
        ticket=ticket,
        code="auto_reply",
        text="Away.",
        author_email="alice@a.example",
        attachments=[upload("away.txt")],
    )
    actions.answer(
        actor=world.supervisor,
        ticket=ticket,
        text="Guide attached.",
        attachments=[upload("guide.html", b"<script>alert(1)</script>", content_type="text/html")],
    )
    return ticket


def file_of(name: str) -> Attachment:
    return Attachment.objects.get(filename=name)


def test_the_customer_downloads_their_file_and_staff_answers(world, as_user, ticket):
    client = as_user(world.customer_a)
    response = client.get(f"/portal/attachments/{file_of('router.log').pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"log lines"
    assert response["Content-Disposition"].startswith('attachment; filename="router.log"')
    guide = client.get(f"/portal/attachments/{file_of('guide.html').pk}/")
    assert guide.status_code == 200
    # Never rendered: a download, not sniffed, sandboxed, and no HTML type.
    assert guide["Content-Type"] == "application/octet-stream"
    assert guide["X-Content-Type-Options"] == "nosniff"
    assert guide["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert guide["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("name", ["ledger.csv", "away.txt"])
def test_files_of_notes_and_kept_mail_do_not_exist_for_the_customer(world, as_user, ticket, name):
    response = as_user(world.customer_a).get(f"/portal/attachments/{file_of(name).pk}/")
    assert response.status_code == 404


def test_another_accounts_customer_gets_404_for_every_file(world, as_user, ticket):
    client = as_user(world.customer_b)
    for attachment in Attachment.objects.all():
        assert client.get(f"/portal/attachments/{attachment.pk}/").status_code == 404


def test_a_customer_of_no_account_gets_404_for_files_not_theirs(world, as_user, stranger, ticket):
    response = as_user(stranger).get(f"/portal/attachments/{file_of('router.log').pk}/")
    assert response.status_code == 404


def test_visitors_are_sent_to_sign_in_and_staff_to_the_panel(client, world, as_user, ticket):
    url = f"/portal/attachments/{file_of('router.log').pk}/"
    assert client.get(url)["Location"].startswith("/login/")
    assert as_user(world.supervisor).get(url)["Location"] == "/panel/"


def test_the_page_links_only_the_conversations_files(world, as_user, ticket):
    html = as_user(world.customer_a).get(f"/portal/tickets/{ticket.number}/").content.decode()
    assert f"/portal/attachments/{file_of('router.log').pk}/" in html
    assert f"/portal/attachments/{file_of('guide.html').pk}/" in html
    for hidden in ("ledger.csv", "away.txt"):
        assert hidden not in html
        assert f"/portal/attachments/{file_of(hidden).pk}/" not in html
