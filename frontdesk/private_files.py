"""Folders and files only Frontdesk's own user may open.

The database holds password hashes and sessions, the media folder raw mail
and attachments, the data folder the secret key: what Frontdesk makes there is
0700 (folders) and 0600 (files), whatever the umask. Django's storage does the
same for attachments and raw mail (FILE_UPLOAD_PERMISSIONS and
FILE_UPLOAD_DIRECTORY_PERMISSIONS in the settings). Every Frontdesk process
(web, worker, mailgate) runs as that one user, so no group needs access.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def make_folder(path: Path) -> None:
    """Make ``path`` and its missing parents, each 0700; existing folders are left as they are."""
    missing: list[Path] = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        # The umask only takes bits away, and 0700 has none it should keep from us.
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=FOLDER_MODE)


def make_file(path: Path) -> None:
    """Create ``path`` empty and 0600 unless it exists.

    SQLite creates a missing database with the umask's mode (0644) and gives its
    -wal, -shm and -journal files the database's mode, so a file made private
    before SQLite opens it keeps all of them private.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(descriptor)


def close_folder(path: Path) -> bool:
    """Take every permission of other users off ``path``, a folder of ours; True when it had any.

    Installations made before the folders were private have a data folder every
    local user may read.
    """
    status = path.stat()
    if status.st_uid != os.getuid() or not stat.S_IMODE(status.st_mode) & 0o077:
        return False
    path.chmod(stat.S_IMODE(status.st_mode) & FOLDER_MODE)
    return True
