"""A mail's sanitised HTML in an isolated frame (issue 12): the page and the frame's rules."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mail.ingest import ingest
from tests.fixtures_mail import make_mail
from tickets.models import Message, Ticket

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e221bc330000000049454e44ae426082"
)


@pytest.fixture
def mailed(world, settings, tmp_path):
    """A mailed-in ticket whose HTML has a cid: image and a remote tracker."""
    settings.MEDIA_ROOT = tmp_path / "media"
    message = EmailMessage()
    message["From"] = "Alice <alice@a.example>"
    message["To"] = "support@frontdesk.example"
    message["Subject"] = "Look at this"
    message["Message-ID"] = "<html-view-1@a.example>"
    message.set_content("Plain text.")
    message.add_alternative(
        '<p>Hello <b>agent</b></p><img src="cid:logo@a.example" alt="logo">'
        '<img src="https://tracker.example/pixel.gif" alt="tracker">'
        '<a href="https://example.org/">a link</a>',
        subtype="html",
    )
    html_part = message.get_body(preferencelist=("html",))
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(PNG, "image", "png", cid="<logo@a.example>", filename="logo.png")
    result = ingest(message.as_bytes(), "test")
    assert result.inbound is not None
    ticket = Ticket.objects.get()
    return ticket, ticket.messages.get()


def page_url(ticket, message) -> str:
    return f"/panel/tickets/{ticket.number}/messages/{message.pk}/html/"


def test_the_ticket_page_links_a_mail_with_html_to_its_html_view(world, as_user, mailed):
    ticket, message = mailed

    page = as_user(world.admin).get(f"/panel/tickets/{ticket.number}/").content.decode()

    assert f'href="{page_url(ticket, message)}" id="message-html-{message.pk}"' in page


def test_the_page_frames_the_html_in_a_sandbox_without_scripts(world, as_user, mailed):
    ticket, message = mailed

    response = as_user(world.admin).get(page_url(ticket, message))

    page = response.content.decode()
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    assert "allow-scripts" not in page and "allow-same-origin" not in page
    assert f'src="{page_url(ticket, message)}frame/"' in page
    assert "1 remote image is blocked" in page
    assert "frame-src 'self'" in response["Content-Security-Policy"]


def test_the_frame_holds_inline_images_but_no_remote_one(world, as_user, mailed):
    ticket, message = mailed

    response = as_user(world.admin).get(f"{page_url(ticket, message)}frame/")

    document = response.content.decode()
    assert "<b>agent</b>" in document
    assert 'src="data:image/png;base64,' in document
    assert "tracker.example" not in document
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "img-src data:;" in policy
    assert "sandbox allow-popups" in policy and "script-src" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_remote_images_load_only_when_asked(world, as_user, mailed):
    ticket, message = mailed
    client = as_user(world.admin)

    page = client.get(f"{page_url(ticket, message)}?images=1").content.decode()
    response = client.get(f"{page_url(ticket, message)}frame/?images=1")

    assert f'src="{page_url(ticket, message)}frame/?images=1"' in page
    assert 'src="https://tracker.example/pixel.gif"' in response.content.decode()
    assert "img-src data: https: http:;" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


def test_a_message_without_html_has_no_html_view(world, as_user):
    ingest(make_mail(), "test")
    ticket = Ticket.objects.get()
    message = ticket.messages.get()

    assert as_user(world.admin).get(page_url(ticket, message)).status_code == 404
    assert as_user(world.admin).get(f"{page_url(ticket, message)}frame/").status_code == 404


def test_a_script_that_got_into_the_html_still_cannot_run(world, as_user, mailed):
    # Were the sanitiser ever to miss something, the frame's own policy forbids it.
    ticket, message = mailed
    Message.objects.filter(pk=message.pk).update(html="<script>alert(1)</script>")

    response = as_user(world.admin).get(f"{page_url(ticket, message)}frame/")

    assert "script-src" not in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
