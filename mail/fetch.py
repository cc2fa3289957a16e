"""Polling mailboxes over IMAP and POP3 (S27, S32).

A message leaves its mailbox (deleted, or flagged as seen when the mailbox
keeps mail) only after ``ingest`` returned, i.e. after it was committed to the
database or to quarantine. A crash in between leaves it in the mailbox; the
next poll fetches it again and ingest recognises it, so nothing is lost and
nothing doubled. The standard library's imaplib and poplib are enough for
this: fetching whole messages by UID needs none of IMAPClient's conveniences,
and they come with every Python.

Every connection but one an administrator chose to leave plain ("none") is
encrypted before the password is sent: TLS from the start, or STARTTLS, which
is refused, never skipped, when the server does not offer it. Certificates and
host names are checked against the system's authorities or the mailbox's own
CA file. A failed check fails the poll at once: retrying cannot help, and
nothing was sent.
"""

from __future__ import annotations

import imaplib
import logging
import poplib
import ssl
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError
from django.db.models import F, QuerySet
from django.utils import timezone

from frontdesk.storage import out_of_space
from mail import conf
from mail.ingest import IngestResult, ingest
from mail.models import Mailbox, Protocol, Security

log = logging.getLogger(__name__)

# poplib refuses lines over 2,048 bytes; real mail (and broken mail) has longer ones.
poplib._MAXLINE = 1_000_000  # type: ignore[attr-defined]

#: A connection that breaks mid-poll is opened again this many times.
RECONNECTS = 3
_DROPPED = (imaplib.IMAP4.abort, poplib.error_proto, OSError, EOFError)


# OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH.
_NAME_MISMATCH = (62, 64)


class InsecureConnection(Exception):
    """The connection cannot be made as secure as the mailbox asks; no password was sent."""


@dataclass
class PollResult:
    mailbox: str
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    error: str = ""

    def count(self, result: IngestResult) -> None:
        if result.duplicate:
            self.duplicates += 1
        elif result.quarantined is not None:
            self.quarantined += 1
        else:
            self.stored += 1


def failing_mailboxes() -> QuerySet[Mailbox]:
    """Active mailboxes whose polling kept failing: the panel shows them to admins."""
    return Mailbox.objects.filter(
        is_active=True, consecutive_failures__gte=conf.mailbox_alert_after()
    )


def insecure_mailboxes() -> QuerySet[Mailbox]:
    """Active mailboxes that send their password in plain text: the panel warns about them."""
    return Mailbox.objects.filter(is_active=True, security=Security.NONE)


def poll_all() -> list[PollResult]:
    return [poll(mailbox) for mailbox in Mailbox.objects.filter(is_active=True)]


def poll(mailbox: Mailbox) -> PollResult:
    """Fetch and store every new message; reconnect when the connection drops."""
    result = PollResult(mailbox.name)
    reconnects = 0
    while True:
        progress = result.stored + result.duplicates + result.quarantined
        try:
            if mailbox.protocol == Protocol.POP3:
                _poll_pop3(mailbox, result)
            else:
                _poll_imap(mailbox, result)
        except (ssl.SSLCertVerificationError, InsecureConnection) as error:
            # Before _DROPPED, which holds OSError: this is no dropped connection.
            return _failed(mailbox, result, error)
        except _DROPPED as error:
            if out_of_space(error):
                # Storing failed, not the connection: the message stays on the server.
                return _failed(mailbox, result, error)
            moved_on = result.stored + result.duplicates + result.quarantined > progress
            if moved_on or reconnects < RECONNECTS:
                reconnects = 0 if moved_on else reconnects + 1
                log.info("mailbox %s: connection lost (%s); reconnecting", mailbox, error)
                continue
            return _failed(mailbox, result, error)
        except (imaplib.IMAP4.error, poplib.error_proto, DatabaseError) as error:
            return _failed(mailbox, result, error)
        except Exception as error:
            log.exception("mailbox %s: unexpected error", mailbox)
            return _failed(mailbox, result, error)
        break
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        consecutive_failures=0, last_error="", last_polled_at=now, last_success_at=now
    )
    return result


def _failed(mailbox: Mailbox, result: PollResult, error: BaseException) -> PollResult:
    result.error = _describe(mailbox, error)
    try:
        Mailbox.objects.filter(pk=mailbox.pk).update(
            consecutive_failures=F("consecutive_failures") + 1,
            last_error=result.error[:2000],
            last_polled_at=timezone.now(),
        )
        mailbox.refresh_from_db(fields=["consecutive_failures"])
    except DatabaseError:
        log.exception("mailbox %s: could not record the failure", mailbox)
        return result
    if mailbox.is_alerting:
        log.error(
            "mailbox %s failed %s times in a row: %s",
            mailbox,
            mailbox.consecutive_failures,
            result.error,
        )
    return result


def _describe(mailbox: Mailbox, error: BaseException) -> str:
    """The error in words an administrator can act on, without a traceback."""
    if isinstance(error, ssl.SSLCertVerificationError):
        reason = (error.verify_message or error.reason or str(error)).rstrip(".")
        if error.verify_code in _NAME_MISMATCH:
            advice = f"The certificate names another host than {mailbox.host}."
        else:
            advice = (
                f"The certificate of {mailbox.host} is not signed by an authority this "
                "machine trusts: set the mailbox's CA file to the company CA or to the "
                "server's self-signed certificate."
            )
        return f"certificate verify failed: {reason}. {advice} The password was not sent."
    if isinstance(error, InsecureConnection):
        return str(error)
    if out_of_space(error):
        return f"The server is out of space ({error}); the mail stays in the mailbox."
    return f"{type(error).__name__}: {error}"


def tls_context(mailbox: Mailbox) -> ssl.SSLContext:
    """Certificates and host names checked; a CA file replaces the system's authorities."""
    try:
        return ssl.create_default_context(cafile=mailbox.ca_file or None)
    except OSError as error:  # ssl.SSLError is an OSError too
        raise InsecureConnection(
            f"The CA file {mailbox.ca_file} cannot be used: {error.strerror or error}"
        ) from error


def _no_starttls(mailbox: Mailbox) -> InsecureConnection:
    return InsecureConnection(
        f"{mailbox.host} does not offer STARTTLS, so the password was not sent. "
        "Choose TLS if the server has a TLS port, or ask its administrator to enable STARTTLS."
    )


def _abandon(connection: imaplib.IMAP4 | poplib.POP3) -> None:
    """Close without another command: after a failed handshake the server expects none."""
    try:
        if isinstance(connection, imaplib.IMAP4):
            connection.shutdown()
        else:
            connection.close()
    except OSError:
        log.debug("closing a mailbox connection failed", exc_info=True)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _connect_imap(mailbox: Mailbox) -> imaplib.IMAP4:
    timeout = conf.mailbox_timeout()
    context = tls_context(mailbox) if mailbox.is_encrypted else None
    connection: imaplib.IMAP4
    if mailbox.security == Security.TLS:
        connection = imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port or 993, ssl_context=context, timeout=timeout
        )
    else:
        connection = imaplib.IMAP4(mailbox.host, mailbox.port or 143, timeout=timeout)
    try:
        if mailbox.security == Security.STARTTLS:
            # Checked here: imaplib's own check raises abort, which would read as a drop.
            if "STARTTLS" not in connection.capabilities:
                raise _no_starttls(mailbox)
            connection.starttls(ssl_context=context)
        connection.login(mailbox.username, mailbox.password)
    except BaseException:
        _abandon(connection)
        raise
    return connection


def _check(response: tuple[str, Any], what: str) -> Any:
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what} failed: {data!r}")
    return data


def _poll_imap(mailbox: Mailbox, result: PollResult) -> None:
    connection = _connect_imap(mailbox)
    try:
        _check(connection.select(_quoted(mailbox.folder)), "SELECT")
        _, validity_data = connection.response("UIDVALIDITY")
        uidvalidity = int(validity_data[0]) if validity_data and validity_data[0] else None
        if uidvalidity != mailbox.uidvalidity:
            # New UIDVALIDITY: old UIDs mean nothing now; start over (ingest skips repeats).
            Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity, last_uid=0)
            mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
        for uid in _imap_uids(connection, mailbox):
            data = _check(connection.uid("FETCH", str(uid), "(BODY.PEEK[])"), "FETCH")
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if raw is None:
                continue  # expunged by somebody else meanwhile
            result.count(ingest(raw, f"imap:{mailbox.name}", queue=mailbox.queue))
            _remove_imap(connection, mailbox, uid)
            Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid)
            mailbox.last_uid = uid
        if not mailbox.keep_messages:
            _check(connection.expunge(), "EXPUNGE")
    finally:
        _close(connection)


def _imap_uids(connection: imaplib.IMAP4, mailbox: Mailbox) -> list[int]:
    # Keeping mail: only UIDs above the last one stored. Deleting: everything still
    # there, so a message whose deletion was interrupted comes back, ingest
    # recognises it, and this time it goes.
    criteria = f"UID {mailbox.last_uid + 1}:*" if mailbox.keep_messages else "ALL"
    data = _check(connection.uid("SEARCH", criteria), "SEARCH")
    uids = sorted(int(uid) for uid in (data[0] or b"").split())
    if mailbox.keep_messages:
        # "n:*" always includes the highest UID, even one below n.
        uids = [uid for uid in uids if uid > mailbox.last_uid]
    return uids


def _remove_imap(connection: imaplib.IMAP4, mailbox: Mailbox, uid: int) -> None:
    """Called only after ingest returned: the message is safely stored."""
    flag = r"(\Seen)" if mailbox.keep_messages else r"(\Deleted)"
    _check(connection.uid("STORE", str(uid), "+FLAGS.SILENT", flag), "STORE")


def _close(connection: imaplib.IMAP4 | poplib.POP3) -> None:
    try:
        if isinstance(connection, imaplib.IMAP4):
            connection.logout()
        else:
            connection.close()
    except Exception:
        log.debug("closing a mailbox connection failed", exc_info=True)


def _connect_pop3(mailbox: Mailbox) -> poplib.POP3:
    timeout = conf.mailbox_timeout()
    context = tls_context(mailbox) if mailbox.is_encrypted else None
    connection: poplib.POP3
    if mailbox.security == Security.TLS:
        connection = poplib.POP3_SSL(
            mailbox.host, mailbox.port or 995, timeout=timeout, context=context
        )
    else:
        connection = poplib.POP3(mailbox.host, mailbox.port or 110, timeout=timeout)
    try:
        if mailbox.security == Security.STARTTLS:
            if "STLS" not in _pop3_capabilities(connection):
                raise _no_starttls(mailbox)
            connection.stls(context=context)
        connection.user(mailbox.username)
        connection.pass_(mailbox.password)
    except BaseException:
        _abandon(connection)
        raise
    return connection


def _pop3_capabilities(connection: poplib.POP3) -> dict[str, list[str]]:
    try:
        return connection.capa()
    except poplib.error_proto:
        return {}  # a server without CAPA (RFC 2449) offers no STLS either


def _poll_pop3(mailbox: Mailbox, result: PollResult) -> None:
    """POP3 has no flags: every stored message is deleted, which takes effect at QUIT."""
    connection = _connect_pop3(mailbox)
    try:
        _, listing, _ = connection.uidl()
        for line in listing:
            number = int(line.split()[0])
            _, lines, _ = connection.retr(number)
            raw = b"\r\n".join(lines) + b"\r\n"
            result.count(ingest(raw, f"pop3:{mailbox.name}", queue=mailbox.queue))
            _remove_pop3(connection, number)
        connection.quit()
    except BaseException:
        # Without QUIT the server forgets the deletions: the messages stay for next time.
        _close(connection)
        raise


def _remove_pop3(connection: poplib.POP3, number: int) -> None:
    """Called only after ingest returned: the message is safely stored."""
    connection.dele(number)
