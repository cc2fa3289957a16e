"""Registering for the portal (portal/registration.py): off by default, verified by mail."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from accounts.models import Account, AuditCode, AuditEvent, Contact, User
from portal import registration, tasks
from portal.models import PortalRegistration
from tests.conftest import set_helpdesk
from tests.panel.helpers import rendered_form
from tests.portal.links_helpers import capture, last_mail_to, page_text, path_of
from tests.two_factor_helpers import signed_in_as

REGISTER = "/portal/register/"
PASSWORD = "a good long password 7"


def register_form(client: Client, email: str, name: str = "Nora New") -> dict[str, object]:
    page = client.get(REGISTER)
    assert page.status_code == 200
    form = rendered_form(page.content.decode(), "register-form")
    return {**form, "email": email, "full_name": name, "password": PASSWORD}


def verification_link_in(text: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000/portal/register/verify/\S+/", text)
    assert found, text
    return found.group(0)


@pytest.fixture
def registration_on(db):
    set_helpdesk(portal_registration=True)


@pytest.fixture
def register(client: Client, django_capture_on_commit_callbacks, mailoutbox):
    """Register (the worker runs at once here); the mail that came of it."""

    def fill_in(email: str, name: str = "Nora New"):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(REGISTER, register_form(client, email, name))
        assert answer.status_code == 200, answer.content
        return last_mail_to(email)

    return fill_in


def verify(client: Client, link: str):
    page = client.get(path_of(link))
    assert page.status_code == 200
    return client.post(path_of(link), rendered_form(page.content.decode(), "register-verify-form"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_registration_is_off_by_default(world, client, method):
    assert getattr(client, method)(REGISTER).status_code == 404
    assert getattr(client, method)("/portal/register/verify/" + "x" * 43 + "/").status_code == 404
    assert 'id="register-link"' not in client.get("/login/").content.decode()


def test_the_sign_in_page_offers_registration_when_it_is_on(world, client, registration_on):
    assert 'id="register-link"' in client.get("/login/").content.decode()


def test_a_new_address_signs_in_only_after_it_is_verified(world, client, registration_on, register):
    sent = register("nora@nowhere.example")

    assert not User.objects.filter(email="nora@nowhere.example").exists()
    assert authenticate(username="nora@nowhere.example", password=PASSWORD) is None
    link = verification_link_in(sent.body)
    assert f'<a href="{link}">' in sent.alternatives[0][0]
    assert client.get(path_of(link)).status_code == 200  # the page alone verifies nothing
    assert not User.objects.filter(email="nora@nowhere.example").exists()

    welcome = verify(client, link)

    person = User.objects.get(email="nora@nowhere.example")
    assert welcome["Location"] == "/portal/"
    assert signed_in_as(client) == person.pk
    assert (person.full_name, person.contact) == ("Nora New", None)
    assert authenticate(username="nora@nowhere.example", password=PASSWORD) == person
    assert not PortalRegistration.objects.exists()
    entry = AuditEvent.objects.get(code=AuditCode.PORTAL_REGISTERED)
    assert (entry.person, entry.detail) == (person, "address verified; a customer of no account")


def test_a_verification_link_works_once(world, registration_on, register):
    link = verification_link_in(register("nora@nowhere.example").body)
    verify(Client(), link)

    again = Client()
    assert again.get(path_of(link)).status_code == 410
    assert again.post(path_of(link)).status_code == 410
    assert signed_in_as(again) is None


def test_an_address_with_an_account_gets_the_same_answer_and_a_mail_of_its_own(
    world, registration_on, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    queued: list[int] = []
    monkeypatch.setattr(tasks, "mail_registration", queued.append)
    pages, works = [], []
    for typed in ("alice@a.example", "nora@nowhere.example"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            answer, work = capture(client, "post", REGISTER, register_form(client, typed))
        pages.append(page_text(answer).replace(typed, "(address)"))
        works.append(work)

    assert pages[0] == pages[1]
    assert works[0] == works[1]
    assert len(queued) == 2 and mailoutbox == []

    for registration_id in queued:
        registration.mail_for(registration_id)  # what the worker does
    already = last_mail_to("alice@a.example")
    assert "which has an account already. Nothing was changed." in already.body
    assert "/portal/password/reset/" in already.body
    assert "/register/verify/" not in already.body
    assert authenticate(username="alice@a.example", password="secret") == world.customer_a


def test_a_domain_of_an_account_joins_it_when_the_settings_allow(
    world, client, registration_on, register
):
    set_helpdesk(portal_registration=True, portal_join_by_domain=True)
    Account.objects.filter(pk=world.account_a.pk).update(email_domains="A.example, @a-corp.example")

    verify(client, verification_link_in(register("dora@a-corp.example", "Dora").body))

    contact = Contact.objects.get(email="dora@a-corp.example")
    assert (contact.account, contact.name) == (world.account_a, "Dora")
    assert contact.user == User.objects.get(email="dora@a-corp.example")
    entry = AuditEvent.objects.get(code=AuditCode.PORTAL_REGISTERED)
    assert entry.target == "account “Account A”"


def test_a_domain_joins_nothing_unless_the_settings_allow(world, client, registration_on, register):
    Account.objects.filter(pk=world.account_a.pk).update(email_domains="a-corp.example")

    verify(client, verification_link_in(register("dora@a-corp.example").body))

    assert User.objects.get(email="dora@a-corp.example").contact is None
    assert not Contact.objects.filter(email="dora@a-corp.example").exists()


def test_a_domain_two_accounts_claim_joins_neither(world, client, register):
    set_helpdesk(portal_registration=True, portal_join_by_domain=True)
    Account.objects.filter(pk__in=[world.account_a.pk, world.account_b.pk]).update(
        email_domains="shared.example"
    )

    verify(client, verification_link_in(register("eve@shared.example").body))

    assert User.objects.get(email="eve@shared.example").contact is None


def test_a_contact_without_a_login_becomes_its_login_when_the_settings_allow(
    world, client, register
):
    set_helpdesk(portal_registration=True, portal_join_by_domain=True)
    contact = Contact.objects.create(account=world.account_b, email="carol@b.example")

    verify(client, verification_link_in(register("carol@b.example").body))

    contact.refresh_from_db()
    assert contact.user == User.objects.get(email="carol@b.example")


def test_a_weak_password_is_refused_before_anything_is_kept(world, client, registration_on):
    form = {**register_form(client, "nora@nowhere.example"), "password": "nora"}

    answer = client.post(REGISTER, form)

    assert answer.status_code == 422
    assert "This password is too short." in answer.content.decode()
    assert not PortalRegistration.objects.exists()


def test_registering_is_limited_like_other_mail(world, registration_on, settings):
    settings.PORTAL_MAIL_REQUESTS = 1
    first, second = Client(), Client()

    assert first.post(REGISTER, register_form(first, "nora@nowhere.example")).status_code == 200
    refused = second.post(REGISTER, register_form(second, "nora@nowhere.example"))

    assert refused.status_code == 422
    assert "We have sent several mails to this address lately." in refused.content.decode()
    assert PortalRegistration.objects.count() == 1


def test_verifying_after_registration_was_turned_off_does_nothing(world, client, register):
    set_helpdesk(portal_registration=True)
    link = verification_link_in(register("nora@nowhere.example").body)
    set_helpdesk(portal_registration=False)

    assert client.post(path_of(link)).status_code == 404
    assert not User.objects.filter(email="nora@nowhere.example").exists()
