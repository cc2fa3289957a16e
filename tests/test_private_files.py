"""What Frontdesk keeps on disk (the database with password hashes and sessions, the
secret key, the worker queue, raw mail, attachments) only its own user may open:
folders 0700, files 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from frontdesk import private_files, secret_key
from frontdesk.sqlite.queue import SqliteHuey
from frontdesk.startup import prepare_data_folder
from mail.ingest import ingest
from tests.conftest import upload
from tests.test_startup import environment, frontdesk, python

RAW_MAIL = (
    b"From: Alice <alice@a.example>\r\nTo: support@frontdesk.example\r\n"
    b"Subject: Printer on fire\r\nMessage-ID: <private-1@a.example>\r\n\r\nPlease help.\r\n"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def common_umask() -> Iterator[None]:
    """The usual umask, which leaves what it creates readable by everyone; the
    processes a test starts inherit it."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def folders_between(root: Path, path: Path) -> list[Path]:
    """``root`` and every folder below it on the way to ``path``."""
    return [root, *(folder for folder in path.parents if root in folder.parents)]


def test_migrate_in_a_fresh_data_folder_makes_it_and_the_database_private(tmp_path):
    data_dir = tmp_path / "data"

    with common_umask():
        done = frontdesk("migrate", env=environment(data_dir))

    assert done.returncode == 0, done.stderr
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "frontdesk.sqlite3") == 0o600


def test_the_write_ahead_log_of_the_database_is_private_too(tmp_path):
    data_dir = tmp_path / "deeper" / "data"
    # Reported while the connection is open: SQLite removes the log when it closes.
    show_modes = (
        "import django, os, stat; django.setup(); from django.db import connection; "
        "connection.cursor().execute('CREATE TABLE probe (x)'); "
        "name = connection.settings_dict['NAME']; "
        "print(*(oct(stat.S_IMODE(os.stat(name + end).st_mode)) for end in ('', '-wal', '-shm')))"
    )

    with common_umask():
        done = python(show_modes, environment(data_dir))

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0o600", "0o600", "0o600"]
    assert mode(data_dir) == mode(data_dir.parent) == 0o700


def test_the_worker_queue_file_and_its_folder_are_private(tmp_path):
    folder = tmp_path / "queue"
    queue = SqliteHuey("private-test", filename=str(folder / "huey.sqlite3"))

    with common_umask():
        queue.storage.enqueue(b"a task")

    assert mode(folder) == 0o700
    assert mode(folder / "huey.sqlite3") == 0o600


def test_the_secret_key_and_the_folder_run_makes_for_it_are_private(tmp_path):
    data_dir = tmp_path / "data"

    with common_umask():
        secret_key.create(data_dir)

    assert mode(data_dir) == 0o700
    assert mode(data_dir / secret_key.FILE_NAME) == 0o600


def test_run_closes_a_data_folder_an_earlier_version_left_open(tmp_path, settings):
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    settings.DATA_DIR = data_dir

    assert prepare_data_folder() is True
    assert mode(data_dir) == 0o700
    assert prepare_data_folder() is False


def test_a_file_that_exists_is_left_as_it_is(tmp_path):
    existing = tmp_path / "existing.sqlite3"
    existing.write_bytes(b"data")
    existing.chmod(0o640)

    private_files.make_file(existing)

    assert existing.read_bytes() == b"data" and mode(existing) == 0o640


@pytest.mark.django_db
def test_an_attachment_stored_through_the_actions_is_private(world, media_root):
    with common_umask():
        ticket = world.ticket(attachments=[upload("invoice.pdf", b"%PDF-1.4")])

    path = Path(ticket.messages.get().attachments.get().file.path)
    assert path.read_bytes() == b"%PDF-1.4"
    assert mode(path) == 0o600
    folders = folders_between(media_root, path)
    assert len(folders) >= 2 and {mode(folder) for folder in folders} == {0o700}


@pytest.mark.django_db
def test_a_raw_mail_stored_by_ingest_is_private(world, media_root):
    with common_umask():
        result = ingest(RAW_MAIL, "mailgate")

    assert result.inbound is not None
    path = Path(result.inbound.raw.path)
    assert path.read_bytes() == RAW_MAIL
    assert mode(path) == 0o600
    folders = folders_between(media_root, path)
    assert len(folders) >= 3 and {mode(folder) for folder in folders} == {0o700}
