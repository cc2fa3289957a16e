"""Hostile text in every field, every page that shows it as HTML (the test client):
no payload becomes markup, and each field's marker is on the page as text.

The fast half of the hostile text suite; tests/browser/test_hostile_text.py
renders the same pages in Chromium. Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape

from mail.parse import parse
from tests.hostile_desk import Desk, Page, build_desk, chrome, mail, pages, title_marker
from tests.panel.helpers import rendered_form
from tests.payloads import (
    HIDDEN_AS_MARKUP,
    PAYLOADS,
    audit_markup,
    everything,
    field_of,
    marker,
    unescaped,
)

#: Template syntax and character references: the page shows them exactly as typed,
#: never evaluated ({{ request.user.password }}) nor decoded (&lt; stays four characters).
SHOWN_AS_TYPED = {"tplvar", "tpltag", "entities"}
#: Payloads that are no markup: nothing in them to escape.
NO_MARKUP = {"tplvar", "tpltag", "entities", "bidi", "zerowidth", "controls"}
_ROW = re.compile(r'<tr id="row-[\w-]+?-(\d+)"[^>]*>(.*?)</tr>', re.S)


@pytest.fixture
def desk(world) -> Desk:
    return build_desk(world, Client())


def get(desk: Desk, page: Page) -> str:
    client = Client()
    client.force_login(getattr(desk.world, page.person))
    response = client.get(page.url)
    assert response.status_code == 200, (page.name, response.status_code)
    return response.content.decode()


def problems(desk: Desk, page: Page, html: str) -> list[str]:
    """What is wrong with one page: markup from a payload, a payload standing raw, a
    marker missing, a ticket row without its title."""
    found = [f"markup: {finding}" for finding in audit_markup(html, allow=page.allow)]
    found += [f"raw: {piece!r}" for piece in unescaped(html, desk.pieces)]
    found += [f"missing: {each}" for each in page.markers + chrome(desk, page) if each not in html]
    found += [
        f"not as typed: {piece!r}"
        for piece, each in desk.pieces
        if each.rsplit("-", 1)[1].rstrip("!") in SHOWN_AS_TYPED
        and field_of(each) != "html"  # in mail HTML "&lt;" means "<"
        and each in html
        and escape(piece) not in html
    ]
    if page.rows:
        rows = _ROW.findall(html)
        found += [] if rows else ["no ticket rows"]
        for number, row in rows:
            wanted = title_marker(desk, int(number))
            if wanted is not None and wanted not in row:
                found.append(f"row of #{number} without {wanted}")
    return [f"{page.name} ({page.url[:80]}): {each}" for each in found]


def test_no_page_shows_a_payload_as_markup_and_every_page_shows_its_markers(desk):
    found = [each for page in pages(desk) for each in problems(desk, page, get(desk, page))]
    assert not found, "\n".join(found[:60])


def test_make_a_ticket_with_errors_shows_what_was_typed_as_text(desk):
    client = Client()
    client.force_login(desk.world.admin)
    form = rendered_form(client.get("/panel/tickets/new/").content.decode(), "make-ticket-form")
    typed = {
        "title": PAYLOADS["dquote"](marker("make", "dquote")),
        "requester_email": PAYLOADS["squote"](marker("make", "squote")),
        "account": PAYLOADS["imgerror"](marker("make", "imgerror")),
        "priority": PAYLOADS["unquoted"](marker("make", "unquoted")),
        "message": everything("make"),
    }
    response = client.post("/panel/tickets/new/", {**form, **typed})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid email address." in html
    assert audit_markup(html) == []
    for name in ("dquote", "squote", "imgerror"):
        assert marker("make", name) in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;hx-make-dquote!" in html
    assert marker("make", "long") in html


def test_a_mass_delete_confirmation_lists_hostile_titles_as_text(desk):
    client = Client()
    client.force_login(desk.world.admin)
    response = client.post("/panel/tickets/mass/delete/", {"ticket": list(desk.titles)})
    html = response.content.decode()
    assert response.status_code == 200
    assert audit_markup(html) == []
    assert unescaped(html, desk.pieces) == []
    assert all(each in html for each in desk.titles.values())


def test_the_sanitised_mail_html_keeps_no_script_handler_or_script_url(desk):
    stored = desk.ticket.messages.exclude(html="").values_list("html", flat=True)
    assert len(stored) == 2
    for html in stored:
        assert audit_markup(html) == []
        assert not re.search(r"<(script|style|iframe|object|embed|svg|math|form|meta|base)", html)


def test_text_of_the_html_part_keeps_every_marker_the_markup_did_not_hide(desk):
    parsed = parse(
        mail(sender="alice@a.example", subject="Hi", html=everything("probe", html=True))
    )
    for name in PAYLOADS:
        if name not in HIDDEN_AS_MARKUP:
            assert marker("probe", name) in parsed.text, name
    assert audit_markup(parsed.html) == []


@pytest.mark.parametrize("name", sorted(set(PAYLOADS) - NO_MARKUP))
def test_the_checks_notice_each_payload_left_unescaped_in_text_or_an_attribute(name):
    each = marker("raw", name)
    piece = PAYLOADS[name](each)
    pages = [f'<input value="{piece}">', f"<input value={piece}>"]
    # Only an attribute without quotes makes markup of the unquoted one.
    pages = pages[1:] if name == "unquoted" else [f"<p>{piece}</p>", *pages]
    for page in pages:
        assert audit_markup(page) or unescaped(page, [(piece, each)]), page


def test_every_marker_planted_is_looked_for_on_some_page(desk):
    looked_for = {each for page in pages(desk) for each in page.markers + chrome(desk, page)}
    looked_for |= set(desk.titles.values())  # the rows of the lists
    assert sorted({field_of(each) for each in desk.markers if each not in looked_for}) == []
