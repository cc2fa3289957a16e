"""A ticket in the portal (S33): the conversation only, never what staff keep to themselves."""

from __future__ import annotations

import pytest

from accounts.actors import MAIL_GATEWAY
from tests.conftest import make_customer, upload
from tests.panel.helpers import duplicate_ids, unlabelled_controls
from tickets import actions
from tickets.models import Ticket


@pytest.fixture
def conversation(world, media_root) -> Ticket:
    """A ticket of account A: the customer's message, a note, an answer, a mail kept for staff."""
    ticket = world.ticket(
        title="Router down", text="My router is down.", attachments=[upload("router.log")]
    )
    actions.add_note(
        actor=world.supervisor,
        ticket=ticket,
        text="NOTE: the customer is behind on payments",
        attachments=[upload("internal-ledger.csv")],
    )
    actions.answer(
        actor=world.supervisor,
        ticket=ticket,
        text="Please restart it.",
        attachments=[upload("restart-guide.pdf", b"%PDF-1.4")],
    )
    actions.add_system_note(
        actor=MAIL_GATEWAY,
        ticket=ticket,
        code="auto_reply",
        text="SYSTEM: out of office until Monday",
        author_email="alice@a.example",
        attachments=[upload("autoreply-part.txt")],
    )
    return Ticket.objects.get(pk=ticket.pk)


def test_visitors_are_sent_to_sign_in(client, world):
    ticket = world.ticket()
    response = client.get(f"/portal/tickets/{ticket.number}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_staff_are_sent_to_the_panel(world, as_user):
    ticket = world.ticket()
    response = as_user(world.admin).get(f"/portal/tickets/{ticket.number}/")
    assert (response.status_code, response["Location"]) == (302, "/panel/")


def test_the_customer_reads_their_messages_and_staff_answers_with_files(
    world, as_user, conversation
):
    response = as_user(world.customer_a).get(f"/portal/tickets/{conversation.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ("Router down", "My router is down.", "Please restart it.", "router.log"):
        assert shown in html
    assert "restart-guide.pdf" in html
    assert "Support team" in html
    assert [message.kind for message in response.context["thread"]] == ["customer", "answer"]


def test_internal_notes_system_mail_and_their_files_are_never_shown(world, as_user, conversation):
    html = as_user(world.customer_a).get(f"/portal/tickets/{conversation.number}/").content.decode()
    for hidden in (
        "NOTE: the customer is behind on payments",
        "internal-ledger.csv",
        "SYSTEM: out of office",
        "autoreply-part.txt",
        "Internal note",
        # Nothing of the history, the assignee or staff-only properties either.
        "changed the status",
        "Priority",
        world.supervisor.email,
    ):
        assert hidden not in html


def test_the_status_is_shown_in_the_customers_words(world, as_user, conversation):
    # Answered and closed at once (auto-close 0): answered for the customer, with a close.
    html = as_user(world.customer_a).get(f"/portal/tickets/{conversation.number}/").content.decode()
    assert '<span class="state state-answered" id="ticket-state">Answered</span>' in html
    assert "<strong>Support answered.</strong> Not solved yet? Reply below" in html
    assert 'id="close-ticket"' in html


def test_a_waiting_ticket_says_support_will_answer(world, as_user):
    ticket = world.ticket()
    html = as_user(world.customer_a).get(f"/portal/tickets/{ticket.number}/").content.decode()
    assert "Waiting for support" in html
    assert "We have your message." in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_accounts_ticket_does_not_exist_for_a_customer(world, as_user, method):
    ticket = world.ticket(title="Secret migration plan")
    client = as_user(world.customer_b)
    for url in (
        f"/portal/tickets/{ticket.number}/",
        f"/portal/tickets/{ticket.number}/reply/",
        f"/portal/tickets/{ticket.number}/close/",
    ):
        response = getattr(client, method)(url, {"message": "Let me in"})
        assert response.status_code in (404, 405)
        assert "Secret migration plan" not in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.version) == ("new", 1)


def test_a_customer_of_no_account_sees_only_their_own_ticket(world, as_user, stranger):
    theirs = actions.open_ticket(
        actor=stranger, title="Domain transfer", requester_email="", text="Help", type="portal"
    )
    client = as_user(stranger)
    assert client.get(f"/portal/tickets/{theirs.number}/").status_code == 200
    assert client.get(f"/portal/tickets/{world.ticket().number}/").status_code == 404


def test_a_colleague_of_the_same_account_is_named_and_the_reader_is_you(
    world, as_user, conversation
):
    colleague = make_customer("carol@a.example", world.account_a)
    actions.customer_reply(actor=colleague, ticket=conversation, text="Same here.")
    html = as_user(world.customer_a).get(f"/portal/tickets/{conversation.number}/").content.decode()
    assert "carol" in html
    assert ">You<" in html


def test_text_is_shown_as_written_never_as_html(world, as_user):
    ticket = world.ticket(title="<b>bold</b>", text="<script>alert(1)</script>")
    html = as_user(world.customer_a).get(f"/portal/tickets/{ticket.number}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_every_control_of_the_page_is_labelled(world, as_user, conversation):
    html = as_user(world.customer_a).get(f"/portal/tickets/{conversation.number}/").content.decode()
    assert unlabelled_controls(html) == []
    assert duplicate_ids(html) == set()
