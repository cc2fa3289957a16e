"""The local sink: an e-mail backend that keeps outgoing mail instead of sending it.

A fresh machine has no SMTP server, and the demo (`frontdesk run --demo`) would
otherwise fill the log with "connection refused" and mark every answer as
failed mail. With this backend a mail counts as sent the moment it is handed
over; its row in the outbox is what is kept, and the panel's Mail page lists
it. Set EMAIL_BACKEND to Django's SMTP backend and EMAIL_HOST to send for real.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger(__name__)


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            log.info("mail to %s kept by the local sink", ", ".join(message.recipients()))
        return len(email_messages)
