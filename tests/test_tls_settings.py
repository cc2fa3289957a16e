"""Behind TLS a deployment switches on the HTTPS redirect, HSTS, the proxy's HTTPS
header and secure cookies from the environment; the one-machine default has none."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from tests.test_startup import environment, python

SHOW_TLS_SETTINGS = (
    "import json; from frontdesk import settings as s; print(json.dumps({name: getattr(s, name) "
    "for name in ('SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE')}))"
)


SWITCHES = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_COOKIES",
)


def importing_the_settings(tmp_path, **values: str):
    """A process importing the settings with only these of the switches set."""
    env = environment(tmp_path / "data")
    for name in SWITCHES:
        env.pop(name, None)
    return python(SHOW_TLS_SETTINGS, {**env, **values})


def tls_settings(tmp_path, **values: str) -> dict[str, object]:
    done = importing_the_settings(tmp_path, **values)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_one_machine_default_is_plain_http(tmp_path):
    assert tls_settings(tmp_path) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_a_deployment_behind_tls_switches_everything_on_from_the_environment(tmp_path):
    switched_on = tls_settings(
        tmp_path,
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )

    assert switched_on == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        # Redirected to HTTPS, cookies are secure unless SECURE_COOKIES says otherwise.
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_secure_cookies_can_be_set_on_their_own_and_off_against_the_redirect(tmp_path):
    assert tls_settings(tmp_path, SECURE_COOKIES="true")["SESSION_COOKIE_SECURE"] is True
    redirect_only = tls_settings(tmp_path, SECURE_SSL_REDIRECT="true", SECURE_COOKIES="false")
    assert redirect_only["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECURE_SSL_REDIRECT", "yes"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https"),
    ],
)
def test_a_typo_in_a_switch_stops_the_start_and_names_it(tmp_path, name, value):
    done = importing_the_settings(tmp_path, **{name: value})

    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and name in done.stderr


BEHIND_TLS = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


@override_settings(**BEHIND_TLS)
def test_behind_tls_a_request_the_proxy_got_over_http_is_sent_to_https(db):
    response = Client().get("/login/", HTTP_X_FORWARDED_PROTO="http")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"


@override_settings(**BEHIND_TLS)
def test_behind_tls_a_page_over_https_tells_the_browser_to_use_nothing_else(db):
    response = Client().get("/login/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
