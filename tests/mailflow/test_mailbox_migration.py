"""mail 0002: Mailbox.use_ssl becomes Mailbox.security, both ways, on the real database."""

from __future__ import annotations

import pytest
from django.apps.registry import Apps

BEFORE = [("mail", "0001_initial")]
AFTER = [("mail", "0002_mailbox_security")]

pytestmark = pytest.mark.django_db(transaction=True)


def _mailbox(apps: Apps, name: str, **fields: object) -> None:
    queue = apps.get_model("tickets", "Queue").objects.create(name=f"Queue of {name}")
    apps.get_model("mail", "Mailbox").objects.create(
        name=name, host="mail.frontdesk.example", username=name, queue=queue, **fields
    )


def _column(apps: Apps, field: str) -> dict[str, object]:
    return dict(apps.get_model("mail", "Mailbox").objects.values_list("name", field))


def test_ssl_becomes_tls_and_no_ssl_becomes_plain_text(migrate):
    old = migrate(BEFORE)
    _mailbox(old, "ssl", use_ssl=True)
    _mailbox(old, "plain", use_ssl=False)

    new = migrate(AFTER)

    assert _column(new, "security") == {"ssl": "tls", "plain": "none"}
    assert _column(new, "ca_file") == {"ssl": "", "plain": ""}


def test_going_back_keeps_starttls_mailboxes_off_plain_text(migrate):
    new = migrate(AFTER)
    for security in ("tls", "starttls", "none"):
        _mailbox(new, security, security=security)

    old = migrate(BEFORE)

    assert _column(old, "use_ssl") == {"tls": True, "starttls": True, "none": False}
