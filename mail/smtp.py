"""SMTP to internationalised addresses (RFC 6531 SMTPUTF8, RFC 6532).

Django's SMTP backend knows no SMTPUTF8: it writes ``jörg@bücher.example`` as
``=?utf-8?b?...?=@xn--bcher-kva.example``, in the envelope too, which no
server delivers. Mail to such an address goes out with the SMTPUTF8 option,
its addresses in UTF-8 in the envelope and in To and Cc; a server that does
not offer SMTPUTF8 refuses it, and the outbox retries and then shows the
failure on the ticket. All other mail goes through Django's backend as it is.
"""

from __future__ import annotations

import smtplib
from email import policy
from email.message import Message

from django.core.mail import EmailMessage
from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address

_UTF8_POLICY = policy.SMTPUTF8.clone(linesep="\r\n")


def needs_smtputf8(email: EmailMessage) -> bool:
    """Whether an address of the mail has a non-ASCII local part."""
    addresses = [email.from_email, *email.recipients()]
    return any(not str(address).rpartition("@")[0].isascii() for address in addresses)


class EmailBackend(smtp.EmailBackend):
    def _send(self, email_message: EmailMessage) -> bool:
        if not needs_smtputf8(email_message):
            return bool(super()._send(email_message))  # type: ignore[misc]  # untyped in stubs
        recipients = email_message.recipients()
        if not recipients or self.connection is None:
            return False
        message = email_message.message()
        for name, values in (("To", email_message.to), ("Cc", email_message.cc)):
            if values:
                # Django wrote them as encoded words; set them as they are, in UTF-8.
                del message[name]
                Message.__setitem__(message, name, ", ".join(values))
        encoding = email_message.encoding or "utf-8"
        from_address = email_message.from_email
        sender = (
            sanitize_address(from_address, encoding)
            if str(from_address).rpartition("@")[0].isascii()
            else from_address
        )
        data = Message.as_bytes(message, policy=_UTF8_POLICY)
        try:
            self.connection.sendmail(sender, recipients, data, mail_options=["SMTPUTF8"])
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
