"""A ticket's history says who acted (a person or a named part of the system) and
names people, queues and accounts as they are called now, or as they were called
when the row is gone."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.actors import AUTO_CLOSE, ESCALATION, MAIL_GATEWAY
from accounts.models import Role
from tests.conftest import SETUP, World, make_staff, set_helpdesk
from tickets import actions, lifecycle, queries
from tickets.models import Event, Ticket

MIGRATION = "tickets.migrations.0006_event_actor_code_references"


def history(ticket: Ticket) -> list[str]:
    return [line.text for line in queries.history_of(ticket)]


def last_event(ticket: Ticket, code: str) -> Event:
    return ticket.events.filter(code=code).latest("id")


def stored(event: Event) -> tuple[str, int | None, str, int | None]:
    return (event.old, event.old_ref, event.new, event.new_ref)


# The database keeps the history honest ----------------------------------------


def test_the_database_refuses_an_event_with_an_unknown_code(world):
    ticket = world.ticket()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(ticket=ticket, system=SETUP.code, code="gossip", version=1)
    assert not ticket.events.filter(code="gossip").exists()


def test_the_database_refuses_an_event_by_a_person_and_a_system_at_once(world):
    ticket = world.ticket()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            ticket=ticket, actor=world.supervisor, system=SETUP.code, code="note", version=1
        )
    assert not ticket.events.filter(actor=world.supervisor).exists()


# Events keep the ids of the rows they name --------------------------------------


def test_a_move_keeps_both_queues_ids_and_names(world):
    ticket = world.ticket(world.support)
    actions.move(actor=world.admin, ticket=ticket, queue=world.billing)
    assert stored(last_event(ticket, "queue")) == (
        "Support",
        world.support.pk,
        "Billing",
        world.billing.pk,
    )


def test_a_reassignment_keeps_both_peoples_ids_and_names(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    actions.assign(actor=world.admin, ticket=ticket, assignee=world.other_agent)
    assert stored(last_event(ticket, "assignee")) == (
        "agent",
        world.agent.pk,
        "agent2",
        world.other_agent.pk,
    )


def test_an_account_change_keeps_both_accounts_ids_and_names(world):
    ticket = world.ticket()
    actions.change_account(actor=world.supervisor, ticket=ticket, account=world.account_b)
    assert stored(last_event(ticket, "account")) == (
        "Account A",
        world.account_a.pk,
        "Account B",
        world.account_b.pk,
    )


def test_a_value_that_is_no_row_keeps_words_and_no_id(world):
    ticket = world.ticket()
    actions.change(actor=world.supervisor, ticket=ticket, priority=70)
    assert stored(last_event(ticket, "priority")) == ("50", None, "70", None)


# Current names, and the words of the time when the row is gone -------------------


def test_the_history_names_a_renamed_queue_as_it_is_called_now(world):
    ticket = world.ticket(world.support)
    actions.move(actor=world.admin, ticket=ticket, queue=world.billing)
    world.billing.name = "Invoices"
    world.billing.save()
    assert history(ticket)[-1] == "admin moved the ticket to another queue: Support → Invoices"


def test_the_history_names_a_renamed_assignee_as_they_are_called_now(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    world.agent.full_name = "Ann Lee"
    world.agent.save()
    assert "super changed the assignee: — → Ann Lee" in history(ticket)


def test_the_history_names_a_renamed_account_as_it_is_called_now(world):
    ticket = world.ticket()
    actions.change_account(actor=world.supervisor, ticket=ticket, account=world.account_b)
    world.account_a.name = "Acme Hosting"
    world.account_a.save()
    assert history(ticket)[-1] == "super changed the account: Acme Hosting → Account B"


def test_the_history_names_a_renamed_person_who_acted_as_they_are_called_now(world):
    ticket = world.ticket()
    actions.change(actor=world.supervisor, ticket=ticket, priority=70)
    world.supervisor.full_name = "Sam Super"
    world.supervisor.save()
    assert history(ticket)[-1] == "Sam Super changed the priority: 50 → 70"


def test_a_deleted_account_is_named_with_the_words_of_the_time(world):
    ticket = world.ticket()
    actions.change_account(actor=world.supervisor, ticket=ticket, account=world.account_b)
    world.account_b.name = "Bee Renamed"
    world.account_b.save()
    world.account_b.delete()
    assert history(ticket)[-1] == "super changed the account: Account A → Account B"


def test_a_deleted_queue_is_named_with_the_words_of_the_time(world):
    ticket = world.ticket(world.billing)
    actions.move(actor=world.admin, ticket=ticket, queue=world.support)
    world.billing.delete()  # the move emptied it
    assert history(ticket) == [
        "The mail gateway opened the ticket: Billing",
        "admin moved the ticket to another queue: Billing → Support",
    ]


def test_a_deleted_assignee_is_named_with_the_words_of_the_time(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    world.agent.delete()
    assert "super changed the assignee: — → agent" in history(ticket)


# Who acted ------------------------------------------------------------------------


def test_a_ticket_opened_by_mail_names_the_mail_gateway(world):
    ticket = world.ticket()
    assert ticket.events.get().system == MAIL_GATEWAY.code
    assert history(ticket) == ["The mail gateway opened the ticket: Support"]


def test_an_escalation_names_the_escalation_job(world):
    world.support.escalation_step = 10
    world.support.escalation_interval = timedelta(hours=1)
    world.support.save()
    ticket = world.ticket()
    assert lifecycle.escalate_due(now=timezone.now() + timedelta(hours=1, minutes=1)) == 1
    assert last_event(ticket, "escalation").system == ESCALATION.code
    assert history(ticket)[-1] == "A lifecycle job (escalation) escalated the priority: 50 → 60"


def test_an_automatic_close_names_the_auto_close_job(world):
    set_helpdesk(auto_close_days=1)
    ticket = world.ticket(world.billing)
    actions.answer(actor=world.supervisor, ticket=ticket, text="Try again now.")
    assert lifecycle.auto_close_due(now=timezone.now() + timedelta(days=2)) == 1
    assert last_event(ticket, "status").system == AUTO_CLOSE.code
    assert history(ticket)[-1] == "A lifecycle job (auto-close) changed the status: New → Closed"


def test_an_event_that_names_one_thing_reads_as_that_thing_not_as_a_change(world):
    ticket = world.ticket()
    actions.record_system_event(
        actor=MAIL_GATEWAY, ticket=ticket, code="mail_to_new_ticket", new="#5"
    )
    assert history(ticket)[-1] == (
        "The mail gateway put a reply from a sender not on this ticket into a new ticket: #5"
    )


def test_a_console_command_is_named_with_its_name(world):
    ticket = world.ticket()
    actions.change(actor=SETUP, ticket=ticket, priority=70)
    assert history(ticket)[-1] == "A console command (tests) changed the priority: 50 → 70"


def test_a_deleted_person_who_acted_reads_a_deleted_user(world):
    ticket = world.ticket(world.billing)
    actions.change(actor=world.supervisor, ticket=ticket, priority=70)
    world.supervisor.delete()
    assert history(ticket)[-1] == "A deleted user changed the priority: 50 → 70"


# A stale form ---------------------------------------------------------------------


def test_a_stale_forms_conflict_names_a_renamed_queue_as_it_is_called_now(world):
    ticket = world.ticket(world.billing)
    shown = ticket.version
    actions.move(actor=world.admin, ticket=ticket, queue=world.sales)
    world.sales.name = "Presales"
    world.sales.save()
    with pytest.raises(actions.Conflict) as raised:
        actions.change(actor=world.admin, ticket=ticket, priority=70, expected_version=shown)
    change = "admin moved the ticket to another queue: Billing → Presales"
    assert [text for _, text in raised.value.lines] == [change]
    assert str(raised.value) == (
        f"Ticket #{ticket.number} was changed while you were working on it: {change}."
    )


# What it costs ----------------------------------------------------------------------


def busy_ticket(world: World, count: int) -> Ticket:
    """A ticket with at least ``count`` events naming queues, accounts and people,
    by people and by the system."""
    ticket = world.ticket(world.billing)
    steps = [
        lambda n: actions.move(
            actor=world.admin, ticket=ticket, queue=[world.support, world.billing][n % 2]
        ),
        lambda n: actions.assign(
            actor=SETUP, ticket=ticket, assignee=[world.agent, world.other_agent][n % 2]
        ),
        lambda n: actions.change_account(
            actor=world.supervisor, ticket=ticket, account=[world.account_b, world.account_a][n % 2]
        ),
        lambda n: actions.change(actor=world.admin, ticket=ticket, priority=10 + n % 80),
    ]
    n = 0
    while ticket.events.count() < count:
        steps[n % len(steps)](n // len(steps))
        n += 1
    return ticket


def queries_for_history(ticket: Ticket) -> int:
    with CaptureQueriesContext(connection) as captured:
        lines = queries.history_of(ticket)
    assert len(lines) == ticket.events.count()
    return len(captured.captured_queries)


def test_the_history_costs_the_same_queries_for_10_and_200_events(world):
    few, many = busy_ticket(world, 10), busy_ticket(world, 200)
    # The events, then one query each for the people, queues and accounts they name.
    assert queries_for_history(few) == queries_for_history(many) == 4


# The migration that named the system and the rows on old events --------------------


def old_event(ticket: Ticket, code: str, old: str = "", new: str = "") -> Event:
    """An event as stored before the migration: no actor meant "the system"."""
    return Event.objects.create(ticket=ticket, code=code, old=old, new=new, version=1)


def migrate_old_events() -> None:
    importlib.import_module(MIGRATION).name_the_system_and_the_rows(apps, None)


def test_the_migration_names_the_part_of_the_system_that_acted(world):
    ticket = world.ticket()
    escalation = old_event(ticket, "escalation", "50", "60")
    auto_close = old_event(ticket, "status", "open", "closed")
    mail = old_event(ticket, "customer_message")
    # A reply by mail reopened and unassigned tickets: that was the mail gateway.
    reopened_by_mail = old_event(ticket, "status", "closed", "reopened")
    by_a_person = Event.objects.create(
        ticket=ticket, actor=world.supervisor, code="priority", old="60", new="70", version=2
    )
    migrate_old_events()
    systems = dict(
        Event.objects.filter(
            pk__in=[escalation.pk, auto_close.pk, mail.pk, reopened_by_mail.pk, by_a_person.pk]
        ).values_list("pk", "system")
    )
    assert systems == {
        escalation.pk: "lifecycle:escalation",
        auto_close.pk: "lifecycle:auto-close",
        mail.pk: "mail",
        reopened_by_mail.pk: "mail",
        by_a_person.pk: "",
    }


def test_the_migration_finds_the_rows_old_words_name(world):
    ticket = world.ticket()
    opened = old_event(ticket, "created", new="Support")
    moved = old_event(ticket, "queue", "Support", "Billing")
    account = old_event(ticket, "account", "Account A", "Account B")
    assigned = old_event(ticket, "assignee", "agent", "agent2")
    migrate_old_events()
    for event in (opened, moved, account, assigned):
        event.refresh_from_db()
    assert (opened.old_ref, opened.new_ref) == (None, world.support.pk)
    assert (moved.old_ref, moved.new_ref) == (world.support.pk, world.billing.pk)
    assert (account.old_ref, account.new_ref) == (world.account_a.pk, world.account_b.pk)
    assert (assigned.old_ref, assigned.new_ref) == (world.agent.pk, world.other_agent.pk)


def test_the_migration_gives_no_id_to_a_name_two_people_share_or_nobody_has(world):
    make_staff("sam1@frontdesk.example", Role.AGENT, full_name="Sam Same")
    make_staff("sam2@frontdesk.example", Role.AGENT, full_name="Sam Same")
    ticket = world.ticket()
    assigned = old_event(ticket, "assignee", "Sam Same", "agent")
    moved = old_event(ticket, "queue", "Gone Queue", "Sales")
    migrate_old_events()
    assigned.refresh_from_db()
    moved.refresh_from_db()
    assert (assigned.old_ref, assigned.new_ref) == (None, world.agent.pk)
    assert (moved.old_ref, moved.new_ref) == (None, world.sales.pk)
