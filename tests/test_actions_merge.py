"""merge and split_off (S43): nothing lost, the merged ticket points to the survivor,
refusals say why, the same permission rule as every change, signals on commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.actors import MAIL_GATEWAY
from mail.models import OutgoingMail
from tests.conftest import SETUP, make_customer, upload
from tickets import actions, queries, signals
from tickets.models import Attachment, Event, EventCode, Message, Status, Ticket


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def codes_of(ticket: Ticket) -> list[str]:
    return list(ticket.events.order_by("id").values_list("code", flat=True))


@pytest.fixture
def pair(world, media_root):
    """Two tickets of customer A in Billing: the second gets an answer, a reply with a
    file and a CC; the first is the survivor."""
    survivor = world.ticket(world.billing, title="Printer jams", cc=["carol@a.example"])
    merged = world.ticket(world.billing, title="Printer jams again", cc=["dave@a.example"])
    actions.answer(actor=world.supervisor, ticket=merged, text="Try turning it off.")
    actions.customer_reply(
        actor=MAIL_GATEWAY,
        ticket=merged,
        text="Still jammed, photo attached.",
        attachments=[upload("jam.jpg", b"\xff\xd8photo")],
    )
    return fresh(survivor), fresh(merged)


def test_merge_moves_the_thread_in_time_order_with_attachments_and_ccs(world, pair):
    survivor, merged = pair
    before = list(Message.objects.order_by("created_at", "id").values_list("pk", flat=True))
    attachment = Attachment.objects.get()

    result = actions.merge(actor=world.supervisor, ticket=merged, into=survivor)

    assert result.pk == survivor.pk
    assert list(survivor.messages.values_list("pk", flat=True)) == before
    assert merged.messages.count() == 0
    assert Attachment.objects.get().message.ticket_id == survivor.pk
    assert attachment.file.storage.exists(attachment.file.name)
    assert fresh(survivor).cc == ["carol@a.example", "dave@a.example"]


def test_the_merged_ticket_is_closed_points_to_the_survivor_and_keeps_its_history(world, pair):
    survivor, merged = pair
    history_before = codes_of(merged)

    actions.merge(actor=world.supervisor, ticket=merged, into=survivor, expected_version=3)

    merged = fresh(merged)
    assert merged.merged_into_id == survivor.pk
    assert merged.status == Status.CLOSED
    assert codes_of(merged) == [*history_before, "merged_into", "status"]
    pointer = merged.events.get(code=EventCode.MERGED_INTO)
    assert (pointer.new_ref, pointer.actor) == (survivor.pk, world.supervisor)
    back = fresh(survivor).events.get(code=EventCode.MERGED_FROM)
    assert back.new_ref == merged.pk
    assert list(queries.merged_into_this(world.supervisor, survivor)) == [merged]
    lines = [line.text for line in queries.history_of(survivor)]
    assert f"merged another ticket into this one: #{merged.pk} Printer jams again" in lines[-2]


def test_the_customer_is_not_mailed_that_the_merged_ticket_closed(world, pair):
    survivor, merged = pair
    mails = OutgoingMail.objects.count()

    actions.merge(actor=world.supervisor, ticket=merged, into=survivor)

    assert OutgoingMail.objects.count() == mails


def test_an_unanswered_question_of_the_merged_ticket_leaves_the_survivor_unanswered(world, pair):
    survivor, merged = pair
    actions.answer(actor=world.supervisor, ticket=survivor, text="Fixed.")
    actions.reopen(actor=SETUP, ticket=survivor)
    asked = timezone.now() + timedelta(minutes=1)
    Ticket.objects.filter(pk=merged.pk).update(waiting_since=asked)

    actions.merge(actor=world.supervisor, ticket=merged, into=survivor)

    survivor = fresh(survivor)
    assert not survivor.is_answered
    assert survivor.waiting_since == asked
    # The question waits in the survivor now, not in the closed ticket.
    assert fresh(merged).waiting_since is None


def test_merging_an_open_ticket_into_a_closed_one_reopens_it(world, pair):
    survivor, merged = pair
    actions.close(actor=SETUP, ticket=survivor)

    actions.merge(actor=world.supervisor, ticket=merged, into=survivor)

    assert fresh(survivor).status == Status.REOPENED


def test_tickets_of_one_account_merge_and_the_other_requester_becomes_a_cc(world, media_root):
    colleague = make_customer("erin@a.example", world.account_a)
    survivor = world.ticket(world.billing)
    merged = world.ticket(world.billing, requester_email=colleague.email)

    actions.merge(actor=world.supervisor, ticket=merged, into=survivor)

    assert fresh(survivor).cc == ["erin@a.example"]
    assert fresh(survivor).requester_email == "alice@a.example"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("itself", "cannot be merged into itself"),
        ("different_customers", "are of different customers"),
        ("into_merged", "merge into that ticket instead"),
        ("already_merged", "already"),
    ],
)
def test_merge_refuses_with_a_clear_message(world, media_root, setup, message):
    first = world.ticket(world.billing)
    second = world.ticket(world.billing)
    ticket, into = second, first
    if setup == "itself":
        into = second
    elif setup == "different_customers":
        into = world.ticket(world.billing, account=world.account_b)
    elif setup == "into_merged":
        third = world.ticket(world.billing)
        actions.merge(actor=world.supervisor, ticket=first, into=third)
    elif setup == "already_merged":
        third = world.ticket(world.billing)
        actions.merge(actor=world.supervisor, ticket=second, into=third)
    versions = dict(Ticket.objects.values_list("pk", "version"))

    with pytest.raises(ValidationError) as refused:
        actions.merge(actor=world.supervisor, ticket=ticket, into=into)

    assert message in str(refused.value)
    assert dict(Ticket.objects.values_list("pk", "version")) == versions


def test_tickets_without_an_account_merge_only_with_the_same_requester(world, media_root):
    stranger = world.ticket(world.billing, requester_email="zed@z.example")
    Ticket.objects.filter(pk=stranger.pk).update(account=None)
    other = world.ticket(world.billing, requester_email="yan@z.example")
    Ticket.objects.filter(pk=other.pk).update(account=None)
    same = world.ticket(world.billing, requester_email="zed@z.example")
    Ticket.objects.filter(pk=same.pk).update(account=None)

    with pytest.raises(ValidationError):
        actions.merge(actor=world.supervisor, ticket=other, into=stranger)
    actions.merge(actor=world.supervisor, ticket=same, into=stranger)

    assert fresh(same).merged_into_id == stranger.pk


# Who may merge: staff who may change both tickets (the lock goes through visibility).
@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("customer_a", False),
        ("agent", True),  # both assigned to them below
        ("other_agent", False),
        ("supervisor", True),
        ("other_supervisor", False),
        ("admin", True),
    ],
)
def test_who_may_merge(world, media_root, who, allowed):
    survivor = world.ticket(world.billing)
    merged = world.ticket(world.billing)
    for ticket in (survivor, merged):
        actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)

    if allowed:
        actions.merge(actor=getattr(world, who), ticket=merged, into=survivor)
        assert fresh(merged).merged_into_id == survivor.pk
    else:
        with pytest.raises(PermissionDenied):
            actions.merge(actor=getattr(world, who), ticket=merged, into=survivor)
        assert fresh(merged).merged_into_id is None


def test_an_agent_who_sees_only_one_of_the_tickets_may_not_merge(world, media_root):
    survivor = world.ticket(world.billing)
    merged = world.ticket(world.billing)
    actions.assign(actor=SETUP, ticket=merged, assignee=world.agent)

    with pytest.raises(PermissionDenied):
        actions.merge(actor=world.agent, ticket=merged, into=survivor)
    assert Message.objects.filter(ticket=merged).count() == 1


@pytest.mark.parametrize("stale", ["ticket", "into"])
def test_a_stale_confirmation_of_either_ticket_is_a_conflict(world, pair, stale):
    survivor, merged = pair
    shown = {"expected_version": merged.version, "expected_into_version": survivor.version}
    # Somebody changes one of the two after the confirm page showed them.
    actions.change(actor=SETUP, ticket=merged if stale == "ticket" else survivor, priority=70)

    with pytest.raises(actions.Conflict):
        actions.merge(actor=world.supervisor, ticket=merged, into=survivor, **shown)
    assert fresh(merged).merged_into_id is None
    assert merged.messages.count() == 3


@pytest.fixture
def heard() -> Any:
    changes: list[signals.TicketChange] = []

    def listen(sender: Any, change: signals.TicketChange, **kwargs: Any) -> None:
        changes.append(change)

    for signal in signals.ALL:
        signal.connect(listen, weak=False, dispatch_uid="tests.merge.heard")
    yield changes
    for signal in signals.ALL:
        signal.disconnect(dispatch_uid="tests.merge.heard")


def test_merge_sends_one_signal_for_each_ticket_once_it_commits(
    world, pair, heard, django_capture_on_commit_callbacks
):
    survivor, merged = pair
    heard.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.merge(actor=world.supervisor, ticket=merged, into=survivor)
    assert heard == []
    for callback in callbacks:
        callback()

    assert [(change.kind, change.number) for change in heard] == [
        ("merged", merged.pk),
        ("merged", survivor.pk),
    ]
    assert heard[0].codes == {"merged_into", "status"}
    assert heard[1].codes == {"merged_from", "cc"}
    for change in heard:
        assert set(
            Event.objects.filter(pk__in=change.event_ids).values_list("ticket", flat=True)
        ) == {change.number}


# Split ---------------------------------------------------------------------------------


def test_split_moves_a_customer_message_with_its_attachments_into_a_new_ticket(world, pair):
    survivor, ticket = pair
    moving = ticket.messages.get(text__startswith="Still jammed")

    new = actions.split_off(
        actor=world.supervisor, ticket=ticket, message=moving, expected_version=ticket.version
    )

    assert new.pk not in (ticket.pk, survivor.pk)
    assert new.title == f"Split from #{ticket.pk}: Printer jams again"
    assert (new.requester_email, new.queue, new.account) == (
        ticket.requester_email,
        ticket.queue,
        ticket.account,
    )
    assert (new.status, new.is_answered) == (Status.NEW, False)
    assert list(new.messages.all()) == [moving]
    assert Attachment.objects.get().message.ticket_id == new.pk
    assert moving.pk not in set(ticket.messages.values_list("pk", flat=True))
    assert codes_of(new) == ["created", "split_from"]
    assert new.events.get(code="split_from").new_ref == ticket.pk
    assert fresh(ticket).events.get(code="split_off").new_ref == new.pk
    assert fresh(ticket).version == ticket.version + 1


def test_split_sends_opened_for_the_new_ticket_and_split_for_the_old(
    world, pair, heard, django_capture_on_commit_callbacks
):
    _survivor, ticket = pair
    moving = ticket.messages.get(text__startswith="Still jammed")
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = actions.split_off(actor=world.supervisor, ticket=ticket, message=moving)

    assert [(change.kind, change.number) for change in heard] == [
        ("opened", new.pk),
        ("split", ticket.pk),
    ]


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("answer", "Only a customer message"),
        ("only", "only message"),
        ("elsewhere", "No such message"),
        ("merged", "was merged into"),
    ],
)
def test_split_refuses_with_a_clear_message(world, pair, which, message):
    survivor, ticket = pair
    target = ticket
    moving: Message = ticket.messages.get(text__startswith="Still jammed")
    if which == "answer":
        moving = ticket.messages.get(kind="answer")
    elif which == "only":
        target = survivor
        moving = survivor.messages.get()
    elif which == "elsewhere":
        moving = survivor.messages.get()
    elif which == "merged":
        actions.merge(actor=world.supervisor, ticket=ticket, into=survivor)
        moving = survivor.messages.get(text__startswith="Still jammed")
    tickets = Ticket.objects.count()

    with pytest.raises(ValidationError) as refused:
        actions.split_off(actor=world.supervisor, ticket=target, message=moving)

    assert message in str(refused.value)
    assert Ticket.objects.count() == tickets


def test_a_customer_may_not_split(world, pair):
    _survivor, ticket = pair
    moving = ticket.messages.get(text__startswith="Still jammed")

    with pytest.raises(PermissionDenied):
        actions.split_off(actor=world.customer_a, ticket=ticket, message=moving)


def test_the_split_title_stays_within_the_limit(world, media_root):
    ticket = world.ticket(world.billing, title="x" * 255)
    actions.customer_reply(actor=MAIL_GATEWAY, ticket=ticket, text="Another question")
    moving = ticket.messages.last()

    new = actions.split_off(actor=world.supervisor, ticket=ticket, message=moving)

    assert len(new.title) == 255 and new.title.startswith(f"Split from #{ticket.pk}: xxx")


def test_the_survivor_of_a_chain_of_merges_is_found(world, media_root):
    first, second, third = (world.ticket(world.billing) for _ in range(3))
    actions.merge(actor=world.supervisor, ticket=first, into=second)
    actions.merge(actor=world.supervisor, ticket=second, into=third)

    assert queries.survivor_of(fresh(first)) == third
    assert queries.survivor_for(world.customer_a, fresh(first)) == third
    assert queries.survivor_for(world.customer_b, fresh(first)) is None


def test_a_customer_reply_to_the_merged_ticket_lands_in_the_survivor(world, pair):
    survivor, merged = pair
    actions.merge(actor=world.supervisor, ticket=merged, into=survivor)

    # As the portal's form or the API sends it: to the merged ticket's number.
    message = actions.customer_reply(actor=world.customer_a, ticket=merged.pk, text="Any news?")

    assert message.ticket_id == survivor.pk
    assert fresh(merged).messages.count() == 0
    assert fresh(survivor).is_answered is False


def test_staff_cannot_answer_on_the_merged_ticket_and_are_told_where(world, pair):
    survivor, merged = pair
    actions.merge(actor=world.supervisor, ticket=merged, into=survivor)
    before = Message.objects.count()

    with pytest.raises(ValidationError, match=f"merged into #{survivor.pk}"):
        actions.answer(actor=world.supervisor, ticket=merged, text="Hello?")
    assert Message.objects.count() == before
