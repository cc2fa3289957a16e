"""Polling mailboxes over IMAP and POP3 (S27, S32).

A message leaves its mailbox (deleted, or flagged as seen when the mailbox
keeps mail) only after ``ingest`` returned, i.e. after it was committed to the
database or to quarantine. A crash in between leaves it in the mailbox; the
next poll fetches it again and ingest recognises it, so nothing is lost and
nothing doubled. The standard library's imaplib and poplib are enough for
this: fetching whole messages by UID needs none of IMAPClient's conveniences,
and they come with every Python.
"""

from __future__ import annotations

import imaplib
import logging
import poplib
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError
from django.db.models import F, QuerySet
from django.utils import timezone

from mail import conf
from mail.ingest import IngestResult, ingest
from mail.models import Mailbox, Protocol

log = logging.getLogger(__name__)

# poplib refuses lines over 2,048 bytes; real mail (and broken mail) has longer ones.
poplib._MAXLINE = 1_000_000  # type: ignore[attr-defined]

#: A connection that breaks mid-poll is opened again this many times.
RECONNECTS = 3
_DROPPED = (imaplib.IMAP4.abort, poplib.error_proto, OSError, EOFError)


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
        except _DROPPED as error:
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
    result.error = f"{type(error).__name__}: {error}"
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


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _connect_imap(mailbox: Mailbox) -> imaplib.IMAP4:
    timeout = conf.mailbox_timeout()
    connection: imaplib.IMAP4
    if mailbox.use_ssl:
        connection = imaplib.IMAP4_SSL(mailbox.host, mailbox.port or 993, timeout=timeout)
    else:
        connection = imaplib.IMAP4(mailbox.host, mailbox.port or 143, timeout=timeout)
    connection.login(mailbox.username, mailbox.password)
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
    connection: poplib.POP3
    if mailbox.use_ssl:
        connection = poplib.POP3_SSL(mailbox.host, mailbox.port or 995, timeout=timeout)
    else:
        connection = poplib.POP3(mailbox.host, mailbox.port or 110, timeout=timeout)
    connection.user(mailbox.username)
    connection.pass_(mailbox.password)
    return connection


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
