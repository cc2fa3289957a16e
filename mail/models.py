"""What mail leaves behind: stored inbound messages, quarantine, outbox, mailboxes.

Raw messages live in Django storage (files, or S3 when configured), not in the
database: a message may carry a 20 MB attachment, and keeping those out of the
rows keeps the database, its backups and its replicas small while every web
node and consumer still reads the same store. Raw files are named by the SHA-256
of their bytes, so writing one twice (a retry, a rolled-back attempt) reuses the
file instead of leaving copies.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from mail import conf
from tickets.models import Attachment, Queue, Ticket
from tickets.models import Message as TicketMessage


class Outcome(models.TextChoices):
    NEW_TICKET = "new_ticket", "Opened a ticket"
    REPLY = "reply", "Added a customer reply"
    STAFF_NOTE = "staff_note", "Added staff mail as a note"
    ATTACHED = "attached", "Attached to its ticket without reopening it"
    IGNORED = "ignored", "Kept, no ticket (automatic mail that answers nothing)"
    LOOP = "loop", "Kept, no ticket (our own mail came back)"


class Match(models.TextChoices):
    TOKEN = "token", "Our signed Message-ID in In-Reply-To/References"
    MESSAGE_ID = "message_id", "A stored Message-ID in In-Reply-To/References"
    SUBJECT_TAG = "subject_tag", "The ticket tag in the subject"
    NEW_TICKET = "new_ticket", "No ticket matched"
    REFUSED = "refused", "A ticket matched but the sender may not write to it"


class InboundMessage(models.Model):
    """One message that arrived, once: the unique key makes ingestion idempotent (S32)."""

    # Angle brackets stripped; derived from the content hash when the mail has none.
    message_id = models.CharField(max_length=998)
    # SHA-256 of the content that identifies the message (see mail.ingest.content_hash),
    # so the same mail fetched over IMAP (CRLF) and piped by an MTA (LF) is one entry.
    content_hash = models.CharField(max_length=64)
    raw = models.FileField(max_length=255)
    raw_sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    source = models.CharField(max_length=200, help_text='Where it came from: "mailgate", ...')
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    match = models.CharField(max_length=20, choices=Match.choices, blank=True)
    match_detail = models.CharField(max_length=500, blank=True)
    # The RFC 3834 classification (mail.loop.Kind), empty for a person's mail.
    automatic = models.CharField(max_length=20, blank=True)
    automatic_reasons = models.CharField(max_length=500, blank=True)
    # Automatic, or the sender asked for no automatic answers: none go back (S29).
    suppress_auto_response = models.BooleanField(default=False)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_mail"
    )
    ticket_message = models.ForeignKey(
        TicketMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id", "content_hash"], name="inbound_message_once"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="inbound_message_outcome"
            ),
        ]
        indexes = [models.Index(fields=["received_at"], name="inbound_received")]

    def __str__(self) -> str:
        return f"<{self.message_id}> {self.get_outcome_display()}"


class QuarantinedMessage(models.Model):
    """A message that could not be processed, kept whole until an admin re-runs it (S31)."""

    raw = models.FileField(max_length=255)
    raw_sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    source = models.CharField(max_length=200)
    queue = models.ForeignKey(Queue, on_delete=models.SET_NULL, null=True, blank=True)
    error = models.TextField()
    traceback = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    inbound = models.ForeignKey(
        InboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-last_attempt_at", "-id"]
        constraints = [
            # One open entry per message: a message that fails again updates it.
            models.UniqueConstraint(
                fields=["raw_sha256"], condition=Q(resolved=False), name="quarantine_open_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Quarantined {self.raw_sha256[:12]}: {self.error[:60]}"


class OutgoingState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutgoingKind(models.TextChoices):
    ANSWER = "answer", "Staff answer"
    NEW_TICKET = "new_ticket", "New ticket confirmation"
    CLOSED = "closed", "Resolved or closed notice"
    INVITATION = "invitation", "Invitation to sign in (customer or staff)"
    NOTIFICATION = "notification", "Notification to staff"


#: Mail a machine decides to send; these count against the per-recipient cap (S29).
AUTOMATIC_KINDS = (OutgoingKind.NEW_TICKET, OutgoingKind.CLOSED)


class OutgoingMail(models.Model):
    """The outbox: written in the transaction of the action that caused it (S32)."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="outgoing_mail"
    )
    kind = models.CharField(max_length=20, choices=OutgoingKind.choices)
    from_address = models.CharField(max_length=500)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=998)
    headers = models.JSONField(default=dict, blank=True)
    text = models.TextField()
    html = models.TextField(blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    message_id = models.CharField(max_length=255, unique=True)
    # The first recipient, lower-cased: the per-recipient cap counts by it.
    recipient = models.EmailField(max_length=254)
    state = models.CharField(
        max_length=10, choices=OutgoingState.choices, default=OutgoingState.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A sender holds the row until then; past it, a crashed sender's row is due again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A notice written by its sender (mail/outbound.py compose_pending): what it needs
    # to know of the moment it was queued; empty once its words are written.
    compose = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outgoing mail"
        verbose_name_plural = "outbox"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=OutgoingState.values), name="outgoing_state"
            ),
            models.CheckConstraint(condition=Q(kind__in=OutgoingKind.values), name="outgoing_kind"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=(OutgoingState.QUEUED, OutgoingState.SENDING)),
                name="outgoing_due",
            ),
            models.Index(fields=["recipient", "created_at"], name="outgoing_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.state})"


class Protocol(models.TextChoices):
    IMAP = "imap", "IMAP"
    POP3 = "pop3", "POP3"


class Security(models.TextChoices):
    TLS = "tls", "TLS from the start (IMAPS, POP3S)"
    STARTTLS = "starttls", "STARTTLS (a plain connection upgraded to TLS before login)"
    NONE = "none", "None: plain text, insecure"


class Mailbox(models.Model):
    """A mailbox Frontdesk polls, with where polling got to and how it fares (S27).

    A mailbox of a queue puts its mail in that queue; the main mailbox (no
    queue) routes by the recipient headers.
    """

    name = models.CharField(max_length=100, unique=True)
    protocol = models.CharField(max_length=4, choices=Protocol.choices, default=Protocol.IMAP)
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: the default.")
    security = models.CharField(
        max_length=8,
        choices=Security.choices,
        default=Security.TLS,
        help_text="TLS and STARTTLS check the server's certificate and host name before "
        "the password is sent. None sends the password and every message unencrypted.",
    )
    ca_file = models.CharField(
        "CA file",
        max_length=500,
        blank=True,
        help_text="Optional absolute path of a PEM file: the certificate authority (a "
        "company CA, or a self-signed server's own certificate) to trust instead of the "
        "system's. It must be readable on every machine that runs the worker.",
    )
    username = models.CharField(max_length=255)
    password = models.CharField(max_length=255, blank=True)
    folder = models.CharField(max_length=255, default="INBOX", help_text="IMAP only.")
    keep_messages = models.BooleanField(
        default=False,
        help_text="IMAP only: flag fetched mail as seen instead of deleting it. "
        "POP3 has no flags, so POP3 mail is always deleted once stored.",
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.CASCADE, null=True, blank=True, related_name="mailboxes"
    )
    is_active = models.BooleanField(default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "mailboxes"
        constraints = [
            models.CheckConstraint(
                condition=Q(protocol__in=Protocol.values), name="mailbox_protocol"
            ),
            models.CheckConstraint(
                condition=Q(security__in=Security.values), name="mailbox_security"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_encrypted(self) -> bool:
        return self.security != Security.NONE

    @property
    def is_alerting(self) -> bool:
        """True when polling kept failing: the panel shows these to admins."""
        return self.consecutive_failures >= conf.mailbox_alert_after()
