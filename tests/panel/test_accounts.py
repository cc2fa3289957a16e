"""Customer records in the panel (S18, S46): the account list and page, creating and
editing accounts and contacts, and inviting a contact to the portal."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Account, AuditCode, AuditEvent, Contact, User
from mail.models import OutgoingKind, OutgoingMail
from tests.conftest import SETUP, World
from tests.panel.helpers import open_tickets, rendered_form
from tickets import actions

SUPERVISING = ["supervisor", "admin"]


def entries(code: AuditCode) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(code=code).order_by("id"))


def page_form(client: Client, url: str, form_id: str, **typed: object) -> dict[str, object]:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return {**rendered_form(page.content.decode(), form_id), **typed}


# Looking -------------------------------------------------------------------------------


def test_the_toolbar_leads_to_the_customers(world, as_user):
    page = as_user(world.agent).get(reverse("panel:home")).content.decode()
    link = rf'href="{reverse("panel:customers")}" id="nav-customers"><svg [^>]*>.*?</svg>Customers<'
    assert re.search(link, page)


def test_staff_list_the_accounts_and_search_them(world, as_user):
    Contact.objects.create(account=world.account_b, email="billing@b.example")
    client = as_user(world.agent)
    listed = client.get(reverse("panel:customers")).content.decode()
    assert "Account A" in listed and "Account B" in listed
    for query in ("ccount b", "B-1", "billing@b"):
        found = client.get(reverse("panel:customers"), {"q": query}).content.decode()
        assert "Account B" in found and "Account A" not in found, query
    nothing = client.get(reverse("panel:customers"), {"q": "zzz"}).content.decode()
    assert "No account matches" in nothing


def test_the_account_page_shows_the_record_its_contacts_and_the_tickets_one_sees(world, as_user):
    world.account_a.email_domains = "a.example"
    world.account_a.notes = "Pays late."
    world.account_a.save()
    billing = open_tickets(2, world.billing, account=world.account_a)
    actions.close(actor=SETUP, ticket=billing[1])
    sales = open_tickets(1, world.sales, account=world.account_a, title="Sales question")
    open_tickets(1, world.billing, account=world.account_b, title="Of account B")
    page = as_user(world.supervisor).get(reverse("panel:customer", args=[world.account_a.pk]))
    html = page.content.decode()
    for expected in ("Account A", "A-1", "a.example", "Pays late.", "alice@a.example"):
        assert expected in html, expected
    # Visible tickets only: billing and the default queue, not sales.
    listed = set(map(int, re.findall(r'href="/panel/tickets/(\d+)/"', html)))
    assert listed == {ticket.number for ticket in billing}
    assert sales[0].number not in listed
    counts = html.split('id="ticket-counts"')[1].split("</ul>")[0]
    assert "New: <strong>1</strong>" in counts
    assert "Closed: <strong>1</strong>" in counts
    assert "Tickets of this account you see: 2." in html


def test_an_agent_counts_only_the_tickets_assigned_to_them(world, as_user):
    mine, other = open_tickets(2, world.billing, account=world.account_a)
    actions.assign(actor=SETUP, ticket=mine, assignee=world.agent)
    html = as_user(world.agent).get(reverse("panel:customer", args=[world.account_a.pk]))
    html = html.content.decode()
    assert "Tickets of this account you see: 1." in html
    assert f"/panel/tickets/{mine.number}/" in html
    assert f"/panel/tickets/{other.number}/" not in html
    # An agent looks; changing is for supervisors.
    assert 'id="account-edit"' not in html and 'id="contact-create"' not in html


def test_the_ticket_page_leads_to_the_account_page_for_every_role(world, as_user):
    ticket = world.ticket(world.billing)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    account_page = reverse("panel:customer", args=[world.account_a.pk])
    for person, words in ((world.admin, "Edit customer"), (world.agent, "Customer record")):
        page = as_user(person).get(reverse("panel:ticket", args=[ticket.number])).content.decode()
        assert f'href="{account_page}" id="edit-customer">{words}<' in page
        assert "/admin/accounts/account/" not in page


# Changing: supervisors and administrators ------------------------------------------------


@pytest.mark.parametrize("role", SUPERVISING)
def test_supervisors_and_administrators_create_an_account(world, as_user, role):
    client = as_user(getattr(world, role))
    url = reverse("panel:customer_create")
    form = page_form(
        client,
        url,
        "account-form",
        name="Globex",
        external_id="G-7",
        email_domains="Globex.example, globex.example  globex.org",
    )
    response = client.post(url, form)
    account = Account.objects.get(name="Globex")
    assert response["Location"] == reverse("panel:customer", args=[account.pk])
    assert account.email_domains == "globex.example, globex.org"
    [added] = entries(AuditCode.ACCOUNT_ADDED)
    assert added.actor_id == getattr(world, role).pk
    assert added.target == "account “Globex”" and "Name: (empty) → Globex" in added.detail


@pytest.mark.parametrize("role", SUPERVISING)
def test_supervisors_and_administrators_edit_an_account(world, as_user, role):
    client = as_user(getattr(world, role))
    url = reverse("panel:customer_edit", args=[world.account_a.pk])
    client.post(url, page_form(client, url, "account-form", notes="VIP", external_id="A-2"))
    world.account_a.refresh_from_db()
    assert (world.account_a.notes, world.account_a.external_id) == ("VIP", "A-2")
    [changed] = entries(AuditCode.ACCOUNT_CHANGED)
    assert "External id: A-1 → A-2" in changed.detail and "Notes" in changed.detail


def test_an_account_form_refuses_a_taken_external_id_and_a_wrong_domain(world, as_user):
    client = as_user(world.supervisor)
    url = reverse("panel:customer_edit", args=[world.account_a.pk])
    form = page_form(client, url, "account-form", external_id="B-1", email_domains="a.example, x_")
    response = client.post(url, form)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Account B has this external id already." in html
    assert "Not a domain name: x_." in html
    assert entries(AuditCode.ACCOUNT_CHANGED) == []


def test_a_contact_is_added_and_edited_and_their_login_follows_the_address(world, as_user):
    client = as_user(world.supervisor)
    url = reverse("panel:contact_create", args=[world.account_a.pk])
    client.post(url, page_form(client, url, "contact-form", name="Carol", email="carol@a.example"))
    carol = Contact.objects.get(email="carol@a.example")
    assert carol.account == world.account_a
    [added] = entries(AuditCode.CONTACT_ADDED)
    assert added.person_email == "carol@a.example" and added.target == "account “Account A”"

    alice = world.customer_a.contact
    url = reverse("panel:contact_edit", args=[alice.pk])
    client.post(url, page_form(client, url, "contact-form", email="alice@new.example"))
    world.customer_a.refresh_from_db()
    assert world.customer_a.email == "alice@new.example"
    [changed] = entries(AuditCode.CONTACT_CHANGED)
    assert changed.person_id == world.customer_a.pk
    assert "alice@a.example → alice@new.example" in changed.detail


def test_a_contact_address_of_another_contact_or_of_staff_is_refused(world, as_user):
    client = as_user(world.admin)
    url = reverse("panel:contact_create", args=[world.account_a.pk])
    taken = client.post(url, page_form(client, url, "contact-form", email="BOB@b.example"))
    assert taken.status_code == 422
    assert "is a contact of Account B already" in taken.content.decode()
    alice = world.customer_a.contact
    url = reverse("panel:contact_edit", args=[alice.pk])
    staff = client.post(url, page_form(client, url, "contact-form", email=world.agent.email))
    assert staff.status_code == 422
    assert "Somebody else signs in with this address." in staff.content.decode()
    assert Contact.objects.get(pk=alice.pk).email == "alice@a.example"


@pytest.mark.parametrize(
    "name",
    ["customer_create", "customer_edit", "contact_create", "contact_edit", "contact_invite"],
)
def test_agents_may_look_but_not_change_customer_records(world, as_user, name):
    # Contact pages name the contact; the others its account.
    on_contact = name in ("contact_edit", "contact_invite")
    pk = world.customer_a.contact.pk if on_contact else world.account_a.pk
    url = reverse(f"panel:{name}", args=[] if name == "customer_create" else [pk])
    client = as_user(world.agent)
    assert client.post(url, {"name": "Hijacked", "email": "x@x.example"}).status_code == 403
    if name != "contact_invite":
        assert client.get(url).status_code == 403
    assert not Account.objects.filter(name="Hijacked").exists()
    assert AuditEvent.objects.filter(code__startswith="contact").count() == 0


# Inviting to the portal ------------------------------------------------------------------


def invitation_link(row: OutgoingMail) -> str:
    match = re.search(r"https?://\S+/portal/password/reset/\S+/", row.text)
    assert match, row.text
    return match.group(0)


def test_an_invitation_gives_a_login_mails_a_link_and_the_contact_signs_in(
    world: World, as_user, django_capture_on_commit_callbacks
):
    dave = Contact.objects.create(account=world.account_a, email="dave@a.example", name="Dave")
    ticket = world.ticket(world.support, title="Our printer")
    client = as_user(world.supervisor)
    page = client.get(reverse("panel:customer", args=[world.account_a.pk])).content.decode()
    assert f'id="invite-{dave.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("panel:contact_invite", args=[dave.pk]))
    assert response["Location"] == reverse("panel:customer", args=[world.account_a.pk])
    dave.refresh_from_db()
    assert dave.user is not None and not dave.user.has_usable_password()

    row = OutgoingMail.objects.get(kind=OutgoingKind.INVITATION)
    assert row.to == ["dave@a.example"] and row.ticket is None
    assert row.headers["Auto-Submitted"] == "auto-generated"
    [sent] = mail.outbox
    assert sent.to == ["dave@a.example"] and invitation_link(row) in sent.body
    [invited] = entries(AuditCode.PORTAL_INVITED)
    assert (invited.actor_id, invited.person_id) == (world.supervisor.pk, dave.user.pk)

    # Follow the link: choose a password, then sign in as Dave.
    stranger = Client()
    path = invitation_link(row).split("://", 1)[1].split("/", 1)[1]
    opened = stranger.get("/" + path, follow=True)
    assert opened.status_code == 200
    set_password_url = opened.redirect_chain[-1][0]
    form = rendered_form(opened.content.decode(), password_form_id(opened.content.decode()))
    chosen = {
        **form,
        "new_password1": "a long new passphrase 7",
        "new_password2": "a long new passphrase 7",
    }
    assert stranger.post(set_password_url, chosen).status_code == 302
    dave_signed_in = Client()
    assert dave_signed_in.login(username="dave@a.example", password="a long new passphrase 7")
    assert ticket.title in dave_signed_in.get(reverse("portal:home")).content.decode()


def password_form_id(html: str) -> str:
    """The id of the form that holds the new password fields."""
    for form_id in re.findall(r'<form[^>]*id="([^"]+)"', html):
        if "new_password1" in rendered_form(html, form_id):
            return form_id
    raise AssertionError("no form with a new password on the page")


def test_inviting_again_a_contact_who_has_a_password_sends_a_new_link(
    world, as_user, django_capture_on_commit_callbacks
):
    client = as_user(world.admin)
    contact = world.customer_a.contact
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("panel:contact_invite", args=[contact.pk]))
    assert [message.to for message in mail.outbox] == [["alice@a.example"]]
    [invited] = entries(AuditCode.PORTAL_INVITED)
    assert "has a password already" in invited.detail
    world.customer_a.refresh_from_db()
    assert world.customer_a.check_password("secret")  # nothing changes until they use it


def test_a_contact_whose_address_is_staff_is_not_invited(world, as_user):
    contact = Contact.objects.create(account=world.account_a, email=world.agent.email)
    client = as_user(world.supervisor)
    response = client.post(reverse("panel:contact_invite", args=[contact.pk]), follow=True)
    assert "signs in as staff" in response.content.decode()
    assert not OutgoingMail.objects.filter(kind=OutgoingKind.INVITATION).exists()
    assert entries(AuditCode.PORTAL_INVITED) == []
    assert User.objects.filter(email=world.agent.email).count() == 1


def test_names_typed_as_markup_are_shown_as_text(world, as_user):
    world.account_a.name = "<script>alert(1)</script>Acme\u202e"
    world.account_a.notes = "<img src=x onerror=alert(2)>"
    world.account_a.save()
    client = as_user(world.supervisor)
    for url in (
        reverse("panel:customers"),
        reverse("panel:customer", args=[world.account_a.pk]),
        reverse("panel:customer_edit", args=[world.account_a.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;Acme" in html, url
