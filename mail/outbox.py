"""Sending what the outbox holds: once, with retries and backoff (S32).

A sender first claims a row with a conditional UPDATE (queued and due, or
held by a sender whose lease ran out); only the one whose UPDATE changed the
row sends it, so two consumers, or a task and the sweep, never send one mail
twice. A sender that dies after the SMTP server took the mail but before
marking it sent leaves it to be sent again after the lease: at least once, and
the same Message-ID lets the receiving side see the repeat.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from mail import conf
from mail.models import OutgoingMail, OutgoingState
from tickets.models import Ticket

log = logging.getLogger(__name__)

_SWEEP_BATCH = 500


def _due(now: datetime) -> Q:
    return Q(state=OutgoingState.QUEUED, next_attempt_at__lte=now) | Q(
        state=OutgoingState.SENDING, claimed_until__lt=now
    )


def build_email(row: OutgoingMail) -> EmailMultiAlternatives:
    headers = {**row.headers, "Message-ID": f"<{row.message_id}>"}
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.text,
        from_email=row.from_address,
        to=list(row.to),
        cc=list(row.cc),
        headers=headers,
    )
    if row.html:
        email.attach_alternative(row.html, "text/html")
    for attachment in row.attachments.all():
        with attachment.file.open("rb") as handle:
            email.attach(attachment.filename, handle.read(), attachment.content_type)
    return email


def deliver(outgoing_id: int, now: datetime | None = None) -> bool:
    """Send one mail if it is due and nobody else holds it; True when it went out."""
    now = now or timezone.now()
    lease_until = now + timedelta(seconds=conf.outbox_lease())
    claimed = OutgoingMail.objects.filter(_due(now), pk=outgoing_id).update(
        state=OutgoingState.SENDING,
        claimed_until=lease_until,
        attempts=F("attempts") + 1,
    )
    if claimed != 1:
        return False
    row = OutgoingMail.objects.get(pk=outgoing_id)
    try:
        build_email(row).send(fail_silently=False)
    except Exception as error:
        _failed(row, now, lease_until, error)
        return False
    OutgoingMail.objects.filter(pk=row.pk, claimed_until=lease_until).update(
        state=OutgoingState.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def _failed(row: OutgoingMail, now: datetime, lease_until: datetime, error: Exception) -> None:
    gave_up = row.attempts >= conf.outbox_max_attempts()
    delay = min(conf.outbox_backoff() * 2 ** max(row.attempts - 1, 0), conf.outbox_backoff_cap())
    next_attempt = now + timedelta(seconds=delay)
    log.warning("mail %s to %s failed (attempt %s): %s", row.pk, row.recipient, row.attempts, error)
    OutgoingMail.objects.filter(pk=row.pk, claimed_until=lease_until).update(
        state=OutgoingState.FAILED if gave_up else OutgoingState.QUEUED,
        next_attempt_at=next_attempt,
        claimed_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    if not gave_up:
        _schedule(row.pk, next_attempt)


def _schedule(outgoing_id: int, eta: datetime) -> None:
    from mail.tasks import send_outgoing_mail

    try:
        send_outgoing_mail.schedule(args=(outgoing_id,), eta=eta)
    except Exception:
        # The periodic sweep finds the row when it is due; a lost schedule costs a minute.
        log.exception("could not schedule the retry of mail %s", outgoing_id)


def sweep(now: datetime | None = None) -> int:
    """Send everything due that no task took: lost enqueues, retries, crashed senders."""
    now = now or timezone.now()
    due = list(
        OutgoingMail.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:_SWEEP_BATCH]
    )
    return sum(1 for outgoing_id in due if deliver(outgoing_id, now))


def failed_mail_for(ticket: Ticket) -> QuerySet[OutgoingMail]:
    """Mail of the ticket that failed and is not sent yet, with its error (the panel shows it)."""
    return (
        OutgoingMail.objects.filter(ticket=ticket)
        .exclude(state=OutgoingState.SENT)
        .exclude(last_error="")
        .order_by("created_at", "id")
    )


def retry(outgoing_id: int) -> bool:
    """Send a failed (or waiting) mail again now, with a fresh count of attempts."""
    changed = OutgoingMail.objects.filter(
        pk=outgoing_id, state__in=(OutgoingState.FAILED, OutgoingState.QUEUED)
    ).update(state=OutgoingState.QUEUED, next_attempt_at=timezone.now(), attempts=0)
    if changed:
        transaction.on_commit(lambda: enqueue(outgoing_id), robust=True)
    return bool(changed)


def enqueue(outgoing_id: int) -> None:
    from mail.tasks import send_outgoing_mail

    send_outgoing_mail(outgoing_id)
