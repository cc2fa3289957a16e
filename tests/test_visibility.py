"""S2: one visibility rule, written out as a matrix of viewers and tickets.

Queues of the shared world: Support (default), Billing (agent, supervisor),
Sales (other agent, other supervisor). Every ticket belongs to account A except
``sales_of_account_b``. ``retired`` was a supervisor of Billing and is now
deactivated; a ticket was assigned to them before that. ``stranger`` is signed
in but neither staff nor a contact of any account: they see only the ticket
they asked for themselves (``requested_by_stranger``, of no account).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import staff
from accounts.actors import MAIL_GATEWAY
from accounts.models import Role, User
from tests.conftest import make_staff, upload
from tickets import actions
from tickets.models import Attachment, HelpdeskSettings, MessageKind, Ticket, TicketType
from tickets.visibility import (
    can_see,
    get_attachment_for,
    get_ticket_for,
    messages_of,
    visible_assigned,
    visible_attachments,
    visible_in_parts,
    visible_messages,
    visible_queues,
    visible_tickets,
    visible_unassigned,
)

Y, N = True, False

COLUMNS = (
    "billing_unassigned",
    "support_unassigned",  # the default queue
    "sales_unassigned",
    "billing_to_agent",
    "sales_to_agent",  # assigned to the agent outside their queue
    "sales_to_supervisor",  # assigned to the supervisor outside their queue
    "billing_to_other_agent",
    "support_to_other_supervisor",
    "sales_of_account_b",
    "support_to_retired",
    "requested_by_stranger",  # no account; the stranger wrote it
)

# fmt: off
MATRIX = {
    #                     bill  supp  sale  b>ag  s>ag  s>su  b>oa  s>os  s-B   s>rt  strg
    "customer_a":        (Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y,    N,    Y,    N),
    "customer_b":        (N,    N,    N,    N,    N,    N,    N,    N,    Y,    N,    N),
    "agent":             (N,    N,    N,    Y,    Y,    N,    N,    N,    N,    N,    N),
    "other_agent":       (N,    N,    N,    N,    N,    N,    Y,    N,    N,    N,    N),
    "supervisor":        (Y,    Y,    N,    Y,    N,    Y,    Y,    Y,    N,    Y,    Y),
    "other_supervisor":  (N,    Y,    Y,    N,    Y,    Y,    N,    Y,    Y,    Y,    Y),
    "admin":             (Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y),
    "retired":           (N,    N,    N,    N,    N,    N,    N,    N,    N,    N,    N),
    "anonymous":         (N,    N,    N,    N,    N,    N,    N,    N,    N,    N,    N),
    "stranger":          (N,    N,    N,    N,    N,    N,    N,    N,    N,    N,    Y),
}
# fmt: on

#: Queues whose unassigned tickets each viewer is shown.
QUEUES = {
    "customer_a": set(),
    "customer_b": set(),
    "agent": set(),
    "other_agent": set(),
    "supervisor": {"Support", "Billing"},
    "other_supervisor": {"Support", "Sales"},
    "admin": {"Support", "Billing", "Sales"},
    "retired": set(),
    "anonymous": set(),
    "stranger": set(),
}

STAFF_VIEWERS = {"agent", "other_agent", "supervisor", "other_supervisor", "admin"}
CUSTOMER_VIEWERS = {"customer_a", "customer_b", "stranger"}


def expected(viewer: str) -> dict[str, bool]:
    return dict(zip(COLUMNS, MATRIX[viewer], strict=True))


@pytest.fixture
def cast(world):
    retired = make_staff("retired@frontdesk.example", Role.SUPERVISOR, world.billing)
    stranger_user = User.objects.create_user("stranger@elsewhere.example", "secret")
    return {
        "customer_a": world.customer_a,
        "customer_b": world.customer_b,
        "agent": world.agent,
        "other_agent": world.other_agent,
        "supervisor": world.supervisor,
        "other_supervisor": world.other_supervisor,
        "admin": world.admin,
        "retired": retired,
        "anonymous": AnonymousUser(),
        "stranger": stranger_user,
    }


@pytest.fixture
def tickets(world, cast) -> dict[str, Ticket]:
    def assigned(queue, assignee, **kw) -> Ticket:
        ticket = world.ticket(queue, **kw)
        return actions.assign(actor=world.admin, ticket=ticket, assignee=assignee)

    made = {
        "billing_unassigned": world.ticket(world.billing),
        "support_unassigned": world.ticket(world.support),
        "sales_unassigned": world.ticket(world.sales),
        "billing_to_agent": assigned(world.billing, world.agent),
        "sales_to_agent": assigned(world.sales, world.agent),
        "sales_to_supervisor": assigned(world.sales, world.supervisor),
        "billing_to_other_agent": assigned(world.billing, world.other_agent),
        "support_to_other_supervisor": assigned(world.support, world.other_supervisor),
        "sales_of_account_b": world.ticket(world.sales, account=world.account_b),
        "support_to_retired": assigned(world.support, cast["retired"]),
        # Mail clients vary the case of an address; it is one person.
        "requested_by_stranger": actions.open_ticket(
            actor=MAIL_GATEWAY,
            title="Who are you?",
            requester_email="Stranger@Elsewhere.example",
            text="Hello.",
            type=TicketType.EMAIL,
            queue=world.support,
        ),
    }
    staff.deactivate(actor=world.admin, user=cast["retired"])
    cast["retired"] = User.objects.get(pk=cast["retired"].pk)
    assert set(made) == set(COLUMNS)
    return made


@pytest.fixture
def threads(world, tickets, media_root) -> dict[str, Ticket]:
    """Each ticket gets a staff answer and an internal note, both with a file."""
    settings_row = HelpdeskSettings.load()
    settings_row.auto_close_days = -1
    settings_row.save()
    for name, ticket in tickets.items():
        actions.answer(
            actor=world.admin,
            ticket=ticket,
            text="Try again now.",
            attachments=[upload(f"answer-{name}.txt")],
        )
        actions.add_note(
            actor=world.admin,
            ticket=ticket,
            text="Customer owes us money.",
            attachments=[upload(f"note-{name}.txt")],
        )
    return tickets


@pytest.mark.parametrize("viewer", MATRIX)
def test_visible_tickets_follow_the_matrix(viewer, cast, tickets):
    numbers = set(visible_tickets(cast[viewer]).values_list("number", flat=True))
    seen = {name: ticket.number in numbers for name, ticket in tickets.items()}
    assert seen == expected(viewer)
    # Counts come from the same queryset, so a join must not repeat a ticket.
    assert visible_tickets(cast[viewer]).count() == sum(expected(viewer).values())


@pytest.mark.parametrize("viewer", MATRIX)
def test_get_ticket_for_opens_exactly_the_visible_tickets(viewer, cast, tickets):
    def opens(ticket: Ticket) -> bool:
        try:
            found = get_ticket_for(cast[viewer], ticket.number)
        except Ticket.DoesNotExist:
            return False
        assert found == ticket
        return True

    assert {name: opens(ticket) for name, ticket in tickets.items()} == expected(viewer)
    assert {name: can_see(cast[viewer], ticket) for name, ticket in tickets.items()} == expected(
        viewer
    )


@pytest.mark.parametrize("viewer", MATRIX)
def test_visible_messages_hide_notes_from_customers(viewer, cast, threads):
    if viewer in CUSTOMER_VIEWERS:
        kinds = {MessageKind.CUSTOMER, MessageKind.ANSWER}
    else:
        kinds = {MessageKind.CUSTOMER, MessageKind.ANSWER, MessageKind.NOTE}
    shown = visible_messages(cast[viewer])
    for name, ticket in threads.items():
        on_ticket = set(shown.filter(ticket=ticket).values_list("kind", flat=True))
        assert on_ticket == (kinds if expected(viewer)[name] else set()), name


@pytest.mark.parametrize("viewer", MATRIX)
def test_visible_attachments_follow_the_messages(viewer, cast, threads):
    shown = set(visible_attachments(cast[viewer]).values_list("filename", flat=True))
    wanted = set()
    for name, visible in expected(viewer).items():
        if visible:
            wanted.add(f"answer-{name}.txt")
            if viewer not in CUSTOMER_VIEWERS:
                wanted.add(f"note-{name}.txt")
    assert shown == wanted


@pytest.mark.parametrize("viewer", MATRIX)
def test_visible_queues_are_those_whose_unassigned_tickets_one_sees(viewer, cast, tickets):
    queues = visible_queues(cast[viewer])
    assert set(queues.values_list("name", flat=True)) == QUEUES[viewer]
    assert queues.count() == len(QUEUES[viewer])


def test_a_supervisor_entitled_to_the_default_queue_sees_each_queue_and_ticket_once(world):
    world.support.staff.add(world.supervisor.staff)
    world.ticket(world.support)
    assert list(visible_queues(world.supervisor).values_list("name", flat=True)) == [
        "Billing",
        "Support",
    ]
    assert visible_tickets(world.supervisor).count() == 1


def test_closed_tickets_stay_visible_to_whoever_saw_them_open(world):
    ticket = world.ticket(world.billing)
    actions.close(actor=world.customer_a, ticket=ticket)
    assert get_ticket_for(world.supervisor, ticket.number) == ticket
    assert get_ticket_for(world.customer_a, ticket.number) == ticket


def test_moving_a_ticket_to_another_account_moves_it_between_customers(world):
    ticket = world.ticket(world.support)
    actions.change_account(actor=world.supervisor, ticket=ticket, account=world.account_b)
    assert not can_see(world.customer_a, ticket)
    assert can_see(world.customer_b, ticket)


def test_an_agent_loses_sight_of_a_ticket_once_it_is_released(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    assert can_see(world.agent, ticket)
    actions.release(actor=world.supervisor, ticket=ticket)
    assert not can_see(world.agent, ticket)


@pytest.mark.parametrize("viewer", MATRIX)
def test_visible_unassigned_is_the_matrix_restricted_to_unassigned_tickets(viewer, cast, tickets):
    # The index-friendly form must never show more, or less, than the rule itself.
    general = set(
        visible_tickets(cast[viewer]).filter(assignee__isnull=True).values_list("number", flat=True)
    )
    assert set(visible_unassigned(cast[viewer]).values_list("number", flat=True)) == general
    assert general == {
        ticket.number
        for name, ticket in tickets.items()
        if expected(viewer)[name] and ticket.assignee_id is None
    }


def numbers_of(queryset) -> set[int]:
    return set(queryset.values_list("number", flat=True))


@pytest.mark.parametrize("viewer", MATRIX)
def test_visible_assigned_is_the_matrix_restricted_to_the_viewers_own_tickets(
    viewer, cast, tickets
):
    person = cast[viewer]
    # The form without the queue branch must show exactly what the rule shows.
    own = numbers_of(visible_assigned(person))
    if isinstance(person, User):
        assert own == numbers_of(visible_tickets(person).filter(assignee=person))
    assert own == {
        ticket.number
        for name, ticket in tickets.items()
        if expected(viewer)[name] and person.pk is not None and ticket.assignee_id == person.pk
    }


def test_a_supervisor_sees_the_tickets_assigned_to_them_outside_their_queues(cast, tickets):
    assert numbers_of(visible_assigned(cast["supervisor"])) == {
        tickets["sales_to_supervisor"].number
    }


@pytest.mark.parametrize("viewer", MATRIX)
def test_the_parts_of_the_view_add_up_to_the_matrix_without_overlapping(viewer, cast, tickets):
    parts = [numbers_of(part) for part in visible_in_parts(cast[viewer])]
    union = set().union(*parts)
    assert union == numbers_of(visible_tickets(cast[viewer]))
    assert sum(len(part) for part in parts) == len(union)
    assert sum(part.count() for part in visible_in_parts(cast[viewer])) == sum(
        expected(viewer).values()
    )


@pytest.mark.parametrize("viewer", MATRIX)
def test_a_checked_tickets_messages_are_read_by_its_id_and_hide_notes_from_customers(
    viewer, cast, threads
):
    kinds = {MessageKind.CUSTOMER, MessageKind.ANSWER}
    if viewer in STAFF_VIEWERS:
        kinds.add(MessageKind.NOTE)
    if viewer in ("retired", "anonymous"):
        kinds = set()
    for name, ticket in threads.items():
        if not expected(viewer)[name]:
            continue
        checked = get_ticket_for(cast[viewer], ticket.number)
        shown = set(messages_of(cast[viewer], checked).values_list("kind", flat=True))
        # The same messages the rule gives for the ticket: read by its id, no subquery.
        assert shown == kinds
        assert shown == set(
            visible_messages(cast[viewer]).filter(ticket=ticket).values_list("kind", flat=True)
        )


@pytest.mark.parametrize("viewer", MATRIX)
def test_an_attachment_is_given_to_whoever_sees_its_message(viewer, cast, threads):
    everything = Attachment.objects.all()
    given = set()
    for attachment in everything:
        try:
            found = get_attachment_for(cast[viewer], attachment.pk)
        except Attachment.DoesNotExist:
            continue
        assert found == attachment
        given.add(found.filename)
    assert given == set(visible_attachments(cast[viewer]).values_list("filename", flat=True))


def test_asking_for_an_attachment_by_id_asks_the_rule_about_its_ticket_alone(world, threads):
    attachment = Attachment.objects.filter(message__kind=MessageKind.NOTE).first()
    assert attachment is not None
    with CaptureQueriesContext(connection) as context:
        get_attachment_for(world.supervisor, attachment.pk)
    [query] = context.captured_queries
    # A correlated EXISTS on the one ticket, not IN (every ticket the person may see).
    assert "EXISTS" in query["sql"].upper()
    assert " IN (SELECT V0" not in query["sql"]
