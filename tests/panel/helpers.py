"""Small tools the panel tests share."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from itertools import count
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.actors import MAIL_GATEWAY
from accounts.models import User
from mail.models import OutgoingKind, OutgoingMail, OutgoingState
from tests.conftest import SETUP
from tickets import actions
from tickets.models import Queue, Ticket, TicketType, forget_settings


def open_tickets(
    count: int,
    queue: Queue,
    *,
    assignee: User | None = None,
    requester_email: str = "alice@a.example",
    title: str = "Printer on fire",
    **extra,
) -> list[Ticket]:
    tickets = []
    for index in range(count):
        ticket = actions.open_ticket(
            actor=MAIL_GATEWAY,
            title=f"{title} {index}",
            requester_email=requester_email,
            text="Help!",
            type=TicketType.EMAIL,
            queue=queue,
            priority=1 + index % 99,
            **extra,
        )
        if assignee is not None:
            ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=assignee)
        tickets.append(ticket)
    return tickets


def queries_for(client: Client, url: str, **headers: str) -> int:
    # Every measured request reads the settings row itself: the count must not
    # depend on whether the few-second cache outlived building the data.
    forget_settings()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)


def htmx(**extra: str) -> dict[str, str]:
    return {"HX-Request": "true", **extra}


def close_fails_on(
    monkeypatch: pytest.MonkeyPatch, ticket: Ticket, error: Exception, *, times: int | None = None
) -> None:
    """Closing ``ticket`` raises ``error`` (``times`` times, or always) inside the
    close's change, after the tickets before it in its batch were changed."""
    from tickets.actions import closing

    real_close = closing._close
    raised: list[int] = []

    def failing(edit: Any, **given: Any) -> None:
        if edit.ticket.number == ticket.number and (times is None or len(raised) < times):
            raised.append(edit.ticket.number)
            raise error
        real_close(edit, **given)

    monkeypatch.setattr(closing, "_close", failing)


def refreshed(ticket: Ticket) -> Ticket:
    ticket.refresh_from_db()
    return ticket


class FormControls(HTMLParser):
    """Collects form controls and labels, to check every control is labelled."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"] or "")
        if tag in ("input", "select", "textarea") and attributes.get("type") != "hidden":
            self.controls.append(attributes)


def unlabelled_controls(html: str) -> list[dict[str, str | None]]:
    parser = FormControls()
    parser.feed(html)
    return [
        control
        for control in parser.controls
        if control.get("id") not in parser.label_targets and not control.get("aria-label")
    ]


def duplicate_ids(html: str) -> set[str]:
    parser = FormControls()
    parser.feed(html)
    seen: set[str] = set()
    duplicates = set()
    for each in parser.ids:
        if each in seen:
            duplicates.add(each)
        seen.add(each)
    return duplicates


class RenderedForm(HTMLParser):
    """The values a browser would submit for one form of a page, read from its HTML.

    Controls count when they are inside ``<form id=...>`` or name it in their
    ``form`` attribute; buttons, files and disabled controls are left out, as a
    browser leaves them out when no button is named.
    """

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.option: dict[str, str | None] | None = None
        self.option_text = ""

    def _belongs(self, attributes: dict[str, str | None]) -> bool:
        owner = attributes.get("form")
        return (owner == self.form_id or (owner is None and self.inside)) and (
            "disabled" not in attributes
        )

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name") or ""
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        elif tag == "input" and name and self._belongs(attributes):
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self._add(name, attributes.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name and self._belongs(attributes):
            self.textarea, self.values[name] = name, [""]
        elif tag == "select" and name and self._belongs(attributes):
            self.select, self.options = name, []
        elif tag == "option" and self.select is not None:
            self._end_option()
            self.option, self.option_text = attributes, ""

    def _end_option(self) -> None:
        if self.option is not None:
            value = self.option.get("value")
            text = value if value is not None else self.option_text.strip()
            self.options.append((text, "selected" in self.option))
        self.option = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.values[self.textarea][-1] += data
        elif self.option is not None:
            self.option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            # HTML drops one newline right after <textarea>.
            text = self.values[self.textarea][-1]
            self.values[self.textarea][-1] = text[1:] if text.startswith("\n") else text
            self.textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self.select is not None:
            self._end_option()
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options:
                chosen = [self.options[0][0]]
            for value in chosen:
                self._add(self.select, value)
            self.select = None


def rendered_form(html: str, form_id: str) -> dict[str, object]:
    reader = RenderedForm(form_id)
    reader.feed(html)
    return {
        name: values[0] if len(values) == 1 else values for name, values in reader.values.items()
    }


def whole_form(client: Client, ticket: Ticket, **fields: object) -> dict[str, object]:
    """What the ticket page's one form posts (answer form and property panel), as the
    page renders it for this person now, with ``fields`` typed or chosen over it."""
    page = client.get(f"/panel/tickets/{ticket.number}/")
    assert page.status_code == 200, page.status_code
    return {**rendered_form(page.content.decode(), "answer-form"), **fields}


_numbers = count(1)


def failed_mail(
    ticket, *, state=OutgoingState.FAILED, error="SMTPRecipientsRefused: 550 no such user"
):
    number = next(_numbers)
    return OutgoingMail.objects.create(
        ticket=ticket,
        kind=OutgoingKind.ANSWER,
        from_address="support@frontdesk.example",
        to=[ticket.requester_email],
        recipient=ticket.requester_email,
        subject=f"[#{ticket.number}] {ticket.title} ({number})",
        text="Here is the answer.",
        message_id=f"answer-{number}@frontdesk.example",
        state=state,
        attempts=10,
        next_attempt_at=timezone.now() + timedelta(hours=6),
        last_error=error,
    )
