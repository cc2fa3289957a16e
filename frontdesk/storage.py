"""Where attachments and raw mail are kept: Django's default storage.

Local files under MEDIA_ROOT by default, or an S3-compatible store when
MEDIA_S3_BUCKET is set (frontdesk/settings.py). A file is either stored whole
or not at all: an S3 upload appears only once it is complete, and the local
storage here writes to a temporary file first (Django's own writes straight to
the final name, so a full disk or a crash leaves a truncated file there that
every later reader takes for the real one).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages

#: errno values of a file system with no room left (the disk, or the user's quota).
OUT_OF_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})

# Hidden, and never a name the storage gives out (those come from upload_to or a hash).
_PARTIAL_PREFIX = ".partial-"


def out_of_space(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in OUT_OF_SPACE


def is_local(storage: Storage | None = None) -> bool:
    """True when the (default) storage keeps files on this machine's file system."""
    storage = storage if storage is not None else storages["default"]
    return isinstance(storage, FileSystemStorage)


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files appear whole or not at all.

    The bytes go to a private temporary file in the target folder and are
    flushed to the disk; only then does the file take its name, with one
    rename. A write that fails (ENOSPC halfway) removes the temporary file and
    leaves no name behind; a process killed between reserving the name and
    the rename leaves it empty, never cut short. Like Django's, a save never
    overwrites: a name that exists gets another one.
    """

    def _save(self, name: str, content: Any) -> str:
        full_path = Path(self.path(name))
        self._make_folders(full_path.parent)
        # mkstemp makes the file 0600: private while it is written, whatever the umask.
        descriptor, temporary = tempfile.mkstemp(dir=full_path.parent, prefix=_PARTIAL_PREFIX)
        claimed: Path | None = None
        try:
            with os.fdopen(descriptor, "wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                handle.flush()
                os.fsync(handle.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            claimed = self._claim(name, full_path)
            # The name was reserved empty a moment ago and is now replaced whole, in
            # one step: rename works on every file system a shared MEDIA_ROOT may be
            # on, where hard links may not.
            os.replace(temporary, claimed)
        except BaseException:
            for leftover in (temporary, claimed):
                if leftover is not None:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(leftover)
            raise
        _sync_folder(claimed.parent)
        # Django's own: the file takes the group of MEDIA_ROOT (not in django-stubs).
        self._ensure_location_group_id(str(claimed))  # type: ignore[attr-defined]
        return os.path.relpath(claimed, self.location).replace("\\", "/")

    def _claim(self, name: str, full_path: Path) -> Path:
        """Reserve a free name with O_EXCL, as Django does, trying others while taken."""
        while True:
            try:
                os.close(os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                name = self.get_available_name(name)
                full_path = Path(self.path(name))
            else:
                return full_path

    def _make_folders(self, folder: Path) -> None:
        """The folder and its missing parents, each with FILE_UPLOAD_DIRECTORY_PERMISSIONS."""
        missing: list[Path] = []
        parent = folder
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        for path in reversed(missing):
            mode = self.directory_permissions_mode
            with contextlib.suppress(FileExistsError):
                path.mkdir(mode=0o777 if mode is None else mode)
                # mkdir's mode is cut by the umask; the setting is what counts.
                if mode is not None:
                    path.chmod(mode)
        if not folder.is_dir():
            raise FileExistsError(f"{folder} exists and is not a folder.")


def _sync_folder(folder: Path) -> None:
    """Make the new name itself survive a power cut (POSIX: fsync the folder)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
