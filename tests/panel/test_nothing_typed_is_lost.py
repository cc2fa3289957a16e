"""A property change made without JavaScript keeps the answer being typed (S19).

Without JavaScript the property buttons submit the answer form to their own
URL, so the answer, note and CC arrive with the change and come back in the page.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import SETUP
from tests.panel.helpers import htmx, refreshed, whole_form
from tickets import actions
from tickets.models import MessageKind, Status

TYPED = "Dear customer,\nthe <invoice> is on its way — Grüße, Привет"


@pytest.fixture
def ticket(world):
    return world.ticket(queue=world.billing)


def post(client, ticket, action, headers=None, **fields):
    url = f"/panel/tickets/{ticket.number}/{action}/"
    return client.post(url, whole_form(client, ticket, **fields), headers=headers or {})


def typed_answer_in(page: str) -> bool:
    return "the &lt;invoice&gt; is on its way — Grüße, Привет</textarea>" in page


def test_every_property_button_of_the_ticket_page_submits_the_answer_form(world, as_user, ticket):
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    base = f"/panel/tickets/{ticket.number}"
    for action, button in [
        ("change", "change-button"),
        ("details", "details-button"),
        ("close", "close-button"),
    ]:
        assert f'<button type="submit" form="answer-form" formaction="{base}/{action}/"' in page, (
            action
        )
        assert f'id="{button}"' in page
    for control in ("change-priority", "change-status", "details-title", "properties-version"):
        tag = page[page.rindex("<", 0, page.index(f'id="{control}"')) :].split(">", 1)[0]
        assert 'form="answer-form"' in tag, control


def test_a_change_without_javascript_brings_the_typed_answer_back(world, as_user, ticket):
    response = post(
        as_user(world.supervisor), ticket, "change", answer=TYPED, **{"change-priority": 80}
    )
    page = response.content.decode()
    ticket = refreshed(ticket)
    assert response.status_code == 200
    assert ticket.priority == 80
    assert "Changes saved." in page
    assert typed_answer_in(page)
    # As with htmx, the answer now goes with the version the person just made.
    assert f'name="expected_version" value="{ticket.version}"' in page


def test_the_note_and_the_cc_come_back_too(world, as_user, ticket):
    response = post(
        as_user(world.supervisor),
        ticket,
        "change",
        note="Called them twice.",
        cc="boss@a.example",
        **{"change-priority": 70},
    )
    page = response.content.decode()
    assert "Called them twice.</textarea>" in page
    assert 'value="boss@a.example"' in page


def test_a_property_change_sends_nothing_it_carries(world, as_user, ticket):
    post(as_user(world.supervisor), ticket, "change", answer=TYPED, note="n")
    kinds = set(refreshed(ticket).messages.values_list("kind", flat=True))
    assert kinds == {MessageKind.CUSTOMER}
    assert not refreshed(ticket).is_answered


@pytest.mark.parametrize("action", ["close", "release"])
def test_close_and_release_without_javascript_keep_the_typed_answer(world, as_user, ticket, action):
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.supervisor)
    response = post(as_user(world.supervisor), refreshed(ticket), action, answer=TYPED)
    assert response.status_code == 200
    assert typed_answer_in(response.content.decode())
    ticket = refreshed(ticket)
    assert ticket.status == Status.CLOSED if action == "close" else ticket.assignee is None


def test_additional_without_javascript_keeps_the_typed_answer(world, as_user, ticket):
    response = post(
        as_user(world.supervisor),
        ticket,
        "details",
        answer=TYPED,
        **{"details-title": "Rechnung fehlt"},
    )
    assert response.status_code == 200
    assert refreshed(ticket).title == "Rechnung fehlt"
    assert typed_answer_in(response.content.decode())


def test_a_stale_change_without_javascript_names_the_change_and_keeps_the_typed_answer(
    world, as_user, ticket
):
    seen = ticket.version
    actions.change(actor=world.admin, ticket=ticket, status=Status.ON_HOLD)
    response = post(
        as_user(world.supervisor),
        ticket,
        "change",
        answer=TYPED,
        expected_version=seen,
        properties_version=seen,
        **{"change-priority": 33},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "admin changed the status: New → On hold" in page
    assert typed_answer_in(page)
    assert 'name="change-priority" value="33"' in page
    assert refreshed(ticket).priority == 50
    # The answer keeps the version it was typed on: sending it will name the change too.
    assert f'name="expected_version" value="{seen}"' in page


def test_a_refused_change_without_javascript_keeps_the_typed_answer(world, as_user, ticket):
    response = post(
        as_user(world.supervisor), ticket, "change", answer=TYPED, **{"change-priority": 0}
    )
    assert response.status_code == 422
    assert typed_answer_in(response.content.decode())


def test_attachments_chosen_before_a_change_must_be_chosen_again(world, as_user, ticket):
    upload = SimpleUploadedFile("log.txt", b"trace", "text/plain")
    response = post(as_user(world.supervisor), ticket, "change", answer=TYPED, attachments=upload)
    assert "choose the files again" in response.content.decode()


def test_with_nothing_typed_a_change_without_javascript_redirects(world, as_user, ticket):
    response = post(as_user(world.supervisor), ticket, "change", **{"change-priority": 80})
    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{ticket.number}/"


def test_with_htmx_the_panel_alone_comes_back_and_the_text_stays_in_the_browser(
    world, as_user, ticket
):
    response = post(as_user(world.supervisor), ticket, "change", htmx(), answer=TYPED)
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="properties"')
    assert "<textarea" not in page


def test_the_typed_answer_sent_after_a_change_without_javascript_is_answered(
    world, as_user, ticket
):
    client = as_user(world.supervisor)
    post(client, ticket, "change", answer=TYPED, **{"change-priority": 80})
    ticket = refreshed(ticket)
    response = client.post(
        f"/panel/tickets/{ticket.number}/reply/", whole_form(client, ticket, answer=TYPED)
    )
    assert response.status_code == 302
    assert refreshed(ticket).messages.get(kind=MessageKind.ANSWER).text == TYPED
