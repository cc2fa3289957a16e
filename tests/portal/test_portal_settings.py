"""The portal's fields on the panel's settings page: name, logo, registration, lists."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditCode, AuditEvent
from tests.panel.helpers import rendered_form
from tickets.models import HelpdeskSettings

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
WEBP = b"RIFF\x24\0\0\0WEBPVP8 " + b"\0" * 32
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'


def save_settings(client, **fields):
    page = client.get("/panel/settings/")
    assert page.status_code == 200
    return client.post(
        "/panel/settings/", {**rendered_form(page.content.decode(), "settings-form"), **fields}
    )


def logo(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_an_administrator_sets_the_portals_name_registration_and_lists(world, as_user):
    response = save_settings(
        as_user(world.admin),
        company_name="Acme Hosting",
        portal_registration="on",
        portal_join_by_domain="on",
        answered_stays_open_days=3,
    )

    assert response.status_code == 302
    desk = HelpdeskSettings.load()
    assert (desk.company_name, desk.portal_registration, desk.portal_join_by_domain) == (
        "Acme Hosting",
        True,
        True,
    )
    assert desk.answered_stays_open_days == 3
    detail = AuditEvent.objects.get(code=AuditCode.SETTINGS_CHANGED).detail
    assert "People may register for the portal: no → yes" in detail


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("Our Logo.PNG", PNG, "portal/logo.png"),
        ("logo.jpeg", JPEG, "portal/logo.jpg"),
        ("logo.webp", WEBP, "portal/logo.webp"),
        ("logo.svg", SVG, "portal/logo.svg"),
    ],
)
def test_a_logo_is_stored_under_the_suffix_of_its_kind(world, as_user, name, content, stored):
    client = as_user(world.admin)

    assert save_settings(client, portal_logo=logo(name, content)).status_code == 302

    desk = HelpdeskSettings.load()
    assert desk.portal_logo.name == stored
    served = client.get("/portal/logo/")
    assert b"".join(served.streaming_content) == content
    assert 'id="current-logo"' in client.get("/panel/settings/").content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.gif", b"GIF89a", "The logo must be a PNG, JPEG, WebP or SVG file."),
        ("logo.png", b"<html><script>alert(1)</script>", "The content of this file is not PNG."),
        ("logo.svg", PNG, "The content of this file is not SVG."),
        ("logo", PNG, "The logo must be a PNG, JPEG, WebP or SVG file."),
        ("logo.png", PNG + b"\0" * 512 * 1024, "The logo may be at most 512.0\xa0KB."),
    ],
)
def test_other_files_are_refused_as_a_logo(world, as_user, name, content, message):
    response = save_settings(as_user(world.admin), portal_logo=logo(name, content))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not HelpdeskSettings.load().portal_logo


def test_a_replaced_logo_leaves_no_file_behind(world, as_user, django_capture_on_commit_callbacks):
    client = as_user(world.admin)
    save_settings(client, portal_logo=logo("logo.png", PNG))
    first = HelpdeskSettings.load().portal_logo.name

    with django_capture_on_commit_callbacks(execute=True):
        save_settings(client, portal_logo=logo("logo.svg", SVG))

    assert HelpdeskSettings.load().portal_logo.name == "portal/logo.svg"
    assert not default_storage.exists(first)


def test_the_logo_can_be_removed(world, as_user, django_capture_on_commit_callbacks):
    client = as_user(world.admin)
    save_settings(client, portal_logo=logo("logo.png", PNG))

    with django_capture_on_commit_callbacks(execute=True):
        save_settings(client, remove_logo="on")

    assert not HelpdeskSettings.load().portal_logo
    assert not default_storage.exists("portal/logo.png")
    assert client.get("/portal/logo/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("company_name", "   ", "This field is required."),
        ("answered_stays_open_days", 366, "At most 365 days."),
        ("answered_stays_open_days", -1, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_portal_values_out_of_range_are_refused(world, as_user, field, value, message):
    response = save_settings(as_user(world.admin), **{field: value})

    assert response.status_code == 422
    assert message in response.content.decode()
