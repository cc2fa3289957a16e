"""Drafts: the answer form kept on the server until it is sent ("nothing typed is lost").

A draft belongs to the person who typed it and to nobody else. Saving one is
no change of the ticket, so it does not go through tickets/actions.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import User
from panel.forms import DraftForm
from panel.models import Draft
from tickets import queries
from tickets.models import Ticket

# The home page lists a person's drafts; more than this is a list nobody reads.
DRAFTS_ON_HOME = 20


def nothing_typed(ticket: Ticket, *, answer: str, note: str, cc: str) -> bool:
    # The form shows the ticket's CC to begin with: only a different one was typed.
    return not answer.strip() and not note.strip() and cc.strip() in ("", ", ".join(ticket.cc))


def sent_already(user: User, ticket: Ticket, version: str, *, answer: str, note: str) -> bool:
    """Is this the text of a form the person has sent since the version it was typed on?

    An autosave carries the version its form shows; once that form is sent, the
    ticket is past it with the person's own answer or note of this very text.
    Other text (another tab left open on the same version) is still kept.
    """
    typed = {text.strip() for text in (answer, note) if text.strip()}
    if not typed or not version.isdigit():
        return False
    return typed <= queries.written_since(user, ticket, int(version))


def keep(*, user: User, ticket: Ticket, answer: str, note: str, cc: str) -> Draft | None:
    """Save the text as the person's draft, or delete the draft when nothing is typed."""
    if nothing_typed(ticket, answer=answer, note=note, cc=cc):
        discard(user=user, ticket=ticket)
        return None
    draft, _ = Draft.objects.update_or_create(
        user=user,
        ticket=ticket,
        defaults={"answer": answer, "note": note, "cc": cc, "updated_at": timezone.now()},
    )
    return draft


def discard(*, user: User, ticket: Ticket | int) -> bool:
    ticket_id = ticket.pk if isinstance(ticket, Ticket) else ticket
    deleted, _ = Draft.objects.filter(user=user, ticket_id=ticket_id).delete()
    return deleted > 0


def draft_for(user: User, ticket: Ticket) -> Draft | None:
    return Draft.objects.filter(user=user, ticket=ticket).first()


def keep_posted_text(user: User, ticket: Ticket, data: Any) -> None:
    """Keep the answer form that came with a request as the draft, before anything else.

    A change may send the person elsewhere (the account search, or home when the
    ticket leaves their view); the ticket page brings the text back from here.
    """
    if "answer" not in data and "note" not in data:
        return
    form = DraftForm(data)
    if form.is_valid():
        keep(user=user, ticket=ticket, **form.cleaned_data)


def as_typed(draft: Draft) -> dict[str, str]:
    return {"answer": draft.answer, "note": draft.note, "cc": draft.cc}


def unsent_drafts(user: User) -> list[Draft]:
    """The person's drafts, those on tickets they can no longer open first (one query).

    ``can_open`` says whether the ticket page would show it; the others are kept
    so the text can be copied before it is discarded.
    """
    drafts = (
        Draft.objects.filter(user=user)
        .select_related("ticket")
        .annotate(can_open=queries.may_open(user))
        .order_by("can_open", "-updated_at")
    )
    return list(drafts[:DRAFTS_ON_HOME])
