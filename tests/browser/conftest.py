"""Playwright driving Debian's Chromium, headless, against a live server (issue 3).

Chromium is never downloaded (``playwright install`` cannot reach its servers
here): the tests use the distribution's package, and fail, never skip, when it
cannot be launched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from accounts.models import User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    # Tests may run as root, where Chromium's sandbox refuses to start.
    "--no-sandbox",
    "--disable-gpu",
    # No network beyond loopback: Chromium's own calls home would only be refused.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

OpenPage = Callable[..., Page]

# Generous for a machine busy with other work; a passing step takes far less.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@contextmanager
def async_unsafe_allowed() -> Iterator[None]:
    """Let the tests use the ORM while Playwright's event loop runs in this thread.

    The sync API keeps an asyncio loop running beside the test, and Django refuses
    database calls from a thread with a running loop unless this is set.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """One browser for the package; each test opens contexts of its own.

    Playwright's ``launch`` starts Chromium on a new, empty profile directory
    every time, so nothing carries over from an earlier run.
    """
    with async_unsafe_allowed():
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as error:
            reason = error.message.strip()
        else:
            reason = ""
        if reason:
            playwright.stop()
            pytest.fail(
                f"Chromium could not be launched from {CHROMIUM}: {reason}\n"
                "The browser tests need Debian's chromium package "
                "(apt-get install --no-install-recommends chromium).",
                pytrace=False,
            )
        try:
            yield browser
        finally:
            browser.close()
            playwright.stop()


@pytest.fixture
def open_page(chromium: Browser, live_server, settings, tmp_path) -> Iterator[OpenPage]:
    """``open_page(person, width=…, javascript=…, locale=…, timezone_id=…)``: a page
    in a context of its own (the browser's language and time zone as a person's).

    The person is signed in by a session cookie; signing in through the form is a
    flow of its own. JavaScript errors and Content-Security-Policy violations on
    any page fail the test, so every flow shows that the policy breaks nothing.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    contexts: list[BrowserContext] = []
    errors: list[str] = []
    violations: list[str] = []

    def open_page(
        person: User | None = None,
        *,
        width: int = 1280,
        height: int = 900,
        javascript: bool = True,
        locale: str = "en-GB",
        timezone_id: str | None = None,
    ) -> Page:
        context = chromium.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            locale=locale,
            timezone_id=timezone_id,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if person is not None:
            client = Client()
            client.force_login(person)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
            name = django_settings.SESSION_COOKIE_NAME
            context.add_cookies([{"name": name, "value": cookie, "url": live_server.url}])
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        report_csp_violations(page, violations)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"
    assert violations == [], f"Content-Security-Policy violations: {violations}"


def report_csp_violations(page: Page, violations: list[str]) -> None:
    """Add what Chromium says on the console about a refused script, style, image or
    form (it blocks them silently otherwise) to ``violations``."""

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


def screenshot(page: Page, name: str) -> None:
    """Saved over the last run's picture, for the README (docs/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
