"""One-time links in mail to customers (portal/links.py): they open one ticket, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import login
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from accounts.models import AuditCode, AuditEvent, Contact, User
from mail import outbox
from mail.models import OutgoingKind, OutgoingMail
from portal import links, tokens
from portal.auth import TICKET_SCOPE
from portal.models import PortalLink
from tests.conftest import World
from tests.panel.helpers import rendered_form
from tests.portal.links_helpers import (
    last_mail_to,
    link_in,
    link_of,
    open_link,
    page_text,
    path_of,
)
from tests.two_factor_helpers import sign_in
from tickets import actions
from tickets.models import Ticket, TicketType


@pytest.fixture
def desk(world: World) -> World:
    """The shared world, its default queue confirming new tickets and closing."""
    world.support.new_ticket_response = "Thank you, we will answer soon."
    world.support.closed_ticket_response = "We closed your ticket."
    world.support.save()
    return world


@pytest.fixture
def mailed(desk: World) -> tuple[Ticket, str]:
    """A ticket of customer A and the link its confirmation carries."""
    ticket = desk.ticket(title="Cannot log in")
    return ticket, link_of(OutgoingMail.objects.get(kind=OutgoingKind.NEW_TICKET))


def test_the_new_ticket_confirmation_carries_a_link_to_the_ticket(mailed, desk):
    ticket, link = mailed

    assert link.startswith("http://127.0.0.1:8000/portal/link/")
    stored = PortalLink.objects.get()
    assert (stored.ticket, stored.email, stored.contact) == (
        ticket,
        "alice@a.example",
        Contact.objects.get(email="alice@a.example"),
    )
    assert stored.expires_at - stored.created_at == timedelta(days=30)


def test_an_answer_to_the_requester_carries_a_link(desk):
    ticket = desk.ticket()

    actions.answer(actor=desk.admin, ticket=ticket, text="Try again now.")

    row = OutgoingMail.objects.get(kind=OutgoingKind.ANSWER)
    assert link_of(row) != link_of(OutgoingMail.objects.get(kind=OutgoingKind.NEW_TICKET))
    assert row.text.index("Try again now.") < row.text.index("View or reply in your browser:")


def test_the_closed_notice_carries_a_link(desk):
    ticket = desk.ticket()

    actions.close(actor=desk.admin, ticket=ticket)
    # The worker that sends the notice composes it, and issues its link then.
    assert PortalLink.objects.count() == 1
    for queued in OutgoingMail.objects.order_by("id").values_list("pk", flat=True):
        assert outbox.deliver(queued) is True

    link_of(OutgoingMail.objects.get(kind=OutgoingKind.CLOSED))
    assert PortalLink.objects.count() == 2


def test_links_start_with_the_address_set_when_the_mail_is_written(desk, settings):
    settings.FRONTDESK_URL = "https://support.example.com/"

    desk.ticket()

    link = link_of(OutgoingMail.objects.get())
    assert link.startswith("https://support.example.com/portal/link/")


def test_only_a_keyed_hash_of_the_secret_is_stored(mailed):
    _, link = mailed
    token = path_of(link).rstrip("/").rsplit("/", 1)[-1]

    stored = PortalLink.objects.get()
    assert token not in str(stored.__dict__)
    assert stored.secret_hash == tokens.digest(token, tokens.LINK)


def test_an_answer_that_others_read_too_offers_the_portal_but_no_link(desk):
    desk.support.closed_ticket_response = ""
    desk.support.save()
    ticket = desk.ticket(cc=["carol@a.example"])
    PortalLink.objects.all().delete()

    actions.answer(actor=desk.admin, ticket=ticket, text="Done.")

    row = OutgoingMail.objects.get(kind=OutgoingKind.ANSWER)
    assert link_in(row.text) is None
    assert "Your tickets in your browser: http://127.0.0.1:8000/portal/" in row.text
    assert not PortalLink.objects.exists()


def test_a_staff_copy_of_an_answer_carries_no_link(desk):
    ticket = desk.ticket(desk.billing, cc=[desk.supervisor.email])

    actions.answer(actor=desk.supervisor, ticket=ticket, text="Done.")

    customer = OutgoingMail.objects.get(kind=OutgoingKind.ANSWER, recipient="alice@a.example")
    staff_copy = OutgoingMail.objects.get(recipient=desk.supervisor.email)
    assert link_in(customer.text) is not None
    assert link_in(staff_copy.text) is None and "/portal/" not in staff_copy.text + staff_copy.html


def test_a_staff_address_never_gets_a_link(desk):
    ticket = actions.open_ticket(
        actor=desk.admin,
        title="For myself",
        requester_email=desk.agent.email,
        text="A note to self.",
        type=TicketType.STAFF,
    )
    actions.answer(actor=desk.admin, ticket=ticket, text="Answered.")

    rows = OutgoingMail.objects.filter(to=[desk.agent.email])
    assert sorted(rows.values_list("kind", flat=True)) == ["answer", "closed", "new_ticket"]
    assert all("/portal/" not in row.text + row.html for row in rows)
    assert links.issue(ticket=ticket, email=desk.agent.email) is None
    assert not PortalLink.objects.exists()


def test_opening_the_link_shows_a_button_and_uses_nothing_up(mailed, client: Client):
    ticket, link = mailed

    for _ in range(2):
        page = client.get(path_of(link))
        assert page.status_code == 200
        assert f"Open ticket #{ticket.number}" in page.content.decode()

    assert PortalLink.objects.get().used_at is None
    assert "_auth_user_id" not in client.session


def test_the_button_signs_in_the_requester_on_that_ticket_alone(mailed, desk, client: Client):
    ticket, link = mailed
    other = desk.ticket(title="Another ticket of account A")

    response = open_link(client, link)

    assert response.status_code == 302
    assert response["Location"] == f"/portal/tickets/{ticket.number}/"
    assert client.session["_auth_user_id"] == str(desk.customer_a.pk)
    assert client.session[TICKET_SCOPE] == ticket.number
    assert client.get(f"/portal/tickets/{ticket.number}/").status_code == 200
    for refused in (f"/portal/tickets/{other.number}/", "/portal/", "/portal/tickets/new/"):
        page = client.get(refused)
        assert page.status_code == 403, refused
        assert "Sign in with a password to see all your tickets" in page.content.decode()


def test_the_sign_in_by_link_is_in_the_audit_log(mailed, desk, client: Client):
    ticket, link = mailed

    open_link(client, link)

    entry = AuditEvent.objects.get(code=AuditCode.SIGN_IN)
    assert entry.person == desk.customer_a
    assert entry.detail == f"one-time link for ticket #{ticket.number}"


def test_a_used_link_says_so_and_opens_nothing_again(mailed, client: Client):
    _, link = mailed
    open_link(client, link)
    replay = Client()

    page = replay.get(path_of(link))
    posted = replay.post(path_of(link))

    assert page.status_code == posted.status_code == 410
    assert "This link was used already" in page.content.decode()
    assert 'id="fresh-link-form"' in page.content.decode()
    assert "_auth_user_id" not in replay.session


def test_a_fresh_link_goes_to_the_links_address_alone_with_one_answer_for_any(
    mailed, client: Client, django_capture_on_commit_callbacks, mailoutbox
):
    ticket, link = mailed
    open_link(client, link)
    fresh = f"{path_of(link)}fresh/"
    answers = []

    with django_capture_on_commit_callbacks(execute=True):
        for typed in ("alice@a.example", "mallory@evil.example", "ALICE@A.EXAMPLE"):
            answers.append(Client().post(fresh, {"email": typed}))

    assert {answer.status_code for answer in answers} == {200}
    assert len({page_text(answer) for answer in answers}) == 1
    assert [sent.to for sent in mailoutbox] == [["alice@a.example"]] * 2
    renewed = link_in(last_mail_to("alice@a.example").body)
    assert renewed is not None and renewed != link
    assert f"[#{ticket.number}]" in mailoutbox[-1].subject
    assert open_link(Client(), renewed).status_code == 302


def test_an_expired_link_opens_nothing(mailed, client: Client):
    _, link = mailed
    now = timezone.now()
    PortalLink.objects.update(
        created_at=now - timedelta(days=31), expires_at=now - timedelta(seconds=1)
    )

    page = client.get(path_of(link))
    posted = client.post(path_of(link))

    assert page.status_code == posted.status_code == 410
    assert "This link has expired" in page.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:20],
        lambda token: token + "x",
        lambda token: "%00" + token,
    ],
)
def test_a_changed_link_opens_nothing(mailed, client: Client, change):
    _, link = mailed
    token = path_of(link).rstrip("/").rsplit("/", 1)[-1]
    changed = f"/portal/link/{change(token)}/"

    assert client.get(changed).status_code == 404
    assert client.post(changed).status_code == 404
    assert PortalLink.objects.get().used_at is None


def test_a_revoked_link_opens_nothing_and_offers_no_fresh_one(mailed, client: Client):
    _, link = mailed
    assert links.revoke(PortalLink.objects.all()) == 1

    page = client.get(path_of(link))

    assert page.status_code == 410
    assert "This link was withdrawn" in page.content.decode()
    assert 'id="fresh-link-form"' not in page.content.decode()
    assert client.post(path_of(link)).status_code == 410


def test_an_administrator_revokes_links_in_the_admin(mailed, desk):
    _, link = mailed
    admin = Client()
    admin.force_login(desk.admin)
    stored = PortalLink.objects.get()

    response = admin.post(
        "/admin/portal/portallink/",
        {"action": "revoke_links", "_selected_action": [stored.pk]},
    )

    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert Client().post(path_of(link)).status_code == 410


def test_changing_the_requester_revokes_the_tickets_links(
    mailed, desk, django_capture_on_commit_callbacks
):
    ticket, link = mailed

    with django_capture_on_commit_callbacks(execute=True):
        actions.change_details(actor=desk.admin, ticket=ticket, requester_email="dan@a.example")

    assert PortalLink.objects.get().revoked_at is not None
    assert Client().post(path_of(link)).status_code == 410


def test_a_link_of_a_contact_who_moved_to_another_address_opens_nothing(mailed, client: Client):
    _, link = mailed
    Contact.objects.filter(email="alice@a.example").update(email="alice@new.example")

    assert open_link(client, link).status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_person_of_no_account_is_made_for_the_address_without_a_password(desk, client: Client):
    ticket = desk.ticket(requester_email="newbie@nowhere.example", account=desk.account_b)
    actions.change_account(actor=desk.admin, ticket=ticket, account=None)
    link = link_of(OutgoingMail.objects.get(kind=OutgoingKind.NEW_TICKET))
    assert not User.objects.filter(email="newbie@nowhere.example").exists()

    response = open_link(client, link)

    person = User.objects.get(email="newbie@nowhere.example")
    assert response.status_code == 302
    assert not person.has_usable_password() and person.contact is None and person.staff is None
    assert client.get(f"/portal/tickets/{ticket.number}/").status_code == 200


def test_staff_never_sign_in_through_a_customers_link(mailed, desk, client: Client):
    _, link = mailed
    client.force_login(desk.admin)

    assert client.get(path_of(link)).status_code == 403
    assert client.post(path_of(link)).status_code == 403
    assert PortalLink.objects.get().used_at is None
    assert client.session["_auth_user_id"] == str(desk.admin.pk)


def test_the_scoped_page_leads_to_signing_in_with_the_password(mailed, client: Client):
    _, link = mailed
    open_link(client, link)
    page = client.get("/portal/")

    signed_out = client.post("/logout/", rendered_form(page.content.decode(), "password-sign-in"))
    sign_in(client, "alice@a.example")

    assert signed_out["Location"] == "/login/"
    assert TICKET_SCOPE not in client.session
    assert client.get("/portal/").status_code == 200


def test_a_sign_in_in_a_session_a_link_scoped_ends_the_scope(mailed, desk, rf):
    request = rf.get("/")
    request.session = SessionStore()
    request.session[TICKET_SCOPE] = mailed[0].number
    login(request, desk.customer_a, backend="django.contrib.auth.backends.ModelBackend")

    assert TICKET_SCOPE not in request.session


def test_a_customer_signed_in_with_a_password_keeps_all_their_tickets(mailed, desk, client: Client):
    ticket, link = mailed
    client.force_login(desk.customer_a)

    assert open_link(client, link)["Location"] == f"/portal/tickets/{ticket.number}/"

    assert TICKET_SCOPE not in client.session
    assert client.get("/portal/").status_code == 200
