"""Every page carries the Content-Security-Policy and has nothing inline it would
refuse; what a signed-in person is shown is never stored in a cache."""

from __future__ import annotations

from html.parser import HTMLParser

from django.http import HttpResponseBase
from django.test import Client

from accounts.models import User
from mail.ingest import quarantine
from tests.conftest import SETUP, upload
from tickets import actions

POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
SANDBOX = {"default-src": "'none'", "sandbox": ""}
RAW_MAIL = (
    b"From: alice@a.example\r\nSubject: Broken\r\nMessage-ID: <q-1@a.example>\r\n\r\nHelp.\r\n"
)


class InlineCode(HTMLParser):
    """What a strict policy refuses in a page: inline scripts and styles, style
    attributes, event handler attributes (also htmx's hx-on), javascript: links,
    and scripts or style sheets from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        shown = self.get_starttag_text() or tag
        is_style_sheet = tag == "link" and "stylesheet" in values.get("rel", "")
        if tag == "style":
            self.found.append(shown)
        if tag == "script" and not from_here(values.get("src", "")):
            self.found.append(shown)
        if is_style_sheet and not from_here(values.get("href", "")):
            self.found.append(shown)
        for name, value in values.items():
            inline = name == "style" or name.startswith(("on", "hx-on"))
            if inline or value.strip().lower().startswith("javascript:"):
                self.found.append(shown)


def from_here(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def directives(response: HttpResponseBase) -> dict[str, str]:
    """The response's policy, directive by directive (their order means nothing)."""
    parts = (part.strip().partition(" ") for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, _, value in parts}


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def pages(world) -> list[tuple[User | None, str]]:
    """Representative pages of each role, partials included."""
    mine = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    actions.add_note(actor=world.agent, ticket=mine, text="Checked the logs.")
    unassigned = world.ticket(attachments=[upload("notes.txt")])
    entry = quarantine(RAW_MAIL, "mailgate", "ValueError: broken", "Traceback ...")
    return [
        (None, "/login/"),
        (world.customer_a, "/portal/"),
        (world.customer_a, "/password/"),
        (world.agent, "/panel/"),
        (world.agent, "/panel/tickets/mine/"),
        (world.agent, f"/panel/tickets/{mine.number}/"),
        (world.agent, f"/panel/tickets/{mine.number}/account/?q=Account"),
        (world.agent, "/panel/tickets/new/"),
        (world.agent, "/panel/profile/"),
        (world.agent, "/panel/queues/"),
        (world.agent, "/panel/kb/"),
        (world.supervisor, "/panel/"),
        (world.supervisor, "/panel/tickets/unassigned/"),
        (world.supervisor, "/panel/tickets/received/week/"),
        (world.supervisor, "/panel/search/?q=Cannot"),
        (world.supervisor, f"/panel/tickets/{unassigned.number}/"),
        (world.supervisor, f"/panel/tickets/{unassigned.number}/delete/"),
        (world.supervisor, "/panel/tickets/new/"),
        (world.admin, "/panel/"),
        (world.admin, "/panel/settings/"),
        (world.admin, "/panel/queues/"),
        (world.admin, f"/panel/queues/{world.billing.pk}/"),
        (world.admin, "/panel/queues/new/"),
        (world.admin, "/panel/mail/"),
        (world.admin, "/panel/mail/quarantine/"),
        (world.admin, f"/panel/mail/quarantine/{entry.pk}/"),
        (world.admin, "/panel/profile/"),
        (world.admin, "/admin/"),
        (world.admin, "/admin/tickets/ticket/"),
        (world.admin, f"/admin/tickets/ticket/{mine.number}/change/"),
        (world.admin, f"/admin/accounts/user/{world.agent.pk}/change/"),
    ]


def test_every_page_carries_the_policy_and_nothing_inline_it_would_refuse(world):
    for person, url in pages(world):
        response = signed_in(person).get(url)

        assert response.status_code == 200, url
        assert directives(response) == POLICY, url
        assert inline_code(response.content.decode()) == [], url


def test_the_htmx_partials_carry_the_policy_too(world):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)

    response = signed_in(world.agent).get(
        f"/panel/tickets/{ticket.number}/account/?q=Account", HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert directives(response) == POLICY
    assert inline_code(response.content.decode()) == []


def test_what_a_signed_in_person_is_shown_is_never_stored(world):
    for person, url in pages(world):
        if person is None:
            continue
        cache_control = signed_in(person).get(url)["Cache-Control"]

        assert "no-store" in cache_control and "private" in cache_control, url


def test_a_not_found_page_and_a_refusal_carry_the_policy_and_are_not_stored(world):
    agent = signed_in(world.agent)

    for response in (agent.get("/panel/tickets/999999/"), agent.get("/panel/settings/")):
        assert response.status_code in (403, 404)
        assert directives(response) == POLICY
        assert "no-store" in response["Cache-Control"]


def test_downloads_keep_their_sandboxing_policy_and_are_not_stored(world):
    ticket = world.ticket(attachments=[upload("notes.txt")])
    attachment = ticket.messages.get().attachments.get()
    entry = quarantine(RAW_MAIL, "mailgate", "ValueError: broken", "Traceback ...")
    admin = signed_in(world.admin)

    for url in (
        f"/panel/attachments/{attachment.pk}/",
        f"/panel/mail/quarantine/{entry.pk}/raw/",
    ):
        response = admin.get(url)

        assert response.status_code == 200, url
        assert directives(response) == SANDBOX, url
        assert "no-store" in response["Cache-Control"], url


def test_the_sign_in_page_carries_the_policy_and_nothing_inline(db):
    response = Client().get("/login/")

    assert directives(response) == POLICY
    assert inline_code(response.content.decode()) == []


def test_the_checker_finds_what_the_policy_would_refuse():
    page = """<html><head><style>p {}</style><script>go()</script>
        <script src="https://cdn.example/htmx.js"></script><script src="/static/a.js"></script>
        <link rel="stylesheet" href="//cdn.example/a.css">
        <link rel="stylesheet" href="/static/b.css">
        </head><body><p style="color: red" onclick="go()">x</p><a href=" JavaScript:go()">y</a>
        <button hx-on:click="go()">z</button></body></html>"""

    found = inline_code(page)

    assert len(found) == 8
    assert not any("/static/" in tag for tag in found)
