"""The ticket page's answer flow: the form follows the ticket, pick-up, status with the answer."""

import re

import pytest
from django.utils.html import escape

from mail.models import OutgoingKind, OutgoingMail
from panel.models import Draft
from portal.models import PortalLink
from tests.conftest import SETUP, set_helpdesk
from tests.panel.helpers import htmx, refreshed, rendered_form, whole_form
from tickets import actions
from tickets.models import MessageKind, Status


@pytest.fixture
def assigned(world):
    ticket = world.ticket(queue=world.billing)
    return actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)


def page_of(client, ticket) -> str:
    response = client.get(f"/panel/tickets/{ticket.number}/")
    assert response.status_code == 200
    return response.content.decode()


def swapped_in(form: dict[str, object], fragment: str) -> dict[str, object]:
    """The page's form after htmx swapped in a fragment: the controls it carries replace the old.

    Forms of their own inside the fragment (the merge form in the properties) are
    left out: their controls are not the answer form's, and in the page their
    end would not end the answer form either."""
    others = re.sub(r"<form\b[^>]*>.*?</form>", "", fragment, flags=re.DOTALL)
    return {**form, **rendered_form(f'<form id="answer-form">{others}</form>', "answer-form")}


def test_an_answer_sent_after_reassigning_in_the_change_box_keeps_the_new_assignee(
    world, as_user, assigned
):
    client = as_user(world.supervisor)
    form = whole_form(client, assigned)
    changed = client.post(
        f"/panel/tickets/{assigned.number}/change/",
        {**form, "change-assignee": world.other_agent.pk},
        headers=htmx(),
    )
    fragment = changed.content.decode()
    assert refreshed(assigned).assignee == world.other_agent
    # The answer form's "Assign to" and the history follow the change at once.
    assert 'id="answer-assignee-field" hx-swap-oob="true"' in fragment
    assert 'id="history" hx-swap-oob="true"' in fragment
    assert "changed the assignee: agent → agent2" in fragment
    form = swapped_in(form, fragment)
    assert form["assignee"] == str(world.other_agent.pk)
    client.post(f"/panel/tickets/{assigned.number}/reply/", {**form, "answer": "On it."})
    ticket = refreshed(assigned)
    assert ticket.assignee == world.other_agent
    assert ticket.messages.filter(kind=MessageKind.ANSWER).exists()


def test_an_answer_sent_from_a_page_left_open_while_another_reassigned_keeps_their_choice(
    world, as_user, assigned
):
    client = as_user(world.supervisor)
    form = whole_form(client, assigned, answer="Sent from the page opened earlier.")
    actions.assign(actor=world.admin, ticket=assigned, assignee=world.other_agent)
    conflict = client.post(f"/panel/tickets/{assigned.number}/reply/", form)
    assert conflict.status_code == 409
    again = rendered_form(conflict.content.decode(), "answer-form")
    client.post(f"/panel/tickets/{assigned.number}/reply/", again)
    ticket = refreshed(assigned)
    assert ticket.assignee == world.other_agent
    assert ticket.messages.filter(kind=MessageKind.ANSWER).exists()


def test_a_change_that_leaves_the_assignee_keeps_the_choice_made_in_the_answer_form(
    world, as_user, assigned
):
    client = as_user(world.supervisor)
    form = whole_form(client, assigned)
    fragment = client.post(
        f"/panel/tickets/{assigned.number}/change/",
        {**form, "change-priority": 70, "assignee": world.other_agent.pk},
        headers=htmx(),
    ).content.decode()
    assert 'id="answer-assignee-field"' not in fragment


def test_nobody_in_the_answer_form_releases_the_ticket_with_the_answer(world, as_user, assigned):
    client = as_user(world.supervisor)
    client.post(
        f"/panel/tickets/{assigned.number}/reply/",
        whole_form(client, assigned, assignee="", answer="Back to the team."),
    )
    ticket = refreshed(assigned)
    assert ticket.assignee is None
    assert ticket.messages.filter(kind=MessageKind.ANSWER).exists()


def test_an_unassigned_ticket_page_offers_pick_up(world, as_user):
    ticket = world.ticket(queue=world.billing)
    client = as_user(world.supervisor)
    assert 'id="pick-up-button"' in page_of(client, ticket)
    form = whole_form(client, ticket, answer="Typed before picking up.")
    response = client.post(
        f"/panel/tickets/{ticket.number}/pick-up/",
        form,
        headers=htmx(**{"HX-Target": "properties"}),
    )
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section id="properties"')
    assert "Picked up: yours now." in fragment
    assert refreshed(ticket).assignee == world.supervisor
    form = swapped_in(form, fragment)
    assert form["assignee"] == str(world.supervisor.pk)
    assert 'id="pick-up-button"' not in fragment


def test_without_javascript_pick_up_on_the_ticket_page_keeps_the_typed_text(world, as_user):
    ticket = world.ticket(queue=world.billing)
    client = as_user(world.supervisor)
    form = whole_form(client, ticket, answer="Typed before picking up.")
    response = client.post(f"/panel/tickets/{ticket.number}/pick-up/", form)
    assert response["Location"] == f"/panel/tickets/{ticket.number}/"
    assert "Typed before picking up.</textarea>" in page_of(client, ticket)


def test_an_assigned_ticket_and_an_agent_get_no_pick_up_button(world, as_user, assigned):
    assert 'id="pick-up-button"' not in page_of(as_user(world.supervisor), assigned)
    assert 'id="pick-up-button"' not in page_of(as_user(world.agent), assigned)


def late_autosave(client, ticket, form):
    """The autosave as the page issues it: the fields its hx-include names, from this form."""
    fields = {name: form[name] for name in ("cc", "answer", "note", "expected_version")}
    return client.post(f"/panel/tickets/{ticket.number}/draft/", fields, headers=htmx())


def test_the_page_autosaves_with_the_version_of_its_form(world, as_user, assigned):
    page = page_of(as_user(world.agent), assigned)
    assert 'hx-include="#answer-cc, #answer-answer, #answer-note, #answer-expected_version"' in page


def test_an_autosave_arriving_after_the_send_does_not_bring_the_answer_back(
    world, as_user, assigned
):
    client = as_user(world.agent)
    form = whole_form(client, assigned, answer="Sent once, and only once.")
    sent = client.post(f"/panel/tickets/{assigned.number}/reply/", form)
    assert sent.status_code == 302
    response = late_autosave(client, assigned, form)
    assert "Sent; not kept as a draft" in response.content.decode()
    assert not Draft.objects.exists()
    assert "Sent once, and only once.</textarea>" not in page_of(client, assigned)


def test_an_autosave_after_a_conflicting_send_is_kept(world, as_user, assigned):
    client = as_user(world.agent)
    form = whole_form(client, assigned, answer="Not sent yet.")
    actions.change(actor=world.admin, ticket=assigned, priority=70)
    assert client.post(f"/panel/tickets/{assigned.number}/reply/", form).status_code == 409
    late_autosave(client, assigned, form)
    assert Draft.objects.get().answer == "Not sent yet."


def test_another_persons_answer_does_not_stop_the_autosave(world, as_user, assigned):
    client = as_user(world.agent)
    form = whole_form(client, assigned, answer="Mine, still typing.")
    actions.answer(actor=world.admin, ticket=assigned, text="The admin answered meanwhile.")
    late_autosave(client, assigned, form)
    assert Draft.objects.get().answer == "Mine, still typing."


def pressed(client, ticket, button_id: str, **typed):
    """The answer form as the page renders it, sent by the button with this id."""
    page = page_of(client, ticket)
    match = re.search(rf'<button type="submit"(?: formaction="([^"]+)")? id="{button_id}"', page)
    assert match, button_id
    action = match[1] or f"/panel/tickets/{ticket.number}/reply/"
    return client.post(action, whole_form(client, ticket, **typed))


def test_send_and_close_answers_and_closes_in_one_go_without_a_second_mail(
    world, as_user, assigned
):
    set_helpdesk(auto_close_days=7)
    world.billing.closed_ticket_response = "We closed your ticket."
    world.billing.save()
    response = pressed(as_user(world.agent), assigned, "answer-submit-close", answer="Fixed.")
    assert response.status_code == 302
    ticket = refreshed(assigned)
    assert ticket.status == Status.CLOSED and ticket.is_answered
    assert ticket.messages.filter(kind=MessageKind.ANSWER).get().text == "Fixed."
    # The answer tells the customer; no closing notice follows it.
    assert OutgoingMail.objects.filter(ticket=ticket, kind=OutgoingKind.ANSWER).count() == 1
    assert not OutgoingMail.objects.filter(ticket=ticket, kind=OutgoingKind.CLOSED).exists()


def test_send_and_set_on_hold_keeps_the_ticket_open_for_the_customers_reply(
    world, as_user, assigned
):
    # With auto-close 0 an answer alone would close the ticket.
    set_helpdesk(auto_close_days=0)
    pressed(as_user(world.agent), assigned, "answer-submit-hold", answer="Which version?")
    ticket = refreshed(assigned)
    assert ticket.status == Status.ON_HOLD and ticket.is_answered
    assert ticket.assignee == world.agent


def test_send_alone_leaves_the_status_to_the_rules(world, as_user, assigned):
    set_helpdesk(auto_close_days=7)
    pressed(as_user(world.agent), assigned, "answer-submit", answer="Try this.")
    assert refreshed(assigned).status == Status.OPEN


def test_send_and_close_needs_an_answer(world, as_user, assigned):
    response = pressed(as_user(world.agent), assigned, "answer-submit-close", note="Only a note.")
    assert response.status_code == 422
    assert "Write the answer to send; the status changes with it." in response.content.decode()
    ticket = refreshed(assigned)
    assert ticket.status == Status.OPEN and ticket.version == assigned.version


def test_send_and_close_with_a_stale_form_changes_nothing(world, as_user, assigned):
    client = as_user(world.agent)
    form = whole_form(client, assigned, answer="Fixed.", note="Took an hour.")
    actions.change(actor=world.admin, ticket=assigned, priority=70)
    response = client.post(f"/panel/tickets/{assigned.number}/reply/close/", form)
    assert response.status_code == 409
    ticket = refreshed(assigned)
    assert ticket.status == Status.OPEN
    assert not ticket.messages.exclude(kind=MessageKind.CUSTOMER).exists()


def test_a_supervisor_sends_closes_and_hands_the_ticket_on_in_one_go(world, as_user, assigned):
    client = as_user(world.supervisor)
    pressed(client, assigned, "answer-submit-close", answer="Done.", assignee=world.other_agent.pk)
    ticket = refreshed(assigned)
    assert (ticket.status, ticket.assignee) == (Status.CLOSED, world.other_agent)


def test_add_note_only_adds_the_note_and_keeps_the_answer_for_later(world, as_user, assigned):
    client = as_user(world.agent)
    response = pressed(
        client, assigned, "note-submit", answer="Not ready to send.", note="Asked billing."
    )
    assert response.status_code == 302
    ticket = refreshed(assigned)
    assert ticket.messages.get(kind=MessageKind.NOTE).text == "Asked billing."
    assert not ticket.messages.filter(kind=MessageKind.ANSWER).exists()
    assert not ticket.is_answered
    page = page_of(client, assigned)
    assert "Not ready to send.</textarea>" in page
    assert "Asked billing.</textarea>" not in page


def test_add_note_only_needs_a_note(world, as_user, assigned):
    response = pressed(as_user(world.agent), assigned, "note-submit", answer="Only an answer.")
    assert response.status_code == 422
    assert "Write the note to add." in response.content.decode()
    assert not refreshed(assigned).messages.exclude(kind=MessageKind.CUSTOMER).exists()


def test_add_note_only_does_not_reassign(world, as_user, assigned):
    pressed(
        as_user(world.supervisor),
        assigned,
        "note-submit",
        note="For the record.",
        assignee=world.other_agent.pk,
    )
    assert refreshed(assigned).assignee == world.agent


def preview(client, ticket, **typed):
    return client.post(
        f"/panel/tickets/{ticket.number}/reply/preview/",
        whole_form(client, ticket, **typed),
        headers=htmx(),
    )


def test_the_preview_is_the_mail_that_is_then_sent(world, as_user, assigned):
    world.agent.staff.signature = "Agent Smith\nFrontdesk support"
    world.agent.staff.save()
    client = as_user(world.agent)
    typed = {"answer": "Restart the router, please.", "cc": "boss@a.example"}
    shown = preview(client, assigned, **typed)
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "The mail as the customer receives it" in page
    assert "Assigned to: agent" in page
    assert "Agent Smith" in page
    assert "&gt; Please help." in page  # the customer's message, quoted
    # Nothing was written by looking.
    assert not OutgoingMail.objects.exists()
    assert refreshed(assigned).version == assigned.version
    client.post(f"/panel/tickets/{assigned.number}/reply/", whole_form(client, assigned, **typed))
    sent = OutgoingMail.objects.get(kind=OutgoingKind.ANSWER)
    assert f'<pre class="mail-text" id="mail-preview-text">{escape(sent.text)}</pre>' in page
    assert f'id="mail-preview-subject">{escape(sent.subject)}<' in page


def test_the_preview_names_the_assignee_the_form_hands_the_ticket_to(world, as_user, assigned):
    page = preview(
        as_user(world.supervisor), assigned, answer="Over to you.", assignee=world.other_agent.pk
    ).content.decode()
    assert "Assigned to: agent2" in page


def test_the_preview_of_the_requester_alone_shows_where_the_portal_link_goes(
    world, as_user, assigned
):
    page = preview(as_user(world.agent), assigned, answer="Hello").content.decode()
    assert "[a one-time link to this ticket, made when it is sent]" in page
    assert not PortalLink.objects.exists()


def test_without_javascript_the_preview_is_a_page_of_its_own(world, as_user, assigned):
    client = as_user(world.agent)
    form = whole_form(client, assigned, answer="Hello")
    response = client.post(f"/panel/tickets/{assigned.number}/reply/preview/", form)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"The answer to #{assigned.number} as a mail" in page
    assert "Hello" in page


def test_a_preview_with_nothing_typed_says_so(world, as_user, assigned):
    page = preview(as_user(world.agent), assigned).content.decode()
    assert "Write an answer to see the mail it makes." in page


def test_the_preview_shows_markup_of_the_customer_and_the_answer_as_text(world, as_user):
    ticket = world.ticket(queue=world.billing, text="<script>alert(1)</script>", title="<b>x</b>")
    ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    page = preview(as_user(world.agent), ticket, answer="<img src=x onerror=alert(2)>").content
    assert b"<script>" not in page and b"<img" not in page and b"<b>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_sent_answer_shows_the_mail_it_became(world, as_user, assigned):
    world.agent.staff.signature = "Agent Smith"
    world.agent.staff.save()
    client = as_user(world.agent)
    client.post(
        f"/panel/tickets/{assigned.number}/reply/",
        whole_form(client, assigned, answer="First <answer>.", cc="boss@a.example"),
    )
    client.post(
        f"/panel/tickets/{assigned.number}/reply/",
        whole_form(client, refreshed(assigned), answer="Second answer."),
    )
    first, second = refreshed(assigned).messages.filter(kind=MessageKind.ANSWER).order_by("id")
    page = page_of(client, assigned)
    link = f"/panel/tickets/{assigned.number}/messages/{first.pk}/mail/"
    assert f'href="{link}"' in page
    sent = client.get(link).content.decode()
    assert "First &lt;answer&gt;." in sent and "Agent Smith" in sent
    assert "boss@a.example" in sent
    assert "Second answer." not in sent
    mail = client.get(f"/panel/tickets/{assigned.number}/messages/{second.pk}/mail/")
    assert "Second answer." in mail.content.decode()


def test_only_an_answer_has_a_mail_page(world, as_user, assigned):
    customer_message = assigned.messages.get()
    response = as_user(world.agent).get(
        f"/panel/tickets/{assigned.number}/messages/{customer_message.pk}/mail/"
    )
    assert response.status_code == 404


def test_text_typed_in_another_tab_on_the_same_version_is_still_kept(world, as_user, assigned):
    client = as_user(world.agent)
    sent = whole_form(client, assigned, answer="Sent from the first tab.")
    other_tab = whole_form(client, assigned, answer="Typed in the second tab.")
    client.post(f"/panel/tickets/{assigned.number}/reply/", sent)
    late_autosave(client, assigned, other_tab)
    assert Draft.objects.get().answer == "Typed in the second tab."


def test_a_late_autosave_of_a_sent_answer_and_note_is_refused(world, as_user, assigned):
    client = as_user(world.agent)
    form = whole_form(client, assigned, answer="The answer.", note="The note.")
    client.post(f"/panel/tickets/{assigned.number}/reply/", form)
    late_autosave(client, assigned, form)
    assert not Draft.objects.exists()
