"""Canned replies and macros in the panel: their pages, the answer form's picker, and a
macro applied from the ticket page, each form posted as the page rendered it."""

import html
import re

import pytest

from accounts.models import Contact
from canned import library
from canned.models import Assignment, CannedReply, Macro
from panel.models import Draft
from tests.conftest import SETUP, set_helpdesk
from tests.panel.helpers import htmx, rendered_form, whole_form
from tickets import actions
from tickets.models import MessageKind, Status, Ticket


@pytest.fixture
def ticket(world):
    Contact.objects.filter(email=world.customer_a.email).update(name="Alice <Alder>")
    set_helpdesk(auto_close_days=7)
    opened = world.ticket(world.billing, title="Refund")
    return actions.assign(actor=SETUP, ticket=opened, assignee=world.agent)


def page_form(client, url: str, form_id: str, **typed: object) -> dict[str, object]:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return {**rendered_form(page.content.decode(), form_id), **typed}


def test_every_panel_page_links_to_the_canned_replies(world, as_user):
    page = as_user(world.agent).get("/panel/").content.decode()
    assert 'href="/panel/canned/" id="nav-canned"' in page


def test_an_agent_saves_a_reply_of_their_own_with_the_form_as_rendered(world, as_user):
    client = as_user(world.agent)
    data = page_form(
        client,
        "/panel/canned/replies/new/",
        "canned-reply-form",
        title="Hello",
        text="Hi {{ x.y }}",
    )
    assert "shared" not in data  # agents keep replies of their own only
    response = client.post("/panel/canned/replies/new/", data, follow=True)
    saved = CannedReply.objects.get()
    assert (saved.title, saved.owner, saved.shared, saved.queue) == (
        "Hello",
        world.agent,
        False,
        None,
    )
    page = response.content.decode()
    assert "These placeholders do not exist and stay as typed: {{ x.y }}." in html.unescape(page)
    assert f'id="canned-reply-{saved.pk}"' in page


def test_a_supervisor_shares_a_reply_limited_to_a_queue(world, as_user):
    client = as_user(world.supervisor)
    data = page_form(
        client,
        "/panel/canned/replies/new/",
        "canned-reply-form",
        title="Refunds",
        text="Your refund is on its way.",
        queue=str(world.billing.pk),
        shared="on",
    )
    assert client.post("/panel/canned/replies/new/", data).status_code == 302
    saved = CannedReply.objects.get()
    assert (saved.shared, saved.queue) == (True, world.billing)
    # The agent uses it and may not change it.
    agent = as_user(world.agent)
    assert f'id="canned-reply-{saved.pk}"' in agent.get("/panel/canned/").content.decode()
    assert agent.get(f"/panel/canned/replies/{saved.pk}/").status_code == 403
    assert agent.post(f"/panel/canned/replies/{saved.pk}/delete/").status_code == 403


def test_another_persons_reply_looks_like_none(world, as_user):
    theirs = library.save_reply(
        user=world.other_agent, reply=None, title="Mine", text="x", shared=False, queue=None
    )
    client = as_user(world.admin)
    assert client.get(f"/panel/canned/replies/{theirs.pk}/").status_code == 404
    assert client.post(f"/panel/canned/replies/{theirs.pk}/delete/").status_code == 404


def test_an_empty_reply_is_refused_and_the_form_comes_back(world, as_user):
    client = as_user(world.agent)
    data = page_form(client, "/panel/canned/replies/new/", "canned-reply-form", title="Empty")
    response = client.post("/panel/canned/replies/new/", data)
    assert response.status_code == 422
    assert not CannedReply.objects.exists()


def test_the_picker_fills_in_the_ticket_as_plain_text(world, as_user, ticket):
    library.save_reply(
        user=world.agent,
        reply=None,
        title="Greeting",
        text="Hello {{ customer.name }}, #{{ ticket.number }}. {{ customer.nickname }}",
        shared=False,
        queue=None,
    )
    client = as_user(world.agent)
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert 'id="canned-query"' in page and 'form="canned-picker-form"' in page
    response = client.get(f"/panel/tickets/{ticket.number}/canned/?q=greet", headers=htmx())
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<Alder>" not in fragment  # escaped in the attribute
    found = re.search(r'data-canned-text="([^"]*)"', fragment)
    assert found is not None
    text = html.unescape(found.group(1))
    assert text == f"Hello Alice <Alder>, #{ticket.number}. {{{{ customer.nickname }}}}"
    assert "These placeholders do not exist and stay as typed" in fragment
    # Without JavaScript the search opens a page with the texts to copy.
    whole = client.get(f"/panel/tickets/{ticket.number}/canned/?q=greet").content.decode()
    assert "Hello Alice &lt;Alder&gt;" in whole and "<html" in whole


def test_the_picker_is_for_tickets_one_sees(world, as_user, ticket):
    client = as_user(world.other_agent)
    assert client.get(f"/panel/tickets/{ticket.number}/canned/", headers=htmx()).status_code == 404


def make_macro(owner, **fields) -> Macro:
    return library.save_macro(user=owner, macro=None, name="Waiting", **fields)


def test_a_macro_is_applied_from_the_ticket_page_and_keeps_the_text_typed(world, as_user, ticket):
    waiting = make_macro(
        world.supervisor,
        shared=True,
        reply="Dear {{ customer.name }}, we wait for you.",
        status=Status.ON_HOLD,
        priority=77,
    )
    client = as_user(world.agent)
    data = whole_form(client, ticket, answer="Half a thought")
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    action = f"/panel/tickets/{ticket.number}/macros/{waiting.pk}/apply/"
    assert f'formaction="{action}" id="apply-macro-{waiting.pk}"' in page
    response = client.post(action, data)
    assert response.status_code == 200
    changed = Ticket.objects.get(pk=ticket.pk)
    assert (changed.status, changed.priority) == (Status.ON_HOLD, 77)
    answer = changed.messages.get(kind=MessageKind.ANSWER)
    assert answer.text == "Dear Alice <Alder>, we wait for you."
    shown = response.content.decode()
    assert "The macro “Waiting” is applied." in shown
    assert "Half a thought</textarea>" in shown
    assert Draft.objects.get(user=world.agent).answer == "Half a thought"


def test_a_refused_macro_says_so_plainly_and_changes_nothing(world, as_user, ticket):
    moving = make_macro(world.agent, shared=False, reply="Over to sales.", queue=world.sales)
    client = as_user(world.agent)
    data = whole_form(client, ticket)
    response = client.post(f"/panel/tickets/{ticket.number}/macros/{moving.pk}/apply/", data)
    assert response.status_code == 422
    assert (
        "The macro “Waiting” changed nothing: Only supervisors may pick up, assign, move or"
        " delete tickets." in response.content.decode()
    )
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version


def test_a_macro_on_a_page_left_open_is_a_conflict(world, as_user, ticket):
    waiting = make_macro(world.agent, shared=False, priority=90)
    client = as_user(world.agent)
    data = whole_form(client, ticket)
    actions.change(actor=world.supervisor, ticket=ticket.number, priority=20)
    response = client.post(f"/panel/tickets/{ticket.number}/macros/{waiting.pk}/apply/", data)
    assert response.status_code == 409
    assert Ticket.objects.get(pk=ticket.pk).priority == 20


def test_a_supervisor_saves_a_macro_with_the_form_as_rendered(world, as_user):
    client = as_user(world.supervisor)
    data = page_form(
        client,
        "/panel/canned/macros/new/",
        "macro-form",
        name="Hand to sales",
        queue=str(world.sales.pk),
        assignment=Assignment.PERSON,
        assignee=str(world.other_agent.pk),
        shared="on",
    )
    response = client.post("/panel/canned/macros/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Macro.objects.get()
    assert (saved.queue, saved.assignee, saved.shared, saved.status, saved.priority) == (
        world.sales,
        world.other_agent,
        True,
        "",
        None,
    )
    # Edited again as rendered: nothing changes but the name.
    data = page_form(client, f"/panel/canned/macros/{saved.pk}/", "macro-form", name="To sales")
    assert client.post(f"/panel/canned/macros/{saved.pk}/", data).status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.queue, saved.assignee) == ("To sales", world.sales, world.other_agent)


def test_a_macro_that_does_nothing_is_refused(world, as_user):
    client = as_user(world.agent)
    data = page_form(client, "/panel/canned/macros/new/", "macro-form", name="Nothing")
    assert client.post("/panel/canned/macros/new/", data).status_code == 422
    assert not Macro.objects.exists()


HOSTILE = "<img src=x onerror=alert(1)>{{ agent.email }}\u202etxt.exe"


def test_hostile_titles_and_texts_are_shown_as_text_everywhere(world, as_user, ticket):
    reply = library.save_reply(
        user=world.agent, reply=None, title=HOSTILE, text=HOSTILE, shared=False, queue=None
    )
    hostile_macro = library.save_macro(
        user=world.agent, macro=None, name=HOSTILE, shared=False, priority=3
    )
    client = as_user(world.agent)
    pages = [
        client.get("/panel/canned/"),
        client.get(f"/panel/canned/replies/{reply.pk}/"),
        client.get(f"/panel/canned/macros/{hostile_macro.pk}/"),
        client.get(f"/panel/tickets/{ticket.number}/"),
        client.get(f"/panel/tickets/{ticket.number}/canned/", headers=htmx()),
        client.get(f"/panel/tickets/{ticket.number}/canned/"),
    ]
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200
        assert "<img src=x" not in page, response.request["PATH_INFO"]
        # Shown with the direction control as a marker; only the text to insert keeps it.
        assert "agent@frontdesk.example\u202etxt.exe<" not in page
    # The list and the buttons show the direction control as a marker.
    assert "⟨U+202E⟩" in pages[0].content.decode()
    assert f'id="apply-macro-{hostile_macro.pk}"' in pages[3].content.decode()
    assert "⟨U+202E⟩txt.exe</button>" in pages[3].content.decode()
    assert "agent@frontdesk.example⟨U+202E⟩txt.exe</span>" in pages[4].content.decode()
