"""A disk that fills up: the storage's writes under one folder fail with ENOSPC.

Making a small real filesystem needs root (a loop device, tmpfs), which CI may
not have. Instead every file opened for writing under the folder is wrapped:
once the free bytes are used up, a write puts what still fits on the disk and
raises ``OSError(ENOSPC)``, as the kernel does. Both Django's own file storage
and Frontdesk's write through ``os.fdopen``, so the fault reaches either.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

_real_fdopen = os.fdopen


class FullDisk:
    """``free`` bytes are left under ``root``; None is plenty of room."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.free: int | None = None
        self.failures = 0

    def fill_after(self, free: int) -> None:
        self.free = free

    def make_room(self) -> None:
        self.free = None

    def fdopen(self, descriptor: int, *args: Any, **kwargs: Any) -> Any:
        handle = _real_fdopen(descriptor, *args, **kwargs)
        path = Path(os.readlink(f"/proc/self/fd/{descriptor}"))
        if self.root.resolve() in path.parents:
            return _FillingFile(handle, self)
        return handle

    def take(self, size: int) -> int:
        """How many of ``size`` bytes fit; the rest does not."""
        if self.free is None:
            return size
        fits = min(size, self.free)
        self.free -= fits
        return fits


class _FillingFile:
    def __init__(self, handle: Any, disk: FullDisk) -> None:
        self._handle = handle
        self._disk = disk

    def write(self, data: bytes) -> int:
        fits = self._disk.take(len(data))
        if fits < len(data):
            self._handle.write(data[:fits])
            self._handle.flush()
            self._disk.failures += 1
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._handle.write(data)

    def __enter__(self) -> _FillingFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def media_on_a_disk_that_fills(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> FullDisk:
    """Media in a folder of the test's own, on a disk the test fills with ``fill_after``."""
    settings.MEDIA_ROOT = tmp_path / "media"
    disk = FullDisk(tmp_path / "media")
    monkeypatch.setattr(os, "fdopen", disk.fdopen)
    return disk


def files_under(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (hidden ones too) by its path relative to it."""
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
