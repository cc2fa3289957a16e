"""Static files in production: named by the hash of their content, compressed, and
served with a long cache lifetime (issue 10). Tests elsewhere render pages with a
plain storage (tests/conftest.py); this one collects with the production setting."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

from frontdesk import settings as production

YEAR = 365 * 24 * 3600


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": production.STORAGES["staticfiles"]}
    # Only what was collected, as a deployment serves it.
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_production_names_static_files_by_their_content(collected):
    url = static("panel/panel.css")
    assert url != "/static/panel/panel.css"
    assert url.startswith("/static/panel/panel.") and url.endswith(".css")
    assert (collected / url.removeprefix("/static/")).exists()


@pytest.mark.django_db
def test_a_hashed_file_is_served_compressed_with_a_long_max_age(collected):
    url = static("panel/panel.css")
    # A new client: its handler loads WhiteNoise afresh, over the collected folder.
    response = Client().get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    cache_control = response["Cache-Control"]
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= YEAR
    assert "immutable" in cache_control
    # WhiteNoise answers with the file itself; read it so the file is closed.
    b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_pages_link_the_hashed_names(collected, world):
    page = Client().get("/login/").content.decode()
    assert 'href="/static/panel/panel.css"' not in page
    assert static("panel/panel.css") in page
