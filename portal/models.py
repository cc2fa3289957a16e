"""What the portal keeps of people's identity: one-time links and pending registrations.

Neither keeps a secret: a link or verification token is a random value mailed
to the person, and only its HMAC under SECRET_KEY is stored (portal/tokens.py),
so a copy of the database opens nothing.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import LANGUAGE_CHOICES, Contact
from tickets.models import Ticket


class PortalLink(models.Model):
    """A link in a mail to a customer that opens one ticket once, without a password."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    # The address the mail went to (lower-case): the person it signs in.
    email = models.EmailField()
    # The contact of that address when the mail was written; a link whose contact
    # changed its address since opens nothing.
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "portal link"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="portal_link_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"Link to #{self.ticket_id} for {self.email}"


class PortalRegistration(models.Model):
    """Someone registered for the portal and has not verified their address yet.

    No user exists until they do: an unverified address signs in nowhere, and
    holds no address that its owner might want later. The row goes once the
    address is verified or the link has expired.
    """

    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    # A password hash as Django stores it (make_password), never the password.
    password = models.CharField(max_length=128)
    # Set when the verification mail is written (portal/tasks.py); empty before.
    secret_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # The language of the page they registered on: the verification mail's, and
    # the new user's saved choice.
    language = models.CharField(max_length=10, blank=True, choices=LANGUAGE_CHOICES)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["expires_at"], name="registration_expires")]
        constraints = [
            models.CheckConstraint(
                condition=Q(language="") | Q(language__in=[code for code, _ in LANGUAGE_CHOICES]),
                name="portal_registration_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Registration of {self.email}"
