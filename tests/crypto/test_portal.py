"""The portal publishes the key and offers "Encrypt this part" only when there is one."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import World
from tests.crypto.conftest import DESK_KEY, encrypt_to


def _form_page(client: Client, world: World, which: str) -> str:
    if which == "new":
        url = "/portal/tickets/new/"
    else:
        url = f"/portal/tickets/{world.ticket(world.billing).number}/"
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize("which", ["new", "reply"])
def test_encrypt_this_part_is_offered_with_a_published_key(world: World, desk_key, which):
    client = Client()
    client.force_login(world.customer_a)
    html = _form_page(client, world, which)
    assert 'id="encrypt-part" hidden' in html  # shown by the script, nothing without it
    # It encrypts into the form's message field.
    target = re.search(r'data-message="([^"]+)"', html)
    assert target is not None
    assert re.search(rf'<textarea name="message"[^>]*id="{target.group(1)}"', html)
    assert '<script type="module" src="/static/portal/encrypt.mjs"></script>' in html
    assert "openpgp.min.mjs" in html
    # The secret's field has no name: it is never posted.
    secret = re.search(r"<textarea id=\"encrypt-secret\"[^>]*>", html)
    assert secret is not None and "name=" not in secret.group(0)
    # No inline script anywhere (the Content-Security-Policy allows none).
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


@pytest.mark.parametrize("which", ["new", "reply"])
def test_nothing_to_encrypt_with_without_a_key(world: World, which):
    client = Client()
    client.force_login(world.customer_a)
    html = _form_page(client, world, which)
    assert "encrypt-part" not in html and "encrypt.mjs" not in html


def test_the_key_page_and_file_are_public(client, desk_key):
    page = client.get("/portal/encryption-key/")
    assert page.status_code == 200
    assert desk_key.fingerprint.upper() in page.content.decode()
    assert "PRIVATE" not in page.content.decode()
    key_file = client.get("/portal/encryption-key.asc")
    assert key_file.status_code == 200
    assert key_file["Content-Type"] == "application/pgp-keys"
    assert key_file.content.decode().strip() == desk_key.public_key.strip()
    assert f'{desk_key.fingerprint.upper()}.asc"' in key_file["Content-Disposition"]


def test_without_a_key_the_page_says_so_and_there_is_no_file(client, world):
    assert (
        "No encryption key is published yet."
        in client.get("/portal/encryption-key/").content.decode()
    )
    assert client.get("/portal/encryption-key.asc").status_code == 404


def test_the_customer_sees_a_marker_not_the_armor(world: World, desk_key):
    ticket = world.ticket(world.billing, text=f"Secret:\n{encrypt_to(DESK_KEY, 'abc')}\nBye")
    client = Client()
    client.force_login(world.customer_a)
    html = client.get(f"/portal/tickets/{ticket.number}/").content.decode()
    assert "Encrypted information: only support staff can read it" in html
    assert "BEGIN PGP MESSAGE" not in html
    assert "Secret:" in html and "Bye" in html
