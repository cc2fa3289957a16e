"""What the API reads and writes, as pydantic schemas (the OpenAPI document is made of them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from accounts.models import User
from tickets.models import Attachment, Event, Message, Ticket

MAX_TEXT = 200_000


class Error(Schema):
    """Every refusal: what went wrong and, for a bad value, which field."""

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class Listing(Schema):
    #: Words to look for; empty lists everything.
    q: str = Field("", max_length=500)
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=100)

    @property
    def slice(self) -> slice:
        return slice(self.offset, self.offset + self.limit)


class Version(Schema):
    """The ticket version the client last saw; a newer one on the server is 409."""

    version: int | None = Field(None, ge=1, le=2**31 - 1)


class PersonOut(Schema):
    id: int
    name: str
    email: str

    @staticmethod
    def resolve_name(person: User | dict[str, Any]) -> str:
        if isinstance(person, dict):  # a stored answer read again (Idempotency-Key)
            return str(person["name"])
        return person.staff.display_name if person.staff is not None else str(person)


class QueueOut(Schema):
    id: int
    name: str
    is_default: bool


class TicketOut(Schema):
    number: int
    title: str
    status: str
    type: str
    priority: int
    queue: QueueOut
    account_id: int | None
    requester_email: str
    cc: list[str]
    assignee: PersonOut | None
    is_answered: bool
    is_sticky: bool
    created_at: datetime
    modified_at: datetime
    closed_at: datetime | None
    version: int


class TicketPage(Schema):
    items: list[TicketOut]
    #: Pass as ``cursor`` for the next page; null on the last page.
    next_cursor: str | None


class SearchResults(TicketPage):
    #: ``best_match`` first, or ``newest`` first when too many match to rank.
    order: Literal["best_match", "newest"]


class FileIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    content_type: str = Field("", max_length=100)
    content_base64: str


class TicketIn(Schema):
    title: str = Field(..., max_length=1000)
    requester_email: str = Field(..., max_length=254)
    text: str = Field(..., max_length=MAX_TEXT)
    #: The account by its id here, or by its id in your own system (``external_id``).
    account_id: int | None = Field(None, ge=1, le=2**63 - 1)
    account_external_id: str | None = Field(None, max_length=100)
    queue_id: int | None = Field(None, ge=1, le=2**63 - 1)
    priority: int | None = Field(None, ge=1, le=99)
    cc: list[str] = Field(default_factory=list, max_length=100)
    attachments: list[FileIn] = Field(default_factory=list, max_length=20)


class ReplyIn(Version):
    text: str = Field(..., max_length=MAX_TEXT)
    cc: list[str] | None = Field(None, max_length=100)
    attachments: list[FileIn] = Field(default_factory=list, max_length=20)


class NoteIn(Version):
    text: str = Field(..., max_length=MAX_TEXT)
    attachments: list[FileIn] = Field(default_factory=list, max_length=20)


class ChangeIn(Version):
    """Properties to change; a property left out stays as it is."""

    status: str | None = Field(None, max_length=20)
    priority: int | None = Field(None, ge=1, le=99)
    is_sticky: bool | None = None
    title: str | None = Field(None, max_length=1000)
    requester_email: str | None = Field(None, max_length=254)
    #: An account's id; 0 takes the ticket out of its account.
    account_id: int | None = Field(None, ge=0, le=2**63 - 1)


class MoveIn(Version):
    queue_id: int = Field(..., ge=1, le=2**63 - 1)


class AssignIn(Version):
    #: A staff member's id; null releases the ticket to the unassigned list.
    assignee_id: int | None = Field(..., ge=1, le=2**63 - 1)


class CloseIn(Version):
    tell_customer: bool = True


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(attachment: Attachment | dict[str, Any]) -> str:
        if isinstance(attachment, dict):  # a stored answer read again (Idempotency-Key)
            return str(attachment["url"])
        return reverse("api:attachment", kwargs={"pk": attachment.pk})


class MessageOut(Schema):
    id: int
    kind: str
    text: str
    author_email: str
    source: str
    created_at: datetime
    attachments: list[AttachmentOut]


class EventOut(Schema):
    id: int
    code: str
    #: The person who acted, or null when the system did (``system`` says which part).
    actor_id: int | None
    system: str
    old: str
    new: str
    old_ref: int | None
    new_ref: int | None
    version: int
    created_at: datetime
    #: The change in words, with the current names of people and queues.
    text: str


class AccountOut(Schema):
    id: int
    name: str
    external_id: str
    notes: str
    email_domains: str
    created_at: datetime


class AccountIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    external_id: str = Field("", max_length=100)
    notes: str = Field("", max_length=10_000)
    email_domains: str = Field("", max_length=500)


class AccountChange(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    external_id: str | None = Field(None, max_length=100)
    notes: str | None = Field(None, max_length=10_000)
    email_domains: str | None = Field(None, max_length=500)


class ContactOut(Schema):
    id: int
    account_id: int
    email: str
    name: str
    can_sign_in: bool

    @staticmethod
    def resolve_can_sign_in(contact: Any) -> bool:
        return contact.user_id is not None


class ContactIn(Schema):
    email: str = Field(..., max_length=254)
    name: str = Field("", max_length=200)


class ContactChange(Schema):
    email: str | None = Field(None, max_length=254)
    name: str | None = Field(None, max_length=200)


class ArticleOut(Schema):
    id: int
    title: str
    slug: str
    category: str | None
    visibility: str
    status: str
    #: Markdown.
    body: str
    updated_at: datetime

    @staticmethod
    def resolve_category(article: Any) -> str | None:
        return article.category.name if article.category is not None else None


def event_out(event: Event, text: str) -> dict[str, Any]:
    return {
        "id": event.pk,
        "code": event.code,
        "actor_id": event.actor_id,
        "system": event.system,
        "old": event.old,
        "new": event.new,
        "old_ref": event.old_ref,
        "new_ref": event.new_ref,
        "version": event.version,
        "created_at": event.created_at,
        "text": text,
    }


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    """The ticket as the API answers with it, as JSON values (what an idempotent
    request stores)."""
    return TicketOut.from_orm(ticket).model_dump(mode="json")


def message_json(message: Message) -> dict[str, Any]:
    return MessageOut.from_orm(message).model_dump(mode="json")
