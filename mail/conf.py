"""Mail settings, read at call time so tests and admins can change them.

frontdesk/settings.py reads each from the environment, with its default.
"""

from __future__ import annotations

from django.conf import settings


def _setting(name: str) -> int:
    return int(getattr(settings, name))


def auto_mail_limit() -> int:
    """Automatic mails (confirmations, notices) one recipient gets per window (S29)."""
    return _setting("MAIL_AUTO_RESPONSE_LIMIT")


def auto_mail_window() -> int:
    """The window of the cap above, in seconds."""
    return _setting("MAIL_AUTO_RESPONSE_WINDOW")


def outbox_max_attempts() -> int:
    """Tries before an outgoing mail is marked failed and waits for a person."""
    return _setting("MAIL_OUTBOX_MAX_ATTEMPTS")


def outbox_backoff() -> int:
    """Seconds before the first retry; each further retry waits twice as long."""
    return _setting("MAIL_OUTBOX_BACKOFF")


def outbox_backoff_cap() -> int:
    return _setting("MAIL_OUTBOX_BACKOFF_CAP")


def outbox_lease() -> int:
    """How long a sender holds a claimed mail; a crashed sender's mail is due after it."""
    return _setting("MAIL_OUTBOX_LEASE")


def outbox_alert_after() -> int:
    """Seconds sending may fail with nothing sent before the panel raises its banner."""
    return _setting("MAIL_OUTBOX_ALERT_AFTER")


def max_cc() -> int:
    """CC addresses a ticket keeps: each receives every answer, quoting the customer."""
    return _setting("MAIL_MAX_CC")


def mailbox_alert_after() -> int:
    """Consecutive failed polls after which a mailbox shows as failing."""
    return _setting("MAIL_MAILBOX_ALERT_AFTER")


def mailbox_timeout() -> int:
    return _setting("MAIL_MAILBOX_TIMEOUT")


def new_tickets_per_sender() -> int:
    """New tickets one sender address may open by mail per window; more wait in quarantine."""
    return _setting("MAIL_NEW_TICKETS_PER_SENDER")


def new_tickets_window() -> int:
    """The window of the limit above, in seconds."""
    return _setting("MAIL_NEW_TICKETS_WINDOW")


def trusted_authserv_ids() -> set[str]:
    """Authentication-Results authserv-ids whose DKIM/DMARC verdicts we believe; none by default."""
    configured = getattr(settings, "MAIL_TRUSTED_AUTHSERV_IDS", [])
    return {str(item).strip().lower() for item in configured if str(item).strip()}


def message_id_domain() -> str:
    """The right-hand side of our Message-IDs; by default the support address's domain."""
    configured = settings.MAIL_MESSAGE_ID_DOMAIN
    if configured:
        return str(configured)
    from tickets.models import HelpdeskSettings

    return HelpdeskSettings.load().support_address.rpartition("@")[2] or "localhost"
