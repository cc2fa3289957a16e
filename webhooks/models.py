"""Webhooks administrators register, and the outbox of deliveries to them (S38).

A delivery is written when a domain signal is heard (webhooks/receivers.py),
with the exact body that will be signed and sent; webhooks/outbox.py sends it,
logs every attempt as an ``Attempt`` and retries with backoff.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CREATED = "ticket.created", _("Ticket created")
    CUSTOMER_REPLIED = "ticket.customer_replied", _("Customer replied")
    ANSWERED = "ticket.answered", _("Answered")
    ASSIGNED = "ticket.assigned", _("Assigned (picked up, assigned or released)")
    STATUS_CHANGED = "ticket.status_changed", _("Status changed")
    MOVED = "ticket.moved", _("Moved to another queue")
    CLOSED = "ticket.closed", _("Closed")


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


class Webhook(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"),
        max_length=2000,
        help_text=_("http or https; redirects are not followed."),
    )
    secret = models.CharField(_("secret"), max_length=200, default=new_secret)
    # A list of EventKind values.
    event_kinds = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive webhook is sent nothing.")
    )
    # SSRF guard (webhooks/targets.py): addresses inside the network need an
    # administrator's explicit yes, given here, per webhook.
    allow_private_addresses = models.BooleanField(
        _("allow private addresses"),
        default=False,
        help_text=_(
            "Allow a URL whose host is this machine or in a private network "
            "(loopback, private, link-local addresses). Only for receivers you run yourself."
        ),
    )
    # A receiver that answers slowly (or not at all) holds a worker thread for
    # every attempt: after such an attempt the webhook's other deliveries wait
    # too, longer after each slow attempt in a row (webhooks/outbox.py).
    slow_in_row = models.PositiveIntegerField(default=0)
    paused_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def wants(self, kind: str) -> bool:
        return self.is_active and kind in self.event_kinds


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


#: States in which a delivery still has to go out: a later one of its ticket waits.
PENDING = (DeliveryState.QUEUED, DeliveryState.SENDING)


class Delivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    # The event's id in the payload: the same for a delivery re-sent by hand, so a
    # receiver can tell a repeat.
    event_id = models.UUIDField(default=uuid.uuid4)
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    # No foreign key: the log outlives a ticket deleted later.
    ticket_number = models.BigIntegerField()
    # Exactly the bytes that are signed and sent (UTF-8 JSON).
    body = models.TextField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A sender holds the row until then; past it, a crashed sender's row is due again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    resent_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="webhook_delivery_state"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="webhook_delivery_kind"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=PENDING),
                name="webhook_delivery_due",
            ),
            # Ordering per ticket: "is an earlier one of this ticket still pending?"
            models.Index(
                fields=["webhook", "ticket_number", "id"],
                condition=Q(state__in=PENDING),
                name="webhook_delivery_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of #{self.ticket_number} to {self.webhook_id} ({self.state})"


class Attempt(models.Model):
    """One try to send a delivery, as the receiver answered it (or did not)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    # The address connected to (resolved once; see webhooks/targets.py).
    address = models.CharField(max_length=64, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # The first bytes of the response, as text.
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error} in {self.duration_ms} ms"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
