"""Encrypted mail: inline PGP and PGP/MIME (RFC 3156) with an encrypted attachment."""

from __future__ import annotations

import pytest
from django.test import Client

from mail.ingest import ingest
from tests.conftest import World
from tests.crypto.conftest import DESK_KEY, encrypt_to
from tests.fixtures_mail import make_mail
from tests.panel.helpers import htmx, rendered_form
from tickets.models import Event, EventCode, HelpdeskSettings, QueueAddress, Ticket

PDF = b"%PDF-1.4 the signed contract"


@pytest.fixture
def mailbox(world: World, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    desk = HelpdeskSettings.load()
    desk.support_address = "support@frontdesk.example"
    desk.save()
    QueueAddress.objects.create(queue=world.support, email="support@frontdesk.example")
    return world


def _ticket_of(raw: bytes) -> Ticket:
    result = ingest(raw, "test")
    assert result.inbound is not None and result.inbound.ticket is not None
    return result.inbound.ticket


def _pgp_mime(armored: str) -> bytes:
    return (
        "From: Alice <alice@a.example>\r\n"
        "To: support@frontdesk.example\r\n"
        "Subject: Contract\r\n"
        "Message-ID: <pgp-mime-1@a.example>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; '
        'boundary="enc"\r\n\r\n'
        "--enc\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
        '--enc\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n'
        f"{armored}\r\n--enc--\r\n"
    ).encode()


def _reveal(client: Client, ticket: Ticket, **fields: str) -> str:
    message = ticket.messages.get()
    url = f"/panel/tickets/{ticket.number}/messages/{message.pk}/encrypted/1/"
    response = client.post(url, fields, headers=htmx())
    assert response.status_code == 200
    return response.content.decode()


def test_inline_pgp_in_a_mail(mailbox: World, desk_key):
    armored = encrypt_to(DESK_KEY, "IBAN DE02 1203 0000 0000 2020 51")
    ticket = _ticket_of(make_mail(body=f"My bank account:\n\n{armored}\n\nAlice"))
    client = Client()
    client.force_login(mailbox.admin)
    assert "IBAN DE02 1203 0000 0000 2020 51" in _reveal(client, ticket)


def test_pgp_mime_keeps_its_encrypted_part_as_a_block_with_its_attachment(mailbox: World, desk_key):
    inner = (
        'Content-Type: multipart/mixed; boundary="in"\r\n\r\n'
        "--in\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "The contract is attached. Code: 7741\r\n"
        '--in\r\nContent-Type: application/pdf; name="contract.pdf"\r\n'
        'Content-Disposition: attachment; filename="contract.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        "JVBERi0xLjQgdGhlIHNpZ25lZCBjb250cmFjdA==\r\n--in--\r\n"
    )
    ticket = _ticket_of(_pgp_mime(encrypt_to(DESK_KEY, inner)))
    message = ticket.messages.get()
    assert message.text.startswith("-----BEGIN PGP MESSAGE-----")
    assert "7741" not in message.text
    assert not message.attachments.exists()  # the file is inside the encrypted part

    client = Client()
    client.force_login(mailbox.supervisor)
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "Show encrypted information" in page
    shown = _reveal(client, ticket)
    assert "The contract is attached. Code: 7741" in shown
    assert "contract.pdf" in shown and "Content-Type" not in shown

    fields = rendered_form(shown, "decrypted-file-1")
    assert fields["file"] == "1"
    download = client.post(
        f"/panel/tickets/{ticket.number}/messages/{message.pk}/encrypted/1/", fields
    )
    assert download.status_code == 200
    assert download.content == PDF
    assert "attachment" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    assert Event.objects.filter(ticket=ticket, code=EventCode.DECRYPTED).count() == 2


def test_a_pgp_mime_mail_for_another_key_still_makes_a_ticket(mailbox: World, desk_key):
    from tests.crypto.conftest import OTHER_KEY

    ticket = _ticket_of(_pgp_mime(encrypt_to(OTHER_KEY, "Content-Type: text/plain\r\n\r\nx")))
    client = Client()
    client.force_login(mailbox.admin)
    assert "does not have" in _reveal(client, ticket)
    assert client.get(f"/panel/tickets/{ticket.number}/").status_code == 200


def _encrypted_file(data: bytes, *, armor: bool) -> bytes:
    import warnings

    import pysequoia

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        certificate = pysequoia.Tsk.from_bytes(DESK_KEY.encode()).extract_certificate()
        return bytes(pysequoia.encrypt(data, recipients=[certificate], armor=armor))


@pytest.mark.parametrize(
    ("name", "armor"), [("contract.pdf.pgp", False), ("contract.pdf.asc", True)]
)
def test_an_attachment_encrypted_on_its_own_is_decrypted_as_a_download(
    mailbox: World, desk_key, name, armor
):
    raw = make_mail(
        body="The contract, encrypted.",
        attachments=[(name, "application/octet-stream", _encrypted_file(PDF, armor=armor))],
    )
    ticket = _ticket_of(raw)
    attachment = ticket.messages.get().attachments.get()
    client = Client()
    client.force_login(mailbox.supervisor)
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    form_id = f"decrypt-attachment-{attachment.pk}"
    fields = rendered_form(page, form_id)
    download = client.post(f"/panel/attachments/{attachment.pk}/decrypted/", fields)
    assert download.status_code == 200
    assert download.content == PDF
    assert 'filename="contract.pdf"' in download["Content-Disposition"]
    assert download["Content-Type"] == "application/octet-stream"
    assert "no-store" in download["Cache-Control"]
    (event,) = Event.objects.filter(ticket=ticket, code=EventCode.DECRYPTED)
    assert event.new.endswith(f"attachment {name}") and event.actor == mailbox.supervisor

    other = Client()
    other.force_login(mailbox.other_agent)
    assert other.post(f"/panel/attachments/{attachment.pk}/decrypted/").status_code == 404


def test_an_attachment_that_is_not_encrypted_says_so(mailbox: World, desk_key):
    ticket = _ticket_of(
        make_mail(attachments=[("notes.asc", "text/plain", b"-----BEGIN PGP SIGNATURE-----")])
    )
    attachment = ticket.messages.get().attachments.get()
    client = Client()
    client.force_login(mailbox.supervisor)
    response = client.post(f"/panel/attachments/{attachment.pk}/decrypted/")
    assert response.status_code == 422
    assert "not a readable PGP message" in response.content.decode()
    assert not Event.objects.filter(code=EventCode.DECRYPTED).exists()
