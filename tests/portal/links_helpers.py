"""Tools of the tests of one-time links, password reset and registration."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail as django_mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mail.models import OutgoingMail
from tests.panel.helpers import rendered_form

_LINK_LINE = re.compile(r"View or reply in your browser: (\S+)")


def link_in(text: str) -> str | None:
    found = _LINK_LINE.search(text)
    return found.group(1) if found else None


def link_of(row: OutgoingMail) -> str:
    """The one-time link of an outbox row, checked to be in its HTML part too."""
    link = link_in(row.text)
    assert link is not None, row.text
    assert f'<a href="{link}">' in row.html, row.html
    return link


def path_of(url: str) -> str:
    return urlsplit(url).path


def open_link(client: Client, url: str):
    """What a person does: open the link, then press the page's button."""
    page = client.get(path_of(url))
    assert page.status_code == 200, page.status_code
    form = rendered_form(page.content.decode(), "open-link-form")
    return client.post(path_of(url), form)


def page_text(response) -> str:
    """The page without its CSRF tokens, which differ for every client."""
    text = response.content.decode()
    text = re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', text)


def last_mail_to(address: str):
    sent = [each for each in django_mail.outbox if address in each.to]
    assert sent, f"no mail to {address}"
    return sent[-1]


def statement_shapes(context: CaptureQueriesContext) -> list[str]:
    """The SQL a request ran, with its values taken out: the work, not the data."""
    shapes = []
    for query in context.captured_queries:
        sql = re.sub(r"'(?:[^']|'')*'", "?", query["sql"])
        sql = re.sub(r'"s\d+_x\d+"', "?", sql)  # savepoint names
        shapes.append(re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql))
    return shapes


def capture(client: Client, method: str, url: str, data: dict[str, object]):
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data)
    return response, statement_shapes(context)
