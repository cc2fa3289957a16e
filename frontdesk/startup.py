"""What `frontdesk run`, `serve` and `worker` check and prepare before they start."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from frontdesk import private_files, secret_key, storage
from frontdesk.env import env_str

# Several nodes with keys of their own would log people out when a load
# balancer switches nodes and could not verify each other's Message-IDs.
SHARED_KEY_NEEDED = (
    "SECRET_KEY (or SECRET_KEY_FILE) must be set with a database other than SQLite, "
    "the same on every machine: sessions and signed Message-IDs depend on it."
)


def require_secret_key() -> None:
    """`serve` and `worker`: refuse to start without the key every process shares."""
    if env_str("SECRET_KEY"):
        return
    if connection.vendor != "sqlite":
        raise CommandError(SHARED_KEY_NEEDED)
    if not secret_key.read(Path(settings.DATA_DIR)):
        raise CommandError(
            "There is no secret key yet: start `frontdesk run` once (it keeps one in "
            f"{Path(settings.DATA_DIR) / secret_key.FILE_NAME}) or set SECRET_KEY."
        )


# Attachments and raw mail written on one machine would be missing on the others.
SHARED_MEDIA_NEEDED = (
    "FRONTDESK_NODES=several, but attachments and raw mail would be kept in MEDIA_ROOT "
    "on this machine alone: set MEDIA_S3_BUCKET (an S3-compatible store), or "
    "MEDIA_ROOT_SHARED=true when MEDIA_ROOT is a file system every machine mounts."
)


def require_shared_media() -> None:
    """`serve`, `worker`, `run` and `mailgate`: one of several nodes stores no file locally."""
    if settings.FRONTDESK_NODES != "several" or settings.MEDIA_ROOT_SHARED:
        return
    if storage.is_local():
        raise CommandError(SHARED_MEDIA_NEEDED)


def prepare_data_folder() -> bool:
    """`run`: the data folder made 0700, or one that an earlier version left open to
    every local user closed to them; True when it was open."""
    data_dir = Path(settings.DATA_DIR)
    private_files.make_folder(data_dir)
    return private_files.close_folder(data_dir)


def prepare_secret_key() -> None:
    """`run`: on SQLite, make the key file on the first start and use it from now on.

    The web server and the worker that `run` starts import the settings anew
    and read the same file.
    """
    if env_str("SECRET_KEY"):
        return
    if connection.vendor != "sqlite":
        raise CommandError(SHARED_KEY_NEEDED)
    settings.SECRET_KEY = secret_key.create(Path(settings.DATA_DIR))


def next_steps(base_url: str) -> str:
    """What to do after the first start of an installation without tickets."""
    sign_in, admin, settings_page = (
        base_url + reverse(name) for name in ("login", "admin:index", "panel:settings")
    )
    return "\n".join(
        [
            "Next steps:",
            f"  1. Sign in at {sign_in} as the administrator above.",
            f"  2. Let mail in: add a mailbox under Mailboxes in {admin},",
            "     or point your MTA at `frontdesk mailgate` (see the README).",
            f"  3. Set the main support address under Settings in the panel: {settings_page}",
        ]
    )
