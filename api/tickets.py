"""Tickets: read through tickets/queries.py, changed through tickets/actions, as the
token's actor (its owner, or its integration scoped to its queues)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status

from accounts.models import Account, User
from api import idempotency
from api.auth import Caller, caller_of
from api.errors import REFUSALS, TooLarge
from api.schemas import (
    AssignIn,
    ChangeIn,
    CloseIn,
    Error,
    EventOut,
    MessageOut,
    MoveIn,
    NoteIn,
    ReplyIn,
    SearchResults,
    TicketIn,
    TicketOut,
    TicketPage,
    Version,
    event_out,
    message_json,
    ticket_json,
)
from panel.views.attachments import download_response
from tickets import actions, criteria, queries
from tickets.files import IncomingFile
from tickets.models import Attachment, HelpdeskSettings, Queue, Ticket, TicketType

router = Router(tags=["tickets"])

ERRORS: dict[int, type[Schema]] = dict.fromkeys(REFUSALS, Error)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
_CURSOR_SALT = "api.tickets.cursor"


class TicketFilters(Schema):
    """The advanced search's criteria (the panel's query string, the same names)."""

    number: str | None = None
    text: str | None = None
    email: str | None = None
    account: str | None = None
    queue: list[str] = []
    status: list[str] = []
    closed: str | None = None
    type: list[str] = []
    priority_min: str | None = None
    priority_max: str | None = None
    assignee: str | None = None
    answered: str | None = None
    sticky: str | None = None
    created_from: str | None = None
    created_to: str | None = None
    modified_from: str | None = None
    modified_to: str | None = None
    sort: str | None = None


class Paging(Schema):
    #: ``next_cursor`` of the page before; empty for the first page.
    cursor: str = Field("", max_length=500)
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class SearchWords(Schema):
    #: Words, "a phrase", prefix*, -left-out (the panel's search syntax).
    q: str = Field(..., max_length=500)


def ticket_of(caller: Caller, number: int) -> Ticket:
    """The ticket if the caller sees it; 404 for one that exists but is not visible."""
    ticket = queries.find(caller.actor, number)
    if ticket is None:
        raise Ticket.DoesNotExist
    return ticket


def version_of(request: HttpRequest, sent: Version) -> int | None:
    """The version the client saw: the body's ``version``, else ``If-Match``."""
    if sent.version is not None:
        return sent.version
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 10:
        raise ValidationError({"If-Match": 'Give the ticket version, e.g. "7".'})
    return int(value)


def files_of(sent: list[Any]) -> list[IncomingFile]:
    limit = HelpdeskSettings.load().max_attachment_size
    files = []
    for item in sent:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(
                {"attachments": f"{item.name}: content_base64 is not base64."}
            ) from None
        if len(content) > limit:
            raise TooLarge(f"{item.name} is {len(content)} bytes; the limit is {limit} bytes.")
        files.append(
            IncomingFile.from_bytes(item.name, content, content_type=item.content_type.strip())
        )
    return files


def _cursor(offset: int) -> str:
    return signing.dumps(offset, salt=_CURSOR_SALT, compress=True)


def _offset(cursor: str) -> int:
    if not cursor:
        return 0
    try:
        offset = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature:
        raise ValidationError({"cursor": "This cursor was not given by this server."}) from None
    if not isinstance(offset, int) or offset < 0:
        raise ValidationError({"cursor": "This cursor was not given by this server."})
    return offset


def page_of_tickets(found: Any, paging: Paging) -> dict[str, Any]:
    offset, limit = _offset(paging.cursor), paging.limit
    return _page(queries.page_of(found, offset=offset, size=limit), offset, limit)


def _page(rows: list[Ticket], offset: int, limit: int) -> dict[str, Any]:
    """``rows`` read from ``offset``, one more than ``limit`` when there is a next page."""
    more = len(rows) > limit
    return {"items": rows[:limit], "next_cursor": _cursor(offset + limit) if more else None}


def _criteria_of(request: HttpRequest) -> criteria.Criteria:
    form = criteria.form_for(request.GET)
    if not form.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        raise ValidationError(errors)
    return form.criteria


@router.get("/tickets", response={200: TicketPage, **ERRORS}, url_name="tickets")
def list_tickets(
    request: HttpRequest, filters: Query[TicketFilters], paging: Query[Paging]
) -> dict[str, Any]:
    """Tickets as the advanced search finds them: its filters and sort, newest first by
    default, resolved and closed ones only with ``closed=1`` or a status. Page on with
    ``next_cursor``."""
    found = queries.find_tickets(caller_of(request).actor, _criteria_of(request))
    return page_of_tickets(found, paging)


@router.post("/tickets", response={201: TicketOut, **ERRORS}, url_name="tickets_create")
def create_ticket(
    request: HttpRequest,
    payload: TicketIn,
    idempotency_key: Annotated[str, Header(alias=idempotency.HEADER)] = "",
) -> Status[dict[str, Any]]:
    """Open a ticket (type ``api``) for a requester and, if given, an account. With an
    ``Idempotency-Key`` a retried request opens one ticket."""
    caller = caller_of(request)

    def run() -> tuple[int, dict[str, Any]]:
        ticket = actions.open_ticket(
            actor=caller.actor,
            title=payload.title,
            requester_email=payload.requester_email,
            text=payload.text,
            type=TicketType.API,
            queue=_queue(payload.queue_id),
            account=_account(payload.account_id, payload.account_external_id),
            priority=payload.priority,
            cc=payload.cc,
            attachments=files_of(payload.attachments),
        )
        shown = queries.find(caller.actor, ticket.number) or ticket
        return 201, ticket_json(shown)

    return Status(*idempotency.once(request, caller, run))


def _queue(pk: int | None) -> Queue | None:
    if pk is None:
        return None
    queue = Queue.objects.filter(pk=pk).first()
    if queue is None:
        raise ValidationError({"queue_id": f"There is no queue {pk}."})
    return queue


def _account(pk: int | None, external_id: str | None) -> Account | None:
    if pk is not None:
        account = Account.objects.filter(pk=pk).first()
        if account is None:
            raise ValidationError({"account_id": f"There is no account {pk}."})
        return account
    if external_id:
        account = Account.objects.filter(external_id=external_id).first()
        if account is None:
            raise ValidationError(
                {"account_external_id": f"No account has the external id {external_id!r}."}
            )
        return account
    return None


@router.get("/tickets/{int:number}", response={200: TicketOut, **ERRORS}, url_name="ticket")
def get_ticket(request: HttpRequest, number: int, response: HttpResponse) -> Ticket:
    ticket = ticket_of(caller_of(request), number)
    response["ETag"] = f'"{ticket.version}"'
    return ticket


@router.patch(
    "/tickets/{int:number}", response={200: TicketOut, **ERRORS}, url_name="ticket_change"
)
def change_ticket(request: HttpRequest, number: int, payload: ChangeIn) -> Ticket:
    """Change status, priority, sticky, title, requester e-mail or account; all or none.
    Send the version you saw (``version`` or ``If-Match``): a newer one is 409."""
    caller = caller_of(request)
    version = version_of(request, payload)
    ticket = ticket_of(caller, number)
    with transaction.atomic():
        if any(v is not None for v in (payload.status, payload.priority, payload.is_sticky)):
            ticket = actions.change(
                actor=caller.actor,
                ticket=ticket,
                expected_version=version,
                status=payload.status,
                priority=payload.priority,
                is_sticky=payload.is_sticky,
            )
            version = ticket.version if version is not None else None
        if payload.title is not None or payload.requester_email is not None:
            ticket = actions.change_details(
                actor=caller.actor,
                ticket=ticket,
                expected_version=version,
                title=payload.title,
                requester_email=payload.requester_email,
            )
            version = ticket.version if version is not None else None
        if payload.account_id is not None:
            account = _account(payload.account_id, None) if payload.account_id else None
            ticket = actions.change_account(
                actor=caller.actor, ticket=ticket, account=account, expected_version=version
            )
    return ticket_of(caller, number)


@router.post(
    "/tickets/{int:number}/reply", response={201: MessageOut, **ERRORS}, url_name="ticket_reply"
)
def reply_to_ticket(
    request: HttpRequest,
    number: int,
    payload: ReplyIn,
    idempotency_key: Annotated[str, Header(alias=idempotency.HEADER)] = "",
) -> Status[dict[str, Any]]:
    """A reply: staff (a personal token) answer the customer; an integration writes the
    customer's follow-up (a control panel sending what its user typed)."""
    caller = caller_of(request)
    version = version_of(request, payload)
    ticket = ticket_of(caller, number)

    def run() -> tuple[int, dict[str, Any]]:
        files = files_of(payload.attachments)
        if caller.is_person:
            message = actions.answer(
                actor=caller.actor,
                ticket=ticket,
                text=payload.text,
                expected_version=version,
                cc=payload.cc,
                attachments=files,
            )
        else:
            if version is not None and ticket.version != version:
                raise actions.Conflict(ticket, version)
            message = actions.customer_reply(
                actor=caller.actor, ticket=ticket, text=payload.text, attachments=files
            )
        return 201, message_json(message)

    return Status(*idempotency.once(request, caller, run))


@router.post(
    "/tickets/{int:number}/notes", response={201: MessageOut, **ERRORS}, url_name="ticket_note"
)
def add_note(request: HttpRequest, number: int, payload: NoteIn) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    ticket = ticket_of(caller, number)
    message = actions.add_note(
        actor=caller.actor,
        ticket=ticket,
        text=payload.text,
        expected_version=version_of(request, payload),
        attachments=files_of(payload.attachments),
    )
    return Status(201, message_json(message))


@router.post(
    "/tickets/{int:number}/move", response={200: TicketOut, **ERRORS}, url_name="ticket_move"
)
def move_ticket(request: HttpRequest, number: int, payload: MoveIn) -> Ticket:
    caller = caller_of(request)
    ticket = ticket_of(caller, number)
    queue = _queue(payload.queue_id)
    assert queue is not None
    actions.move(
        actor=caller.actor,
        ticket=ticket,
        queue=queue,
        expected_version=version_of(request, payload),
    )
    return _after(caller, number)


@router.post(
    "/tickets/{int:number}/assign", response={200: TicketOut, **ERRORS}, url_name="ticket_assign"
)
def assign_ticket(request: HttpRequest, number: int, payload: AssignIn) -> Ticket:
    caller = caller_of(request)
    ticket = ticket_of(caller, number)
    assignee = None
    if payload.assignee_id is not None:
        assignee = User.objects.filter(pk=payload.assignee_id).first()
        if assignee is None:
            raise ValidationError({"assignee_id": f"There is nobody {payload.assignee_id}."})
    actions.assign(
        actor=caller.actor,
        ticket=ticket,
        assignee=assignee,
        expected_version=version_of(request, payload),
    )
    return _after(caller, number)


@router.post(
    "/tickets/{int:number}/pick-up", response={200: TicketOut, **ERRORS}, url_name="ticket_pick_up"
)
def pick_up_ticket(request: HttpRequest, number: int) -> Ticket:
    """Take an unassigned ticket (personal tokens of supervisors and administrators);
    somebody else was first: 409."""
    caller = caller_of(request)
    actions.pick_up(actor=caller.actor, ticket=ticket_of(caller, number))
    return _after(caller, number)


@router.post(
    "/tickets/{int:number}/release", response={200: TicketOut, **ERRORS}, url_name="ticket_release"
)
def release_ticket(request: HttpRequest, number: int, payload: Version) -> Ticket:
    caller = caller_of(request)
    ticket = ticket_of(caller, number)
    actions.release(
        actor=caller.actor, ticket=ticket, expected_version=version_of(request, payload)
    )
    return _after(caller, number)


@router.post(
    "/tickets/{int:number}/close", response={200: TicketOut, **ERRORS}, url_name="ticket_close"
)
def close_ticket(request: HttpRequest, number: int, payload: CloseIn) -> Ticket:
    caller = caller_of(request)
    ticket = ticket_of(caller, number)
    actions.close(
        actor=caller.actor,
        ticket=ticket,
        expected_version=version_of(request, payload),
        tell_customer=payload.tell_customer,
    )
    return _after(caller, number)


@router.post(
    "/tickets/{int:number}/reopen", response={200: TicketOut, **ERRORS}, url_name="ticket_reopen"
)
def reopen_ticket(request: HttpRequest, number: int, payload: Version) -> Ticket:
    caller = caller_of(request)
    ticket = ticket_of(caller, number)
    actions.reopen(actor=caller.actor, ticket=ticket, expected_version=version_of(request, payload))
    return _after(caller, number)


def _after(caller: Caller, number: int) -> Ticket:
    """The ticket after a change; a change that hid it from the caller answers 404."""
    return ticket_of(caller, number)


@router.get(
    "/tickets/{int:number}/messages",
    response={200: list[MessageOut], **ERRORS},
    url_name="ticket_messages",
)
def list_messages(request: HttpRequest, number: int) -> list[Any]:
    """The thread, oldest first; integrations read no internal notes."""
    caller = caller_of(request)
    return list(queries.thread(caller.actor, ticket_of(caller, number)))


@router.get(
    "/tickets/{int:number}/history",
    response={200: list[EventOut], **ERRORS},
    url_name="ticket_history",
)
def ticket_history(request: HttpRequest, number: int) -> list[dict[str, Any]]:
    """Every change with its event id, code, the version it made, and its words."""
    ticket = ticket_of(caller_of(request), number)
    return [event_out(line.event, line.text) for line in queries.history_of(ticket)]


@router.get("/attachments/{int:pk}", response={200: None, **ERRORS}, url_name="attachment")
def download_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, always as a download (``Content-Disposition: attachment``)."""
    try:
        found = queries.visible_attachment(caller_of(request).actor, pk)
    except Attachment.DoesNotExist:
        raise Attachment.DoesNotExist from None
    return download_response(found)  # type: ignore[return-value]


@router.get("/search", response={200: SearchResults, **ERRORS}, url_name="search")
def search_tickets(
    request: HttpRequest, words: Query[SearchWords], paging: Query[Paging]
) -> dict[str, Any]:
    """Full-text search of every visible ticket, closed ones too, best match first. When
    more than 1,000 tickets match, too many to rank, they come newest first and
    ``order`` says ``newest``; more words narrow the search down."""
    form = criteria.form_for({"text": words.q, "closed": "1"})
    if not form.is_valid():
        raise ValidationError({"q": [str(m) for m in form.errors.get("text", ["Invalid."])]})
    offset, limit = _offset(paging.cursor), paging.limit
    # The panel's search reads the same way: the matching numbers once, ranked only
    # when there are few enough (queries.RANKED_UP_TO), each page's rows by number.
    found = queries.search_slice(
        caller_of(request).actor,
        form.criteria,
        offset=offset,
        size=limit,
        cap=queries.RANKED_UP_TO,
    )
    order = "newest" if found.newest_first else "best_match"
    return {**_page(found.tickets, offset, limit), "order": order}


def refuse_integration(caller: Caller, what: str) -> None:
    if not caller.is_person:
        raise PermissionDenied(f"Integrations may not {what}.")
