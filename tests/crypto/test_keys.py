"""The help desk's key: stored sealed, never shown back, replaced and retired, removed."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.models import AuditEvent
from crypto import decryption, keys, sealing
from crypto.models import PrivateKey
from tests.conftest import World
from tests.crypto.conftest import (
    DESK_KEY,
    DESK_PASSPHRASE,
    OTHER_KEY,
    OTHER_PASSPHRASE,
    encrypt_to,
)
from tests.panel.helpers import rendered_form

#: A line from the middle of each armored private key: its secret material.
DESK_SECRET_LINE = DESK_KEY.splitlines()[5]


def _raw_rows() -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM crypto_privatekey")
        return list(cursor.fetchall())


def test_the_row_holds_neither_the_key_nor_the_passphrase(world: World, desk_key):
    (row,) = _raw_rows()
    stored = b"".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for value in row
    )
    assert DESK_SECRET_LINE.encode() not in stored
    assert b"PRIVATE KEY" not in stored
    assert DESK_PASSPHRASE.encode() not in stored
    # What is stored opens with the installation's key, and only with it.
    key = PrivateKey.objects.get()
    assert sealing.unseal(key.sealed_key) == DESK_KEY.strip()
    assert sealing.unseal(key.sealed_passphrase) == DESK_PASSPHRASE
    assert "PRIVATE" not in repr(key) and DESK_PASSPHRASE not in repr(key)


def test_a_separate_encryption_key_seals_instead_of_the_secret_key(settings):
    settings.FRONTDESK_ENCRYPTION_KEY = ""
    by_secret_key = sealing.seal("words")
    settings.FRONTDESK_ENCRYPTION_KEY = "a separate key for the database's secrets"
    by_own_key = sealing.seal("words")
    assert sealing.unseal(by_own_key) == "words"
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(by_secret_key)
    settings.FRONTDESK_ENCRYPTION_KEY = ""
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(by_own_key)


def test_the_public_key_is_kept_readable(desk_key):
    assert desk_key.public_key.startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----")
    assert "PRIVATE" not in desk_key.public_key
    assert keys.public_key() == desk_key.public_key
    assert len(desk_key.fingerprint) == 40


@pytest.mark.parametrize(
    ("armored", "passphrase", "field"),
    [
        (DESK_KEY, "wrong passphrase", "passphrase"),
        (DESK_KEY, "", "passphrase"),
        ("not a key at all", DESK_PASSPHRASE, "key"),
        (
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nbroken\n-----END PGP PRIVATE KEY BLOCK-----",
            "x",
            "key",
        ),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----" + "A" * 70_000, "x", "key"),
    ],
)
def test_an_unusable_key_or_passphrase_is_refused(world: World, armored, passphrase, field):
    with pytest.raises(ValidationError) as refused:
        keys.install(actor=world.admin, armored=armored, passphrase=passphrase)
    assert field in refused.value.message_dict
    assert "backtrace" not in str(refused.value).lower()
    assert not PrivateKey.objects.exists()


@pytest.mark.parametrize("role", ["agent", "supervisor", "customer_a"])
def test_only_administrators_change_the_key(world: World, role):
    with pytest.raises(PermissionDenied):
        keys.install(actor=getattr(world, role), armored=DESK_KEY, passphrase=DESK_PASSPHRASE)


def test_a_new_key_retires_the_old_one_which_still_opens_old_messages(world: World, desk_key):
    old_message = encrypt_to(DESK_KEY, "old secret")
    new = keys.install(actor=world.admin, armored=OTHER_KEY, passphrase=OTHER_PASSPHRASE)

    retired = PrivateKey.objects.get(pk=desk_key.pk)
    assert not retired.is_current and retired.retired_at is not None
    assert keys.current() == new
    assert keys.public_key() == new.public_key
    assert decryption.decrypt(old_message).text == "old secret"
    assert decryption.decrypt(encrypt_to(OTHER_KEY, "new secret")).text == "new secret"

    keys.remove(actor=world.admin, pk=desk_key.pk)
    outcome = decryption.decrypt(old_message)
    assert not outcome.ok and outcome.problem == decryption.NO_KEY
    with pytest.raises(ValidationError):
        keys.remove(actor=world.admin, pk=new.pk)  # the current key stays
    with pytest.raises(PermissionDenied):
        keys.remove(actor=world.supervisor, pk=new.pk)


def test_the_same_key_pasted_again_replaces_its_own_row(world: World, desk_key):
    again = keys.install(actor=world.admin, armored=DESK_KEY, passphrase=DESK_PASSPHRASE)
    assert list(PrivateKey.objects.all()) == [again]


def test_the_settings_page_installs_a_key_and_never_shows_it_back(client, world: World, caplog):
    client.force_login(world.admin)
    page = client.get("/panel/settings/encryption/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    form = rendered_form(page.content.decode(), "key-form")
    form.update(key=DESK_KEY, passphrase=DESK_PASSPHRASE)
    with caplog.at_level(logging.DEBUG):
        saved = client.post("/panel/settings/encryption/", form, follow=True)
    assert saved.status_code == 200
    html = saved.content.decode()
    key = PrivateKey.objects.get()
    assert key.fingerprint.upper() in html
    assert DESK_SECRET_LINE not in html and DESK_PASSPHRASE not in html
    assert DESK_SECRET_LINE not in caplog.text and DESK_PASSPHRASE not in caplog.text
    (audit,) = AuditEvent.objects.filter(target="pgp key")
    assert key.fingerprint.upper() in audit.detail
    assert DESK_PASSPHRASE not in audit.detail and "PRIVATE" not in audit.detail


def test_a_refused_key_comes_back_as_an_empty_form(client, world: World):
    client.force_login(world.admin)
    form = rendered_form(client.get("/panel/settings/encryption/").content.decode(), "key-form")
    form.update(key=DESK_KEY, passphrase="wrong passphrase")
    refused = client.post("/panel/settings/encryption/", form)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "does not unlock" in html
    assert DESK_SECRET_LINE not in html and "wrong passphrase" not in html


def test_the_settings_page_removes_a_retired_key(client, world: World, desk_key):
    keys.install(actor=world.admin, armored=OTHER_KEY, passphrase=OTHER_PASSPHRASE)
    client.force_login(world.admin)
    page = client.get("/panel/settings/encryption/").content.decode()
    assert "retired" in page and f'id="remove-key-{desk_key.pk}"' in page
    form = rendered_form(page, f"remove-key-form-{desk_key.pk}")
    assert "csrfmiddlewaretoken" in form
    removed = client.post(f"/panel/settings/encryption/{desk_key.pk}/remove/", form)
    assert removed.status_code == 302
    assert list(PrivateKey.objects.values_list("fingerprint", flat=True)) == [
        keys.current().fingerprint  # type: ignore[union-attr]
    ]
