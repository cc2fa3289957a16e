"""A full disk under the media folder: nothing is stored half, nothing stops for good.

Raw mail cut short by a full disk is never taken for the message on the retry;
attachment files of a transaction that rolled back are removed with it; the
panel says the server is out of space and keeps the typed text; mail
transports keep the message and try again.
"""

from __future__ import annotations

import errno
import hashlib
import io
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import transaction
from django.test import Client

from frontdesk.storage import AtomicFileSystemStorage
from mail.fetch import poll
from mail.ingest import ingest, read_raw, store_raw
from mail.models import InboundMessage, Mailbox, Protocol, QuarantinedMessage, Security
from panel.models import Draft
from tests import fixtures_mail
from tests.conftest import upload
from tests.faults.full_disk import FullDisk, files_under, media_on_a_disk_that_fills
from tests.fixtures_mail import PASSWORD, make_mail
from tickets import actions, stored_files
from tickets.models import Attachment, MessageKind, Ticket

pytestmark = pytest.mark.faults

# A real IMAP and POP3 server (tests/fixtures_mail.py), for the mailbox poll.
dovecot = fixtures_mail.dovecot
mail_certificates = fixtures_mail.mail_certificates

OUT_OF_SPACE = "The file could not be stored: the server is out of space."


@pytest.fixture
def full_disk(settings, tmp_path, monkeypatch) -> FullDisk:
    return media_on_a_disk_that_fills(settings, tmp_path, monkeypatch)


def raw_mail(**fields: object) -> bytes:
    """A mail of some kilobytes, so half of it is a real cut."""
    return make_mail(body="It is on fire. " * 400, **fields)  # type: ignore[arg-type]


def nothing_written(disk: FullDisk) -> bool:
    return files_under(disk.root) == {}


class _Stdin:
    def __init__(self, raw: bytes) -> None:
        self.buffer = io.BytesIO(raw)


def mailgate(monkeypatch: pytest.MonkeyPatch, raw: bytes) -> int:
    monkeypatch.setattr(sys, "stdin", _Stdin(raw))
    with pytest.raises(SystemExit) as exit_info:
        call_command("mailgate")
    return int(exit_info.value.code or 0)


def test_after_a_full_disk_the_retried_mail_is_stored_whole(world, full_disk):
    raw = raw_mail(subject="Printer on fire")
    full_disk.fill_after(len(raw) // 2)

    with pytest.raises(OSError) as failure:
        ingest(raw, "mailgate")

    assert failure.value.errno == errno.ENOSPC and full_disk.failures == 1
    full_disk.make_room()
    result = ingest(raw, "mailgate")
    assert result.inbound is not None and result.inbound.ticket is not None
    assert result.inbound.ticket.title == "Printer on fire"
    assert read_raw(result.inbound.raw.name) == raw
    assert not QuarantinedMessage.objects.exists()


def test_a_full_disk_leaves_no_file_and_no_row_of_the_failed_mail(world, full_disk):
    raw = raw_mail()
    full_disk.fill_after(len(raw) // 2)

    with pytest.raises(OSError):
        ingest(raw, "mailgate")

    assert not InboundMessage.objects.exists() and not Ticket.objects.exists()
    assert nothing_written(full_disk)


def test_a_raw_file_cut_short_before_is_replaced_by_the_whole_message(world, media_root):
    raw = raw_mail()
    sha = hashlib.sha256(raw).hexdigest()
    # What an earlier version (or another storage) left when the disk filled up.
    default_storage.save(f"mail/raw/{sha[:2]}/{sha}.eml", ContentFile(raw[:100]))

    result = ingest(raw, "mailgate")

    assert result.inbound is not None and result.inbound.ticket_id is not None
    assert read_raw(result.inbound.raw.name) == raw


def test_the_local_storage_never_writes_over_a_file_of_the_same_name(media_root):
    storage = AtomicFileSystemStorage()

    first = storage.save("notes/a.txt", ContentFile(b"first"))
    second = storage.save("notes/a.txt", ContentFile(b"second"))

    assert first == "notes/a.txt" and second != first
    assert files_under(media_root) == {first: b"first", second: b"second"}


def test_a_raw_file_with_the_right_bytes_is_kept_as_it_is(world, media_root):
    raw = raw_mail()
    name, _ = store_raw(raw)
    path = media_root / name
    before = path.stat().st_ino

    assert store_raw(raw) == (name, hashlib.sha256(raw).hexdigest())
    assert path.stat().st_ino == before


def test_a_message_quarantined_after_a_full_disk_keeps_its_whole_raw_bytes(world, full_disk):
    raw = raw_mail().replace(b"From: Alice <alice@a.example>\n", b"")
    full_disk.fill_after(len(raw) // 3)
    with pytest.raises(OSError):
        ingest(raw, "mailgate")
    full_disk.make_room()

    result = ingest(raw, "mailgate")

    entry = result.quarantined
    assert entry is not None and "no single sender" in entry.error
    assert read_raw(entry.raw.name) == raw
    assert hashlib.sha256(read_raw(entry.raw.name)).hexdigest() == entry.raw_sha256
    assert list(files_under(full_disk.root)) == [entry.raw.name]


def test_mailgate_asks_the_mta_to_retry_on_a_full_disk_and_then_stores_the_mail(
    world, full_disk, monkeypatch, capsys
):
    raw = raw_mail(subject="Piped while full")
    full_disk.fill_after(len(raw) // 2)

    assert mailgate(monkeypatch, raw) == 75
    assert "temporary failure" in capsys.readouterr().err
    full_disk.make_room()
    assert mailgate(monkeypatch, raw) == 0

    inbound = InboundMessage.objects.get()
    assert Ticket.objects.get(inbound_mail=inbound).title == "Piped while full"
    assert read_raw(inbound.raw.name) == raw


@pytest.mark.parametrize("protocol", [Protocol.IMAP, Protocol.POP3])
def test_a_full_disk_leaves_polled_mail_in_the_mailbox_until_there_is_room(
    world, full_disk, dovecot, protocol
):
    user = dovecot.new_user()
    mailbox = Mailbox.objects.create(
        name=user,
        protocol=protocol,
        host="127.0.0.1",
        port=dovecot.imap_port if protocol == Protocol.IMAP else dovecot.pop3_port,
        security=Security.NONE,
        username=user,
        password=PASSWORD,
    )
    raw = raw_mail(subject="Polled while full")
    dovecot.append(user, raw)
    full_disk.fill_after(len(raw) // 2)

    failed = poll(mailbox)

    assert "The server is out of space" in failed.error and failed.stored == 0
    assert len(dovecot.inbox(user)) == 1
    full_disk.make_room()
    assert poll(mailbox).stored == 1
    assert dovecot.inbox(user) == []
    inbound = InboundMessage.objects.get()
    assert Ticket.objects.get(inbound_mail=inbound).title == "Polled while full"
    # Named by the hash of its bytes: the stored file is the whole message.
    assert hashlib.sha256(read_raw(inbound.raw.name)).hexdigest() in inbound.raw.name


def test_an_attachment_cut_short_leaves_the_mail_with_its_sender(world, full_disk):
    photo = b"\x89PNG" + bytes(range(256)) * 40
    raw = make_mail(attachments=[("photo.png", "image/png", photo)])
    # The raw mail fits; the attachment, written after it, does not.
    full_disk.fill_after(len(raw) + len(photo) // 2)

    with pytest.raises(OSError):
        ingest(raw, "mailgate")
    full_disk.make_room()
    result = ingest(raw, "mailgate")

    assert result.inbound is not None
    attachment = Attachment.objects.get()
    assert attachment.file.read() == photo
    # The raw mail of the first try is reused; no piece of the photo is left.
    assert sorted(files_under(full_disk.root)) == sorted(
        [result.inbound.raw.name, attachment.file.name]
    )


@pytest.mark.django_db(transaction=True)
def test_a_full_disk_at_the_second_attachment_leaves_neither_file(world, full_disk):
    ticket = world.ticket()
    full_disk.fill_after(1500)

    with pytest.raises(OSError):
        actions.add_note(
            actor=world.admin,
            ticket=ticket.number,
            text="Logs attached.",
            attachments=[upload("one.log", b"1" * 1000), upload("two.log", b"2" * 1000)],
        )

    assert not Attachment.objects.exists()
    assert not ticket.messages.filter(kind=MessageKind.NOTE).exists()
    assert nothing_written(full_disk)


@pytest.mark.django_db(transaction=True)
def test_files_of_an_action_undone_by_a_later_conflict_are_removed(world, media_root):
    ticket = world.ticket()

    with pytest.raises(actions.Conflict), stored_files.atomic():
        actions.add_note(
            actor=world.admin, ticket=ticket.number, text="Log", attachments=[upload("a.log")]
        )
        # Typed on the version before the note: the whole transaction rolls back.
        actions.answer(
            actor=world.admin, ticket=ticket.number, text="Done", expected_version=ticket.version
        )

    assert not Attachment.objects.exists()
    assert files_under(media_root) == {}


@pytest.mark.django_db(transaction=True)
def test_the_end_of_a_request_removes_what_a_rolled_back_view_transaction_wrote(world, media_root):
    ticket = world.ticket()

    # A view of its own transaction around actions, without stored_files.atomic().
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.add_note(
            actor=world.admin, ticket=ticket.number, text="Log", attachments=[upload("a.log")]
        )
        raise RuntimeError("later in the same view")
    assert len(files_under(media_root)) == 1

    request_finished.send(sender=None)

    assert files_under(media_root) == {}


@pytest.mark.django_db(transaction=True)
def test_files_of_a_commit_stay_even_when_an_earlier_commit_hook_fails(world, media_root):
    def failing_hook() -> None:
        raise RuntimeError("a receiver that broke")

    with pytest.raises(RuntimeError), stored_files.atomic():
        transaction.on_commit(failing_hook)
        ticket = world.ticket(attachments=[upload("kept.pdf", b"%PDF-1.4")])
    request_finished.send(sender=None)

    attachment = Attachment.objects.get(message__ticket=ticket)
    assert attachment.file.read() == b"%PDF-1.4"


@pytest.mark.django_db(transaction=True)
def test_the_answer_form_says_the_server_is_out_of_space_and_keeps_the_text(
    world, full_disk, client: Client
):
    ticket = world.ticket()
    client.force_login(world.admin)
    full_disk.fill_after(100)

    response = client.post(
        f"/panel/tickets/{ticket.number}/reply/",
        {
            "expected_version": ticket.version,
            "assignee_shown": "",
            "cc": "",
            "answer": "The log you asked for.",
            "note": "",
            "attachments": [SimpleUploadedFile("log.txt", b"x" * 1000)],
        },
    )

    assert response.status_code == 507
    page = response.content.decode()
    assert OUT_OF_SPACE in page
    assert "The log you asked for.</textarea>" in page
    assert Draft.objects.get(user=world.admin, ticket=ticket).answer == "The log you asked for."
    assert not ticket.messages.filter(kind=MessageKind.ANSWER).exists()
    assert nothing_written(full_disk)


def test_make_a_ticket_says_the_server_is_out_of_space_and_keeps_the_form(
    world, full_disk, client: Client
):
    client.force_login(world.admin)
    full_disk.fill_after(100)

    response = client.post(
        "/panel/tickets/new/",
        {
            "title": "Migrate my site",
            "requester_email": "alice@a.example",
            "account": "",
            "queue": world.support.pk,
            "priority": 50,
            "message": "Please move it on Friday.",
            "attachments": [SimpleUploadedFile("log.txt", b"x" * 1000)],
        },
    )

    assert response.status_code == 507
    page = response.content.decode()
    assert OUT_OF_SPACE in page and "Please move it on Friday.</textarea>" in page
    assert not Ticket.objects.exists()
