"""View as customer (S34): staff open the portal as one of an account's contacts.

Who may (staff who see every ticket of the account), the banner on every portal
page, writes refused until the staff member confirms them and then done as the
customer, the audit log and the ticket history, and the end.
"""

from __future__ import annotations

import re
from typing import Any
from unittest.mock import ANY

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import AuditCode, AuditEvent, Contact, User
from portal import view_as
from tests.conftest import SETUP, World
from tests.panel.helpers import rendered_form, whole_form
from tickets import actions
from tickets.models import Event, HelpdeskSettings, MessageKind, MessageSource, Ticket


@pytest.fixture(autouse=True)
def _media_and_settings(db, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    HelpdeskSettings.load()


@pytest.fixture
def ticket(world: World) -> Ticket:
    """Account A's only ticket: in billing, assigned to the agent."""
    return actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)


def signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def start_from_ticket(client: Client, ticket: Ticket, **chosen: object):
    """Press "View as customer" on the ticket page, as the page renders it."""
    form = whole_form(client, ticket, **chosen)
    return client.post(reverse("panel:ticket_view_as", args=[ticket.number]), form)


def start_from_contact(client: Client, contact: Contact):
    return client.post(reverse("panel:contact_view_as", args=[contact.pk]))


def entries(code: AuditCode) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(code=code).order_by("id"))


def view_as_events(ticket: Ticket) -> list[tuple[int | None, str, str]]:
    return list(
        Event.objects.filter(ticket=ticket, code="viewed_as_customer")
        .order_by("id")
        .values_list("actor_id", "old", "new")
    )


BANNER = 'id="view-as-banner"'


# Who may -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["supervisor", "admin", "agent"])
def test_staff_who_see_every_ticket_of_the_account_view_as_its_contact_from_a_ticket(
    world, ticket, role
):
    staff = getattr(world, role)
    client = signed_in(staff)
    response = start_from_ticket(client, ticket)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:ticket", args=[ticket.number])
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert BANNER in html and "alice@a.example" in html
    assert staff.staff.display_name in html
    # Staff stay signed in as themselves: the session's user is still the staff member.
    assert client.session[SESSION_KEY] == str(staff.pk)
    assert client.get("/panel/").status_code == 200
    [started] = entries(AuditCode.VIEW_AS_STARTED)
    assert (started.actor_id, started.person_id) == (staff.pk, world.customer_a.pk)
    assert f"from ticket #{ticket.number}" in started.detail
    assert view_as_events(ticket) == [(staff.pk, "", "alice@a.example")]


@pytest.mark.parametrize("role", ["other_agent", "other_supervisor"])
def test_staff_who_do_not_see_the_ticket_cannot_view_as_from_it(world, ticket, role):
    client = signed_in(getattr(world, role))
    url = reverse("panel:ticket_view_as", args=[ticket.number])
    contact = world.customer_a.contact
    assert client.post(url, {"view_as_contact": contact.pk}).status_code == 404
    assert start_from_contact(client, contact).status_code == 403
    assert client.get(reverse("portal:home")).status_code == 302  # back to the panel
    assert entries(AuditCode.VIEW_AS_STARTED) == []


def test_an_agent_who_sees_only_some_tickets_of_the_account_is_refused(world, ticket):
    # A second ticket of account A that is not the agent's: the portal would show it.
    world.ticket(world.billing, title="Not yours")
    client = signed_in(world.agent)
    page = client.get(reverse("panel:ticket", args=[ticket.number])).content.decode()
    assert 'id="view-as-button"' not in page
    assert "only for staff who see every ticket of the account" in page
    response = client.post(
        reverse("panel:ticket_view_as", args=[ticket.number]),
        {"view_as_contact": world.customer_a.contact.pk},
    )
    assert response.status_code == 403
    assert start_from_contact(client, world.customer_a.contact).status_code == 403
    assert view_as.SESSION_KEY not in client.session
    assert view_as_events(ticket) == []


def test_a_contact_of_another_account_cannot_be_chosen_on_a_ticket(world, ticket):
    client = signed_in(world.supervisor)
    response = start_from_ticket(client, ticket, view_as_contact=world.customer_b.contact.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("panel:ticket", args=[ticket.number])
    assert view_as.SESSION_KEY not in client.session


def test_a_contact_without_a_login_gets_one_without_a_password(world, ticket):
    contact = Contact.objects.create(account=world.account_a, email="Carol@A.example", name="Carol")
    client = signed_in(world.admin)
    response = start_from_contact(client, contact)
    assert response["Location"] == reverse("portal:home")
    contact.refresh_from_db()
    assert contact.user is not None and contact.user.email == "carol@a.example"
    assert not contact.user.has_usable_password()
    html = client.get(reverse("portal:home")).content.decode()
    assert BANNER in html and "Carol" in html
    # The portal reads as Carol: account A's ticket.
    assert f"#{ticket.number}" in html or ticket.title in html
    assert "login made without a password" in entries(AuditCode.VIEW_AS_STARTED)[0].detail
    assert view_as_events(ticket) == []  # not opened from a ticket


def test_the_ticket_page_offers_the_account_contacts_requester_first(world, ticket):
    Contact.objects.create(account=world.account_a, email="aaron@a.example")
    page = signed_in(world.supervisor).get(reverse("panel:ticket", args=[ticket.number]))
    html = page.content.decode()
    assert "arrives with the portal" not in html
    options = re.findall(
        r'<option value="\d+">([^<]+)</option>', html.split('id="view-as-contact"')[1]
    )
    assert options[:2] == ["alice@a.example", "aaron@a.example"]


# The banner --------------------------------------------------------------------------


def portal_get_urls(ticket: Ticket) -> list[str]:
    """Every portal page that takes no argument or a ticket number."""
    portal = next(
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == "portal"
    )
    urls = []
    for pattern in portal.url_patterns:
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        for kwargs in ({}, {"number": ticket.number}):
            try:
                urls.append(reverse(f"portal:{pattern.name}", kwargs=kwargs))
                break
            except NoReverseMatch:
                pass
    return urls


def test_every_portal_page_the_customer_sees_shows_the_banner_to_staff(world, ticket):
    customer = signed_in(world.customer_a)
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    pages = 0
    for url in portal_get_urls(ticket):
        own = customer.get(url)
        if own.status_code != 200 or "text/html" not in own.get("Content-Type", ""):
            continue
        pages += 1
        seen = staff.get(url)
        assert seen.status_code == 200, url
        assert BANNER in seen.content.decode(), url
        assert BANNER not in own.content.decode(), url
    assert pages >= 2  # at least home and the ticket page


def test_the_banner_stands_out_and_offers_end(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    html = staff.get(reverse("portal:home")).content.decode()
    assert "portal/view_as.css" in html
    assert rendered_form(html, "view-as-end-form") == {"csrfmiddlewaretoken": ANY}
    assert f'action="{reverse("portal:view_as_end")}"' in html
    assert 'id="view-as-end"' in html and ">End<" in html
    assert "Nothing is sent or changed unless you confirm it" in html


# Writes --------------------------------------------------------------------------------


def post_reply(client: Client, ticket: Ticket, text: str):
    page = client.get(reverse("portal:ticket", args=[ticket.number])).content.decode()
    form = {**rendered_form(page, "reply-form"), "message": text}
    return client.post(reverse("portal:reply", args=[ticket.number]), form)


def confirm(client: Client, refusal: Any, **typed: object) -> Any:
    html = refusal.content.decode()
    form = {**rendered_form(html, "view-as-confirm-form"), **typed}
    action = re.search(r'<form method="post" action="([^"]+)"[^>]*id="view-as-confirm-form"', html)
    assert action, "the confirmation form names where it posts"
    return client.post(action.group(1), form)


def customer_messages(ticket: Ticket) -> list[tuple[str, int | None, str]]:
    return list(
        ticket.messages.filter(kind=MessageKind.CUSTOMER)
        .order_by("id")
        .values_list("text", "author_id", "source")
    )


def test_a_reply_is_refused_until_confirmed_and_nothing_is_sent(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    refusal = post_reply(staff, ticket, "Sent by staff?")
    assert refusal.status_code == 403
    html = refusal.content.decode()
    assert "Send a reply on ticket" in html and "Do it as alice@a.example" in html
    assert "Sent by staff?" in html  # what would be sent is shown
    assert len(customer_messages(ticket)) == 1
    assert entries(AuditCode.VIEW_AS_ACTED) == []


def test_a_confirmed_reply_is_the_customers_and_names_the_staff_member(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    refusal = post_reply(staff, ticket, "Please restart the server.")
    done = confirm(staff, refusal, view_as_confirmed="yes")
    assert done.status_code == 302
    *_, reply = customer_messages(ticket)
    # The customer's action: their message, from the portal, with the customer's rules.
    assert reply == ("Please restart the server.", world.customer_a.pk, MessageSource.PORTAL)
    ticket.refresh_from_db()
    assert not ticket.is_answered
    [acted] = entries(AuditCode.VIEW_AS_ACTED)
    assert (acted.actor_id, acted.person_id) == (world.supervisor.pk, world.customer_a.pk)
    assert f"Send a reply on ticket #{ticket.number}" in acted.detail
    assert view_as_events(ticket)[-1] == (
        world.supervisor.pk,
        "alice@a.example",
        f"Send a reply on ticket #{ticket.number}",
    )
    history = staff.get(reverse("panel:ticket", args=[ticket.number])).content.decode()
    assert "acted in the portal as the customer alice@a.example" in history


def test_a_confirmation_needs_the_tick_and_is_good_once(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    refusal = post_reply(staff, ticket, "Once only")
    unticked = confirm(staff, refusal)
    assert unticked.status_code == 403 and 'id="view-as-unticked"' in unticked.content.decode()
    assert confirm(staff, unticked, view_as_confirmed="yes").status_code == 302
    # The same confirmation again is a new refusal, not a second reply.
    again = confirm(staff, unticked, view_as_confirmed="yes")
    assert again.status_code == 403
    assert [text for text, *_ in customer_messages(ticket)].count("Once only") == 1


def test_a_confirmed_new_ticket_is_the_customers_with_the_staff_member_in_its_history(
    world, ticket
):
    staff = signed_in(world.admin)
    start_from_contact(staff, world.customer_a.contact)
    page = staff.get(reverse("portal:new_ticket")).content.decode()
    form = {
        **rendered_form(page, "new-ticket-form"),
        "title": "Printer",
        "message": "It is on fire",
    }
    refusal = staff.post(reverse("portal:new_ticket"), form)
    assert refusal.status_code == 403
    assert not Ticket.objects.filter(title="Printer").exists()
    done = confirm(staff, refusal, view_as_confirmed="yes")
    assert done.status_code == 302
    created = Ticket.objects.get(title="Printer")
    assert done["Location"] == reverse("portal:ticket", args=[created.number])
    assert (created.requester_email, created.account_id) == ("alice@a.example", world.account_a.pk)
    assert view_as_events(created) == [(world.admin.pk, "alice@a.example", "Open a new ticket")]


def confirmed(value: str) -> dict[str, str]:
    """A POST that carries the confirmation the session knows as "known"."""
    return {"field": value, view_as.CONFIRMATION_FIELD: "known", view_as.CONFIRMED_FIELD: "yes"}


def test_a_write_that_would_leave_the_staff_members_sight_is_not_done(world, ticket):
    # The supervisor sees billing and the default queue; a ticket opened in sales would
    # be one of account A's that they cannot see.
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    request = RequestFactory().post("/portal/tickets/new/", confirmed("x"))
    request.user = world.supervisor
    request.session = staff.session

    def opens_in_sales(request, **kwargs):
        created = actions.open_ticket(
            actor=request.user,
            title="In sales",
            requester_email="alice@a.example",
            text="Hello",
            type="portal",
            queue=world.sales,
        )
        return HttpResponse(status=302, headers={"Location": f"/portal/tickets/{created.number}/"})

    current = view_as.peek(request)
    assert current is not None
    request.user = current.customer
    request.session[view_as.CONFIRMATION_KEY] = "known"
    response = view_as.guarded_write(request, current, opens_in_sales, (), {})
    assert response.status_code == 403
    assert "nothing was done" in response.content.decode()
    assert not Ticket.objects.filter(title="In sales").exists()
    assert entries(AuditCode.VIEW_AS_ACTED) == []


def test_a_view_marked_never_as_customer_is_refused_even_confirmed(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    request = RequestFactory().post("/portal/password/", confirmed("x"))
    request.user = world.supervisor
    request.session = staff.session
    current = view_as.peek(request)
    assert current is not None
    called = []

    @view_as.never_as_customer
    def change_password(request):
        called.append(request)
        return HttpResponse()

    request.session[view_as.CONFIRMATION_KEY] = "known"
    response = view_as.guarded_write(request, current, change_password, (), {})
    assert response.status_code == 403 and called == []


# The end -------------------------------------------------------------------------------


def test_end_returns_to_the_ticket_page_and_is_audited(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    page = staff.get(reverse("portal:ticket", args=[ticket.number])).content.decode()
    ended = staff.post(reverse("portal:view_as_end"), rendered_form(page, "view-as-end-form"))
    assert ended.status_code == 302
    assert ended["Location"] == reverse("panel:ticket", args=[ticket.number])
    [stopped] = entries(AuditCode.VIEW_AS_ENDED)
    assert (stopped.actor_id, stopped.person_id) == (world.supervisor.pk, world.customer_a.pk)
    assert stopped.detail.startswith("after ")
    # The portal is the customers' again: staff go back to the panel.
    assert staff.get(reverse("portal:home"))["Location"] == reverse("panel:home")
    assert client_is_signed_in_as(staff, world.supervisor)


def client_is_signed_in_as(client: Client, person: User) -> bool:
    return client.session.get(SESSION_KEY) == str(person.pk)


def test_end_from_an_account_page_returns_there(world, ticket):
    staff = signed_in(world.admin)
    start_from_contact(staff, world.customer_a.contact)
    ended = staff.post(reverse("portal:view_as_end"))
    assert ended["Location"] == reverse("panel:customer", args=[world.account_a.pk])


def test_signing_out_ends_it_in_the_audit_log(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    staff.post(reverse("logout"))
    [stopped] = entries(AuditCode.VIEW_AS_ENDED)
    assert "signed out" in stopped.detail


def test_losing_sight_of_a_ticket_of_the_account_ends_it(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    actions.move(actor=SETUP, ticket=ticket, queue=world.sales)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.other_agent)
    response = staff.get(reverse("portal:home"))
    assert response["Location"] == reverse("panel:home")
    [stopped] = entries(AuditCode.VIEW_AS_ENDED)
    assert "you do not see every ticket of Account A" in stopped.detail


def test_customers_cannot_end_or_start_anything(world, ticket):
    customer = signed_in(world.customer_a)
    assert customer.post(reverse("portal:view_as_end")).status_code == 403
    contact = world.customer_a.contact
    assert customer.post(reverse("panel:contact_view_as", args=[contact.pk])).status_code == 403


def test_the_audit_log_shows_start_and_end_to_administrators(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    staff.post(reverse("portal:view_as_end"))
    log = signed_in(world.admin).get(reverse("panel:audit_log")).content.decode()
    assert "Started viewing as a customer" in log
    assert "Stopped viewing as a customer" in log


def test_the_history_words_viewing_as_the_customer(world, ticket):
    staff = signed_in(world.supervisor)
    start_from_ticket(staff, ticket)
    page = staff.get(reverse("panel:ticket", args=[ticket.number])).content.decode()
    assert "viewed the ticket in the portal as the customer: alice@a.example" in page


def test_recording_viewing_as_needs_sight_of_the_ticket(world, ticket):
    with pytest.raises(PermissionDenied):
        actions.record_view_as(
            actor=world.other_supervisor, ticket=ticket, customer="alice@a.example"
        )
    with pytest.raises(PermissionDenied):
        actions.record_view_as(actor=world.customer_a, ticket=ticket, customer="x@a.example")
    version = Ticket.objects.get(pk=ticket.pk).version
    actions.record_view_as(actor=world.supervisor, ticket=ticket, customer="alice@a.example")
    assert Ticket.objects.get(pk=ticket.pk).version == version  # no open form conflicts


def test_viewing_as_another_contact_ends_the_first(world, ticket):
    carol = Contact.objects.create(account=world.account_a, email="carol@a.example")
    staff = signed_in(world.admin)
    start_from_contact(staff, world.customer_a.contact)
    start_from_contact(staff, carol)
    [stopped] = entries(AuditCode.VIEW_AS_ENDED)
    assert "switched to carol@a.example" in stopped.detail
    assert "carol@a.example" in staff.get(reverse("portal:home")).content.decode()


def test_a_contact_whose_address_signs_in_as_staff_cannot_be_viewed_as(world, ticket):
    contact = Contact.objects.create(account=world.account_a, email=world.agent.email)
    staff = signed_in(world.admin)
    response = start_from_contact(staff, contact)
    assert response["Location"] == reverse("panel:customer", args=[world.account_a.pk])
    assert view_as.SESSION_KEY not in staff.session
    assert entries(AuditCode.VIEW_AS_STARTED) == []
