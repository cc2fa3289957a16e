"""Replying in the portal (S33, S11): with files, reopening a closed ticket, nothing lost."""

from __future__ import annotations

import errno
from unittest import mock

import pytest

from mail.models import OutgoingMail
from portal.forms import MAX_FILES
from tests.conftest import set_helpdesk
from tests.portal.helpers import a_file, page_form
from tickets import actions
from tickets.models import Attachment, Message, MessageSource, Ticket


def reply_form(client, ticket: Ticket, **typed: object) -> dict[str, object]:
    return page_form(client, f"/portal/tickets/{ticket.number}/", "reply-form", **typed)


def test_a_reply_joins_the_thread_as_a_portal_message_with_its_files(world, as_user):
    ticket = world.ticket(title="Router down")
    client = as_user(world.customer_a)
    data = reply_form(
        client, ticket, message="Here is the log.", attachments=[a_file("a.log"), a_file("b.png")]
    )
    response = client.post(f"/portal/tickets/{ticket.number}/reply/", data)
    message = Message.objects.filter(ticket=ticket).latest("id")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/tickets/{ticket.number}/#message-{message.pk}"
    assert (message.kind, message.source, message.author) == (
        "customer",
        MessageSource.PORTAL,
        world.customer_a,
    )
    assert [each.filename for each in message.attachments.order_by("id")] == ["a.log", "b.png"]
    page = client.get(response["Location"]).content.decode()
    assert "Here is the log." in page
    assert "Your reply was sent." in page


def test_a_reply_reopens_a_closed_ticket(world, as_user):
    ticket = world.ticket(title="Router down")
    actions.answer(actor=world.supervisor, ticket=ticket, text="Fixed.")
    set_helpdesk(answered_stays_open_days=0)
    client = as_user(world.customer_a)
    page = client.get(f"/portal/tickets/{ticket.number}/").content.decode()
    assert "This ticket is closed." in page
    assert "Reply to open the ticket again" in page
    response = client.post(
        f"/portal/tickets/{ticket.number}/reply/",
        reply_form(client, ticket, message="It broke again."),
        follow=True,
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.is_answered, ticket.assignee) == ("reopened", False, None)
    assert "It opened the ticket again." in response.content.decode()
    assert "Waiting for support" in response.content.decode()


def test_an_empty_reply_is_refused_and_sends_nothing(world, as_user):
    ticket = world.ticket()
    client = as_user(world.customer_a)
    response = client.post(f"/portal/tickets/{ticket.number}/reply/", reply_form(client, ticket))
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_a_file_over_the_limit_keeps_the_text_and_names_the_files_to_choose_again(world, as_user):
    set_helpdesk(max_attachment_size=10)
    ticket = world.ticket()
    client = as_user(world.customer_a)
    typed = "A long explanation\nover two lines."
    data = reply_form(
        client,
        ticket,
        message=typed,
        attachments=[a_file("small.txt", b"tiny"), a_file("huge.bin", b"x" * 11)],
    )
    response = client.post(f"/portal/tickets/{ticket.number}/reply/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "huge.bin is 11\xa0bytes; the largest attachment accepted is 10\xa0bytes." in html
    assert "choose small.txt, huge.bin again" in html
    assert f">\n{typed}</textarea>" in html
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_more_files_than_a_message_takes_are_refused_with_the_limit_named(world, as_user):
    ticket = world.ticket()
    client = as_user(world.customer_a)
    files = [a_file(f"shot-{index}.png") for index in range(MAX_FILES + 1)]
    data = reply_form(client, ticket, message="Screenshots.", attachments=files)
    response = client.post(f"/portal/tickets/{ticket.number}/reply/", data)
    assert response.status_code == 422
    assert f"You chose {MAX_FILES + 1} files; a message takes at most {MAX_FILES}." in (
        response.content.decode()
    )
    assert not Attachment.objects.exists()


def test_a_full_disk_keeps_the_text_and_says_so(world, as_user):
    ticket = world.ticket()
    client = as_user(world.customer_a)
    data = reply_form(client, ticket, message="Log attached.", attachments=[a_file("a.log")])
    full = OSError(errno.ENOSPC, "No space left on device")
    with mock.patch("tickets.stored_files.save", side_effect=full):
        response = client.post(f"/portal/tickets/{ticket.number}/reply/", data)
    assert response.status_code == 507
    html = response.content.decode()
    assert "the server is out of space" in html
    assert "Log attached." in html
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_the_reply_reaches_staff_as_a_portal_message_and_no_mail_goes_out(world, as_user):
    ticket = world.ticket()
    client = as_user(world.customer_a)
    before = OutgoingMail.objects.count()
    client.post(f"/portal/tickets/{ticket.number}/reply/", reply_form(client, ticket, message="Hi"))
    assert OutgoingMail.objects.count() == before
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert '<span class="source source-portal">via Customer portal</span>' in page
    assert '<span class="source source-email">via E-mail</span>' in page


def test_closing_needs_a_post_and_closes_the_ticket(world, as_user):
    ticket = world.ticket()
    client = as_user(world.customer_a)
    assert client.get(f"/portal/tickets/{ticket.number}/close/").status_code == 405
    response = client.post(f"/portal/tickets/{ticket.number}/close/", follow=True)
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    html = response.content.decode()
    assert f"Ticket #{ticket.number} is closed." in html
    assert 'id="close-ticket"' not in html


def test_closing_a_ticket_support_closed_records_the_customers_confirmation_once(world, as_user):
    ticket = world.ticket()
    actions.answer(actor=world.supervisor, ticket=ticket, text="Fixed.")
    client = as_user(world.customer_a)
    for _ in range(2):
        client.post(f"/portal/tickets/{ticket.number}/close/")
    codes = list(ticket.events.filter(code="customer_closed").values_list("actor", flat=True))
    assert codes == [world.customer_a.pk]
    history = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "alice closed the ticket on the customer&#x27;s side too" in history


def test_a_customer_of_no_account_may_close_their_ticket(world, as_user, stranger):
    ticket = actions.open_ticket(
        actor=stranger, title="Domain transfer", requester_email="", text="Help", type="portal"
    )
    as_user(stranger).post(f"/portal/tickets/{ticket.number}/close/")
    ticket.refresh_from_db()
    assert ticket.status == "closed"


@pytest.mark.parametrize("who", ["customer_b", "stranger"])
def test_nobody_else_may_reply_or_close(world, as_user, stranger, who):
    ticket = world.ticket()
    client = as_user(stranger if who == "stranger" else getattr(world, who))
    assert (
        client.post(f"/portal/tickets/{ticket.number}/reply/", {"message": "x"}).status_code == 404
    )
    assert client.post(f"/portal/tickets/{ticket.number}/close/").status_code == 404
    ticket.refresh_from_db()
    assert (ticket.status, ticket.version) == ("new", 1)
