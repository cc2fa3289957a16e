"""A file that arrives with a message, whatever brought it (mail, panel, portal, API)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from frontdesk.text import one_line, without_bidi_controls

DEFAULT_NAME = "attachment"
DEFAULT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class IncomingFile:
    """Name, content, type and Content-ID of one file; the name is only data.

    Attachments are stored under a random name (tickets.models.attachment_path);
    ``name`` is what the sender called the file, without any folder.
    """

    name: str
    content: File[bytes]
    content_type: str = DEFAULT_TYPE
    # Inline mail images keep their Content-ID so the HTML's cid: links find them.
    content_id: str = ""

    @property
    def size(self) -> int:
        return self.content.size or 0

    @classmethod
    def from_bytes(
        cls, name: str, data: bytes, *, content_type: str = "", content_id: str = ""
    ) -> IncomingFile:
        clean = clean_name(name)
        return cls(
            name=clean,
            content=ContentFile(data, name=clean),
            content_type=content_type or guess_type(clean),
            content_id=content_id[:255],
        )

    @classmethod
    def from_upload(cls, upload: UploadedFile) -> IncomingFile:
        clean = clean_name(upload.name or "")
        return cls(
            name=clean,
            content=upload,
            content_type=upload.content_type or guess_type(clean),
        )


def clean_name(name: str) -> str:
    """The part after the last slash, never empty, without controls of any kind.

    A bidirectional control makes ``invoice\\u202efdp.exe`` read "invoiceexe.pdf";
    no file needs one in its name, so it goes.
    """
    name = without_bidi_controls(one_line(name)).rsplit("/", 1)[-1].strip()
    return name[:255] or DEFAULT_NAME


def guess_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or DEFAULT_TYPE
