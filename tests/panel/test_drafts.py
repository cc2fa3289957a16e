"""Drafts: the answer form kept on the server until it is sent (issue 3, nothing typed is lost).

The ticket page autosaves its answer, note and CC; the page brings them back,
and the changes made without JavaScript keep them before they act, so text
survives a closed tab, another page, and a ticket that left the person's view.
"""

import pytest
from django.test import Client

from panel.models import DRAFT_MAX_CHARS, Draft
from tests.conftest import SETUP
from tests.panel.helpers import htmx, queries_for, refreshed, whole_form
from tickets import actions
from tickets.models import MessageKind

TYPED = "Dear customer,\nthe <invoice> is on its way — Grüße, Привет"
TYPED_IN_PAGE = "the &lt;invoice&gt; is on its way — Grüße, Привет</textarea>"


@pytest.fixture
def ticket(world):
    return world.ticket(queue=world.billing)


def autosave(client, ticket, **fields):
    data = {"answer": "", "note": "", "cc": "", **fields}
    return client.post(f"/panel/tickets/{ticket.number}/draft/", data, headers=htmx())


def page_of(client, ticket) -> str:
    return client.get(f"/panel/tickets/{ticket.number}/").content.decode()


def test_autosave_stores_the_text_and_then_updates_it(world, as_user, ticket):
    client = as_user(world.supervisor)
    response = autosave(client, ticket, answer=TYPED, note="Checked the logs.")
    assert response.status_code == 200
    draft = Draft.objects.get(user=world.supervisor, ticket=ticket)
    assert (draft.answer, draft.note, draft.cc) == (TYPED, "Checked the logs.", "")

    autosave(client, ticket, answer=TYPED + "\nMore.", cc="boss@a.example")
    draft = Draft.objects.get(user=world.supervisor, ticket=ticket)
    assert (draft.answer, draft.note, draft.cc) == (TYPED + "\nMore.", "", "boss@a.example")


def test_autosave_answers_with_the_status_text_alone(world, as_user, ticket):
    response = autosave(as_user(world.supervisor), ticket, answer=TYPED)
    text = response.content.decode()
    assert text.startswith("Draft saved <time datetime=")
    assert "<textarea" not in text and "Dear customer" not in text


def test_a_draft_is_no_change_of_the_ticket(world, as_user, ticket):
    autosave(as_user(world.supervisor), ticket, answer=TYPED)
    after = refreshed(ticket)
    assert (after.version, after.modified_at) == (ticket.version, ticket.modified_at)
    assert after.events.count() == ticket.events.count()


def test_emptying_the_form_deletes_the_draft(world, as_user, ticket):
    client = as_user(world.supervisor)
    autosave(client, ticket, answer=TYPED)
    response = autosave(client, ticket, answer="  \n", note="")
    assert response.content.decode() == "Draft deleted"
    assert not Draft.objects.exists()


def test_the_tickets_own_cc_alone_is_nothing_typed(world, as_user, ticket):
    actions.answer(actor=world.supervisor, ticket=ticket, text="Hi", cc=["boss@a.example"])
    response = autosave(as_user(world.supervisor), ticket, cc="boss@a.example")
    assert response.content.decode() == ""
    assert not Draft.objects.exists()


def test_the_ticket_page_restores_the_draft(world, as_user, ticket):
    client = as_user(world.supervisor)
    autosave(client, ticket, answer=TYPED, note="Called twice.", cc="boss@a.example")
    page = page_of(client, ticket)
    assert TYPED_IN_PAGE in page
    assert "Called twice.</textarea>" in page
    assert 'value="boss@a.example"' in page
    assert "Restored your unsent draft from" in page
    assert f'action="/panel/tickets/{ticket.number}/draft/discard/"' in page


def test_without_a_draft_the_ticket_page_says_nothing_of_drafts(world, as_user, ticket):
    page = page_of(as_user(world.supervisor), ticket)
    assert "Restored your unsent draft" not in page
    assert 'id="draft-status"' in page


def test_another_person_never_sees_the_draft(world, as_user, ticket):
    autosave(as_user(world.supervisor), ticket, answer=TYPED)
    page = page_of(as_user(world.admin), ticket)
    assert "Dear customer" not in page
    assert "Restored your unsent draft" not in page
    assert "Dear customer" not in as_user(world.admin).get("/panel/").content.decode()


@pytest.mark.parametrize("person", ["agent", "other_supervisor"])
def test_staff_who_may_not_see_the_ticket_cannot_save_a_draft_on_it(world, as_user, ticket, person):
    response = autosave(as_user(getattr(world, person)), ticket, answer=TYPED)
    assert response.status_code == 404
    assert not Draft.objects.exists()


def test_a_customer_may_not_save_a_draft(world, as_user, ticket):
    response = autosave(as_user(world.customer_a), ticket, answer=TYPED)
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_autosave_needs_the_csrf_token(world, ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.supervisor)
    assert autosave(client, ticket, answer=TYPED).status_code == 403
    assert not Draft.objects.exists()


def test_a_draft_longer_than_the_limit_is_refused_and_the_last_one_kept(world, as_user, ticket):
    client = as_user(world.supervisor)
    autosave(client, ticket, answer=TYPED)
    response = autosave(client, ticket, answer="x" * (DRAFT_MAX_CHARS + 1))
    assert response.status_code == 422
    assert "Too long to keep as a draft" in response.content.decode()
    assert Draft.objects.get().answer == TYPED


def test_a_draft_of_exactly_the_limit_is_kept(world, as_user, ticket):
    response = autosave(as_user(world.supervisor), ticket, note="x" * DRAFT_MAX_CHARS)
    assert response.status_code == 200
    assert len(Draft.objects.get().note) == DRAFT_MAX_CHARS


def test_discarding_the_draft_empties_the_form(world, as_user, ticket):
    client = as_user(world.supervisor)
    autosave(client, ticket, answer=TYPED)
    response = client.post(f"/panel/tickets/{ticket.number}/draft/discard/")
    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{ticket.number}/"
    assert not Draft.objects.exists()
    assert "Dear customer" not in page_of(client, ticket)


def test_discarding_touches_nobody_elses_draft(world, as_user, ticket):
    autosave(as_user(world.supervisor), ticket, answer=TYPED)
    as_user(world.admin).post(f"/panel/tickets/{ticket.number}/draft/discard/")
    assert Draft.objects.get().user == world.supervisor


def test_a_successful_answer_deletes_the_draft(world, as_user, ticket):
    client = as_user(world.supervisor)
    autosave(client, ticket, answer=TYPED)
    response = client.post(
        f"/panel/tickets/{ticket.number}/reply/", whole_form(client, ticket, answer=TYPED)
    )
    assert response.status_code == 302
    assert refreshed(ticket).messages.get(kind=MessageKind.ANSWER).text == TYPED
    assert not Draft.objects.exists()
    assert "Dear customer" not in page_of(client, ticket).split('id="answer-form"')[1]


def test_a_conflicting_answer_keeps_the_draft(world, as_user, ticket):
    client = as_user(world.supervisor)
    autosave(client, ticket, answer="An older text")
    form = whole_form(client, ticket, answer=TYPED)
    actions.change(actor=world.admin, ticket=ticket, priority=70)
    response = client.post(f"/panel/tickets/{ticket.number}/reply/", form)
    assert response.status_code == 409
    # The draft holds what the person sent last, not what autosave saw before.
    assert Draft.objects.get().answer == TYPED
    assert not refreshed(ticket).messages.filter(kind=MessageKind.ANSWER).exists()


def test_a_refused_answer_keeps_the_draft(world, as_user, ticket):
    client = as_user(world.supervisor)
    form = whole_form(client, ticket, answer=TYPED, cc="not an address")
    response = client.post(f"/panel/tickets/{ticket.number}/reply/", form)
    assert response.status_code == 422
    assert Draft.objects.get().cc == "not an address"


def test_a_property_change_keeps_the_typed_text_as_the_draft(world, as_user, ticket):
    client = as_user(world.supervisor)
    form = whole_form(client, ticket, answer=TYPED, **{"change-priority": 80})
    client.post(f"/panel/tickets/{ticket.number}/change/", form)
    assert Draft.objects.get().answer == TYPED
    assert refreshed(ticket).priority == 80


def test_without_javascript_the_account_search_keeps_the_text_for_the_way_back(
    world, as_user, ticket
):
    client = as_user(world.supervisor)
    form = whole_form(client, ticket, answer=TYPED, note="Asked sales.", q="Account B")
    response = client.post(f"/panel/tickets/{ticket.number}/account/search/", form)
    assert response.status_code == 303
    assert response["Location"] == f"/panel/tickets/{ticket.number}/account/?q=Account+B"
    search = client.get(response["Location"]).content.decode()
    assert f'id="choose-account-{world.account_b.pk}"' in search
    # Back to the ticket without choosing: the text is there again.
    page = page_of(client, ticket)
    assert TYPED_IN_PAGE in page
    assert "Asked sales.</textarea>" in page
    assert refreshed(ticket).version == ticket.version


def test_the_account_search_is_refused_to_staff_who_may_not_see_the_ticket(world, as_user, ticket):
    # The form as a supervisor's page shows it, posted by an agent who may not see the ticket.
    form = whole_form(as_user(world.supervisor), ticket, answer=TYPED, q="Account")
    response = as_user(world.agent).post(f"/panel/tickets/{ticket.number}/account/search/", form)
    assert response.status_code == 404
    assert not Draft.objects.exists()


def test_an_agent_who_released_their_own_ticket_finds_the_draft_on_home(world, as_user, ticket):
    ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    client = as_user(world.agent)
    response = client.post(
        f"/panel/tickets/{ticket.number}/release/", whole_form(client, ticket, answer=TYPED)
    )
    assert response.status_code == 302
    assert response["Location"] == "/panel/"
    home = client.get("/panel/").content.decode()
    assert "Unsent drafts" in home
    assert f'id="draft-{ticket.number}-answer" rows="4" readonly>' in home
    assert TYPED_IN_PAGE in home
    # Only the text they typed: not a link to a ticket they cannot open.
    assert f'href="/panel/tickets/{ticket.number}/"' not in home

    response = client.post(f"/panel/tickets/{ticket.number}/draft/discard/")
    assert response["Location"] == "/panel/"
    assert not Draft.objects.exists()
    assert "Unsent drafts" not in client.get("/panel/").content.decode()


def test_drafts_on_tickets_still_open_link_to_the_ticket(world, as_user, ticket):
    client = as_user(world.supervisor)
    autosave(client, ticket, answer=TYPED)
    home = client.get("/panel/").content.decode()
    assert f'<a href="/panel/tickets/{ticket.number}/">#{ticket.number} Cannot log in</a>' in home
    assert "<textarea" not in home.split('id="drafts"')[1].split("</ul>")[0]


def test_the_home_page_costs_the_same_queries_for_one_and_many_drafts(world, as_user):
    client = as_user(world.supervisor)
    autosave(client, world.ticket(queue=world.billing), answer=TYPED)
    few = queries_for(client, "/panel/")
    for _ in range(15):
        autosave(client, world.ticket(queue=world.billing), answer=TYPED)
    assert queries_for(client, "/panel/") == few
