"""answer and add_note: the answered state (S7), auto-close 0 (S10), notes (S19)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import events_of, upload
from tickets import actions, hooks
from tickets.models import HelpdeskSettings, MessageKind, Status, Ticket


def set_auto_close(days: int) -> None:
    settings_row = HelpdeskSettings.load()
    settings_row.auto_close_days = days
    settings_row.save()


def test_an_answer_marks_the_ticket_answered_and_stops_the_waiting_clock(world):
    set_auto_close(-1)
    ticket = world.ticket(world.billing)
    message = actions.answer(actor=world.supervisor, ticket=ticket, text="Try again now.")
    ticket.refresh_from_db()
    assert ticket.is_answered
    assert ticket.answered_at == message.created_at
    assert (ticket.waiting_since, ticket.escalated_at) == (None, None)
    assert (ticket.status, ticket.version) == (Status.NEW, 2)
    assert events_of(ticket) == [("answer", "", "")]
    assert (message.kind, message.author) == (MessageKind.ANSWER, world.supervisor)


def test_with_auto_close_0_an_answer_closes_the_ticket_at_once(world):
    # 0 is the default setting.
    ticket = world.ticket(world.billing)
    actions.answer(actor=world.supervisor, ticket=ticket, text="Done.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.is_answered) == (Status.CLOSED, True)
    assert ticket.closed_at is not None
    assert events_of(ticket) == [("answer", "", ""), ("status", "new", "closed")]


@pytest.mark.parametrize("days", [-1, 3])
def test_with_other_auto_close_settings_an_answer_leaves_the_status(world, days):
    set_auto_close(days)
    ticket = world.ticket(world.billing)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    actions.answer(actor=world.supervisor, ticket=ticket, text="Done.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_at) == (Status.OPEN, None)


def test_with_auto_close_0_an_answer_leaves_an_on_hold_ticket_on_hold(world):
    ticket = world.ticket(world.billing)
    actions.change(actor=world.supervisor, ticket=ticket, status=Status.ON_HOLD)
    actions.answer(actor=world.supervisor, ticket=ticket, text="Waiting for the vendor.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.is_answered) == (Status.ON_HOLD, True)


def test_a_note_alone_does_not_answer_the_ticket(world):
    ticket = world.ticket(world.billing)
    note = actions.add_note(actor=world.supervisor, ticket=ticket, text="Customer owes money.")
    ticket.refresh_from_db()
    assert (ticket.is_answered, ticket.status, ticket.answered_at) == (False, Status.NEW, None)
    assert ticket.waiting_since is not None
    assert (ticket.version, events_of(ticket)) == (2, [("note", "", "")])
    assert (note.kind, note.is_public) == (MessageKind.NOTE, False)


def test_a_note_after_an_answer_leaves_the_ticket_answered(world):
    set_auto_close(-1)
    ticket = world.ticket(world.billing)
    actions.answer(actor=world.supervisor, ticket=ticket, text="Try again.")
    actions.add_note(actor=world.supervisor, ticket=ticket, text="Sent the reset link.")
    ticket.refresh_from_db()
    assert ticket.is_answered


def test_an_answer_can_change_the_cc_addresses_and_records_it(world, media_root):
    set_auto_close(-1)
    ticket = world.ticket(world.billing, cc=["old@a.example"])
    message = actions.answer(
        actor=world.supervisor,
        ticket=ticket,
        text="Copying your colleague.",
        cc=["old@a.example", " new@a.example "],
        attachments=[upload("howto.pdf", b"%PDF")],
    )
    ticket.refresh_from_db()
    assert ticket.cc == ["old@a.example", "new@a.example"]
    assert message.cc == ["old@a.example", "new@a.example"]
    assert message.attachments.get().filename == "howto.pdf"
    assert events_of(ticket) == [
        ("answer", "", ""),
        ("cc", "old@a.example", "old@a.example, new@a.example"),
    ]


def test_a_bad_cc_address_is_refused_and_nothing_is_sent(world):
    ticket = world.ticket(world.billing)
    with pytest.raises(ValidationError) as refused:
        actions.answer(actor=world.supervisor, ticket=ticket, text="Hi", cc=["nobody@"])
    assert set(refused.value.message_dict) == {"cc"}
    assert not ticket.messages.filter(kind=MessageKind.ANSWER).exists()


@pytest.mark.parametrize("write", [actions.answer, actions.add_note])
def test_empty_text_is_refused(world, write):
    ticket = world.ticket(world.billing)
    with pytest.raises(ValidationError) as refused:
        write(actor=world.supervisor, ticket=ticket, text="\n\t ")
    assert set(refused.value.message_dict) == {"text"}
    assert Ticket.objects.get(pk=ticket.pk).version == 1


@pytest.mark.parametrize("write", [actions.answer, actions.add_note])
def test_an_attachment_over_the_limit_is_refused(world, media_root, write):
    settings_row = HelpdeskSettings.load()
    settings_row.max_attachment_size = 4
    settings_row.save()
    ticket = world.ticket(world.billing)
    with pytest.raises(ValidationError) as refused:
        write(
            actor=world.supervisor,
            ticket=ticket,
            text="See attached.",
            attachments=[upload("big.bin", b"12345")],
        )
    assert set(refused.value.message_dict) == {"attachments"}
    assert ticket.messages.count() == 1


@pytest.mark.parametrize("write", [actions.answer, actions.add_note])
def test_an_agent_writes_only_on_tickets_assigned_to_them(world, write):
    ticket = world.ticket(world.billing)
    with pytest.raises(PermissionDenied):
        write(actor=world.agent, ticket=ticket, text="Hello")
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    write(actor=world.agent, ticket=ticket, text="Hello")
    assert ticket.messages.filter(author=world.agent).count() == 1


@pytest.mark.parametrize("write", [actions.answer, actions.add_note])
def test_a_supervisor_of_another_queue_may_not_write_on_a_ticket_they_cannot_see(world, write):
    ticket = world.ticket(world.billing)
    with pytest.raises(PermissionDenied):
        write(actor=world.other_supervisor, ticket=ticket, text="Hello")
    assert ticket.messages.count() == 1


@pytest.mark.parametrize("write", [actions.answer, actions.add_note])
def test_customers_may_neither_answer_nor_add_notes(world, write):
    ticket = world.ticket(world.support)
    with pytest.raises(PermissionDenied):
        write(actor=world.customer_a, ticket=ticket, text="I answer myself")
    assert ticket.messages.count() == 1


def test_a_stale_answer_is_refused_naming_what_changed_and_who_changed_it(world):
    ticket = world.ticket(world.billing)
    shown = ticket.version
    actions.change(actor=world.admin, ticket=ticket, priority=70)
    with pytest.raises(actions.Conflict) as conflict:
        actions.answer(actor=world.supervisor, ticket=ticket, text="Done.", expected_version=shown)
    assert "admin changed the priority: 50 → 70" in str(conflict.value)
    assert [event.code for event in conflict.value.changes] == ["priority"]
    assert not ticket.messages.filter(kind=MessageKind.ANSWER).exists()


def test_the_answer_is_announced_to_the_mail_side(world):
    set_auto_close(-1)
    heard = []

    def receiver(ticket, message, **kw):
        heard.append(message.kind)

    ticket = world.ticket(world.billing)
    hooks.message_added.connect(receiver)
    try:
        actions.answer(actor=world.supervisor, ticket=ticket, text="Done.")
        actions.add_note(actor=world.supervisor, ticket=ticket, text="Internal.")
    finally:
        hooks.message_added.disconnect(receiver)
    assert heard == [MessageKind.ANSWER, MessageKind.NOTE]


def test_an_answer_can_hand_the_ticket_on_in_the_same_change(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.supervisor)
    answer = actions.answer(
        actor=world.supervisor, ticket=ticket, text="Over to you.", assign_to=world.agent
    )
    ticket.refresh_from_db()
    assert ticket.assignee == world.agent
    assert answer.ticket.version == ticket.version
    assert ticket.events.get(code="assignee", version=ticket.version).new == str(world.agent)


def test_only_supervisors_hand_a_ticket_on_with_an_answer(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    with pytest.raises(PermissionDenied):
        actions.answer(actor=world.agent, ticket=ticket, text="Bye.", assign_to=world.other_agent)
    assert not Ticket.objects.get(pk=ticket.pk).messages.filter(kind="answer").exists()
