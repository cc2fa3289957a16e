"""A mail's HTML in its sandboxed frame, in a real browser (issue 12).

No script runs in it, not even one that got past the sanitiser, and no remote
image loads until the staff member asks; then the images load, and only them.
A small HTTP server on the loopback stands for the tracker and counts requests.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from mail.ingest import ingest
from tests.browser.conftest import TIMEOUT_MS, screenshot
from tickets.models import Message, Ticket

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e221bc330000000049454e44ae426082"
)


class Tracker:
    def __init__(self, server: ThreadingHTTPServer, hits: Counter[str]) -> None:
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self.hits = hits


@pytest.fixture
def tracker() -> Iterator[Tracker]:
    hits: Counter[str] = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits[self.path] += 1
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Tracker(server, hits)
    finally:
        server.shutdown()
        server.server_close()


def mailed_html(tracker: Tracker) -> tuple[Ticket, Message]:
    mail = EmailMessage()
    mail["From"] = "Chloe Martin <chloe@a.example>"
    mail["To"] = "support@frontdesk.example"
    mail["Subject"] = "Newsletter with a tracker"
    mail["Message-ID"] = "<browser-html-1@a.example>"
    mail.set_content("Our spring offers.")
    mail.add_alternative(
        '<h1 id="greeting">Spring offers</h1><p>Dear customer, <b>see below</b>.</p>'
        '<p><img src="cid:logo@a.example" alt="our logo" width="40" height="40"></p>'
        f'<p><img src="{tracker.url}/pixel.png" alt="tracking pixel" width="1" height="1"></p>'
        '<p><a href="https://example.org/offers">All offers</a></p>',
        subtype="html",
    )
    html_part = mail.get_body(preferencelist=("html",))
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(PNG, "image", "png", cid="<logo@a.example>", filename="logo.png")
    assert ingest(mail.as_bytes(), "test").inbound is not None
    ticket = Ticket.objects.get()
    message = ticket.messages.get()
    # As if the sanitiser had missed a script and a remote image: the frame stops them.
    Message.objects.filter(pk=message.pk).update(
        html=message.html
        + f'<script>new Image().src = "{tracker.url}/script-ran"; document.title = "ran";</script>'
        + f'<img src="{tracker.url}/slipped-through.png" alt="slipped">'
    )
    return ticket, message


def test_the_html_view_runs_no_script_and_loads_remote_images_only_when_asked(
    world, chromium, live_server, tracker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ticket, message = mailed_html(tracker)
    client = Client()
    client.force_login(world.admin)
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    name = django_settings.SESSION_COOKIE_NAME
    context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    console: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda line: console.append(line.text))
        page.goto(f"/panel/tickets/{ticket.number}/")
        page.locator(f"#message-html-{message.pk}").click()

        frame = page.frame_locator("#message-html-frame")
        expect(frame.locator("h1")).to_have_text("Spring offers")
        # The message's own image is there, as data, without any request.
        expect(frame.locator('img[alt="our logo"]')).to_have_attribute(
            "src", "data:image/png;base64," + __import__("base64").b64encode(PNG).decode()
        )
        page.wait_for_timeout(500)
        assert tracker.hits == Counter(), tracker.hits
        assert page.title() != "ran"
        assert any("sandboxed" in line or "Content Security Policy" in line for line in console)
        expect(page.locator("#remote-images-state")).to_contain_text("1 remote image is blocked")

        page.locator("#load-remote-images").click()
        frame = page.frame_locator("#message-html-frame")
        expect(frame.locator('img[alt="tracking pixel"]')).to_have_attribute(
            "src", f"{tracker.url}/pixel.png"
        )
        for _ in range(100):
            if tracker.hits["/pixel.png"]:
                break
            page.wait_for_timeout(50)
        assert tracker.hits["/pixel.png"] == 1
        # Asked for images is not asked for scripts: the injected one never ran.
        assert tracker.hits["/script-ran"] == 0
        assert page.title() != "ran"
        expect(page.locator("#block-remote-images")).to_be_visible()
        screenshot(page, "message-html")
    finally:
        context.close()
