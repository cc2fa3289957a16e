"""notifications.api.notify: settings, who may be told, mail, unread counts (S41)."""

from __future__ import annotations

import pytest

from mail.models import OutgoingKind, OutgoingMail
from notifications import api
from notifications.models import Notification
from tickets import actions


def test_it_tells_staff_who_see_the_ticket_and_counts_them(world, agents_ticket):
    told = api.notify(
        recipients=[world.agent, world.supervisor, world.other_agent, world.other_supervisor],
        kind=api.SLA_WARNING,
        ticket=agents_ticket,
        text="due in 30 minutes",
    )
    # The other agent and the other supervisor (sales) may not see a billing ticket.
    assert told == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        world.agent.pk,
        world.supervisor.pk,
    }


def test_it_never_tells_customers_or_deactivated_staff(world, agents_ticket):
    world.supervisor.is_active = False
    world.supervisor.save()
    told = api.notify(
        recipients=[world.customer_a, world.supervisor], kind=api.SLA_WARNING, ticket=agents_ticket
    )
    assert told == 0
    assert not Notification.objects.exists()


def test_a_warning_without_a_ticket_is_shown_in_the_panel(world):
    assert api.notify(recipients=[world.agent], kind=api.SLA_WARNING, text="Queue Billing") == 1
    notification = Notification.objects.get()
    assert notification.ticket is None
    assert api.describe(notification.kind, notification.params, notification.text) == (
        "A service level is about to be breached: Queue Billing"
    )


def test_each_person_is_told_once(world, agents_ticket):
    assert api.notify(recipients=[world.agent, world.agent], kind=api.SLA_WARNING) == 1


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValueError):
        api.notify(recipients=[world.agent], kind="gossip")


def test_a_kind_turned_off_in_the_panel_is_not_written(world, agents_ticket):
    api.save_preferences(user=world.agent, panel_kinds=[api.ASSIGNED], mail_kinds=[])
    assert api.notify(recipients=[world.agent], kind=api.SLA_WARNING, ticket=agents_ticket) == 0
    assert api.notify(recipients=[world.agent], kind=api.ASSIGNED, ticket=agents_ticket) == 1


def test_a_kind_wanted_by_mail_goes_to_the_outbox_to_them_alone(world, agents_ticket):
    api.save_preferences(user=world.agent, panel_kinds=[], mail_kinds=[api.NOTE_ADDED])
    told = api.tell(
        recipients=[world.agent], kind=api.NOTE_ADDED, ticket=agents_ticket, actor=world.supervisor
    )
    assert told == 1
    assert not Notification.objects.exists()
    mail = OutgoingMail.objects.get()
    assert mail.to == [world.agent.email]
    assert mail.cc == []
    name = world.supervisor.staff.display_name
    assert f"{name} added a note to #{agents_ticket.number}" in mail.subject
    assert f"/panel/tickets/{agents_ticket.number}/" in mail.text
    # Automatic mail (RFC 3834): no out-of-office answers it; a reply by hand still
    # reaches the ticket as the agent's note, through their own reply address.
    assert mail.kind == OutgoingKind.NOTIFICATION
    assert mail.headers["Auto-Submitted"] == "auto-generated"
    assert mail.headers["X-Auto-Response-Suppress"] == "All"
    assert "support+" in mail.headers["Reply-To"]


def test_by_default_nobody_is_mailed(world, agents_ticket):
    api.notify(recipients=[world.agent], kind=api.ASSIGNED, ticket=agents_ticket)
    assert not OutgoingMail.objects.exists()
    assert Notification.objects.count() == 1


def test_the_person_who_acted_is_never_told(world, agents_ticket):
    told = api.tell(
        recipients=[world.agent], kind=api.ANSWERED, ticket=agents_ticket, actor=world.agent
    )
    assert told == 0


def test_unread_counts_and_marking_read(world, agents_ticket):
    for _ in range(3):
        api.notify(recipients=[world.agent], kind=api.SLA_WARNING, ticket=agents_ticket)
    api.notify(recipients=[world.supervisor], kind=api.SLA_WARNING, ticket=agents_ticket)
    assert api.unread_count(world.agent) == 3
    first = Notification.objects.filter(recipient=world.agent).first()
    assert first is not None
    assert api.mark_read(user=world.agent, pk=first.pk) is not None
    assert api.unread_count(world.agent) == 2
    # Somebody else's notification is not theirs to mark.
    assert api.mark_read(user=world.supervisor, pk=first.pk) is None
    assert api.mark_all_read(user=world.agent) == 2
    assert api.unread_count(world.agent) == 0
    assert api.unread_count(world.supervisor) == 1


def test_a_deleted_ticket_takes_its_notifications_along(world, agents_ticket):
    api.notify(recipients=[world.agent], kind=api.ASSIGNED, ticket=agents_ticket)
    actions.delete_permanently(actor=world.admin, ticket=agents_ticket)
    assert not Notification.objects.exists()
