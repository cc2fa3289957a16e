"""What the index holds of a ticket: its folded words, in four parts.

- ``title``;
- ``people``: the requester's address, the CC addresses (the ticket's and
  those of its messages), the requester contact's name and the account's name;
- ``body``: the text of customer messages and staff answers, as stored (a
  message's text is what the thread shows; drafts are not messages, and the
  decrypted text of encrypted parts is never stored, so neither is indexed);
- ``notes``: internal notes and mail kept for staff, which customers never see.

``notes=False`` searches match the first three parts only. A ticket's words
are capped (``BODY_BYTES``, ``NOTES_BYTES``): a thread of a thousand mails is
found by its first few hundred kilobytes of text, and PostgreSQL keeps a
``tsvector`` under its 1 MB limit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models.functions import Lower

from crypto.blocks import without_blocks
from search.text import index_words

TITLE_BYTES = 4_000
PEOPLE_BYTES = 8_000
BODY_BYTES = 150_000
NOTES_BYTES = 40_000

#: Message kinds whose text customers read (tickets.models.MessageKind).
PUBLIC_KINDS = frozenset({"customer", "answer"})


@dataclass(frozen=True)
class Document:
    """One ticket's row in the index: each part its folded tokens joined by spaces."""

    number: int
    version: int
    title: str
    people: str
    body: str
    notes: str


class _Part:
    """Words of one part, until its budget of UTF-8 bytes is spent."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.texts: list[str] = []

    def add(self, text: str) -> None:
        if self.budget <= 0 or not text:
            return
        # An armored PGP block is no words: its armor would fill the index with noise.
        joined = " ".join(index_words(without_blocks(text, " ")))
        if not joined:
            return
        size = len(joined.encode()) + 1
        if size > self.budget:
            cut = joined.encode()[: self.budget].decode(errors="ignore")
            # Whole words only: the last one may have been cut.
            joined = cut.rsplit(" ", 1)[0] if " " in cut else ""
            size = self.budget
        self.budget -= size
        if joined:
            self.texts.append(joined)

    def __str__(self) -> str:
        return " ".join(self.texts)


def build(
    numbers: Sequence[int], *, apps: Apps = global_apps, using: str = "default"
) -> list[Document]:
    """The documents of these tickets (those that exist), in four queries.

    ``apps`` is the model registry: the migration that fills the index passes its
    historical one.
    """
    Ticket = apps.get_model("tickets", "Ticket")
    Message = apps.get_model("tickets", "Message")
    Account = apps.get_model("accounts", "Account")
    Contact = apps.get_model("accounts", "Contact")
    rows = list(
        Ticket.objects.using(using)
        .filter(number__in=list(numbers))
        .order_by("number")
        .values_list("number", "version", "title", "requester_email", "cc", "account_id")
    )
    if not rows:
        return []
    account_ids = {row[5] for row in rows if row[5] is not None}
    accounts = dict(
        Account.objects.using(using).filter(pk__in=account_ids).values_list("pk", "name")
    )
    emails = {row[3].lower() for row in rows}
    # Lower(email) is the unique index of contacts: one look-up per address.
    contacts = dict(
        Contact.objects.using(using)
        .annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", "name")
    )
    texts: dict[int, list[tuple[str, str, list[str]]]] = defaultdict(list)
    for ticket_id, kind, text, cc in (
        Message.objects.using(using)
        .filter(ticket_id__in=[row[0] for row in rows])
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "kind", "text", "cc")
        .iterator(chunk_size=2000)
    ):
        texts[ticket_id].append((kind, text, cc or []))
    documents = []
    for number, version, title, requester, cc, account_id in rows:
        messages = texts.get(number, [])
        people = _Part(PEOPLE_BYTES)
        for address in _distinct([requester, *(cc or []), *_message_cc(messages)]):
            people.add(address)
        people.add(contacts.get(requester.lower(), ""))
        people.add(accounts.get(account_id, ""))
        body, notes = _Part(BODY_BYTES), _Part(NOTES_BYTES)
        for kind, text, _ in messages:
            (body if kind in PUBLIC_KINDS else notes).add(text)
        title_part = _Part(TITLE_BYTES)
        title_part.add(title)
        documents.append(
            Document(number, version, str(title_part), str(people), str(body), str(notes))
        )
    return documents


def _message_cc(messages: Iterable[tuple[str, str, list[str]]]) -> Iterable[str]:
    for _kind, _text, cc in messages:
        yield from cc


def _distinct(addresses: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(address.lower() for address in addresses if address))
