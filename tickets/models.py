from __future__ import annotations

import copy
import time
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, StaffProfile
from tickets.lookups import AnyOf


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")


#: Statuses that keep a ticket in the working lists (S4).
ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.ON_HOLD, Status.REOPENED)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)
#: On hold, staff wait for something on purpose: no escalation (S9), no auto-close.
ESCALATING_STATUSES = (Status.NEW, Status.OPEN, Status.REOPENED)


class TicketType(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("Customer portal")
    STAFF = "staff", _("Created by staff")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class Queue(models.Model):
    name = models.CharField(max_length=100, unique=True)
    new_ticket_response = models.TextField(
        blank=True, help_text=_("Sent to the customer when a ticket arrives; empty sends nothing.")
    )
    closed_ticket_response = models.TextField(
        blank=True, help_text=_("Sent when a ticket is resolved or closed; empty sends nothing.")
    )
    escalation_step = models.PositiveSmallIntegerField(
        default=0, help_text=_("Priority added to an unanswered ticket each interval; 0 is off.")
    )
    escalation_interval = models.DurationField(
        null=True, blank=True, help_text=_("How long an unanswered ticket waits before each step.")
    )
    is_default = models.BooleanField(default=False)
    # The customer portal offers the queues an admin marks, under a name for customers.
    offered_in_portal = models.BooleanField(
        default=False, help_text=_("Customers may choose it for a new ticket in the portal.")
    )
    # Escalation that follows the service level (sla/): a ticket this many minutes
    # before a due time rises by the step once, instead of every interval.
    escalation_follows_service_level = models.BooleanField(
        default=False,
        help_text=_("Raise the priority shortly before a due time of the service level instead."),
    )
    escalation_warning_minutes = models.PositiveIntegerField(
        default=60, help_text=_("How long before a due time the ticket rises.")
    )
    portal_name = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("What customers see, e.g. “Questions about an invoice”; empty: the name."),
    )
    staff = models.ManyToManyField(
        StaffProfile,
        blank=True,
        related_name="queues",
        help_text=_("Staff entitled to this queue."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_queue"
            ),
            models.CheckConstraint(
                condition=Q(escalation_step=0)
                | Q(escalation_interval__isnull=False)
                | Q(escalation_follows_service_level=True),
                name="queue_escalation_needs_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QueueAddress(models.Model):
    """An e-mail address (or alias) whose mail lands in a queue (S27)."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="addresses")
    email = models.EmailField(unique=True)

    class Meta:
        ordering = ["email"]
        verbose_name_plural = "queue addresses"

    def __str__(self) -> str:
        return self.email


#: The columns the unassigned list sorts by, each with an index of its own.
UNASSIGNED_SORTS = ("title", "priority", "created_at", "modified_at", "type", "status")


def _unassigned_in_order(column: str) -> models.Index:
    """The unassigned tickets in the order of ``column``, newest first among equals,
    with what the list's filter tests (queue, status): ``ticket_unassigned_title``."""
    fields = dict.fromkeys(["assignee", column, "-number", "queue", "status"])
    return models.Index(
        fields=list(fields),
        condition=Q(assignee__isnull=True),
        name=f"ticket_unassigned_{column.removesuffix('_at')}",
    )


class Ticket(models.Model):
    # The number is the key: shown as #1042, never reused, race-free to assign.
    number = models.BigAutoField(primary_key=True)
    title = models.CharField(max_length=255)
    # No single-column index on the foreign keys below: the composite indexes in
    # Meta start with each of them and serve the same look-ups, and a redundant
    # index costs every write and, without statistics (SQLite is never
    # analysed), draws the planner away from the composite the lists need.
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    requester_email = models.EmailField(max_length=254)
    # What follows the "@" of the (lower-case) address: the database keeps it,
    # for every way a row is written (bulk loads too), so "@example.com" in the
    # quick search is an index look-up (ticket_requester_domain), never a scan.
    requester_domain = models.GeneratedField(
        expression=Substr("requester_email", StrIndex("requester_email", Value("@")) + 1),
        output_field=models.CharField(max_length=254),
        db_persist=True,
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        db_index=False,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    type = models.CharField(max_length=10, choices=TicketType.choices)
    priority = models.PositiveSmallIntegerField(default=50)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        db_index=False,
    )
    is_sticky = models.BooleanField(default=False)
    is_answered = models.BooleanField(default=False)
    cc = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)
    # When staff last answered; auto-close counts from here (S10).
    answered_at = models.DateTimeField(null=True, blank=True)
    # When the customer last wrote unanswered; escalation counts from here (S9).
    waiting_since = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Service level (sla/): when each target falls due, None when none is running
    # (met, paused, or no policy). Written by sla's receivers through
    # tickets/due_times.py, never by a form; ``next_due_at`` is the earliest, sorted by.
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    # Merged (tickets/actions/merging.py): closed, its thread moved to this ticket.
    # Mail and portal links to a merged ticket follow it (queries.survivor_of).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_tickets",
        db_index=False,
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="ticket_status"),
            models.CheckConstraint(condition=Q(type__in=TicketType.values), name="ticket_type"),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=99), name="ticket_priority_1_99"
            ),
        ]
        indexes = [
            # S15 "received" counts: covering, so the visibility test (queue,
            # assignee) is answered from the index (bench/foundation.py).
            models.Index(fields=["created_at", "queue", "assignee"], name="ticket_created"),
            # S17 "my highest-priority tickets", walked in order (newest first among
            # equals, as the list shows them) until a page of working ones is found,
            # and a plain agent's whole view. Assigned tickets only (as the next
            # one): the unassigned lists must find only the indexes below when
            # they ask for "assignee IS NULL".
            models.Index(
                fields=["assignee", "-priority", "-number", "status"],
                condition=Q(assignee__isnull=False),
                name="ticket_assignee",
            ),
            # A plain agent's S15 counts; a supervisor's, of the tickets assigned
            # to them outside their queues (covering: the queue is in it).
            models.Index(
                fields=["assignee", "created_at", "queue"],
                condition=Q(assignee__isnull=False),
                name="ticket_assignee_created",
            ),
            # S15 "unassigned now" and the unassigned list's capped count: per
            # visible queue and working status, from the index alone.
            models.Index(
                fields=["assignee", "queue", "status"],
                condition=Q(assignee__isnull=True),
                name="ticket_unassigned_queue",
            ),
            # The S17 unassigned list in each of its orders (UNASSIGNED_SORTS): walked
            # in order, the queue and status tested in the index, until a page of
            # visible rows is found; no backlog is read whole and sorted. Ties are
            # newest first, as the list shows them (the descending orders sort only
            # within runs of equal values).
            *(_unassigned_in_order(column) for column in UNASSIGNED_SORTS),
            # A supervisor's S15 counts: the tickets of their queues since a day.
            models.Index(fields=["queue", "created_at"], name="ticket_queue_created"),
            models.Index(fields=["queue", "status"], name="ticket_queue_status"),
            # S16 quick search by e-mail, and the requester's latest tickets (S18).
            models.Index(fields=["requester_email", "-created_at"], name="ticket_requester"),
            # S16 "@example.com": the requesters of a domain, newest first.
            models.Index(
                fields=["requester_domain", "-created_at"], name="ticket_requester_domain"
            ),
            models.Index(fields=["account", "-created_at"], name="ticket_account"),
            # Lifecycle jobs: escalation and auto-close find their few rows fast.
            models.Index(
                fields=["waiting_since"],
                condition=Q(is_answered=False),
                name="ticket_waiting",
            ),
            models.Index(
                fields=["answered_at"],
                condition=Q(is_answered=True),
                name="ticket_answered",
            ),
            models.Index(fields=["modified_at"], name="ticket_modified"),
            # Lists sorted by the next due time, "Breaching soon" and escalation
            # before a breach: only tickets with a running clock are in it.
            models.Index(
                fields=["next_due_at", "-number"],
                condition=Q(next_due_at__isnull=False),
                name="ticket_next_due",
            ),
            # The tickets merged into one (its page lists them; deleting it clears
            # their pointer): only merged tickets are in it.
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="ticket_merged_into",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", "Customer message"
    ANSWER = "answer", "Staff answer"
    NOTE = "note", "Internal note"
    SYSTEM = "system", "System message"


#: Kinds a customer may read; notes never leave the staff side (S33).
PUBLIC_KINDS = (MessageKind.CUSTOMER, MessageKind.ANSWER, MessageKind.SYSTEM)


class MessageSource(models.TextChoices):
    WEB = "web", _("Web")
    PORTAL = "portal", _("Customer portal")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    text = models.TextField(blank=True)
    # Sanitised HTML of a mail, shown isolated; the text above is authoritative.
    html = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_email = models.EmailField(blank=True)
    source = models.CharField(max_length=10, choices=MessageSource.choices)
    message_id = models.CharField(max_length=255, blank=True)
    cc = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MessageKind.values), name="message_kind"),
            models.CheckConstraint(
                condition=Q(source__in=MessageSource.values), name="message_source"
            ),
        ]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_thread"),
            models.Index(
                fields=["message_id"], condition=~Q(message_id=""), name="message_message_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.ticket_id}"

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_KINDS


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the sender; the original is kept in a field.
    return f"attachments/{timezone.now():%Y/%m}/{instance.message.ticket_id}/{_token()}"


def _token() -> str:
    import secrets

    return secrets.token_hex(16)


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=255, default="application/octet-stream")
    size = models.PositiveBigIntegerField(default=0)
    content_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class EventCode(models.TextChoices):
    """What an event records. Stable codes, constrained in the database; labels
    for people live in tickets/history.py. A new code needs a migration."""

    CREATED = "created", "Opened"
    CUSTOMER_MESSAGE = "customer_message", "Customer message"
    ANSWER = "answer", "Answer"
    NOTE = "note", "Internal note"
    STATUS = "status", "Status"
    PRIORITY = "priority", "Priority"
    ASSIGNEE = "assignee", "Assignee"
    STICKY = "sticky", "Sticky"
    TITLE = "title", "Title"
    REQUESTER_EMAIL = "requester_email", "Requester e-mail"
    ACCOUNT = "account", "Account"
    CC = "cc", "CC addresses"
    QUEUE = "queue", "Queue"
    ESCALATION = "escalation", "Escalation"
    BOUNCE = "bounce", "Bounce"
    AUTO_REPLY = "auto_reply", "Automatic reply"
    STAFF_MAIL = "staff_mail", "Mail from staff"
    AUTO_MAIL_CAPPED = "auto_mail_capped", "Automatic mail held back"
    MAIL_FROM_TICKET = "mail_from_ticket", "Opened from a reply to another ticket"
    MAIL_TO_NEW_TICKET = "mail_to_new_ticket", "Reply sent on to a new ticket"
    VIEWED_AS_CUSTOMER = "viewed_as_customer", "Viewed as the customer"
    CC_LEFT_OUT = "cc_left_out", "CC addresses of a mail left out"
    # A customer closing a ticket support resolved or closed already (S33): it then
    # leaves the portal's "Answered" list for the closed ones.
    CUSTOMER_CLOSED = "customer_closed", "Closed by the customer"
    # Staff decrypted PGP-protected information of a message (S35); the plain text
    # is never stored: the event names the message only.
    DECRYPTED = "decrypted", "Encrypted information shown"
    # Merge and split (S43): each names the other ticket (new_ref is its number).
    MERGED_INTO = "merged_into", "Merged into another ticket"
    MERGED_FROM = "merged_from", "Another ticket merged into this one"
    SPLIT_OFF = "split_off", "A message split off into a new ticket"
    SPLIT_FROM = "split_from", "Opened from a message split off another ticket"


#: Codes whose old and new values name a row; the event keeps its id as well.
REFERENCING_CODES: dict[str, str] = {
    EventCode.ASSIGNEE: "accounts.User",
    EventCode.ACCOUNT: "accounts.Account",
    EventCode.QUEUE: "tickets.Queue",
    EventCode.CREATED: "tickets.Queue",
    EventCode.MERGED_INTO: "tickets.Ticket",
    EventCode.MERGED_FROM: "tickets.Ticket",
    EventCode.SPLIT_OFF: "tickets.Ticket",
    EventCode.SPLIT_FROM: "tickets.Ticket",
}


class Event(models.Model):
    """One line of a ticket's history (S12): who changed what, from what to what."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    # A person, or (``system``) the part of the system that acted; never both.
    # Both empty: a person who has since been deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    system = models.CharField(max_length=100, blank=True)
    # A stable code ("priority", "assignee", ...), never a translated label.
    code = models.CharField(max_length=40, choices=EventCode.choices)
    # The words of the time; for a person, queue or account also its id (see
    # REFERENCING_CODES), so the history shows current names and survives renames.
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    old_ref = models.BigIntegerField(null=True, blank=True)
    new_ref = models.BigIntegerField(null=True, blank=True)
    # The ticket version this event produced: a stale form lists what came after it.
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "version"], name="event_ticket_version")]
        constraints = [
            models.CheckConstraint(condition=Q(code__in=EventCode.values), name="event_code"),
            models.CheckConstraint(
                condition=Q(actor__isnull=True) | Q(system=""), name="event_one_actor"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.code}: {self.old} → {self.new}"


class HelpdeskSettings(models.Model):
    """The one row of settings admins change at run time (S26)."""

    support_address = models.EmailField(default="support@localhost")
    latest_tickets_count = models.PositiveSmallIntegerField(
        default=10, help_text=_("How many of the requester's latest tickets the ticket page lists.")
    )
    auto_close_days = models.IntegerField(
        default=0,
        help_text=_(
            "0 closes a ticket when answered, N closes it N days after an answer "
            "the customer did not follow up, -1 never closes automatically."
        ),
    )
    priority_low = models.PositiveSmallIntegerField(default=25)
    priority_normal = models.PositiveSmallIntegerField(default=50)
    priority_high = models.PositiveSmallIntegerField(default=75)
    max_attachment_size = models.PositiveIntegerField(
        default=25 * 1024 * 1024, help_text=_("Largest attachment accepted, in bytes.")
    )
    # The customer portal (portal/).
    company_name = models.CharField(
        max_length=100, default="Support", help_text=_("Shown at the top of the customer portal.")
    )
    portal_logo = models.FileField(
        upload_to="portal/", blank=True, help_text=_("A small logo for the portal (PNG or SVG).")
    )
    portal_registration = models.BooleanField(
        default=False, help_text=_("People may register for the portal with a verified address.")
    )
    portal_join_by_domain = models.BooleanField(
        default=False,
        help_text=_("A registered address of an account's domain joins that account."),
    )
    answered_stays_open_days = models.PositiveSmallIntegerField(
        default=7,
        help_text=_("Days a resolved ticket stays in the customer's open list as answered."),
    )
    # Which roles must sign in with a second factor (accounts/two_factor.py).
    two_factor_agents = models.BooleanField(default=False)
    two_factor_supervisors = models.BooleanField(default=False)
    two_factor_admins = models.BooleanField(default=False)
    # Customer satisfaction (reports/ratings.py): links in the closing notice.
    satisfaction_ratings = models.BooleanField(
        default=True,
        help_text=_("The notice that a ticket was closed asks the customer to rate the help."),
    )

    class Meta:
        verbose_name = "settings"
        verbose_name_plural = "settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="settings_singleton"),
            models.CheckConstraint(condition=Q(auto_close_days__gte=-1), name="auto_close_days"),
            models.CheckConstraint(
                condition=Q(priority_low__gte=1, priority_low__lte=99)
                & Q(priority_normal__gte=1, priority_normal__lte=99)
                & Q(priority_high__gte=1, priority_high__lte=99),
                name="settings_priorities_1_99",
            ),
        ]

    def __str__(self) -> str:
        return "Help desk settings"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        forget_settings()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        forget_settings()
        return super().delete(*args, **kwargs)

    @classmethod
    def load(cls) -> HelpdeskSettings:
        """The settings row, read at most every few seconds per process.

        One action or one inbound mail asks for it several times; a change an
        administrator saves reaches this process at once and others within
        SETTINGS_CACHE_SECONDS.
        """
        now = time.monotonic()
        cached = _settings_cache.get("row")
        if cached is None or now - cached[0] >= SETTINGS_CACHE_SECONDS:
            cached = (now, cls.objects.get_or_create(id=1)[0])
            _settings_cache["row"] = cached
        # A copy: a caller (a form) may change its row without saving it.
        return copy.copy(cached[1])


SETTINGS_CACHE_SECONDS = 5.0
_settings_cache: dict[str, tuple[float, HelpdeskSettings]] = {}


def forget_settings() -> None:
    """Drop the cached settings row (after a save, and between tests)."""
    _settings_cache.clear()


class MassAction(models.TextChoices):
    """What a mass action does to each ticket (S17, S22); each is one of tickets/actions."""

    CLOSE = "close", _("Close")
    DELETE = "delete", _("Delete permanently")
    ASSIGN = "assign", _("Assign")
    PRIORITY = "priority", _("Change priority")
    MOVE = "move", _("Move")
    # Not asked for on a list: the undo of a large mass close (tickets/mass.py).
    UNDO_CLOSE = "undo_close", _("Undo a mass close")


class MassJobState(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


#: States a worker still has to finish (the sweep looks for them).
UNFINISHED_MASS_JOB_STATES = (MassJobState.QUEUED, MassJobState.RUNNING)


class MassJob(models.Model):
    """One mass action on many tickets, done in batches by the worker (tickets/mass.py).

    It acts as its owner, with the owner's permissions and visibility when each
    batch runs. ``last_number`` is where it resumes: every ticket up to it has
    been handled, and it is written in the same transaction as the changes of
    its batch, so a crash repeats no ticket and loses none.
    """

    # No index of its own: ``massjob_owner`` begins with it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mass_jobs",
        db_index=False,
    )
    action = models.CharField(max_length=10, choices=MassAction.choices)
    # queue (id), assignee (id), priority, tell_customers: as the action needs.
    parameters = models.JSONField(default=dict, blank=True)
    # The tickets chosen: [number, version shown or null] in ascending order ...
    numbers = models.JSONField(default=list, blank=True)
    # ... or (not None) the query string of a search (tickets/criteria.py; "" asks for
    # its defaults), evaluated as the owner when each batch runs,
    criteria = models.TextField(null=True, blank=True)  # noqa: DJ001 (None is no search)
    # up to the newest ticket when it was asked for: later tickets are left alone.
    upper_number = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(
        max_length=10, choices=MassJobState.choices, default=MassJobState.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # Tickets the action did not change: already closed, in that queue, ...
    skipped = models.PositiveIntegerField(default=0)
    # The first refusals, [number, reason]; ``refused`` counts them all.
    refusals = models.JSONField(default=list, blank=True)
    last_number = models.BigIntegerField(default=0)
    # Runs that started; a run that raised leaves the job for the next one.
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My recent mass actions", newest first.
            models.Index(fields=["owner", "-created_at"], name="massjob_owner"),
            # The sweep's few unfinished jobs.
            models.Index(
                fields=["created_at"],
                condition=Q(state__in=UNFINISHED_MASS_JOB_STATES),
                name="massjob_unfinished",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=MassAction.values), name="massjob_action"
            ),
            models.CheckConstraint(
                condition=Q(state__in=MassJobState.values), name="massjob_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.pk} ({self.get_state_display()})"

    @property
    def handled(self) -> int:
        return self.done + self.refused + self.skipped

    @property
    def is_finished(self) -> bool:
        return self.state in (MassJobState.DONE, MassJobState.FAILED)


class MassClosing(models.Model):
    """A ticket a mass close closed, with the version its close made: what the undo
    takes back, each only if nothing changed it since. Written with its batch (rows
    of their own: a job of 100,000 tickets rewrites nothing per batch)."""

    job = models.ForeignKey(MassJob, on_delete=models.CASCADE, related_name="closings")
    number = models.BigIntegerField()
    version = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="massclosing_job_number"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} v{self.version} of mass job {self.job_id}"


# ``number__any_of=[...]`` for searches (tickets/lookups.py).
Ticket._meta.get_field("number").register_lookup(AnyOf)
