"""What a staff member is told (S41), and how they want to be told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket


class Kind(models.TextChoices):
    ASSIGNED = "assigned", _("A ticket is assigned to me")
    CUSTOMER_REPLIED = "customer_replied", _("The customer replies on my ticket")
    NOTE_ADDED = "note_added", _("A colleague adds a note to my ticket")
    ANSWERED = "answered", _("A colleague answers on my ticket")
    SLA_WARNING = "sla_warning", _("A ticket of mine is about to breach its service level")
    MERGED = "merged", _("A colleague merges a ticket of mine with another")


#: Told in the panel unless the person says otherwise; by mail only when they ask.
DEFAULT_PANEL_KINDS = tuple(Kind.values)
DEFAULT_MAIL_KINDS: tuple[str, ...] = ()


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # A deleted ticket takes its notifications along.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Free words of the caller (an SLA warning's due time, ...).
    text = models.TextField(blank=True)
    # Words of the time for the list: who acted, the ticket's title.
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notification_kind"),
        ]
        indexes = [
            # The bell's count on every page: a range of this index, no table read.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            # The list, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationSettings(models.Model):
    """Which kinds a person is told of in the panel and by mail; no row: the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    panel_kinds = models.JSONField(default=list, blank=True)
    mail_kinds = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"
