"""Password reset by mail (portal/password_reset.py), for customers and staff."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from accounts.models import AuditCode, AuditEvent, Contact, User
from portal import tasks
from tests.panel.helpers import rendered_form
from tests.portal.links_helpers import capture, last_mail_to, page_text, path_of
from tests.two_factor_helpers import sign_in, signed_in_as, turn_on

RESET = "/portal/password/reset/"
NEW_PASSWORD = "a long new password 42"


def reset_form(client: Client, email: str) -> dict[str, object]:
    page = client.get(RESET)
    assert page.status_code == 200
    return {**rendered_form(page.content.decode(), "password-reset-form"), "email": email}


def ask_for_reset(client: Client, email: str):
    return client.post(RESET, reset_form(client, email))


def reset_link_in(text: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000/portal/password/reset/\S+/\S+/", text)
    assert found, text
    return found.group(0)


def choose_password(client: Client, link: str, password: str = NEW_PASSWORD):
    """Open the mailed link and type the new password twice, as the page asks."""
    opened = client.get(path_of(link))
    assert opened.status_code == 302, opened.status_code
    page = client.get(opened["Location"])
    form = rendered_form(page.content.decode(), "password-set-form")
    typed = {"new_password1": password, "new_password2": password}
    return client.post(opened["Location"], {**form, **typed})


@pytest.fixture
def mailed_reset(client: Client, django_capture_on_commit_callbacks, mailoutbox):
    """Ask for a reset (the worker runs at once here) and return the mailed link."""

    def ask(email: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            assert ask_for_reset(client, email).status_code == 302
        return reset_link_in(last_mail_to(email).body)

    return ask


def test_known_and_unknown_addresses_get_one_answer_after_the_same_work(
    world, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    queued: list[tuple[str, str]] = []
    monkeypatch.setattr(tasks, "mail_password_reset", lambda *args: queued.append(args))
    answers, works, pages = [], [], []

    for typed in ("alice@a.example", "nobody@a.example"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            answer, work = capture(client, "post", RESET, reset_form(client, typed))
        answers.append(answer["Location"])
        works.append(work)
        pages.append(page_text(client.get(answer["Location"])))

    assert answers == ["/portal/password/reset/sent/"] * 2
    assert works[0] == works[1]
    assert pages[0] == pages[1]
    # Neither request looked the address up or mailed: the worker does both, later.
    assert not any("accounts_user" in statement for statement in works[0])
    assert mailoutbox == []
    assert queued == [("alice@a.example", "127.0.0.1"), ("nobody@a.example", "127.0.0.1")]


def test_the_mailed_link_sets_a_new_password_and_signs_nobody_in(world, client, mailed_reset):
    link = mailed_reset("alice@a.example")

    done = choose_password(client, link)

    assert done["Location"] == "/portal/password/reset/done/"
    assert signed_in_as(client) is None
    assert authenticate(username="alice@a.example", password=NEW_PASSWORD) == world.customer_a
    assert [entry.detail for entry in AuditEvent.objects.filter(code=AuditCode.PASSWORD_RESET)] == [
        "new password chosen with a link from a mail",
        "reset link mailed",
    ]
    assert client.get(path_of(link)).context["validlink"] is False


def test_an_unknown_address_gets_no_mail_and_the_request_is_logged(
    world, client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, "Nobody@A.example")

    assert mailoutbox == []
    entry = AuditEvent.objects.get(code=AuditCode.PASSWORD_RESET)
    assert (entry.person, entry.person_email) == (None, "nobody@a.example")


@pytest.mark.parametrize("known", [True, False])
def test_mail_to_one_address_is_limited_alike_known_or_not(world, settings, known):
    settings.PORTAL_MAIL_REQUESTS = 2
    email = "alice@a.example" if known else "nobody@a.example"

    answers = [ask_for_reset(Client(), email) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 200]
    refusal = answers[-1].content.decode()
    assert "We have sent several mails to this address lately. Try again in 60 minutes." in refusal


def test_requests_from_one_client_are_limited(world, settings):
    settings.PORTAL_MAIL_ADDRESS_REQUESTS = 3

    answers = [ask_for_reset(Client(), f"person{index}@a.example") for index in range(4)]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 200]
    assert "Too many requests from your network." in answers[-1].content.decode()


def test_staff_with_two_factor_sign_in_still_type_their_code_after_a_reset(
    world, client, mailed_reset
):
    turn_on(world.admin)

    choose_password(client, mailed_reset(world.admin.email))
    response = sign_in(client, world.admin.email, NEW_PASSWORD)

    assert response["Location"] == "/login/code/"
    assert signed_in_as(client) is None


def test_a_deactivated_person_gets_no_link(
    world, client, django_capture_on_commit_callbacks, mailoutbox
):
    User.objects.filter(pk=world.customer_a.pk).update(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, "alice@a.example")

    assert mailoutbox == []


def test_a_contact_who_never_had_a_password_waits_for_an_invitation(
    world, client, django_capture_on_commit_callbacks, mailoutbox
):
    contact = Contact.objects.create(account=world.account_a, email="carol@a.example")
    contact.user = User.objects.create_user("carol@a.example", None)
    contact.save()

    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, "carol@a.example")

    assert mailoutbox == []


def test_a_person_of_no_account_without_a_password_may_choose_one(world, client, mailed_reset):
    person = User.objects.create_user("newbie@nowhere.example", None)

    choose_password(client, mailed_reset("newbie@nowhere.example"))

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_a_link_for_another_person_or_a_made_up_one_sets_nothing(world, client):
    page = client.get("/portal/password/reset/MQ/made-up-token/")

    assert page.status_code == 200 and page.context["validlink"] is False
    assert "This link does not work" in page.content.decode()
