"""Small tools the panel tests share."""

from __future__ import annotations

from html.parser import HTMLParser

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
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
            actor=None,
            title=f"{title} {index}",
            requester_email=requester_email,
            text="Help!",
            type=TicketType.EMAIL,
            queue=queue,
            priority=1 + index % 99,
            **extra,
        )
        if assignee is not None:
            ticket = actions.assign(actor=None, ticket=ticket, assignee=assignee)
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


def whole_form(ticket: Ticket, **fields: object) -> dict[str, object]:
    """What the ticket page's one form posts: the answer form and the property panel."""
    return {
        "expected_version": ticket.version,
        "cc": "",
        "answer": "",
        "note": "",
        "properties_version": ticket.version,
        "change-status": ticket.status,
        "change-priority": ticket.priority,
        "details-title": ticket.title,
        "details-requester_email": ticket.requester_email,
        **fields,
    }
