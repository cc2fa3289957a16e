"""Small tools the portal's tests share."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.panel.helpers import rendered_form


def page_form(client: Client, url: str, form_id: str, **typed: object) -> dict[str, object]:
    """What a form of the page posts as the page renders it now, with ``typed`` over it."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return {**rendered_form(page.content.decode(), form_id), **typed}


def a_file(name: str, content: bytes = b"attached data", kind: str = "text/plain"):
    return SimpleUploadedFile(name, content, content_type=kind)
