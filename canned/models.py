"""Canned replies and macros: texts and one-click changes staff keep for the daily work.

Each is a person's own or shared with the team. Anybody on staff keeps their own;
only supervisors and administrators share one or change a shared one
(canned/library.py). ``owner`` is empty for shared ones of a deleted person.
Neither is a change of a ticket: a macro changes one only when it is applied, through
tickets/actions (canned/macros.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Queue, Status

TITLE_MAX = 100
#: Far beyond any answer; the same bound as a draft's (panel.models.DRAFT_MAX_CHARS).
TEXT_MAX = 100_000


class CannedReply(models.Model):
    """A text to insert into the answer, with placeholders (canned/placeholders.py)."""

    title = models.CharField(max_length=TITLE_MAX)
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared = models.BooleanField(default=False)
    # Offered only on tickets of this queue; a deleted queue makes it offered everywhere.
    queue = models.ForeignKey(
        Queue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "title"], name="cannedreply_owner_title")]

    def __str__(self) -> str:
        return self.title


class Assignment(models.TextChoices):
    KEEP = "", _("Leave as it is")
    ME = "me", _("The person applying the macro")
    NOBODY = "nobody", _("Nobody (release)")
    PERSON = "person", _("A staff member")


class Macro(models.Model):
    """A reply and property changes applied to a ticket in one click, all or nothing."""

    name = models.CharField(max_length=TITLE_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared = models.BooleanField(default=False)
    reply = models.TextField(blank=True)
    # Empty, or a status; None, or a priority: left as it is.
    status = models.CharField(max_length=10, blank=True, choices=Status.choices)
    priority = models.PositiveSmallIntegerField(null=True, blank=True)
    queue = models.ForeignKey(
        Queue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignment = models.CharField(max_length=10, blank=True, choices=Assignment.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "name"], name="macro_owner_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=Status.values), name="macro_status"
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=True) | Q(priority__gte=1, priority__lte=99),
                name="macro_priority",
            ),
            models.CheckConstraint(
                condition=Q(assignment__in=Assignment.values), name="macro_assignment"
            ),
        ]

    def __str__(self) -> str:
        return self.name
