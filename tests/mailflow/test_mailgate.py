"""`frontdesk mailgate`: exit 0 when stored, 75 when the MTA must try again (S27, S32)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from mail import ingest as ingest_module
from mail.models import InboundMessage, QuarantinedMessage
from tests.fixtures_mail import free_port, make_mail
from tickets.models import Event, Message, Ticket


class _Stdin:
    def __init__(self, raw: bytes) -> None:
        self.buffer = io.BytesIO(raw)


def _mailgate(monkeypatch, raw: bytes) -> int:
    monkeypatch.setattr(sys, "stdin", _Stdin(raw))
    with pytest.raises(SystemExit) as exit_info:
        call_command("mailgate")
    return int(exit_info.value.code or 0)


def _nothing_stored() -> bool:
    return not (
        Ticket.objects.exists()
        or Message.objects.exists()
        or Event.objects.exists()
        or InboundMessage.objects.exists()
        or QuarantinedMessage.objects.exists()
    )


def test_a_message_piped_in_is_stored_and_the_exit_status_is_0(mail_world, monkeypatch):
    assert _mailgate(monkeypatch, make_mail(subject="Piped")) == 0

    assert Ticket.objects.get().title == "Piped"
    assert InboundMessage.objects.get().source == "mailgate"


def test_a_message_stored_in_quarantine_also_exits_0(mail_world, monkeypatch):
    monkeypatch.setattr(ingest_module.route, "locate", lambda parsed: 1 / 0)

    assert _mailgate(monkeypatch, make_mail()) == 0

    assert QuarantinedMessage.objects.count() == 1


def test_a_database_failure_midway_exits_75_with_nothing_half_stored(mail_world, monkeypatch):
    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    raw = make_mail(subject="Try again")

    with monkeypatch.context() as patched:
        # Fails after the inbound row and the ticket were written in the transaction.
        patched.setattr(ingest_module, "_done", database_gone)
        assert _mailgate(patched, raw) == 75
    assert _nothing_stored()

    # The MTA tries again later, and this time it works.
    assert _mailgate(monkeypatch, raw) == 0
    assert Ticket.objects.get().title == "Try again"


def _run_mailgate(raw: bytes, database_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FRONTDESK_DATA_DIR": str(tmp_path / "data"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": "mailgate-test-key",
    }
    return subprocess.run(
        [sys.executable, "-m", "frontdesk.cli", "mailgate"],
        input=raw,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.mark.django_db
def test_an_unreachable_database_exits_75_and_writes_nothing(tmp_path):
    closed = free_port()

    done = _run_mailgate(
        make_mail(), f"postgres://postgres:postgres@127.0.0.1:{closed}/frontdesk", tmp_path
    )

    assert done.returncode == 75, done.stderr.decode()
    assert b"temporary failure" in done.stderr
    media = tmp_path / "media"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def _test_database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_the_mailgate_command_stores_into_the_database_it_is_given(mail_world, tmp_path):
    done = _run_mailgate(make_mail(subject="From the MTA"), _test_database_url(), tmp_path)

    assert done.returncode == 0, done.stderr.decode()
    assert Ticket.objects.get().title == "From the MTA"
    assert InboundMessage.objects.get().raw.name.startswith("mail/raw/")
    assert any((tmp_path / "media" / "mail" / "raw").rglob("*.eml"))
