"""The ticket page's "Merge into…" and "Split off" (S43), each through a confirm page."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from accounts.actors import MAIL_GATEWAY
from tests.conftest import SETUP, upload
from tests.panel.helpers import refreshed, rendered_form, unlabelled_controls
from tickets import actions
from tickets.models import Status, Ticket


@pytest.fixture
def pair(world):
    survivor = world.ticket(world.billing, title="Printer jams", text="It jams.")
    merged = world.ticket(
        world.billing,
        title="Printer jams again",
        text="Jammed again, log attached.",
        attachments=[upload("printer.log")],
    )
    return survivor, merged


def choose(client, ticket: Ticket, into: object) -> tuple[int, str]:
    """Type the number into the ticket page's merge form and send it, as a browser does."""
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    form = rendered_form(page, "merge-form")
    assert form == {"into": ""}
    response = client.get(
        f"/panel/tickets/{ticket.number}/merge/?{urlencode({**form, 'into': into})}"
    )
    return response.status_code, response.content.decode()


def test_merge_from_the_ticket_page_after_a_confirm_page_with_both_titles(world, as_user, pair):
    survivor, merged = pair
    client = as_user(world.supervisor)

    status, confirm = choose(client, merged, f"#{survivor.number}")

    assert status == 200
    assert f"Merge ticket #{merged.number} into #{survivor.number}?" in confirm
    assert "Printer jams again" in confirm and "Printer jams</strong>" in confirm
    assert refreshed(merged).merged_into_id is None  # the confirm page changes nothing
    response = client.post(
        f"/panel/tickets/{merged.number}/merge/confirm/",
        rendered_form(confirm, "merge-confirm-form"),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{survivor.number}/"
    page = client.get(response["Location"]).content.decode()
    assert f"Ticket #{merged.number} was merged into #{survivor.number}." in page
    assert "Jammed again, log attached." in page and "printer.log" in page
    assert f'href="/panel/tickets/{merged.number}/"' in page  # "Merged into this ticket"
    merged = refreshed(merged)
    assert (merged.merged_into_id, merged.status) == (survivor.number, Status.CLOSED)


def test_the_merged_tickets_page_says_where_it_went_and_offers_no_merge_or_split(
    world, as_user, pair
):
    survivor, merged = pair
    actions.merge(actor=world.supervisor, ticket=merged, into=survivor)

    page = as_user(world.supervisor).get(f"/panel/tickets/{merged.number}/").content.decode()

    assert 'id="merged-into"' in page
    assert f'Merged into <a href="/panel/tickets/{survivor.number}/">#{survivor.number}</a>' in page
    assert 'id="merge-form"' not in page and "/split/" not in page


@pytest.mark.parametrize(
    ("into", "message"),
    [
        ("itself", "cannot be merged into itself"),
        ("abc", "Enter a ticket number, e.g. 1042."),
        ("999999", "You see no ticket #999999."),
        ("sales", "You see no ticket #"),
        ("other customer", "are of different customers"),
    ],
)
def test_a_merge_that_cannot_be_done_is_refused_on_the_form(world, as_user, pair, into, message):
    _survivor, merged = pair
    numbers = {
        "itself": merged.number,
        "sales": world.ticket(world.sales).number,
        "other customer": world.ticket(world.billing, account=world.account_b).number,
    }

    status, page = choose(as_user(world.supervisor), merged, numbers.get(into, into))

    assert status == 422
    assert message in page
    assert 'id="merge-confirm-form"' not in page
    assert unlabelled_controls(page) == []


def test_a_ticket_changed_after_the_confirm_page_is_a_conflict_then_merges(world, as_user, pair):
    survivor, merged = pair
    client = as_user(world.supervisor)
    _status, confirm = choose(client, merged, survivor.number)
    actions.customer_reply(actor=MAIL_GATEWAY, ticket=survivor, text="One more thing")

    response = client.post(
        f"/panel/tickets/{merged.number}/merge/confirm/",
        rendered_form(confirm, "merge-confirm-form"),
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert f"Ticket #{survivor.number} was changed while you were working on it." in page
    assert "added a customer message" in page
    assert refreshed(merged).merged_into_id is None
    again = client.post(
        f"/panel/tickets/{merged.number}/merge/confirm/", rendered_form(page, "merge-confirm-form")
    )
    assert again.status_code == 302
    assert refreshed(merged).merged_into_id == survivor.number


def test_an_agent_who_does_not_see_the_other_ticket_cannot_merge(world, as_user, pair):
    survivor, merged = pair
    actions.assign(actor=SETUP, ticket=merged, assignee=world.agent)

    status, page = choose(as_user(world.agent), merged, survivor.number)

    assert status == 422
    assert f"You see no ticket #{survivor.number}." in page


def test_split_off_a_customer_message_from_the_ticket_page(world, as_user, pair):
    _survivor, ticket = pair
    actions.answer(actor=world.supervisor, ticket=ticket, text="Try again.")
    actions.customer_reply(
        actor=MAIL_GATEWAY, ticket=ticket, text="A new question: the scanner too?"
    )
    moving = ticket.messages.last()
    client = as_user(world.supervisor)
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    # Customer messages only: two of them, not the answer.
    assert page.count('id="split-') == 2
    answer = ticket.messages.get(kind="answer")
    assert f"/messages/{answer.pk}/split/" not in page

    confirm = client.get(f"/panel/tickets/{ticket.number}/messages/{moving.pk}/split/")
    assert confirm.status_code == 200
    assert "A new question: the scanner too?" in confirm.content.decode()
    response = client.post(
        f"/panel/tickets/{ticket.number}/messages/{moving.pk}/split/",
        rendered_form(confirm.content.decode(), "split-confirm-form"),
    )

    new = Ticket.objects.latest("number")
    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{new.number}/"
    assert new.title == f"Split from #{ticket.number}: Printer jams again"
    new_page = client.get(response["Location"]).content.decode()
    assert "A new question: the scanner too?" in new_page
    assert f"The message now starts ticket #{new.number}." in new_page


def test_splitting_the_only_message_is_refused_on_the_confirm_page(world, as_user, pair):
    survivor, _merged = pair
    only = survivor.messages.get()
    client = as_user(world.supervisor)
    confirm = client.get(f"/panel/tickets/{survivor.number}/messages/{only.pk}/split/")

    response = client.post(
        f"/panel/tickets/{survivor.number}/messages/{only.pk}/split/",
        rendered_form(confirm.content.decode(), "split-confirm-form"),
    )

    assert response.status_code == 422
    assert "It is the only message of ticket" in response.content.decode()
    assert Ticket.objects.count() == 2


def test_a_message_of_another_ticket_is_not_found(world, as_user, pair):
    survivor, merged = pair
    other = merged.messages.get()

    response = as_user(world.supervisor).get(
        f"/panel/tickets/{survivor.number}/messages/{other.pk}/split/"
    )

    assert response.status_code == 404


def test_the_merge_and_split_pages_label_every_control(world, as_user, pair):
    survivor, merged = pair
    client = as_user(world.supervisor)
    pages = [
        client.get(f"/panel/tickets/{merged.number}/"),
        client.get(f"/panel/tickets/{merged.number}/merge/"),
        client.get(f"/panel/tickets/{merged.number}/merge/?into={survivor.number}"),
        client.get(f"/panel/tickets/{merged.number}/messages/{merged.messages.get().pk}/split/"),
    ]
    for response in pages:
        assert response.status_code == 200
        assert unlabelled_controls(response.content.decode()) == []


def test_an_answer_sent_from_the_merged_ticket_s_page_is_refused_with_where_to_answer(
    world, as_user, pair
):
    survivor, merged = pair
    actions.merge(actor=world.supervisor, ticket=merged, into=survivor)
    client = as_user(world.supervisor)
    page = client.get(f"/panel/tickets/{merged.number}/").content.decode()
    form = {**rendered_form(page, "answer-form"), "answer": "Hello?"}

    response = client.post(f"/panel/tickets/{merged.number}/reply/", form)

    assert response.status_code == 422
    assert f"This ticket was merged into #{survivor.number}: answer there." in (
        response.content.decode()
    )
    assert refreshed(merged).messages.count() == 0
