"""Starting Frontdesk: importing the settings writes nothing, `run` makes the
data folder and the secret key, `serve` and `worker` refuse to start without
a key, and a new installation is told what to do next."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest

from frontdesk import secret_key
from frontdesk.management.commands.run import Command as RunCommand
from frontdesk.sqlite.queue import SqliteHuey

# Nothing listens there: a command that connected before its check would fail differently.
POSTGRES_URL = "postgres://frontdesk:secret@127.0.0.1:9/frontdesk"


def environment(data_dir: Path, **values: str) -> dict[str, str]:
    """This process's environment without a secret key, on SQLite in ``data_dir``."""
    unset = ("SECRET_KEY", "SECRET_KEY_FILE", "REDIS_URL", "MEDIA_ROOT")
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env["FRONTDESK_DATA_DIR"] = str(data_dir)
    env["DATABASE_URL"] = f"sqlite:///{data_dir / 'frontdesk.sqlite3'}"
    env["DJANGO_SETTINGS_MODULE"] = "frontdesk.settings"
    env.update(values)
    return env


def frontdesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "frontdesk.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_importing_the_settings_and_loading_the_apps_creates_nothing(tmp_path):
    data_dir = tmp_path / "data"

    done = python(
        "import frontdesk.settings, django; django.setup(); "
        "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__)",
        environment(data_dir),
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "SqliteHuey"
    assert list(tmp_path.iterdir()) == []


def test_migrate_on_a_fresh_checkout_makes_the_data_folder_and_the_default_queue(tmp_path):
    data_dir = tmp_path / "data"

    done = frontdesk("migrate", env=environment(data_dir))

    assert done.returncode == 0, done.stderr
    with closing(sqlite3.connect(data_dir / "frontdesk.sqlite3")) as database:
        queues = database.execute("SELECT name, is_default FROM tickets_queue").fetchall()
    assert queues == [("Support", 1)]
    # The key and the worker queue are made by `run` and `worker`, not by migrate.
    assert not (data_dir / secret_key.FILE_NAME).exists()
    assert not (data_dir / "huey.sqlite3").exists()


def test_the_settings_read_the_key_run_made_but_only_on_sqlite(tmp_path):
    data_dir = tmp_path / "data"
    key = secret_key.create(data_dir)
    show_key = "from frontdesk import settings; print(repr(settings.SECRET_KEY))"

    assert python(show_key, environment(data_dir)).stdout.strip() == repr(key)
    assert python(show_key, environment(data_dir, DATABASE_URL=POSTGRES_URL)).stdout.strip() == "''"
    from_environment = environment(data_dir, SECRET_KEY="from-the-environment")
    assert python(show_key, from_environment).stdout.strip() == "'from-the-environment'"


@pytest.mark.parametrize("command", ["serve", "worker", "run"])
def test_without_a_secret_key_nothing_starts_on_postgresql(tmp_path, command):
    data_dir = tmp_path / "data"
    bind = ["--bind", f"127.0.0.1:{free_port()}"] if command != "worker" else []

    done = frontdesk(command, *bind, env=environment(data_dir, DATABASE_URL=POSTGRES_URL))

    assert done.returncode != 0
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "SECRET_KEY" in line and "SQLite" in line and "same on every machine" in line
    assert not data_dir.exists()


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_on_sqlite_without_a_key_serve_and_worker_ask_for_frontdesk_run_first(tmp_path, command):
    data_dir = tmp_path / "data"
    bind = ["--bind", f"127.0.0.1:{free_port()}"] if command == "serve" else []

    done = frontdesk(command, *bind, env=environment(data_dir))

    assert done.returncode != 0
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "`frontdesk run` once" in line and "SECRET_KEY" in line
    assert not data_dir.exists()


def test_a_worker_on_a_fresh_machine_makes_the_data_folder_for_its_queue(tmp_path):
    data_dir = tmp_path / "data"
    worker = subprocess.Popen(
        [sys.executable, "-m", "frontdesk.cli", "worker"],
        env=environment(data_dir, SECRET_KEY="worker-test-key"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            if (data_dir / "huey.sqlite3").exists():
                break
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode()
    assert (data_dir / "huey.sqlite3").exists(), output
    assert "Huey consumer started" in output, output


def test_the_sqlite_queue_makes_its_folder_and_tables_on_first_use(tmp_path):
    folder = tmp_path / "new"
    queue = SqliteHuey("startup-test", filename=str(folder / "huey.sqlite3"))
    assert not folder.exists()

    queue.storage.enqueue(b"a task")

    assert queue.storage.dequeue() == b"a task"
    assert (folder / "huey.sqlite3").exists()


def test_run_makes_the_data_folder_and_a_private_key_once(tmp_path):
    data_dir = tmp_path / "data"

    key = secret_key.create(data_dir)

    path = data_dir / secret_key.FILE_NAME
    assert len(key) >= 50 and path.read_text() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    inode = path.stat().st_ino
    assert secret_key.create(data_dir) == key
    assert path.stat().st_ino == inode and os.listdir(data_dir) == [secret_key.FILE_NAME]


def test_of_two_racing_preparations_the_slower_adopts_the_key_of_the_faster(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    faster: list[str] = []
    generated = 0

    def token_urlsafe(nbytes: int) -> str:
        nonlocal generated
        generated += 1
        if generated == 1:
            # The other process finishes between our look and our write.
            faster.append(secret_key.create(data_dir))
            return "key-of-the-slower"
        return "key-of-the-faster"

    monkeypatch.setattr(secret_key.secrets, "token_urlsafe", token_urlsafe)

    slower = secret_key.create(data_dir)

    assert faster == ["key-of-the-faster"] and slower == "key-of-the-faster"
    assert (data_dir / secret_key.FILE_NAME).read_text() == "key-of-the-faster"
    assert os.listdir(data_dir) == [secret_key.FILE_NAME]


def test_many_preparations_at_once_end_with_one_key(tmp_path):
    data_dir = tmp_path / "data"
    barrier = threading.Barrier(8)
    keys: list[str] = []

    def prepare() -> None:
        barrier.wait()
        keys.append(secret_key.create(data_dir))

    threads = [threading.Thread(target=prepare) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(keys) == 8 and set(keys) == {(data_dir / secret_key.FILE_NAME).read_text()}
    assert os.listdir(data_dir) == [secret_key.FILE_NAME]


def test_run_uses_its_new_key_and_the_processes_it_starts_read_the_same(tmp_path):
    data_dir = tmp_path / "data"
    env = environment(data_dir)
    prepare = (
        "import django; django.setup(); from django.conf import settings; "
        "from frontdesk.startup import prepare_secret_key; prepare_secret_key(); "
        "print(settings.SECRET_KEY)"
    )
    child = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECRET_KEY)"
    )

    first = python(prepare, env)

    assert first.returncode == 0, first.stderr
    key = (data_dir / secret_key.FILE_NAME).read_text()
    assert first.stdout.strip() == key
    assert python(child, env).stdout.strip() == key
    assert python(prepare, env).stdout.strip() == key


def test_run_with_a_key_in_the_environment_writes_no_key_file(tmp_path):
    data_dir = tmp_path / "data"
    key = secrets.token_urlsafe(20)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from frontdesk.startup import prepare_secret_key; prepare_secret_key(); "
        "print(settings.SECRET_KEY)"
    )

    done = python(code, environment(data_dir, SECRET_KEY=key))

    assert done.stdout.strip() == key, done.stderr
    assert not data_dir.exists()


@pytest.mark.django_db
def test_run_on_a_new_installation_says_how_to_sign_in_and_let_mail_in():
    out = StringIO()

    RunCommand(stdout=out).welcome(with_demo=False, base_url="http://127.0.0.1:8000")

    output = out.getvalue()
    assert "e-mail:   admin@localhost" in output and "password: " in output
    assert "Sign in at http://127.0.0.1:8000/login/" in output
    assert "under Mailboxes in http://127.0.0.1:8000/admin/" in output
    assert "`frontdesk mailgate`" in output
    assert "support address under Settings in the panel: http://127.0.0.1:8000/panel/settings/" in (
        output
    )


@pytest.mark.django_db
def test_run_says_nothing_about_next_steps_once_there_are_tickets(world):
    world.ticket()
    out = StringIO()

    RunCommand(stdout=out).welcome(with_demo=False, base_url="http://127.0.0.1:8000")

    assert "Next steps" not in out.getvalue()
    assert "An administrator exists already" in out.getvalue()
