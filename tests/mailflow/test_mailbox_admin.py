"""Mailboxes in the Django admin: the password never goes back to the browser, and a
mailbox without encryption is marked insecure."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from mail.models import Mailbox, Protocol, Security
from tests.panel.helpers import rendered_form

STORED = "Stored-Pa55word-4711"


def _mailbox(**fields: object) -> Mailbox:
    values: dict[str, object] = {
        "name": "Support inbox",
        "protocol": Protocol.IMAP,
        "host": "mail.frontdesk.example",
        "username": "support",
        "password": STORED,
    }
    return Mailbox.objects.create(**{**values, **fields})


def _change_url(mailbox: Mailbox) -> str:
    return reverse("admin:mail_mailbox_change", args=[mailbox.pk])


@pytest.fixture
def admin_client(client: Client, world) -> Client:
    client.force_login(world.admin)
    return client


def _post_as_rendered(client: Client, mailbox: Mailbox, **typed: object):
    """Post the change page's form as the browser would, with ``typed`` over it."""
    page = client.get(_change_url(mailbox))
    assert page.status_code == 200
    data = {**rendered_form(page.content.decode(), "mailbox_form"), **typed}
    return client.post(_change_url(mailbox), data)


def test_the_change_page_never_shows_the_stored_password(admin_client):
    mailbox = _mailbox()

    page = admin_client.get(_change_url(mailbox)).content.decode()

    assert STORED not in page
    assert rendered_form(page, "mailbox_form")["password"] == ""
    assert 'type="password" name="password"' in page


def test_saving_the_page_unchanged_keeps_the_password(admin_client):
    mailbox = _mailbox()

    response = _post_as_rendered(admin_client, mailbox)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Mailbox.objects.get(pk=mailbox.pk).password == STORED


def test_a_typed_password_replaces_the_stored_one(admin_client):
    mailbox = _mailbox()

    _post_as_rendered(admin_client, mailbox, password="new secret ")

    assert Mailbox.objects.get(pk=mailbox.pk).password == "new secret "


def test_the_stored_password_can_be_removed(admin_client):
    mailbox = _mailbox()

    _post_as_rendered(admin_client, mailbox, clear_password="on")

    assert Mailbox.objects.get(pk=mailbox.pk).password == ""


def test_typing_a_password_and_removing_the_stored_one_at_once_is_refused(admin_client):
    mailbox = _mailbox()

    response = _post_as_rendered(admin_client, mailbox, password="new", clear_password="on")

    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert Mailbox.objects.get(pk=mailbox.pk).password == STORED


def test_a_new_mailbox_uses_tls_unless_an_administrator_chooses_otherwise(admin_client):
    page = admin_client.get(reverse("admin:mail_mailbox_add")).content.decode()

    assert rendered_form(page, "mailbox_form")["security"] == Security.TLS


def test_the_security_can_be_changed_and_a_ca_file_pinned(admin_client):
    mailbox = _mailbox()

    response = _post_as_rendered(
        admin_client, mailbox, security=Security.STARTTLS, ca_file="/etc/ssl/company-ca.pem"
    )

    mailbox.refresh_from_db()
    assert (mailbox.security, mailbox.ca_file) == (Security.STARTTLS, "/etc/ssl/company-ca.pem")
    assert mailbox.password == STORED
    # Saved all the same: the web server need not be a machine that polls.
    assert any(
        "cannot be read on this machine" in str(message)
        for message in get_messages(response.wsgi_request)
    )


@pytest.mark.parametrize(
    ("security", "ca_file", "error"),
    [
        (Security.TLS, "company-ca.pem", "Give an absolute path"),
        (Security.NONE, "/etc/ssl/company-ca.pem", "A CA file needs TLS or STARTTLS."),
    ],
)
def test_a_ca_file_must_be_an_absolute_path_and_needs_encryption(
    admin_client, security, ca_file, error
):
    mailbox = _mailbox()

    response = _post_as_rendered(admin_client, mailbox, security=security, ca_file=ca_file)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Mailbox.objects.get(pk=mailbox.pk).ca_file == ""


def test_a_mailbox_without_encryption_is_marked_insecure(admin_client):
    plain = _mailbox(security=Security.NONE)
    _mailbox(name="Encrypted inbox")

    change_page = admin_client.get(_change_url(plain)).content.decode()
    listing = admin_client.get(reverse("admin:mail_mailbox_changelist")).content.decode()

    assert "Not encrypted: this mailbox sends its password and every message" in change_page
    assert "<strong>None: plain text, insecure</strong>" in listing
    assert "TLS from the start (IMAPS, POP3S)" in listing


def test_an_encrypted_mailbox_carries_no_warning(admin_client):
    page = admin_client.get(_change_url(_mailbox())).content.decode()

    assert "Not encrypted" not in page


@pytest.mark.parametrize("person", ["agent", "supervisor", "customer_a"])
def test_only_administrators_reach_the_mailbox_admin(client, world, person):
    mailbox = _mailbox()
    client.force_login(getattr(world, person))

    response = client.get(_change_url(mailbox))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
