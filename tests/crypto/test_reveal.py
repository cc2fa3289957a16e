"""Showing encrypted information in the panel: who may, the history, the dialog."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from crypto.models import PrivateKey
from tests.conftest import SETUP, World, events_of
from tests.crypto.conftest import DESK_KEY, encrypt_to
from tests.panel.helpers import htmx, rendered_form
from tickets import actions
from tickets.models import Event, EventCode, Ticket

SECRET = "The server password is hunter2-Zebra"


@pytest.fixture
def encrypted_ticket(world: World, desk_key) -> Ticket:
    """A billing ticket whose first message holds text and one encrypted block,
    assigned to the agent."""
    armored = encrypt_to(DESK_KEY, SECRET)
    ticket = world.ticket(world.billing, text=f"Hello,\nmy password:\n{armored}\nThanks, Alice")
    return actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)


def reveal_url(ticket: Ticket, part: int = 1) -> str:
    message = ticket.messages.get()
    return f"/panel/tickets/{ticket.number}/messages/{message.pk}/encrypted/{part}/"


def reveal_form(client: Client, ticket: Ticket, part: int = 1) -> tuple[str, dict[str, object]]:
    """The button's form as the ticket page rendered it: its address and fields."""
    page = client.get(f"/panel/tickets/{ticket.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    message = ticket.messages.get()
    form_id = f"reveal-form-{message.pk}-{part}"
    action = re.search(rf'action="([^"]+)" class="encrypted-block" id="{form_id}"', html)
    assert action is not None, "no encrypted block on the page"
    return action.group(1), rendered_form(html, form_id)


def test_the_page_shows_a_button_instead_of_the_armor(client, world: World, encrypted_ticket):
    client.force_login(world.supervisor)
    html = client.get(f"/panel/tickets/{encrypted_ticket.number}/").content.decode()
    assert "Show encrypted information" in html
    assert "BEGIN PGP MESSAGE" not in html
    assert "my password:" in html and "Thanks, Alice" in html
    assert SECRET not in html


@pytest.mark.parametrize("role", ["supervisor", "agent", "admin"])
def test_staff_who_see_the_ticket_are_shown_the_text_and_it_is_recorded(
    world: World, encrypted_ticket, role
):
    client = Client(enforce_csrf_checks=True)
    person = getattr(world, role)
    client.force_login(person)
    version = Ticket.objects.get(pk=encrypted_ticket.pk).version
    action, form = reveal_form(client, encrypted_ticket)
    assert action == reveal_url(encrypted_ticket)

    response = client.post(action, form, headers=htmx())

    assert response.status_code == 200
    assert SECRET in response.content.decode()
    assert "<html" not in response.content.decode()  # the dialog's content only
    assert "no-store" in response["Cache-Control"]
    (event,) = Event.objects.filter(ticket=encrypted_ticket, code=EventCode.DECRYPTED)
    assert event.actor == person
    assert SECRET not in event.old + event.new
    # A decryption is no change: the answer being typed on the page does not conflict.
    assert Ticket.objects.get(pk=encrypted_ticket.pk).version == version
    history = client.get(f"/panel/tickets/{encrypted_ticket.number}/").content.decode()
    assert f"{person.get_full_name()} was shown encrypted information" in history


def test_without_javascript_the_text_comes_on_a_page_of_its_own(
    client, world: World, encrypted_ticket
):
    client.force_login(world.supervisor)
    action, form = reveal_form(client, encrypted_ticket)
    response = client.post(action, form)
    html = response.content.decode()
    assert response.status_code == 200
    assert SECRET in html and "Back to the ticket" in html


@pytest.mark.parametrize("role", ["other_agent", "other_supervisor"])
def test_staff_who_do_not_see_the_ticket_get_nothing(client, world: World, encrypted_ticket, role):
    client.force_login(getattr(world, role))
    response = client.post(reveal_url(encrypted_ticket))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert not Event.objects.filter(code=EventCode.DECRYPTED).exists()


def test_customers_are_refused(client, world: World, encrypted_ticket):
    client.force_login(world.customer_a)
    response = client.post(reveal_url(encrypted_ticket))
    assert response.status_code == 403
    assert not Event.objects.filter(code=EventCode.DECRYPTED).exists()


def test_an_agent_who_can_no_longer_see_the_ticket_is_refused(world: World, encrypted_ticket):
    client = Client()
    client.force_login(world.agent)
    action, form = reveal_form(client, encrypted_ticket)
    actions.assign(actor=SETUP, ticket=encrypted_ticket, assignee=world.other_agent)

    response = client.post(action, form, headers=htmx())

    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert not Event.objects.filter(code=EventCode.DECRYPTED).exists()


def test_the_action_itself_refuses_who_may_not_see_the_ticket(world: World, encrypted_ticket):
    from django.core.exceptions import PermissionDenied

    message = encrypted_ticket.messages.get()
    with pytest.raises(PermissionDenied):
        actions.record_decryption(
            actor=world.other_agent, ticket=encrypted_ticket, message=message, part=1
        )
    with pytest.raises(PermissionDenied):
        actions.record_decryption(
            actor=world.customer_a, ticket=encrypted_ticket, message=message, part=1
        )
    assert events_of(encrypted_ticket)[-1][0] != EventCode.DECRYPTED


def test_it_is_a_post_with_a_csrf_token(world: World, encrypted_ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.supervisor)
    assert client.get(reveal_url(encrypted_ticket)).status_code == 405
    assert client.post(reveal_url(encrypted_ticket)).status_code == 403
    assert not Event.objects.filter(code=EventCode.DECRYPTED).exists()


def test_a_block_that_is_not_there_is_not_found(client, world: World, encrypted_ticket):
    client.force_login(world.supervisor)
    assert client.post(reveal_url(encrypted_ticket, part=2)).status_code == 404
    other = world.ticket(world.billing)
    message = other.messages.get()
    url = f"/panel/tickets/{encrypted_ticket.number}/messages/{message.pk}/encrypted/1/"
    assert client.post(url).status_code == 404


def test_several_blocks_are_shown_one_at_a_time(client, world: World, desk_key):
    first, second = encrypt_to(DESK_KEY, "first part"), encrypt_to(DESK_KEY, "second part")
    ticket = world.ticket(world.billing, text=f"A:\n{first}\nB:\n{second}")
    client.force_login(world.supervisor)
    shown = client.post(reveal_url(ticket, part=2), headers=htmx()).content.decode()
    assert "second part" in shown and "first part" not in shown
    assert Event.objects.get(code=EventCode.DECRYPTED).new.endswith("part 2")


def test_a_note_with_a_block_is_shown_like_a_message(client, world: World, desk_key):
    ticket = world.ticket(world.billing)
    actions.add_note(actor=world.supervisor, ticket=ticket, text=encrypt_to(DESK_KEY, "in a note"))
    note = ticket.messages.order_by("-id").first()
    assert note is not None
    client.force_login(world.supervisor)
    url = f"/panel/tickets/{ticket.number}/messages/{note.pk}/encrypted/1/"
    assert "in a note" in client.post(url, headers=htmx()).content.decode()


def test_the_key_changing_is_seen_by_the_process_at_once(client, world: World, encrypted_ticket):
    client.force_login(world.supervisor)
    assert SECRET in client.post(reveal_url(encrypted_ticket), headers=htmx()).content.decode()
    PrivateKey.objects.all().delete()
    response = client.post(reveal_url(encrypted_ticket), headers=htmx())
    assert SECRET not in response.content.decode()
    assert "No decryption key is installed" in response.content.decode()
