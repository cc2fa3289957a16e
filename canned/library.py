"""Who sees and changes which canned reply and macro, and saving them.

Everybody on staff sees their own and the team's (shared) ones, never another
person's; anybody keeps their own; only supervisors and administrators share one
or change and delete a shared one; a person's own is changed by its owner alone.
These rows are no change of a ticket and never go through tickets/actions.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from canned.models import TEXT_MAX, TITLE_MAX, Assignment, CannedReply, Macro
from frontdesk.text import one_line, without_controls
from tickets.models import Queue, Ticket

#: At most this many replies are offered for one search in the answer form.
PICKER_RESULTS = 20

Kept = TypeVar("Kept", CannedReply, Macro)


def is_supervising(user: User) -> bool:
    return user.staff is not None and user.staff.is_supervising


def replies_for(user: User) -> QuerySet[CannedReply]:
    """The replies a person sees: the team's first, then their own, by title."""
    return (
        CannedReply.objects.filter(Q(shared=True) | Q(owner=user))
        .select_related("queue", "owner")
        .order_by("-shared", "title", "pk")
    )


def macros_for(user: User) -> QuerySet[Macro]:
    return (
        Macro.objects.filter(Q(shared=True) | Q(owner=user))
        .select_related("queue", "assignee", "owner")
        .order_by("-shared", "name", "pk")
    )


def reply_for(user: User, pk: int) -> CannedReply:
    """One reply the person sees; CannedReply.DoesNotExist (a 404) otherwise."""
    return replies_for(user).get(pk=pk)


def macro_for(user: User, pk: int) -> Macro:
    return macros_for(user).get(pk=pk)


def offered_replies(user: User, ticket: Ticket, words: str = "") -> list[CannedReply]:
    """The replies for this ticket's answer form whose title or text hold ``words``."""
    replies = replies_for(user).filter(Q(queue=None) | Q(queue_id=ticket.queue_id))
    for word in one_line(words).split()[:8]:
        replies = replies.filter(Q(title__icontains=word) | Q(text__icontains=word))
    return list(replies[:PICKER_RESULTS])


def may_change(user: User, kept: CannedReply | Macro) -> bool:
    if kept.shared:
        return is_supervising(user)
    return kept.owner_id == user.pk


def _check_sharing(user: User, shared: bool) -> None:
    if shared and not is_supervising(user):
        raise PermissionDenied(_("Only supervisors and administrators share replies and macros."))


def _clean_title(title: str, field: str) -> str:
    title = one_line(title).strip()
    if not title:
        raise ValidationError({field: _("Give it a name.")})
    if len(title) > TITLE_MAX:
        message = _("At most %(count)s characters, please.") % {"count": TITLE_MAX}
        raise ValidationError({field: message})
    return title


def _clean_text(text: str, field: str, *, required: bool) -> str:
    text = without_controls(text)
    if required and not text.strip():
        raise ValidationError({field: _("Write the text of the reply.")})
    if len(text) > TEXT_MAX:
        message = _("At most %(count)s characters, please.") % {"count": TEXT_MAX}
        raise ValidationError({field: message})
    return text


def _save(user: User, kept: Kept, *, shared: bool) -> Kept:
    if kept.pk is not None and not may_change(user, kept):
        raise PermissionDenied(_("You may not change this."))
    _check_sharing(user, shared)
    if kept.shared and not shared and kept.owner_id is None:
        # A shared one of a deleted person becomes the own of whoever stops sharing it.
        kept.owner = user
    if kept.pk is None:
        kept.owner = user
    kept.shared = shared
    kept.updated_at = timezone.now()
    kept.save()
    return kept


def save_reply(
    *,
    user: User,
    reply: CannedReply | None,
    title: str,
    text: str,
    shared: bool,
    queue: Queue | None,
) -> CannedReply:
    """A new reply (``reply`` None) of the person, or their changes to one they may change."""
    reply = reply or CannedReply()
    if reply.pk is not None and not may_change(user, reply):
        raise PermissionDenied(_("You may not change this reply."))
    reply.title = _clean_title(title, "title")
    reply.text = _clean_text(text, "text", required=True)
    reply.queue = queue
    return _save(user, reply, shared=shared)


def save_macro(
    *,
    user: User,
    macro: Macro | None,
    name: str,
    shared: bool,
    reply: str = "",
    status: str = "",
    priority: int | None = None,
    queue: Queue | None = None,
    assignment: str = "",
    assignee: User | None = None,
) -> Macro:
    macro = macro or Macro()
    if macro.pk is not None and not may_change(user, macro):
        raise PermissionDenied(_("You may not change this macro."))
    if assignment == Assignment.PERSON and assignee is None:
        raise ValidationError({"assignee": _("Choose the staff member to assign to.")})
    if priority is not None and not 1 <= priority <= 99:
        raise ValidationError({"priority": _("A priority is from 1 to 99.")})
    macro.name = _clean_title(name, "name")
    macro.reply = _clean_text(reply, "reply", required=False)
    macro.status, macro.priority, macro.queue = status, priority, queue
    macro.assignment = assignment
    macro.assignee = assignee if assignment == Assignment.PERSON else None
    if not (macro.reply.strip() or status or priority or queue or assignment):
        raise ValidationError(_("A macro needs a reply or a change to make."))
    return _save(user, macro, shared=shared)


def delete(*, user: User, kept: CannedReply | Macro) -> None:
    if not may_change(user, kept):
        raise PermissionDenied(_("You may not delete this."))
    kept.delete()
