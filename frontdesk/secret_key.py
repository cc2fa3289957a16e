"""The generated secret key of a one-machine (SQLite) installation.

Settings only read the key file; `frontdesk run` creates it once. Several
processes may start at the same moment, so the file appears whole or not at
all, and whoever comes second adopts the key that is there.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from frontdesk import private_files

FILE_NAME = "secret_key"


def read(data_dir: Path) -> str:
    """The key kept in ``data_dir``, or "" when there is none."""
    try:
        return (data_dir / FILE_NAME).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def create(data_dir: Path) -> str:
    """The key kept in ``data_dir``, made (with the folder) when there is none yet."""
    key = read(data_dir)
    if key:
        return key
    private_files.make_folder(data_dir)
    path = data_dir / FILE_NAME
    # Written in full to a private temporary file (mkstemp: mode 0600), then
    # linked to its name: a link never replaces an existing file, so of two
    # racing starts one wins and nobody reads a half-written key.
    handle, temporary = tempfile.mkstemp(dir=data_dir, prefix=f".{FILE_NAME}-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(50))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    key = read(data_dir)
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it, or set SECRET_KEY.")
    return key
