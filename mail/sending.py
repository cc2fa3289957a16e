"""How sending fares, for the panel's Mail page and its banner (issue 10).

A mail server that refuses connections leaves every outgoing mail queued for a
retry: none has failed for good yet, so "0 failed" says nothing. These read
what is waiting, what is retrying after an error, the newest error, and
whether sending has been failing long enough to raise the banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from mail import conf
from mail.models import OutgoingMail, OutgoingState

#: The backend that keeps mail instead of sending it (the demo's local sink).
SINK_BACKEND = "mail.sink.EmailBackend"
UNSENT = (OutgoingState.QUEUED, OutgoingState.SENDING)


@dataclass(frozen=True)
class SendingState:
    waiting: int
    retrying: int
    failed: int
    last_error: str
    # When the oldest mail still retrying after an error was written.
    failing_since: datetime | None


def retrying() -> QuerySet[OutgoingMail]:
    """Mail not sent yet that has failed at least once and will be tried again."""
    return OutgoingMail.objects.filter(state__in=UNSENT).exclude(last_error="")


def state() -> SendingState:
    unsent = OutgoingMail.objects.filter(state__in=UNSENT)
    newest_failure = retrying().order_by("-id").values_list("last_error", flat=True).first()
    oldest_retrying = retrying().order_by("created_at").values_list("created_at", flat=True)
    return SendingState(
        waiting=unsent.count(),
        retrying=retrying().count(),
        failed=OutgoingMail.objects.filter(state=OutgoingState.FAILED).count(),
        last_error=newest_failure or "",
        failing_since=oldest_retrying.first(),
    )


def failing_since(now: datetime | None = None) -> datetime | None:
    """When sending began to fail, if it has failed for ``MAIL_OUTBOX_ALERT_AFTER``
    seconds with nothing sent meanwhile; None when it is fine (or only just failed).

    One bad address among mail that goes out is its ticket's business, shown there;
    mail retrying for minutes while nothing at all is sent is a server down.
    """
    now = now or timezone.now()
    alert_after = timedelta(seconds=conf.outbox_alert_after())
    since = (
        retrying()
        .filter(created_at__lte=now - alert_after)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if since is None:
        return None
    # The newest sent mail, walking the primary key down past the unsent rows: an
    # outage's few hundred, never the whole outbox.
    last_sent = (
        OutgoingMail.objects.filter(state=OutgoingState.SENT)
        .order_by("-id")
        .values_list("sent_at", flat=True)
        .first()
    )
    if last_sent is not None and last_sent >= now - alert_after:
        return None
    return since


def is_sink() -> bool:
    """Whether mail goes to the local sink (kept, listed on the Mail page) instead of a server."""
    return str(settings.EMAIL_BACKEND) == SINK_BACKEND


def kept_by_sink(limit: int = 20) -> list[OutgoingMail]:
    """The newest mail the sink took, for the Mail page."""
    return list(
        OutgoingMail.objects.filter(state=OutgoingState.SENT).order_by("-sent_at", "-id")[:limit]
    )
