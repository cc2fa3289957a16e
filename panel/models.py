"""What the panel keeps of its own: drafts of answers not sent yet, saved views, files of a
refused form and how each person reads a ticket."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


# Far beyond any search's query string (tickets/criteria.py bounds each part).
VIEW_QUERY_MAX_CHARS = 4000


class SavedView(models.Model):
    """A search saved under a name (S39): a person's own, or shared with the team.

    It keeps the search's query string (tickets/criteria.py), never tickets: each
    viewer opens it with their own visibility, so a shared view shows an agent
    only what that agent may see. Only supervisors and administrators share
    views and change shared ones. ``owner`` is empty for the team views a fresh
    installation brings (migration 0002), and for those of a deleted person.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(max_length=100)
    query = models.TextField(blank=True)
    shared = models.BooleanField(default=False)
    # The order in the navigation: among the team's views, or among the owner's own.
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared", "position", "id"]
        indexes = [
            models.Index(fields=["owner", "position"], name="saved_view_owner"),
            models.Index(
                fields=["position"], condition=models.Q(shared=True), name="saved_view_shared"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("query"), VIEW_QUERY_MAX_CHARS),
                name="saved_view_query_size",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="saved_view_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("panel:view", args=[self.pk])


def pending_upload_path(instance: PendingUpload, filename: str) -> str:
    # As attachments: the stored name never comes from the sender.
    import secrets

    return f"pending/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class PendingUpload(models.Model):
    """A file chosen on a form the panel refused, kept for the form sent again.

    A browser cannot fill a file input again; the page names the file by a signed
    reference instead (panel/pending_uploads.py). Only its uploader may use it,
    until ``expires_at``; the job "pending-uploads" removes it after that.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=pending_upload_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=255, default="application/octet-stream")
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="pending_upload_expires")]

    def __str__(self) -> str:
        return self.filename


class Theme(models.TextChoices):
    SYSTEM = "system", _("Same as the system")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


class Preferences(models.Model):
    """How the panel looks and reads to one person; no row is the defaults (the
    system's colour scheme, a thread oldest first). One row, read once a request
    (panel/preferences.py): every page draws the theme, the ticket page the order."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)
    newest_first = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theme__in=Theme.values), name="preferences_theme_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Panel preferences of {self.user}"
