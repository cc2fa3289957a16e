"""Sending what the outbox holds: once, with retries and backoff (S32).

A sender first claims a row with a conditional UPDATE (queued and due, or
held by a sender whose lease ran out); only the one whose UPDATE changed the
row sends it, so two consumers, or a task and the sweep, never send one mail
twice. A sender that dies after the SMTP server took the mail but before
marking it sent leaves it to be sent again after the lease: at least once, and
the same Message-ID lets the receiving side see the repeat.

Mail of one ticket to one recipient goes out in the order it was written: a
row waits while an earlier row of its ticket to the same first recipient is
still queued or being sent, and sending (or giving up on) a row hands the next
one to a sender. So the
answer that closes a ticket reaches the customer before "your ticket was
closed", whichever worker takes which row (issue 12).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as DjangoSmtpBackend
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from mail import conf, outbound, smtp, tokens
from mail.models import OutgoingKind, OutgoingMail, OutgoingState
from tickets.models import Message, Ticket

log = logging.getLogger(__name__)

_SWEEP_BATCH = 500
# Bytes of text per encoded word: 40 base64 characters, a word of 52 with its
# "=?utf-8?b?...?=", so "Subject: " and the first word fit on the first line.
_WORD_BYTES = 30


def encode_subject(subject: str) -> str:
    """A non-ASCII subject as RFC 2047 words, the first on the Subject line itself.

    The email package folds a long non-ASCII subject with its first line empty,
    and some readers then show a leading space (issue 12). Words are cut
    between characters, never inside one, and separated by single spaces, which
    a reader drops between encoded words; an ASCII subject is left as it is.
    """
    if subject.isascii():
        return subject
    words: list[bytes] = []
    chunk = b""
    for character in subject:
        encoded = character.encode("utf-8")
        if len(chunk) + len(encoded) > _WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    if chunk:
        words.append(chunk)
    return " ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)


def _due(now: datetime) -> Q:
    return Q(state=OutgoingState.QUEUED, next_attempt_at__lte=now) | Q(
        state=OutgoingState.SENDING, claimed_until__lt=now
    )


def build_email(row: OutgoingMail) -> EmailMultiAlternatives:
    headers = {**row.headers, "Message-ID": f"<{row.message_id}>"}
    email = EmailMultiAlternatives(
        subject=encode_subject(row.subject),
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
    if _waits_for_earlier(outgoing_id):
        return False
    lease_until = now + timedelta(seconds=conf.outbox_lease())
    claimed = OutgoingMail.objects.filter(_due(now), pk=outgoing_id).update(
        state=OutgoingState.SENDING,
        claimed_until=lease_until,
        attempts=F("attempts") + 1,
    )
    if claimed != 1:
        return False
    row = OutgoingMail.objects.get(pk=outgoing_id)
    if row.compose:
        try:
            with transaction.atomic():
                composed = outbound.compose_pending(row)
        except Exception as error:
            log.exception("could not compose mail %s", row.pk)
            _failed(row, now, lease_until, error)
            return False
        if composed is None:
            _release_next(row)
            return False
        row = composed
    try:
        _send(build_email(row))
    except Exception as error:
        _failed(row, now, lease_until, error)
        return False
    OutgoingMail.objects.filter(pk=row.pk, claimed_until=lease_until).update(
        state=OutgoingState.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    _release_next(row)
    return True


def _send(email: EmailMultiAlternatives) -> None:
    """Send through the configured backend; Django's SMTP one gets SMTPUTF8 where needed."""
    connection = get_connection()
    if isinstance(connection, DjangoSmtpBackend) and smtp.needs_smtputf8(email):
        connection = smtp.EmailBackend()
    email.connection = connection
    email.send(fail_silently=False)


def _waits_for_earlier(outgoing_id: int) -> bool:
    """Whether an earlier mail of the same ticket to the same recipient is still to be sent."""
    found = (
        OutgoingMail.objects.filter(pk=outgoing_id).values_list("ticket_id", "recipient").first()
    )
    if found is None or found[0] is None:
        return False
    ticket_id, recipient = found
    return OutgoingMail.objects.filter(
        ticket_id=ticket_id,
        recipient=recipient,
        pk__lt=outgoing_id,
        state__in=(OutgoingState.QUEUED, OutgoingState.SENDING),
    ).exists()


def _release_next(row: OutgoingMail) -> None:
    """Hand the next due mail of the row's ticket to a sender: it waited for this one."""
    if row.ticket_id is None:
        return
    following = (
        OutgoingMail.objects.filter(
            _due(timezone.now()), ticket_id=row.ticket_id, recipient=row.recipient, pk__gt=row.pk
        )
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        transaction.on_commit(lambda: enqueue(following), robust=True)


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
    else:
        _release_next(row)


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


def answer_mail_of(message: Message) -> list[OutgoingMail]:
    """The mail a staff answer became, to the customer and the CCs, as it was written.

    Found by time: the answer's transaction writes its mail after the message and
    before anything else happens on the ticket. Staff copies (whose Message-ID
    carries a person's reply token) are left out.
    """
    next_at = (
        Message.objects.filter(ticket_id=message.ticket_id, created_at__gt=message.created_at)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    rows = OutgoingMail.objects.filter(
        ticket_id=message.ticket_id,
        kind=OutgoingKind.ANSWER,
        created_at__gte=message.created_at,
    )
    if next_at is not None:
        rows = rows.filter(created_at__lt=next_at)
    return [row for row in rows.order_by("id") if not tokens.is_staff_token_id(row.message_id)]


def withdraw_closed_notices(undone: Sequence[tuple[Ticket, datetime]]) -> int:
    """Take back, for each (ticket, since), the notices that the ticket was closed
    written since then that no sender has claimed yet (the close was undone); how many.

    A sender claims a row with a conditional UPDATE of a queued row, and this is a
    conditional DELETE of a queued row never tried: whichever comes first, the other
    changes nothing, so a notice goes out whole or not at all. One tried before may
    have reached the server already and stays.
    """
    if not undone:
        return 0
    since_of = {ticket.pk: since for ticket, since in undone}
    rows = OutgoingMail.objects.filter(
        ticket_id__in=sorted(since_of),
        kind=OutgoingKind.CLOSED,
        state=OutgoingState.QUEUED,
        attempts=0,
        created_at__gte=min(since_of.values()),
    )
    withdrawn = [
        (pk, ticket_id, recipient)
        for pk, ticket_id, recipient, created_at in rows.values_list(
            "pk", "ticket_id", "recipient", "created_at"
        )
        if created_at >= since_of[ticket_id]
    ]
    if not withdrawn:
        return 0
    _total, deleted = rows.filter(pk__in=[pk for pk, _ticket, _recipient in withdrawn]).delete()
    # Later mail of the ticket waited for these; nobody else hands it on now.
    for pk, ticket_id, recipient in withdrawn:
        _release_next(OutgoingMail(pk=pk, ticket_id=ticket_id, recipient=recipient))
    return deleted.get(OutgoingMail._meta.label, 0)


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
