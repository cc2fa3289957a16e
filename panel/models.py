"""What the panel keeps of its own: drafts of answers not sent yet."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from tickets.models import Ticket

# Far beyond any answer, and small enough that a draft never strains a request.
DRAFT_MAX_CHARS = 100_000


class Draft(models.Model):
    """The answer form of one person on one ticket, as they left it unsent.

    Only its author ever sees it. It is no change of the ticket: it never goes
    through tickets/actions and never touches the ticket's version.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    answer = models.TextField(blank=True)
    note = models.TextField(blank=True)
    # As typed: the addresses are checked when the answer is sent, not before.
    cc = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Also the index of "this person's drafts" (the home page).
            models.UniqueConstraint(fields=["user", "ticket"], name="draft_one_per_person_ticket"),
            models.CheckConstraint(
                condition=models.Q(
                    *(
                        LessThanOrEqual(Length(name), DRAFT_MAX_CHARS)
                        for name in ("answer", "note", "cc")
                    )
                ),
                name="draft_size_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"Draft of {self.user} on #{self.ticket_id}"
