"""Moving tickets to another queue: the ticket page's Change box and the lists' Move (S22).

Every form is posted as the page rendered it for that person; only the forged
posts add what no page offered them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.conftest import SETUP
from tests.panel.helpers import htmx, refreshed, rendered_form, whole_form
from tickets import actions
from tickets.models import Queue, Status, Ticket

NOT_OFFERED = "You may not move this ticket to another queue."
MOVED = "moved the ticket to another queue"


class Elements(HTMLParser):
    """Each element with an id (its tag's attributes) and the options of each select."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.order: list[str] = []
        self.options: dict[str, list[tuple[str, str, bool]]] = {}
        self.select: str | None = None
        self.option: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.by_id[attributes["id"] or ""] = attributes
            self.order.append(attributes["id"] or "")
        if tag == "select":
            self.select = attributes.get("id")
            self.options[self.select or ""] = []
        elif tag == "option" and self.select is not None:
            self.option = attributes

    def handle_data(self, data: str) -> None:
        if self.option is not None and self.select is not None and data.strip():
            value = self.option.get("value") or ""
            selected = "selected" in self.option
            self.options[self.select].append((value, data.strip(), selected))
            self.option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None


def elements(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def offered(html: str, select_id: str) -> list[str]:
    """The names a select offers, in its order."""
    return [label for _, label, _ in elements(html).options[select_id]]


def page_of(client: Client, ticket: Ticket) -> str:
    response = client.get(f"/panel/tickets/{ticket.number}/")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def history(client: Client, ticket: Ticket) -> list[str]:
    listed = page_of(client, ticket).split('<ol id="history">')[1].split("</ol>")[0]
    return [
        re.sub(r"<[^>]+>", "", line).split(" ", 2)[2]
        for line in re.findall(r"<li>.*?</li>", listed)
    ]


def change(client: Client, data: dict[str, object], ticket: Ticket, **headers: str):
    return client.post(f"/panel/tickets/{ticket.number}/change/", data, headers=headers)


def chosen_queue(client: Client, ticket: Ticket, queue: Queue, **fields: object) -> dict:
    """The ticket page's form with ``queue`` chosen in the Change box's select, as offered."""
    page = page_of(client, ticket)
    value = {label: value for value, label, _ in elements(page).options["change-queue"]}
    return whole_form(client, ticket, **{"change-queue": value[queue.name]}, **fields)


# The Change box on the ticket page --------------------------------------------------


CHANGE_BOX = [
    "change-assignee",
    "change-queue",
    "change-status",
    "change-priority",
    "change-is_sticky",
]


@pytest.mark.parametrize(
    ("person", "queue", "queues"),
    [
        ("supervisor", "billing", ["Billing", "Support"]),
        ("supervisor", "support", ["Billing", "Support"]),
        ("other_supervisor", "sales", ["Sales", "Support"]),
        ("admin", "billing", ["Billing", "Sales", "Support"]),
    ],
)
def test_the_change_box_offers_exactly_the_queues_the_person_may_move_the_ticket_to(
    world, as_user, person, queue, queues
):
    ticket = world.ticket(queue=getattr(world, queue))
    page = page_of(as_user(getattr(world, person)), ticket)
    found = elements(page)
    assert offered(page, "change-queue") == queues
    assert [label for _, label, chosen in found.options["change-queue"] if chosen] == [
        getattr(world, queue).name
    ]
    assert '<label for="change-queue">Queue</label>' in page
    # Who has it and where it is, then its state.
    assert [each for each in found.order if each in CHANGE_BOX] == CHANGE_BOX


def test_a_supervisor_moves_the_ticket_with_the_change_box_by_htmx(world, as_user):
    ticket = world.ticket(queue=world.billing)
    shown = ticket.version
    client = as_user(world.supervisor)
    response = change(client, chosen_queue(client, ticket, world.support), ticket, **htmx())
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="properties"')
    assert 'id="fact-queue">Support<' in page
    assert "Changes saved." in page
    ticket = refreshed(ticket)
    assert (ticket.queue, ticket.version) == (world.support, shown + 1)
    # The answer being typed stays in the browser; its version follows the move.
    assert 'id="answer-form"' not in page
    assert f'id="answer-expected_version" value="{ticket.version}" hx-swap-oob="true"' in page
    assert history(client, ticket)[-1] == f"super {MOVED}: Billing → Support"


def test_without_javascript_a_move_goes_back_to_the_ticket_page(world, as_user):
    ticket = world.ticket(queue=world.billing)
    client = as_user(world.supervisor)
    response = change(client, chosen_queue(client, ticket, world.support), ticket)
    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{ticket.number}/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="fact-queue">Support<' in page
    assert "Changes saved." in page
    assert refreshed(ticket).queue == world.support


def test_without_javascript_a_move_keeps_the_answer_being_typed(world, as_user):
    ticket = world.ticket(queue=world.billing)
    client = as_user(world.supervisor)
    typed = "Moving this to Support;\nthey own logins."
    response = change(client, chosen_queue(client, ticket, world.support, answer=typed), ticket)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="fact-queue">Support<' in page
    assert f">\n{typed}</textarea>" in page
    assert rendered_form(page, "answer-form")["expected_version"] == str(refreshed(ticket).version)
    assert refreshed(ticket).queue == world.support


def test_moving_and_reassigning_in_one_change_does_both(world, as_user):
    ticket = world.ticket(queue=world.billing)
    client = as_user(world.supervisor)
    data = chosen_queue(client, ticket, world.support, **{"change-assignee": world.agent.pk})
    response = change(client, data, ticket, **htmx())
    assert response.status_code == 200
    ticket = refreshed(ticket)
    assert (ticket.queue, ticket.assignee) == (world.support, world.agent)
    assert ticket.status == Status.OPEN
    assert history(client, ticket)[-3:] == [
        f"super {MOVED}: Billing → Support",
        "super changed the assignee: — → agent",
        "super changed the status: New → Open",
    ]


def test_a_stale_change_gets_the_conflict_naming_the_move(world, as_user):
    ticket = world.ticket(queue=world.billing)
    client = as_user(world.supervisor)
    shown = whole_form(client, ticket, **{"change-priority": 70})
    actions.move(actor=world.admin, ticket=ticket, queue=world.support)
    response = change(client, shown, ticket, **htmx())
    page = response.content.decode()
    assert response.status_code == 409
    assert f"admin {MOVED}: Billing → Support" in page
    assert 'id="fact-queue">Support<' in page
    ticket = refreshed(ticket)
    assert (ticket.queue, ticket.priority) == (world.support, 50)


@pytest.mark.parametrize(("before", "after"), [("billing", "sales"), ("sales", "billing")])
def test_a_stale_page_gets_the_conflict_also_when_the_move_changed_what_it_may_offer(
    world, as_user, before, after
):
    # Assigned to the supervisor, it stays in their view in another supervisor's queue,
    # where they may not move it: the page showed a queue select, or showed none.
    ticket = world.ticket(queue=getattr(world, before))
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.supervisor)
    client = as_user(world.supervisor)
    shown = whole_form(client, ticket, **{"change-priority": 70})
    actions.move(actor=world.admin, ticket=ticket, queue=getattr(world, after))
    response = change(client, shown, ticket, **htmx())
    page = response.content.decode()
    assert response.status_code == 409
    old, new = getattr(world, before).name, getattr(world, after).name
    assert f"admin {MOVED}: {old} → {new}" in page
    assert NOT_OFFERED not in page
    assert refreshed(ticket).priority == 50


def assigned_elsewhere(world, person: str) -> tuple[User, Ticket]:
    """A ticket the person sees but may not move: the agent's own, or the supervisor's
    own in another supervisor's queue."""
    user = getattr(world, person)
    ticket = world.ticket(queue=world.billing if person == "agent" else world.sales)
    return user, actions.assign(actor=SETUP, ticket=ticket, assignee=user)


@pytest.mark.parametrize("person", ["agent", "supervisor"])
def test_who_may_not_move_the_ticket_gets_no_queue_select(world, as_user, person):
    user, ticket = assigned_elsewhere(world, person)
    page = page_of(as_user(user), ticket)
    assert 'id="change-queue"' not in page
    assert 'name="change-queue"' not in page


@pytest.mark.parametrize("person", ["agent", "supervisor"])
@pytest.mark.parametrize("javascript", [True, False])
def test_a_forged_move_changes_nothing_and_says_so(world, as_user, person, javascript):
    user, ticket = assigned_elsewhere(world, person)
    before = (ticket.queue, ticket.priority, ticket.version)
    client = as_user(user)
    target = world.support if person == "supervisor" else world.sales
    forged = whole_form(client, ticket, **{"change-queue": target.pk, "change-priority": 70})
    response = change(client, forged, ticket, **(htmx() if javascript else {}))
    assert response.status_code == 422
    assert NOT_OFFERED in response.content.decode()
    ticket = refreshed(ticket)
    assert (ticket.queue, ticket.priority, ticket.version) == before


def test_a_queue_the_change_box_does_not_offer_is_refused_on_its_field(world, as_user):
    ticket = world.ticket(queue=world.billing)
    client = as_user(world.supervisor)
    forged = whole_form(client, ticket, **{"change-queue": world.sales.pk})
    response = change(client, forged, ticket, **htmx())
    assert response.status_code == 422
    assert 'id="change-queue_error"' in response.content.decode()
    assert refreshed(ticket).version == 1


def test_a_customer_may_not_move_a_ticket_through_the_panel(world, as_user):
    ticket = world.ticket(queue=world.billing)
    forged = {"properties_version": ticket.version, "change-queue": world.support.pk}
    response = change(as_user(world.customer_a), forged, ticket)
    assert response.status_code == 403
    assert refreshed(ticket).version == 1


# Move on the lists ------------------------------------------------------------------

TODAY = "/panel/tickets/received/today/"
KEY = "received-today"


def list_page(client: Client) -> str:
    response = client.get(TODAY)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def mass_move(
    client: Client, tickets: list[Ticket], queue: Queue, *, forged: bool = False, capture=None
):
    """Check the tickets on the list, choose the queue and press Move, as a browser does.

    With ``capture`` (pytest-django's ``django_capture_on_commit_callbacks``) the job
    the press starts runs as its request commits, before the job's page is read."""
    page = list_page(client)
    found = elements(page)
    data = rendered_form(page, f"mass-{KEY}")
    checked = [found.by_id[f"select-{KEY}-{ticket.number}"] for ticket in tickets]
    assert {(box["form"], box["name"]) for box in checked} == {(f"mass-{KEY}", "ticket")}
    data["ticket"] = [box["value"] for box in checked]
    select = found.by_id[f"mass-{KEY}-queue"]
    values = {label: value for value, label, _ in found.options[f"mass-{KEY}-queue"]}
    data[select["name"] or ""] = str(queue.pk) if forged else values[queue.name]
    action = found.by_id[f"mass-{KEY}-move"]["formaction"] or ""
    if capture is None:
        return client.post(action, data, follow=True)
    with capture(execute=True):
        response = client.post(action, data)
    followed = client.get(response["Location"], follow=True)
    followed.redirect_chain = [(response["Location"], 302), *followed.redirect_chain]
    return followed


def flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page)


@pytest.mark.parametrize(
    ("person", "queues"),
    [("supervisor", ["Billing", "Support"]), ("admin", ["Billing", "Sales", "Support"])],
)
def test_move_to_offers_the_queues_the_person_may_move_to(world, as_user, person, queues):
    world.ticket(queue=world.billing)
    page = list_page(as_user(getattr(world, person)))
    assert offered(page, f"mass-{KEY}-queue") == queues
    assert f'<label for="mass-{KEY}-queue">Move to</label>' in page


def test_mass_move_moves_the_checked_tickets_and_names_each_refused_one_with_why(
    world, as_user, django_capture_on_commit_callbacks
):
    first, second = world.ticket(queue=world.billing), world.ticket(queue=world.billing)
    theirs = world.ticket(queue=world.sales)
    actions.assign(actor=SETUP, ticket=theirs, assignee=world.supervisor)
    untouched = world.ticket(queue=world.billing)
    response = mass_move(
        as_user(world.supervisor),
        [first, theirs, second],
        world.support,
        capture=django_capture_on_commit_callbacks,
    )
    # The job's page says what was done and names each refusal with why.
    assert response.redirect_chain[0][0].startswith("/panel/mass/")
    page = response.content.decode()
    assert '<h1 id="mass-job-title">Move 3 tickets to Support</h1>' in page
    assert '<dd id="mass-job-done">2</dd>' in page
    assert re.findall(r"<li><a [^>]*>#\d+</a>: (.*?)</li>", page) == [
        "You may move tickets only between queues you are entitled to; Sales → Support is not."
    ]
    assert f'<a href="/panel/tickets/{theirs.number}/">#{theirs.number}</a>' in page
    assert [refreshed(t).queue for t in (first, second, theirs, untouched)] == [
        world.support,
        world.support,
        world.sales,
        world.billing,
    ]
    assert refreshed(first).events.filter(code="queue", actor=world.supervisor).count() == 1


def test_mass_move_to_a_queue_the_supervisor_is_not_entitled_to_moves_nothing(world, as_user):
    ticket = world.ticket(queue=world.billing)
    response = mass_move(as_user(world.supervisor), [ticket], world.sales, forged=True)
    assert flashes(response.content.decode()) == ["Choose the queue to move the tickets to."]
    assert refreshed(ticket).version == 1


def test_an_agent_gets_no_move_and_a_forged_mass_move_is_refused(world, as_user):
    ticket = actions.assign(
        actor=SETUP, ticket=world.ticket(queue=world.billing), assignee=world.agent
    )
    shown = ticket.version
    client = as_user(world.agent)
    page = list_page(client)
    assert f'id="select-{KEY}-{ticket.number}"' in page
    assert f'id="mass-{KEY}-queue"' not in page and f'id="mass-{KEY}-move"' not in page
    forged = {**rendered_form(page, f"mass-{KEY}"), "ticket": [ticket.number]}
    response = client.post(reverse("panel:mass_move"), {**forged, "queue": world.support.pk})
    assert response.status_code == 403
    assert refreshed(ticket).version == shown


def test_a_customer_may_not_mass_move(world, as_user):
    ticket = world.ticket(queue=world.billing)
    response = as_user(world.customer_a).post(
        reverse("panel:mass_move"), {"ticket": [ticket.number], "queue": world.support.pk}
    )
    assert response.status_code == 403
    assert refreshed(ticket).version == 1
