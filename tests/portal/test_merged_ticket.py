"""A merged ticket in the portal (S43): the customer is sent on to the survivor."""

from __future__ import annotations

from accounts.models import User
from portal.auth import TICKET_SCOPE
from tickets import actions


def test_the_merged_tickets_page_sends_the_customer_to_the_survivor(world, as_user):
    survivor, merged = world.ticket(title="First"), world.ticket(text="The merged question")
    actions.merge(actor=world.admin, ticket=merged, into=survivor)
    client = as_user(world.customer_a)

    response = client.get(f"/portal/tickets/{merged.number}/", follow=True)

    assert response.redirect_chain == [(f"/portal/tickets/{survivor.number}/", 302)]
    assert "The merged question" in response.content.decode()


def test_a_link_to_the_merged_ticket_opens_the_survivor_in_its_place(world, as_user):
    survivor, merged = world.ticket(), world.ticket()
    actions.merge(actor=world.admin, ticket=merged, into=survivor)
    client = as_user(world.customer_a)
    session = client.session
    session[TICKET_SCOPE] = merged.number
    session.save()

    response = client.get(f"/portal/tickets/{merged.number}/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(f"/portal/tickets/{survivor.number}/", 302)]
    assert client.session[TICKET_SCOPE] == survivor.number


def test_a_customer_who_may_not_see_the_survivor_stays_on_the_merged_ticket(world, as_user):
    # Erin is a contact of no account: she sees the tickets she asked for, by address.
    erin = User.objects.create_user("erin@a.example", "secret", full_name="Erin")
    survivor = world.ticket()
    merged = world.ticket(requester_email=erin.email)
    actions.merge(actor=world.admin, ticket=merged, into=survivor)

    response = as_user(erin).get(f"/portal/tickets/{merged.number}/")

    assert response.status_code == 200
    assert f"#{survivor.number}" not in response.content.decode()
