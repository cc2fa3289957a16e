"""Telling staff of what happened on their tickets (S41): the one way to notify.

``notify`` is what other code calls (the receivers of the domain signals here,
service-level warnings): it applies each person's settings, tells only active
staff who may see the ticket, and writes the panel's notification and the mail
in one transaction. The panel reads the bell's count and the list here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from frontdesk.public_url import absolute
from notifications.models import (
    DEFAULT_MAIL_KINDS,
    DEFAULT_PANEL_KINDS,
    Kind,
    Notification,
    NotificationSettings,
)
from tickets.models import Ticket
from tickets.visibility import can_see

ASSIGNED = Kind.ASSIGNED.value
CUSTOMER_REPLIED = Kind.CUSTOMER_REPLIED.value
NOTE_ADDED = Kind.NOTE_ADDED.value
ANSWERED = Kind.ANSWERED.value
SLA_WARNING = Kind.SLA_WARNING.value
MERGED = Kind.MERGED.value

#: The list shows this many, newest first; older ones stay counted until read.
LIST_SIZE = 50


@dataclass(frozen=True)
class Preferences:
    panel_kinds: frozenset[str]
    mail_kinds: frozenset[str]


def preferences_of(user: User) -> Preferences:
    row = NotificationSettings.objects.filter(user=user).first()
    if row is None:
        return Preferences(frozenset(DEFAULT_PANEL_KINDS), frozenset(DEFAULT_MAIL_KINDS))
    return Preferences(frozenset(row.panel_kinds), frozenset(row.mail_kinds))


def save_preferences(*, user: User, panel_kinds: Iterable[str], mail_kinds: Iterable[str]) -> None:
    """A person's own settings; unknown kinds are dropped."""
    known = set(Kind.values)
    NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "panel_kinds": sorted(set(panel_kinds) & known),
            "mail_kinds": sorted(set(mail_kinds) & known),
        },
    )


def notify(
    *, recipients: Iterable[User], kind: str, ticket: Ticket | None = None, text: str = ""
) -> int:
    """Tell each recipient, as their settings say; returns how many were told
    (in the panel, by mail or both).

    Skipped: anybody not active staff, anybody who may not see ``ticket``, and
    whoever turned this kind off both in the panel and by mail. Mail is about a
    ticket: a notification without one is shown in the panel only.
    """
    return tell(recipients=recipients, kind=kind, ticket=ticket, text=text)


def tell(
    *,
    recipients: Iterable[User],
    kind: str,
    ticket: Ticket | None = None,
    text: str = "",
    actor: User | None = None,
    details: dict[str, object] | None = None,
) -> int:
    """``notify``, naming the person who acted: they are never told of their own doing.
    ``details`` go into the words (``describe``): a merge's other ticket."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    told = 0
    seen: set[int] = set()
    params = {**_params(ticket, actor), **(details or {})}
    with transaction.atomic():
        for person in recipients:
            if person.pk in seen or (actor is not None and person.pk == actor.pk):
                continue
            seen.add(person.pk)
            if not _may_be_told(person, ticket):
                continue
            wanted = preferences_of(person)
            in_panel = kind in wanted.panel_kinds
            by_mail = kind in wanted.mail_kinds and ticket is not None and bool(person.email)
            if in_panel:
                Notification.objects.create(
                    recipient=person, kind=kind, ticket=ticket, text=text, params=params
                )
            if by_mail and ticket is not None:
                _queue_mail(person, kind, ticket, text, params)
            told += in_panel or by_mail
    return told


def _may_be_told(person: User, ticket: Ticket | None) -> bool:
    if not person.is_active or person.staff is None:
        return False
    return ticket is None or can_see(person, ticket)


def _params(ticket: Ticket | None, actor: User | None) -> dict[str, object]:
    params: dict[str, object] = {}
    if ticket is not None:
        params["number"] = ticket.number
        params["title"] = ticket.title
    if actor is not None:
        staff = actor.staff
        params["actor"] = (
            staff.display_name if staff is not None else actor.full_name or actor.email
        )
    return params


def describe(kind: str, params: dict[str, object], text: str = "") -> str:
    """One notification in words (staff words: English)."""
    words = {
        "number": params.get("number", ""),
        "title": params.get("title", ""),
        "actor": params.get("actor") or gettext("Somebody"),
        "other": params.get("other", ""),
    }
    if kind == ASSIGNED:
        line = (
            gettext("%(actor)s assigned #%(number)s %(title)s to you")
            if params.get("actor")
            else gettext("#%(number)s %(title)s was assigned to you")
        )
    elif kind == CUSTOMER_REPLIED:
        line = gettext("The customer replied on #%(number)s %(title)s")
    elif kind == NOTE_ADDED:
        line = gettext("%(actor)s added a note to #%(number)s %(title)s")
    elif kind == ANSWERED:
        line = gettext("%(actor)s answered on #%(number)s %(title)s")
    elif kind == MERGED and params.get("into"):
        line = gettext("%(actor)s merged #%(number)s %(title)s into #%(other)s")
    elif kind == MERGED:
        line = gettext("%(actor)s merged #%(other)s into #%(number)s %(title)s")
    elif "number" in params:
        line = gettext("#%(number)s %(title)s is about to breach its service level")
    else:
        line = gettext("A service level is about to be breached")
    described = line % words
    return f"{described}: {text}" if text else described


def _queue_mail(
    person: User, kind: str, ticket: Ticket, text: str, params: dict[str, object]
) -> None:
    # Imported here: the mail app's outbound module imports the portal's links.
    from mail.models import OutgoingKind
    from mail.outbound import queue_staff_copy

    context = {
        "line": describe(kind, params, text),
        "ticket_url": absolute(reverse("panel:ticket", args=[ticket.number])),
        "settings_url": absolute(reverse("panel:profile")),
    }
    # To them alone, with their staff reply address: a reply becomes their note.
    queue_staff_copy(
        ticket, person, person.email, "notification", context, kind=OutgoingKind.NOTIFICATION
    )


def unread_count(user: User) -> int:
    """The bell: one count over the partial index of unread notifications."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def recent(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user)[:LIST_SIZE])


def mark_read(*, user: User, pk: int) -> Notification | None:
    """One of the person's own notifications read; None when it is not theirs."""
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
