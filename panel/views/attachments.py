"""Attachment downloads: only what the person may see, never rendered by the browser."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from panel.auth import StaffRequest, staff_required
from tickets import queries
from tickets.models import Attachment

# Types a browser shows without running anything; everything else is plain bytes.
SAFE_TYPES = {
    "application/pdf",
    "application/zip",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/csv",
    "text/plain",
}


def safe_content_type(declared: str) -> str:
    kind = declared.split(";", 1)[0].strip().lower()
    if kind not in SAFE_TYPES:
        return "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII fallback for old clients, the real name in filename*."""
    fallback = "".join(
        char if " " <= char <= "~" and char not in '"\\' else "_" for char in filename
    )
    encoded = quote(filename, safe="")
    return f"attachment; filename=\"{fallback or 'attachment'}\"; filename*=UTF-8''{encoded}"


@require_GET
@staff_required
def download(request: StaffRequest, pk: int) -> FileResponse:
    try:
        attachment = queries.visible_attachment(request.user, pk)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment.") from None
    return download_response(attachment)


def download_response(attachment: Attachment) -> FileResponse:
    """The file as a download the browser never renders (the portal's downloads too)."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this attachment is missing.") from None
    response = FileResponse(handle, content_type=safe_content_type(attachment.content_type))
    response["Content-Disposition"] = content_disposition(attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
