"""change, change_details, change_account, move_to_queue, close, reopen and
delete_permanently: each change recorded as old → new under a new version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.actors import AUTO_CLOSE
from tests.conftest import SETUP, events_of, upload
from tickets import actions
from tickets.models import Attachment, Event, Message, Status, Ticket


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_change_records_status_priority_and_sticky_under_one_new_version(world):
    ticket = world.ticket(world.billing)
    actions.change(
        actor=world.supervisor,
        ticket=ticket,
        status=Status.ON_HOLD,
        priority=80,
        is_sticky=True,
        expected_version=1,
    )
    ticket = fresh(ticket)
    assert (ticket.status, ticket.priority, ticket.is_sticky) == (Status.ON_HOLD, 80, True)
    assert ticket.version == 2
    assert ticket.modified_at > ticket.created_at
    assert events_of(ticket) == [
        ("status", "new", "on_hold"),
        ("priority", "50", "80"),
        ("sticky", "no", "yes"),
    ]
    assert {event.actor for event in ticket.events.filter(version=2)} == {world.supervisor}


def test_change_leaves_alone_what_it_is_not_given(world):
    ticket = world.ticket(world.billing, priority=30)
    actions.change(actor=world.supervisor, ticket=ticket, is_sticky=True)
    ticket = fresh(ticket)
    assert (ticket.status, ticket.priority) == (Status.NEW, 30)


def test_a_change_to_the_same_values_writes_no_history_and_keeps_the_version(world):
    ticket = world.ticket(world.billing)
    actions.change(
        actor=world.supervisor, ticket=ticket, status=Status.NEW, priority=50, is_sticky=False
    )
    assert fresh(ticket).version == 1
    assert ticket.events.count() == 1


@pytest.mark.parametrize("priority", [0, 100])
def test_change_refuses_a_priority_outside_1_to_99(world, priority):
    ticket = world.ticket(world.billing)
    with pytest.raises(ValidationError) as refused:
        actions.change(actor=world.supervisor, ticket=ticket, priority=priority, is_sticky=True)
    assert set(refused.value.message_dict) == {"priority"}
    assert (fresh(ticket).priority, fresh(ticket).is_sticky, fresh(ticket).version) == (
        50,
        False,
        1,
    )


def test_change_refuses_an_unknown_status(world):
    ticket = world.ticket(world.billing)
    with pytest.raises(ValidationError) as refused:
        actions.change(actor=world.supervisor, ticket=ticket, status="bogus")
    assert set(refused.value.message_dict) == {"status"}


def test_a_customer_may_not_change_status_priority_or_sticky(world):
    ticket = world.ticket(world.support)
    with pytest.raises(PermissionDenied):
        actions.change(actor=world.customer_a, ticket=ticket, priority=99)
    assert fresh(ticket).priority == 50


def test_an_agent_changes_only_tickets_assigned_to_them(world):
    ticket = world.ticket(world.billing)
    with pytest.raises(PermissionDenied):
        actions.change(actor=world.agent, ticket=ticket, priority=60)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    actions.change(actor=world.agent, ticket=ticket, priority=60)
    assert fresh(ticket).priority == 60


def test_change_details_records_title_and_requester_email(world):
    ticket = world.ticket(world.billing)
    actions.change_details(
        actor=world.supervisor,
        ticket=ticket,
        title="  Login fails after password reset ",
        requester_email=" alice.new@a.example ",
    )
    ticket = fresh(ticket)
    assert ticket.title == "Login fails after password reset"
    assert ticket.requester_email == "alice.new@a.example"
    assert events_of(ticket) == [
        ("title", "Cannot log in", "Login fails after password reset"),
        ("requester_email", "alice@a.example", "alice.new@a.example"),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", "y" * 256), ("requester_email", "alice@"), ("requester_email", "")],
)
def test_change_details_refuses_bad_input_naming_the_field(world, field, value):
    ticket = world.ticket(world.billing)
    with pytest.raises(ValidationError) as refused:
        actions.change_details(actor=world.supervisor, ticket=ticket, **{field: value})
    assert set(refused.value.message_dict) == {field}
    assert fresh(ticket).version == 1


def test_change_account_moves_the_ticket_to_another_customer(world):
    ticket = world.ticket(world.billing)
    actions.change_account(actor=world.supervisor, ticket=ticket, account=world.account_b)
    assert fresh(ticket).account == world.account_b
    assert events_of(ticket) == [("account", "Account A", "Account B")]
    actions.change_account(actor=world.supervisor, ticket=ticket, account=None)
    assert fresh(ticket).account is None
    assert events_of(ticket) == [("account", "Account B", "")]


def test_change_account_to_the_same_account_changes_nothing(world):
    ticket = world.ticket(world.billing)
    actions.change_account(actor=world.supervisor, ticket=ticket, account=world.account_a)
    assert fresh(ticket).version == 1


def test_a_customer_may_not_change_the_account(world):
    ticket = world.ticket(world.support)
    with pytest.raises(PermissionDenied):
        actions.change_account(actor=world.customer_a, ticket=ticket, account=world.account_b)
    assert fresh(ticket).account == world.account_a


def test_a_supervisor_moves_a_ticket_between_queues_they_are_entitled_to(world):
    ticket = world.ticket(world.billing)
    actions.move(actor=world.supervisor, ticket=ticket, queue=world.support)
    assert fresh(ticket).queue == world.support
    assert events_of(ticket) == [("queue", "Billing", "Support")]
    assert ticket.events.get(code="queue").new_ref == world.support.pk


def test_a_supervisor_may_not_move_a_ticket_to_a_queue_they_are_not_entitled_to(world):
    ticket = world.ticket(world.billing)
    with pytest.raises(PermissionDenied, match="entitled"):
        actions.move(actor=world.supervisor, ticket=ticket, queue=world.sales)
    assert (fresh(ticket).queue, fresh(ticket).version) == (world.billing, 1)


def test_a_supervisor_may_not_move_their_ticket_out_of_a_queue_they_are_not_entitled_to(world):
    # Assigned to them, so they see it; its queue is another supervisor's.
    ticket = world.ticket(world.sales)
    actions.assign(actor=world.admin, ticket=ticket, assignee=world.supervisor)
    with pytest.raises(PermissionDenied):
        actions.move(actor=world.supervisor, ticket=ticket, queue=world.billing)
    assert fresh(ticket).queue == world.sales


def test_an_admin_moves_a_ticket_anywhere(world):
    ticket = world.ticket(world.billing)
    actions.move(actor=world.admin, ticket=ticket, queue=world.sales, expected_version=1)
    assert (fresh(ticket).queue, fresh(ticket).version) == (world.sales, 2)


def test_moving_to_the_same_queue_changes_nothing(world):
    ticket = world.ticket(world.billing)
    actions.move(actor=SETUP, ticket=ticket, queue=world.billing)
    assert fresh(ticket).version == 1


@pytest.mark.parametrize("role", ["agent", "customer_a"])
def test_agents_and_customers_may_not_move_tickets(world, role):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    with pytest.raises(PermissionDenied):
        actions.move(actor=getattr(world, role), ticket=ticket, queue=world.sales)
    assert fresh(ticket).queue == world.billing


@pytest.mark.parametrize("closer", ["supervisor", "customer_a", "auto-close job"])
def test_staff_the_customer_and_the_system_close_a_ticket(world, closer):
    ticket = world.ticket(world.billing)
    actor = AUTO_CLOSE if closer == "auto-close job" else getattr(world, closer)
    actions.close(actor=actor, ticket=ticket)
    ticket = fresh(ticket)
    assert ticket.status == Status.CLOSED
    assert ticket.closed_at is not None
    assert events_of(ticket) == [("status", "new", "closed")]
    event = ticket.events.get(version=2)
    if actor == AUTO_CLOSE:
        assert (event.actor, event.system) == (None, "lifecycle:auto-close")
    else:
        assert (event.actor, event.system) == (actor, "")


def test_closing_a_closed_ticket_changes_nothing(world):
    ticket = world.ticket(world.billing)
    actions.close(actor=world.supervisor, ticket=ticket)
    actions.close(actor=world.supervisor, ticket=ticket)
    assert fresh(ticket).version == 2


def test_a_customer_of_another_account_may_not_close_the_ticket(world):
    ticket = world.ticket(world.support)
    with pytest.raises(PermissionDenied):
        actions.close(actor=world.customer_b, ticket=ticket)
    assert fresh(ticket).status == Status.NEW


def test_reopen_brings_a_closed_ticket_back_and_clears_the_close_time(world):
    ticket = world.ticket(world.billing)
    actions.close(actor=world.supervisor, ticket=ticket)
    actions.reopen(actor=world.customer_a, ticket=ticket, expected_version=2)
    ticket = fresh(ticket)
    assert (ticket.status, ticket.closed_at, ticket.version) == (Status.REOPENED, None, 3)
    assert events_of(ticket) == [("status", "closed", "reopened")]


def test_reopening_an_active_ticket_changes_nothing(world):
    ticket = world.ticket(world.billing)
    actions.reopen(actor=world.supervisor, ticket=ticket)
    assert (fresh(ticket).status, fresh(ticket).version) == (Status.NEW, 1)


def test_a_customer_of_another_account_may_not_reopen_the_ticket(world):
    ticket = world.ticket(world.support)
    actions.close(actor=world.customer_a, ticket=ticket)
    with pytest.raises(PermissionDenied):
        actions.reopen(actor=world.customer_b, ticket=ticket)
    assert fresh(ticket).status == Status.CLOSED


def test_delete_permanently_removes_the_ticket_thread_history_and_files(
    world, media_root, django_capture_on_commit_callbacks
):
    ticket = world.ticket(world.billing, attachments=[upload("first.txt")])
    actions.add_note(
        actor=world.supervisor, ticket=ticket, text="Note", attachments=[upload("note.txt")]
    )
    kept = world.ticket(world.billing, attachments=[upload("kept.txt")])
    files = list(Attachment.objects.filter(message__ticket=ticket).values_list("file", flat=True))
    storage = Attachment._meta.get_field("file").storage
    assert len(files) == 2
    assert all(storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_permanently(actor=world.supervisor, ticket=ticket, expected_version=2)

    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    assert not Message.objects.filter(ticket_id=ticket.pk).exists()
    assert not Event.objects.filter(ticket_id=ticket.pk).exists()
    assert not Attachment.objects.filter(file__in=files).exists()
    assert not any(storage.exists(name) for name in files)
    kept_file = Attachment.objects.get(message__ticket=kept).file
    assert storage.exists(kept_file.name)


def test_files_stay_when_the_deletion_is_rolled_back(
    world, media_root, django_capture_on_commit_callbacks
):
    ticket = world.ticket(world.billing, attachments=[upload("first.txt")])
    name = Attachment.objects.get(message__ticket=ticket).file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.delete_permanently(actor=world.supervisor, ticket=ticket)
    # Until the transaction commits, the file must still be there to roll back to.
    assert Attachment._meta.get_field("file").storage.exists(name)
    # The files' removal and the domain signal, both waiting for the commit.
    assert len(callbacks) == 2


@pytest.mark.parametrize("role", ["agent", "customer_a", "other_supervisor"])
def test_only_supervisors_who_see_the_ticket_delete_it(world, role):
    ticket = world.ticket(world.billing)
    if role == "agent":
        actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    with pytest.raises(PermissionDenied):
        actions.delete_permanently(actor=getattr(world, role), ticket=ticket)
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_the_system_changes_tickets_naming_itself_in_the_history(world):
    ticket = world.ticket(world.sales)
    actions.change(actor=SETUP, ticket=ticket, priority=20)
    actions.change_details(actor=SETUP, ticket=ticket, title="Renamed by the API")
    actions.change_account(actor=SETUP, ticket=ticket, account=world.account_b)
    actions.add_note(actor=SETUP, ticket=ticket, text="Imported from the old system.")
    ticket = fresh(ticket)
    assert (ticket.priority, ticket.title, ticket.account) == (
        20,
        "Renamed by the API",
        world.account_b,
    )
    assert set(ticket.events.exclude(code="created").values_list("actor", "system")) == {
        (None, "command:tests")
    }
    assert ticket.version == 5
