from datetime import timedelta

import pytest

from tests.panel.helpers import open_tickets
from tickets.models import Queue, QueueAddress
from tickets.visibility import visible_tickets


def queue_form(**fields):
    return {
        "name": "Migration",
        "addresses": "migrate@example.com, move@example.com",
        "new_ticket_response": "We got it.",
        "closed_ticket_response": "Done.",
        "escalation_step": 5,
        "escalation_minutes": 60,
        **fields,
    }


def test_every_staff_member_sees_the_queues(world, as_user):
    page = as_user(world.agent).get("/panel/queues/").content.decode()
    assert "Support" in page and "Billing" in page and "Sales" in page
    assert 'id="queue-create"' not in page


def test_an_admin_creates_a_queue_with_addresses_escalation_and_staff(world, as_user):
    response = as_user(world.admin).post(
        "/panel/queues/new/", queue_form(staff=[world.agent.staff.pk])
    )
    assert response.status_code == 302
    queue = Queue.objects.get(name="Migration")
    assert sorted(queue.addresses.values_list("email", flat=True)) == [
        "migrate@example.com",
        "move@example.com",
    ]
    assert (queue.escalation_step, queue.escalation_interval) == (5, timedelta(hours=1))
    assert list(queue.staff.all()) == [world.agent.staff]
    assert not queue.is_default


def test_an_admin_edits_a_queue_and_makes_it_the_default(world, as_user):
    QueueAddress.objects.create(queue=world.billing, email="old@example.com")
    response = as_user(world.admin).post(
        f"/panel/queues/{world.billing.pk}/",
        queue_form(name="Billing", addresses="bills@example.com", is_default="on"),
    )
    assert response.status_code == 302
    world.billing.refresh_from_db()
    world.support.refresh_from_db()
    assert world.billing.is_default and not world.support.is_default
    assert list(world.billing.addresses.values_list("email", flat=True)) == ["bills@example.com"]


def test_the_default_queue_cannot_simply_stop_being_the_default(world, as_user):
    response = as_user(world.admin).post(
        f"/panel/queues/{world.support.pk}/", queue_form(name="Support", addresses="")
    )
    assert response.status_code == 422
    assert "make another queue the default instead" in response.content.decode()
    world.support.refresh_from_db()
    assert world.support.is_default


def test_an_address_of_another_queue_is_refused(world, as_user):
    QueueAddress.objects.create(queue=world.billing, email="bills@example.com")
    response = as_user(world.admin).post(
        "/panel/queues/new/", queue_form(addresses="bills@example.com")
    )
    assert response.status_code == 422
    assert "Already used by another queue: bills@example.com." in response.content.decode()


def test_an_escalation_step_needs_an_interval(world, as_user):
    response = as_user(world.admin).post("/panel/queues/new/", queue_form(escalation_minutes=""))
    assert response.status_code == 422
    assert "An escalation step needs an interval." in response.content.decode()


def test_deleting_a_queue_can_move_its_tickets_to_another(world, as_user):
    tickets = open_tickets(3, world.billing)
    response = as_user(world.admin).post(
        f"/panel/queues/{world.billing.pk}/delete/", {"tickets": "move", "target": world.sales.pk}
    )
    assert response.status_code == 302
    assert not Queue.objects.filter(pk=world.billing.pk).exists()
    moved = visible_tickets(world.admin).filter(number__in=[t.number for t in tickets])
    assert {ticket.queue for ticket in moved} == {world.sales}
    assert moved.count() == 3


def test_deleting_a_queue_can_delete_its_tickets(world, as_user):
    tickets = open_tickets(2, world.billing)
    as_user(world.admin).post(f"/panel/queues/{world.billing.pk}/delete/", {"tickets": "delete"})
    assert not Queue.objects.filter(pk=world.billing.pk).exists()
    assert not visible_tickets(world.admin).filter(number__in=[t.number for t in tickets]).exists()


def test_moving_needs_a_queue_to_move_to(world, as_user):
    response = as_user(world.admin).post(
        f"/panel/queues/{world.billing.pk}/delete/", {"tickets": "move"}
    )
    assert response.status_code == 422
    assert Queue.objects.filter(pk=world.billing.pk).exists()


def test_the_default_queue_cannot_be_deleted(world, as_user):
    response = as_user(world.admin).post(
        f"/panel/queues/{world.support.pk}/delete/", {"tickets": "move", "target": world.sales.pk}
    )
    assert response.status_code == 409
    assert "make another queue the default first" in response.content.decode()
    assert Queue.objects.filter(pk=world.support.pk).exists()


def test_the_last_queue_cannot_be_deleted(world, as_user):
    Queue.objects.exclude(pk=world.billing.pk).delete()
    page = as_user(world.admin).get(f"/panel/queues/{world.billing.pk}/delete/").content.decode()
    assert "The last queue cannot be deleted." in page
    response = as_user(world.admin).post(
        f"/panel/queues/{world.billing.pk}/delete/", {"tickets": "delete"}
    )
    assert response.status_code == 409
    assert Queue.objects.filter(pk=world.billing.pk).exists()


@pytest.mark.parametrize("person", ["agent", "supervisor", "customer_a"])
def test_only_administrators_change_queues(world, as_user, person):
    client = as_user(getattr(world, person))
    assert client.get("/panel/queues/new/").status_code == 403
    assert client.post("/panel/queues/new/", queue_form()).status_code == 403
    assert client.post(f"/panel/queues/{world.billing.pk}/", queue_form()).status_code == 403
    assert (
        client.post(f"/panel/queues/{world.billing.pk}/delete/", {"tickets": "delete"}).status_code
        == 403
    )
    assert not Queue.objects.filter(name="Migration").exists()
    assert Queue.objects.filter(pk=world.billing.pk, name="Billing").exists()


def test_a_customer_does_not_see_the_queues(world, as_user):
    assert as_user(world.customer_a).get("/panel/queues/").status_code == 403


@pytest.mark.parametrize(
    ("interval", "shown"),
    [
        (timedelta(days=1), "+10 every day"),
        (timedelta(days=2), "+10 every 2 days"),
        (timedelta(hours=4), "+10 every 4 hours"),
        (timedelta(hours=1), "+10 every hour"),
        (timedelta(minutes=90), "+10 every 90 minutes"),
    ],
)
def test_the_escalation_interval_is_said_as_people_say_it(world, as_user, interval, shown):
    world.billing.escalation_step = 10
    world.billing.escalation_interval = interval
    world.billing.save()
    page = as_user(world.agent).get("/panel/queues/").content.decode()
    assert shown in page
    assert "0:00:00" not in page


def test_the_queue_page_says_what_entitlement_means_for_each_role(world, as_user):
    page = as_user(world.supervisor).get("/panel/queues/").content.decode()
    assert 'id="entitlement-meaning"' in page
    assert "an agent sees only the tickets assigned to them" in page
    # Billing entitles the agent and a supervisor: only the agent's name carries the caveat.
    row = page.split("Billing", 1)[1].split("</tr>", 1)[0]
    assert row.count("entitled-agent") == 1
    assert "(agent: only tickets assigned to them)" in row


def test_the_queue_form_says_entitling_an_agent_shows_them_nothing_more(world, as_user):
    page = as_user(world.admin).get(f"/panel/queues/{world.billing.pk}/").content.decode()
    assert "entitling an agent shows them nothing more" in page
