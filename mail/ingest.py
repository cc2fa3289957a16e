"""``ingest(raw, source)``: one inbound message into a ticket, once (S31, S32).

Every transport (mailgate, IMAP, POP3) hands raw bytes here and removes the
message from its mailbox only after this returned. A message is stored once
per (Message-ID, content hash); the same bytes again are a no-op. A message
that raises is kept in quarantine with its raw bytes and the error; only a
temporary failure (the database unreachable or locked, the disk full, the
file store not answering) propagates, so the transport keeps the message and
tries again later.
"""

from __future__ import annotations

import hashlib
import logging
import re
import traceback
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.actors import MAIL_GATEWAY
from accounts.models import User
from accounts.queries import staff_addresses
from mail import conf, limits, loop, route
from mail.addresses import our_addresses, unique_valid
from mail.models import InboundMessage, Match, Outcome, QuarantinedMessage
from mail.parse import ParsedMessage, parse
from tickets import actions, stored_files
from tickets.files import IncomingFile
from tickets.models import HelpdeskSettings, Queue, Ticket, TicketType
from tickets.models import Message as TicketMessage

log = logging.getLogger(__name__)

#: Errors after which trying again later may succeed: the message must stay with its sender.
#: OSError is also a full disk (ENOSPC); the botocore errors are an S3-compatible store
#: that does not answer or refuses, where the quarantine could not keep the message either.
TEMPORARY_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    OSError,
    BotoCoreError,
    ClientError,
)

# Headers that identify a message; trace headers (Received, Delivered-To, ...)
# differ between two deliveries of one message and are left out.
_IDENTITY_HEADERS = ("message-id", "date", "from", "sender", "to", "cc", "subject")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_TITLE_LENGTH = 255
_MESSAGE_ID_LENGTH = 255


class Unprocessable(Exception):
    """A message that can be kept but not turned into a ticket; it goes to quarantine."""


@dataclass
class IngestResult:
    inbound: InboundMessage | None = None
    quarantined: QuarantinedMessage | None = None
    duplicate: bool = False

    @property
    def stored(self) -> bool:
        return self.inbound is not None or self.quarantined is not None


def content_hash(raw: bytes) -> str:
    """SHA-256 over the identifying headers and the body, line endings normalised."""
    match = _HEADER_END.search(raw)
    head, body = (raw[: match.start()], raw[match.end() :]) if match else (raw, b"")
    headers = BytesHeaderParser(policy=compat32).parsebytes(head + b"\n\n")
    digest = hashlib.sha256()
    for name in _IDENTITY_HEADERS:
        for value in headers.get_all(name, []):
            digest.update(f"{name}:{' '.join(str(value).split())}\n".encode(errors="replace"))
    digest.update(b"\n")
    digest.update(body.replace(b"\r\n", b"\n").rstrip())
    return digest.hexdigest()


def _raw_storage() -> Storage:
    return InboundMessage._meta.get_field("raw").storage


def store_raw(raw: bytes) -> tuple[str, str]:
    """Write the raw bytes under their own hash; a second write of them is a no-op.

    A file of that name is trusted only when its bytes have that hash: an older
    version, or another storage, may have left one cut short by a full disk.
    """
    sha = hashlib.sha256(raw).hexdigest()
    name = f"mail/raw/{sha[:2]}/{sha}.eml"
    storage = _raw_storage()
    if storage.exists(name):
        if _stored_hash(storage, name) == sha:
            return name, sha
        log.warning("raw mail %s was stored incomplete or damaged; storing it again", name)
        storage.delete(name)
    return storage.save(name, ContentFile(raw)), sha


def _stored_hash(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as handle:
            for chunk in handle.chunks():
                digest.update(chunk)
    except FileNotFoundError:
        return ""  # removed meanwhile (another process repairing it)
    return digest.hexdigest()


def read_raw(name: str) -> bytes:
    with _raw_storage().open(name, "rb") as handle:
        # Opened in binary mode; django-stubs types File.read as Any whatever the mode.
        raw: bytes = handle.read()
        return raw


def synthetic_message_id(hash_hex: str) -> str:
    return f"{hash_hex[:40]}@hash.frontdesk.invalid"


def ingest(
    raw: bytes, source: str, *, queue: Queue | None = None, check_sender_rate: bool = True
) -> IngestResult:
    """Store one message and act on it; ``queue`` is the queue of the mailbox it came from.

    ``check_sender_rate=False`` is an administrator letting through mail the
    new-ticket limit held (mail.limits).
    """
    try:
        parsed = parse(raw)
    except Exception as error:
        # parse() promises never to raise; if it does, the message is still kept.
        return IngestResult(quarantined=_quarantine_error(raw, source, queue, error))
    hash_hex = content_hash(raw)
    message_id = parsed.message_id or synthetic_message_id(hash_hex)
    existing = InboundMessage.objects.filter(message_id=message_id, content_hash=hash_hex).first()
    if existing is not None:
        return IngestResult(inbound=existing, duplicate=True)
    try:
        # Attachment files of a transaction that rolls back are removed with it.
        with stored_files.atomic():
            # The row goes first: a concurrent ingest of the same message waits on
            # (or fails against) its unique key instead of opening a second ticket.
            inbound = InboundMessage.objects.create(
                message_id=message_id,
                content_hash=hash_hex,
                raw_sha256=parsed.content_hash or hashlib.sha256(raw).hexdigest(),
                size=len(raw),
                source=source[:200],
                outcome=Outcome.IGNORED,
                problems=list(parsed.problems)[:50],
            )
            inbound.raw.name, _ = store_raw(raw)
            _process(inbound, parsed, raw, queue, check_sender_rate=check_sender_rate)
            inbound.save()
    except IntegrityError as error:
        existing = InboundMessage.objects.filter(
            message_id=message_id, content_hash=hash_hex
        ).first()
        if existing is not None:
            return IngestResult(inbound=existing, duplicate=True)
        return IngestResult(quarantined=_quarantine_error(raw, source, queue, error))
    except limits.SenderOverLimit as held:
        log.warning("mail from %s held in quarantine: %s", source, held)
        return IngestResult(quarantined=quarantine(raw, source, str(held), queue=queue))
    except TEMPORARY_ERRORS:
        raise
    except Exception as error:
        return IngestResult(quarantined=_quarantine_error(raw, source, queue, error))
    if inbound.outcome == Outcome.LOOP:
        # Kept, not lost: the Mail page lists it for an administrator to re-process.
        log.warning(
            "mail %s from %s kept as a loop: %s", message_id, source, inbound.automatic_reasons
        )
    return IngestResult(inbound=inbound)


def _process(
    inbound: InboundMessage,
    parsed: ParsedMessage,
    raw: bytes,
    mailbox_queue: Queue | None,
    *,
    check_sender_rate: bool = True,
    ignore_loop: bool = False,
    as_person: bool = False,
) -> None:
    classification = loop.classify(parsed, ignore_loop=ignore_loop)
    if as_person:
        # An administrator says this automatic mail needs a person: it is filed
        # as a person's mail, still never answered automatically (RFC 3834).
        classification = loop.Classification(suppress_auto_response=True)
    parsed = loop.strip_internal_headers(parsed)
    inbound.automatic = classification.kind
    inbound.automatic_reasons = "; ".join(classification.reasons)[:500]
    inbound.suppress_auto_response = classification.suppress_auto_response
    if classification.is_loop:
        inbound.outcome = Outcome.LOOP
        return
    sender = parsed.from_address
    located = route.locate(parsed)
    if classification.kind in loop.ANSWERING_KINDS:
        if (
            located is not None
            and located.match == Match.SUBJECT_TAG
            and not route.writer(located.ticket, parsed).role
        ):
            # Anybody can type [#N]: a bounce from a stranger must prove with our
            # signed id that it answers our mail before it lands on a ticket.
            located = None
        located = located or route.locate_in_text(_searchable_text(parsed, raw))
        if located is None:
            inbound.outcome = Outcome.IGNORED
            return
        message = _add_system_note(inbound, located.ticket, parsed, classification.kind)
        _done(inbound, Outcome.ATTACHED, located.match, located.detail, message)
        return
    refused: route.Located | None = None
    refusal = ""
    if located is not None:
        writer = route.writer(located.ticket, parsed)
        role, refusal = writer.role, writer.reason
        if role == "staff":
            message = _add_system_note(
                inbound, located.ticket, parsed, "staff_mail", author=writer.user
            )
            detail = f"{located.detail}, from staff: {writer.reason}"
            _done(inbound, Outcome.STAFF_NOTE, located.match, detail, message)
            return
        if role:
            text, files = _text_and_files(parsed)
            message = actions.customer_reply(
                actor=MAIL_GATEWAY,
                ticket=located.ticket,
                text=text,
                author_email=sender,
                html=parsed.html,
                message_id=_stored_id(inbound.message_id),
                attachments=files,
            )
            detail = f"{located.detail}, from the {role}" + (f"; {refusal}" if refusal else "")
            _done(inbound, Outcome.REPLY, located.match, detail, message)
            return
        refused = located
    if check_sender_rate:
        limits.check_new_ticket(sender)
    _open_ticket(inbound, parsed, classification, mailbox_queue, refused)
    if refusal:
        # Why staff mail was not taken as staff's: the admin reading the entry must see it.
        inbound.match_detail = f"{inbound.match_detail}; {refusal}"[:500]


def _open_ticket(
    inbound: InboundMessage,
    parsed: ParsedMessage,
    classification: loop.Classification,
    mailbox_queue: Queue | None,
    refused: route.Located | None,
) -> None:
    sender = parsed.from_address
    if not sender:
        raise Unprocessable("The message has no single sender address (From missing or ambiguous).")
    ours = our_addresses()
    text, files = _text_and_files(parsed)
    cc, left_out = _ticket_cc(parsed, exclude=ours | {sender})
    ticket = actions.open_ticket(
        actor=MAIL_GATEWAY,
        title=_title(parsed.subject),
        requester_email=sender,
        text=text,
        type=TicketType.EMAIL,
        queue=route.queue_for(parsed, mailbox_queue),
        cc=cc,
        html=parsed.html,
        message_id=_stored_id(inbound.message_id),
        attachments=files,
        # RFC 3834: never auto-reply to automatic mail, nor to ourselves.
        send_confirmation=not classification.suppress_auto_response and sender not in ours,
    )
    message = ticket.messages.first()
    cc_note = ""
    if left_out:
        kept = f"at most {len(cc)} are kept"
        cc_note = f"{left_out} CC addresses left out ({kept})"
        actions.record_system_event(
            actor=MAIL_GATEWAY, ticket=ticket, code="cc_left_out", new=f"{left_out} ({kept})"
        )
    if refused is None:
        _done(inbound, Outcome.NEW_TICKET, Match.NEW_TICKET, cc_note, message)
        return
    detail = (
        f"{refused.detail} matched #{refused.ticket.number}, but {sender} is not its "
        "requester, a CC or staff" + (f"; {cc_note}" if cc_note else "")
    )
    actions.record_system_event(
        actor=MAIL_GATEWAY, ticket=ticket, code="mail_from_ticket", new=f"#{refused.ticket.number}"
    )
    actions.record_system_event(
        actor=MAIL_GATEWAY,
        ticket=refused.ticket,
        code="mail_to_new_ticket",
        new=f"#{ticket.number}",
    )
    _done(inbound, Outcome.NEW_TICKET, Match.REFUSED, detail[:500], message)


def _ticket_cc(parsed: ParsedMessage, exclude: set[str]) -> tuple[list[str], int]:
    """Everybody else the customer wrote to, who hears our answers too (reply-all), and
    how many were left out: at most ``MAIL_MAX_CC``, so one mail with a thousand
    addresses cannot send our answers, quoting the customer, to a thousand strangers.
    Never our own addresses nor staff, who read the ticket in the panel."""
    addresses = unique_valid([*parsed.to, *parsed.cc], exclude=exclude | staff_addresses())
    limit = conf.max_cc()
    return addresses[:limit], max(0, len(addresses) - limit)


def _done(
    inbound: InboundMessage, outcome: str, match: str, detail: str, message: TicketMessage | None
) -> None:
    inbound.outcome = outcome
    inbound.match = match
    inbound.match_detail = detail[:500]
    inbound.ticket_message = message
    inbound.ticket_id = message.ticket_id if message is not None else None


def _add_system_note(
    inbound: InboundMessage,
    ticket: Ticket,
    parsed: ParsedMessage,
    code: str,
    author: User | None = None,
) -> TicketMessage:
    text, files = _text_and_files(parsed)
    message = actions.add_system_note(
        actor=MAIL_GATEWAY,
        ticket=ticket,
        code=code,
        text=text,
        author=author,
        author_email=parsed.from_address,
        html=parsed.html,
        message_id=_stored_id(inbound.message_id),
        attachments=files,
    )
    return message


def _title(subject: str) -> str:
    title = " ".join(subject.split())
    if not title:
        return "(no subject)"
    if len(title) > _TITLE_LENGTH:
        return title[: _TITLE_LENGTH - 1] + "…"
    return title


def _stored_id(message_id: str) -> str:
    # tickets.Message keeps up to 255 characters; longer ids still thread by the inbound row.
    return message_id if len(message_id) <= _MESSAGE_ID_LENGTH else ""


def _text_and_files(parsed: ParsedMessage) -> tuple[str, list[IncomingFile]]:
    """The body, and the attachments within the size limit; the others stay in the raw mail."""
    limit = HelpdeskSettings.load().max_attachment_size
    text = parsed.text
    # A PGP/MIME message (RFC 3156) has no text outside its encrypted part: that
    # part becomes the message's armored block, which staff may show (crypto/).
    kept = [block for block in parsed.pgp_blocks if block not in text]
    if kept:
        text = "\n\n".join([text.strip(), *kept] if text.strip() else kept)
    if not text.strip():
        text = "(The message has no text.)"
    notes: list[str] = []
    files: list[IncomingFile] = []
    for attachment in parsed.attachments:
        if len(attachment.content) > limit:
            notes.append(
                f"[{attachment.filename or 'An attachment'} ({len(attachment.content)} bytes) "
                "is over the attachment limit; it is kept in the raw message.]"
            )
            continue
        files.append(
            IncomingFile.from_bytes(
                attachment.filename,
                attachment.content,
                content_type=attachment.content_type,
                content_id=attachment.content_id,
            )
        )
    if notes:
        text = "\n\n".join([text, *notes])
    return text, files


def _searchable_text(parsed: ParsedMessage, raw: bytes) -> str:
    # A bounce quotes our mail's headers in a message/rfc822 or text/rfc822-headers part.
    parts = [raw.decode("latin-1")]
    parts += [item.content.decode("latin-1") for item in parsed.attachments]
    return "\n".join(parts)


def _quarantine_error(
    raw: bytes, source: str, queue: Queue | None, error: BaseException
) -> QuarantinedMessage:
    if isinstance(error, TEMPORARY_ERRORS):
        raise error
    log.warning("mail from %s quarantined: %s", source, error)
    details = "".join(traceback.format_exception(error))
    return quarantine(raw, source, f"{type(error).__name__}: {error}", details, queue)


def quarantine(
    raw: bytes, source: str, error: str, details: str = "", queue: Queue | None = None
) -> QuarantinedMessage:
    """Keep a message that failed, in its own transaction: it survives the failed one."""
    name, sha = store_raw(raw)
    now = timezone.now()
    for _ in range(2):
        try:
            with transaction.atomic():
                entry = (
                    QuarantinedMessage.objects.select_for_update()
                    .filter(raw_sha256=sha, resolved=False)
                    .first()
                )
                if entry is None:
                    return QuarantinedMessage.objects.create(
                        raw=name,
                        raw_sha256=sha,
                        size=len(raw),
                        source=source[:200],
                        queue=queue,
                        error=error,
                        traceback=details,
                    )
                entry.attempts += 1
                entry.error = error
                entry.traceback = details
                entry.last_attempt_at = now
                entry.save(update_fields=["attempts", "error", "traceback", "last_attempt_at"])
                return entry
        except IntegrityError:
            # A concurrent quarantine of the same message won the insert; update it instead.
            continue
    raise DatabaseError(f"could not quarantine message {sha}")


def reprocess(entry: QuarantinedMessage, *, check_sender_rate: bool = False) -> IngestResult:
    """Run a quarantined message through ingest again; resolved once it is stored.

    An administrator re-processing one message decided it is real: the
    new-ticket limit that may have held it does not hold it again.
    """
    result = ingest(
        read_raw(entry.raw.name),
        entry.source,
        queue=entry.queue,
        check_sender_rate=check_sender_rate,
    )
    if result.inbound is not None:
        QuarantinedMessage.objects.filter(pk=entry.pk).update(
            resolved=True, resolved_at=timezone.now(), inbound=result.inbound
        )
        entry.refresh_from_db()
    return result


def reprocess_loop(inbound: InboundMessage, *, by: User) -> InboundMessage:
    """An administrator says a message kept as a loop was none: act on it, loop mark ignored.

    Raises what processing raises (e.g. Unprocessable); the row then stays a loop.
    """
    raw = read_raw(inbound.raw.name)
    parsed = parse(raw)
    with stored_files.atomic():
        row = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
        if row.outcome != Outcome.LOOP:
            return row  # somebody re-processed it a moment ago
        # The mailbox it came from is not kept: the queue comes from the recipients.
        _process(row, parsed, raw, None, check_sender_rate=False, ignore_loop=True)
        note = f"re-processed by {by.email}, the loop mark ignored"
        row.match_detail = f"{row.match_detail}; {note}" if row.match_detail else note
        row.match_detail = row.match_detail[:500]
        row.save()
    return row


def unmatched_automatic() -> QuerySet[InboundMessage]:
    """Bounces and auto-replies that matched no ticket, newest first (issue 12).

    Nothing is done with them, but nothing is hidden either: the quarantine page
    lists them for an administrator, who can file one as a person's mail.
    The index inbound_received serves the order.
    """
    return InboundMessage.objects.filter(outcome=Outcome.IGNORED).order_by("-received_at", "-id")


def reprocess_unmatched(inbound: InboundMessage, *, by: User) -> InboundMessage:
    """File an automatic mail that matched no ticket as a person's mail: a reply or a ticket.

    Raises what processing raises (e.g. Unprocessable); the row then stays as it was.
    """
    raw = read_raw(inbound.raw.name)
    parsed = parse(raw)
    with stored_files.atomic():
        row = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
        if row.outcome != Outcome.IGNORED:
            return row  # somebody re-processed it a moment ago
        kind = row.automatic or "automatic"
        _process(row, parsed, raw, None, check_sender_rate=False, as_person=True)
        note = f"re-processed by {by.email} as a person's mail (was: {kind}, no ticket)"
        row.match_detail = f"{row.match_detail}; {note}" if row.match_detail else note
        row.match_detail = row.match_detail[:500]
        row.save()
    return row


def dismiss(entry: QuarantinedMessage) -> None:
    """An admin decided the message needs nothing more; its raw bytes stay."""
    QuarantinedMessage.objects.filter(pk=entry.pk).update(resolved=True, resolved_at=timezone.now())
