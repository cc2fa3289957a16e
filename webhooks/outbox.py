"""Sending deliveries: claimed once, in order per ticket, retried with backoff.

Like the mail outbox (mail/outbox.py), a sender first claims a row with a
conditional UPDATE (queued and due, or held by a sender whose lease ran out),
so two consumers, or a task and the sweep, never send one delivery at once.
The same UPDATE keeps the order per ticket: a delivery is only claimed while
no earlier delivery of the same ticket to the same webhook is still pending,
so a later event waits for an earlier one that is retrying. When a delivery
is done (delivered, or given up), the next one of its ticket is handed to the
worker. At least once: a sender that dies after the receiver answered but
before the row was marked leaves it to be sent again after the lease; the
event's ``id`` lets the receiver see the repeat.

A slow receiver cannot stall the worker: one attempt is bounded
(webhooks/sending.py), and after an attempt that took the whole read timeout
or more, the webhook is paused (``paused_until``, growing like the retries)
so its other deliveries do not each hold a worker thread for as long; fast
failures (a 500, a refused connection) cost nothing and pause nothing. The
sweep stops after ``SWEEP_SECONDS`` and leaves the rest to its next run.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from webhooks import conf, sending, targets
from webhooks.models import PENDING, Attempt, Delivery, DeliveryState, Webhook
from webhooks.sending import Outcome

log = logging.getLogger(__name__)

_SWEEP_BATCH = 500
SWEEP_SECONDS = 45
#: Delivered and failed deliveries are kept this long for the log, then removed.
KEEP_FOR = timedelta(days=30)


def _due(now: datetime) -> Q:
    return Q(state=DeliveryState.QUEUED, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, claimed_until__lt=now
    )


def _earlier_pending() -> Exists:
    return Exists(
        Delivery.objects.filter(
            webhook=OuterRef("webhook"),
            ticket_number=OuterRef("ticket_number"),
            id__lt=OuterRef("id"),
            state__in=PENDING,
        )
    )


def headers_for(row: Delivery, secret: str, timestamp: int) -> dict[str, str]:
    return {
        sending.SIGNATURE_HEADER: sending.signature(secret, timestamp, row.body.encode()),
        "Frontdesk-Event": row.kind,
        "Frontdesk-Delivery": str(row.pk),
        "Frontdesk-Event-Id": str(row.event_id),
    }


def deliver(delivery_id: int, now: datetime | None = None) -> bool:
    """Send one delivery if it is due, its turn, and nobody else holds it; True when it
    was delivered."""
    now = now or timezone.now()
    lease_until = now + timedelta(seconds=conf.lease())
    active = Webhook.objects.filter(
        Q(paused_until__isnull=True) | Q(paused_until__lte=now),
        pk=OuterRef("webhook"),
        is_active=True,
    )
    claimed = (
        Delivery.objects.filter(_due(now), Exists(active), pk=delivery_id)
        .exclude(_earlier_pending())
        .update(
            state=DeliveryState.SENDING,
            claimed_until=lease_until,
            attempts=F("attempts") + 1,
        )
    )
    if claimed != 1:
        return False
    row = Delivery.objects.select_related("webhook").get(pk=delivery_id)
    webhook = row.webhook
    started_at = timezone.now()
    address = ""
    try:
        target = targets.check(webhook.url, allow_private=webhook.allow_private_addresses)
        address = target.address
        timestamp = int(timezone.now().timestamp())
        outcome = sending.post(
            target, row.body.encode(), headers_for(row, webhook.secret, timestamp)
        )
    except targets.Refused as refusal:
        outcome = Outcome(status=None, body="", error=str(refusal)[:500], duration_ms=0)
    except Exception as error:
        # A claimed row must come out as an attempt, or it would be retried forever.
        log.exception("webhook delivery %s could not be sent", row.pk)
        error_text = f"{type(error).__name__}: {error}"[:500]
        outcome = Outcome(status=None, body="", error=error_text, duration_ms=0)
    try:
        Attempt.objects.create(
            delivery=row,
            started_at=started_at,
            duration_ms=outcome.duration_ms,
            address=address,
            status_code=outcome.status,
            response_body=outcome.body,
            error=outcome.error,
        )
    except IntegrityError:
        return False  # the webhook was deleted with its deliveries while this one was sent
    _note_speed(webhook, outcome)
    if outcome.ok:
        Delivery.objects.filter(pk=row.pk, claimed_until=lease_until).update(
            state=DeliveryState.DELIVERED,
            delivered_at=timezone.now(),
            claimed_until=None,
            last_status=outcome.status,
            last_error="",
        )
        _hand_on(row)
        return True
    _failed(row, lease_until, outcome)
    return False


def _note_speed(webhook: Webhook, outcome: Outcome) -> None:
    """Pause a webhook whose receiver made the worker wait; a quick answer resumes it."""
    if outcome.duration_ms >= conf.read_timeout() * 1000:
        slow = webhook.slow_in_row + 1
        Webhook.objects.filter(pk=webhook.pk).update(
            slow_in_row=slow,
            paused_until=timezone.now() + timedelta(seconds=backoff_after(slow)),
        )
        log.warning("webhook %s is slow (%s in a row); paused", webhook.pk, slow)
    elif webhook.slow_in_row or webhook.paused_until:
        Webhook.objects.filter(pk=webhook.pk).update(slow_in_row=0, paused_until=None)


def backoff_after(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed try: doubling, capped."""
    return float(min(conf.backoff() * 2 ** max(attempts - 1, 0), conf.backoff_cap()))


def _failed(row: Delivery, lease_until: datetime, outcome: Outcome) -> None:
    gave_up = row.attempts >= conf.max_attempts()
    next_attempt = timezone.now() + timedelta(seconds=backoff_after(row.attempts))
    error = outcome.error or f"The receiver answered {outcome.status}."
    log.warning(
        "webhook delivery %s to %s failed (attempt %s): %s",
        row.pk,
        row.webhook_id,
        row.attempts,
        error,
    )
    Delivery.objects.filter(pk=row.pk, claimed_until=lease_until).update(
        state=DeliveryState.FAILED if gave_up else DeliveryState.QUEUED,
        next_attempt_at=next_attempt,
        claimed_until=None,
        last_status=outcome.status,
        last_error=error[:500],
    )
    if gave_up:
        _hand_on(row)
    else:
        _schedule(row.pk, next_attempt)


def _hand_on(row: Delivery) -> None:
    """The next pending delivery of the same ticket and webhook may go now."""
    following = (
        Delivery.objects.filter(
            webhook_id=row.webhook_id,
            ticket_number=row.ticket_number,
            id__gt=row.pk,
            state__in=PENDING,
        )
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        enqueue(following)


def _schedule(delivery_id: int, eta: datetime) -> None:
    from webhooks.tasks import send_delivery

    try:
        send_delivery.schedule(args=(delivery_id,), eta=eta)
    except Exception:
        # The periodic sweep finds the row when it is due; a lost schedule costs a minute.
        log.exception("could not schedule the retry of webhook delivery %s", delivery_id)


def enqueue(delivery_id: int) -> None:
    from webhooks.tasks import send_delivery

    try:
        send_delivery(delivery_id)
    except Exception:
        log.exception("could not queue webhook delivery %s; the sweep will send it", delivery_id)


def enqueue_on_commit(delivery_id: int) -> None:
    transaction.on_commit(lambda: enqueue(delivery_id), robust=True)


def sweep(now: datetime | None = None) -> int:
    """Send everything due that no task took (lost enqueues, retries, crashed senders),
    oldest first so each ticket's deliveries keep their order; forget old ones."""
    now = now or timezone.now()
    Delivery.objects.filter(
        state__in=(DeliveryState.DELIVERED, DeliveryState.FAILED), created_at__lt=now - KEEP_FOR
    ).delete()
    due = list(
        Delivery.objects.filter(_due(now), webhook__is_active=True)
        .order_by("id")
        .values_list("pk", flat=True)[:_SWEEP_BATCH]
    )
    delivered = 0
    deadline = time.perf_counter() + SWEEP_SECONDS
    for delivery_id in due:
        if time.perf_counter() > deadline:
            break
        delivered += deliver(delivery_id, now)
    return delivered


def resend(delivery: Delivery) -> Delivery:
    """Send a delivery again, by hand. One still waiting for its next attempt goes now
    (its turn in the ticket's order permitting); one delivered or given up is copied
    into a new delivery of the same event and body (the receiver sees the same event
    id), after any still pending for its ticket. An administrator's request ends a
    pause for slowness (the receiver may be fixed)."""
    Webhook.objects.filter(pk=delivery.webhook_id).update(slow_in_row=0, paused_until=None)
    if delivery.state in PENDING:
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.QUEUED).update(
            next_attempt_at=timezone.now()
        )
        enqueue_on_commit(delivery.pk)
        return delivery
    copy = Delivery.objects.create(
        webhook_id=delivery.webhook_id,
        event_id=delivery.event_id,
        kind=delivery.kind,
        ticket_number=delivery.ticket_number,
        body=delivery.body,
        resent_from=delivery,
    )
    enqueue_on_commit(copy.pk)
    return copy
