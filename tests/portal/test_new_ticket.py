"""A new ticket in the portal (S33, S6): topic, priority, files; nothing typed is lost."""

from __future__ import annotations

import pytest

from mail.models import OutgoingKind, OutgoingMail
from portal.forms import MAX_FILES
from tests.conftest import set_helpdesk
from tests.panel.helpers import duplicate_ids, rendered_form, unlabelled_controls
from tests.portal.helpers import a_file, page_form
from tickets.models import Queue, Ticket, TicketType

URL = "/portal/tickets/new/"


def new_ticket_form(client, **typed: object) -> dict[str, object]:
    return page_form(client, URL, "new-ticket-form", **typed)


def offer(queue: Queue, portal_name: str = "") -> None:
    Queue.objects.filter(pk=queue.pk).update(offered_in_portal=True, portal_name=portal_name)


def test_visitors_are_sent_to_sign_in_and_staff_to_the_panel(client, world, as_user):
    assert client.get(URL)["Location"].startswith("/login/")
    assert as_user(world.agent).get(URL)["Location"] == "/panel/"


def test_a_customer_opens_a_portal_ticket_for_their_account(world, as_user):
    set_helpdesk(priority_low=10, priority_normal=40, priority_high=80)
    client = as_user(world.customer_a)
    data = new_ticket_form(
        client,
        title="Mail from my phone is not sent",
        priority="high",
        message="Since this morning.",
        attachments=[a_file("screen.png", b"\x89PNG", "image/png")],
    )
    response = client.post(URL, data)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/tickets/{ticket.number}/"
    assert (
        ticket.title,
        ticket.type,
        ticket.priority,
        ticket.account,
        ticket.requester_email,
        ticket.queue,
    ) == (
        "Mail from my phone is not sent",
        TicketType.PORTAL,
        80,
        world.account_a,
        world.customer_a.email,
        world.support,
    )
    message = ticket.messages.get()
    assert (message.source, message.text) == ("portal", "Since this morning.")
    assert [each.filename for each in message.attachments.all()] == ["screen.png"]
    page = client.get(response["Location"]).content.decode()
    assert f"ticket #{ticket.number} is open" in page


@pytest.mark.parametrize(("word", "number"), [("low", 10), ("normal", 40), ("high", 80)])
def test_the_priority_words_map_to_the_numbers_of_the_settings(world, as_user, word, number):
    set_helpdesk(priority_low=10, priority_normal=40, priority_high=80)
    client = as_user(world.customer_a)
    client.post(URL, new_ticket_form(client, title="T", priority=word, message="M"))
    assert Ticket.objects.get().priority == number


def test_normal_priority_is_chosen_unless_the_customer_changes_it(world, as_user):
    client = as_user(world.customer_a)
    assert new_ticket_form(client)["priority"] == "normal"


def test_a_confirmation_is_mailed_as_for_a_ticket_by_mail(world, as_user):
    Queue.objects.filter(pk=world.support.pk).update(new_ticket_response="We got it.")
    client = as_user(world.customer_a)
    client.post(URL, new_ticket_form(client, title="T", message="M"))
    confirmation = OutgoingMail.objects.get(kind=OutgoingKind.NEW_TICKET)
    assert confirmation.to == [world.customer_a.email]


def test_without_offered_topics_no_topic_is_asked_and_the_default_queue_gets_it(world, as_user):
    client = as_user(world.customer_a)
    page = client.get(URL).content.decode()
    assert "Topic" not in page
    client.post(URL, new_ticket_form(client, title="T", message="M"))
    assert Ticket.objects.get().queue == world.support


def test_offered_topics_are_shown_by_their_portal_name_and_chosen(world, as_user):
    offer(world.billing, "Questions about an invoice")
    offer(world.sales)
    client = as_user(world.customer_a)
    page = client.get(URL).content.decode()
    assert "Questions about an invoice" in page
    assert ">Sales<" in page
    assert "Support" not in page.split('id="id_queue"')[1].split("</select>")[0]
    client.post(URL, new_ticket_form(client, title="T", message="M", queue=str(world.billing.pk)))
    assert Ticket.objects.get().queue == world.billing


def test_a_topic_not_offered_cannot_be_posted(world, as_user):
    offer(world.billing)
    client = as_user(world.customer_a)
    data = new_ticket_form(client, title="T", message="M", queue=str(world.sales.pk))
    response = client.post(URL, data)
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert not Ticket.objects.exists()


def test_with_several_topics_one_must_be_chosen(world, as_user):
    offer(world.billing)
    offer(world.sales)
    client = as_user(world.customer_a)
    response = client.post(URL, new_ticket_form(client, title="T", message="M"))
    assert response.status_code == 422
    assert not Ticket.objects.exists()


def test_a_customer_of_no_account_opens_a_ticket_for_themselves(world, as_user, stranger):
    client = as_user(stranger)
    client.post(URL, new_ticket_form(client, title="Domain transfer", message="Help"))
    ticket = Ticket.objects.get()
    assert (ticket.account, ticket.requester_email) == (None, stranger.email)
    assert client.get(f"/portal/tickets/{ticket.number}/").status_code == 200


def test_a_file_over_the_limit_keeps_everything_typed(world, as_user):
    offer(world.billing, "Billing")
    offer(world.sales)
    set_helpdesk(max_attachment_size=10)
    client = as_user(world.customer_a)
    data = new_ticket_form(
        client,
        title="Invoice wrong",
        queue=str(world.billing.pk),
        priority="low",
        message="The total is off\nby ten euros.",
        attachments=[a_file("invoice.pdf", b"x" * 11)],
    )
    response = client.post(URL, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "invoice.pdf is 11\xa0bytes; the largest attachment accepted is 10\xa0bytes." in html
    assert "choose invoice.pdf again" in html
    # The page posts back what was typed and chosen, files aside.
    again = rendered_form(html, "new-ticket-form")
    del again["csrfmiddlewaretoken"]
    assert again == {
        "title": "Invoice wrong",
        "queue": str(world.billing.pk),
        "priority": "low",
        "message": "The total is off\nby ten euros.",
    }
    assert not Ticket.objects.exists()


def test_more_files_than_a_message_takes_are_refused(world, as_user):
    client = as_user(world.customer_a)
    files = [a_file(f"shot-{index}.png") for index in range(MAX_FILES + 1)]
    data = new_ticket_form(client, title="T", message="M", attachments=files)
    response = client.post(URL, data)
    assert response.status_code == 422
    assert f"a message takes at most {MAX_FILES}" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_file_limits_are_on_the_page_for_the_browser_to_check(world, as_user):
    set_helpdesk(max_attachment_size=2 * 1024 * 1024)
    html = as_user(world.customer_a).get(URL).content.decode()
    assert f'data-max-files="{MAX_FILES}"' in html
    assert 'data-max-size="2097152"' in html
    assert "each up to 2.0\xa0MB" in html


def test_the_title_has_a_place_for_article_suggestions_under_it(world, as_user):
    html = as_user(world.customer_a).get(URL).content.decode()
    assert (
        html.index('name="title"') < html.index('id="suggestions"') < html.index('name="message"')
    )


def test_every_control_of_the_form_is_labelled(world, as_user):
    offer(world.billing)
    offer(world.sales)
    html = as_user(world.customer_a).get(URL).content.decode()
    assert unlabelled_controls(html) == []
    assert duplicate_ids(html) == set()
