"""Customer accounts and their contacts (S46): staff read them; supervisors and
administrators change them through accounts/customers.py, audited. Integrations
open tickets by an account's external id and need no customer records."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from accounts import customers, queries
from accounts.models import Account, Contact, User
from accounts.throttle import client_ip
from api.auth import caller_of
from api.errors import REFUSALS
from api.schemas import (
    AccountChange,
    AccountIn,
    AccountOut,
    ContactChange,
    ContactIn,
    ContactOut,
    Error,
    Listing,
)
from frontdesk.text import without_controls

router = Router(tags=["accounts and contacts"])
ERRORS: dict[int, type[Schema]] = dict.fromkeys(REFUSALS, Error)


def staff_of(request: HttpRequest) -> User:
    actor = caller_of(request).actor
    if not isinstance(actor, User):
        raise PermissionDenied("Integrations do not read or change customer records.")
    return actor


def _described(changes: dict[str, Any]) -> str:
    return ", ".join(sorted(changes))[:500]


def _save_account(request: HttpRequest, account: Account, changes: dict[str, Any]) -> Account:
    for field, value in changes.items():
        setattr(account, field, without_controls(value).strip())
    account.full_clean()
    return customers.save_account(
        actor=staff_of(request),
        account=account,
        changes=_described(changes),
        client_address=client_ip(request),
    )


def _account(pk: int) -> Account:
    return Account.objects.get(pk=pk)


@router.get("/accounts", response={200: list[AccountOut], **ERRORS}, url_name="accounts")
def list_accounts(
    request: HttpRequest,
    listing: Query[Listing],
) -> list[Account]:
    """Accounts by name; ``q`` finds a name part, an external id or a contact's address."""
    staff_of(request)
    return list(queries.accounts_list(listing.q)[listing.slice])


@router.post("/accounts", response={201: AccountOut, **ERRORS}, url_name="accounts_create")
def create_account(request: HttpRequest, payload: AccountIn) -> Status[Account]:
    return Status(201, _save_account(request, Account(), payload.model_dump()))


@router.get("/accounts/{int:pk}", response={200: AccountOut, **ERRORS}, url_name="account")
def get_account(request: HttpRequest, pk: int) -> Account:
    staff_of(request)
    return _account(pk)


@router.patch("/accounts/{int:pk}", response={200: AccountOut, **ERRORS}, url_name="account_change")
def change_account(request: HttpRequest, pk: int, payload: AccountChange) -> Account:
    staff_of(request)
    return _save_account(request, _account(pk), payload.model_dump(exclude_none=True))


@router.delete("/accounts/{int:pk}", response={204: None, **ERRORS}, url_name="account_delete")
def delete_account(request: HttpRequest, pk: int) -> Status[None]:
    """The account and its contacts go; its tickets stay, without an account."""
    staff = staff_of(request)
    customers.delete_account(actor=staff, account=_account(pk), client_address=client_ip(request))
    return Status(204, None)


@router.get(
    "/accounts/{int:pk}/contacts",
    response={200: list[ContactOut], **ERRORS},
    url_name="account_contacts",
)
def list_contacts(request: HttpRequest, pk: int) -> list[Contact]:
    staff_of(request)
    return list(queries.contacts_of(_account(pk)))


def _save_contact(request: HttpRequest, contact: Contact, changes: dict[str, Any]) -> Contact:
    for field, value in changes.items():
        setattr(contact, field, without_controls(value).strip())
    contact.full_clean()
    return customers.save_contact(
        actor=staff_of(request),
        contact=contact,
        changes=_described(changes),
        client_address=client_ip(request),
    )


@router.post(
    "/accounts/{int:pk}/contacts",
    response={201: ContactOut, **ERRORS},
    url_name="account_contacts_create",
)
def create_contact(request: HttpRequest, pk: int, payload: ContactIn) -> Status[Contact]:
    staff_of(request)
    contact = Contact(account=_account(pk))
    return Status(201, _save_contact(request, contact, payload.model_dump()))


@router.get("/contacts/{int:pk}", response={200: ContactOut, **ERRORS}, url_name="contact")
def get_contact(request: HttpRequest, pk: int) -> Contact:
    staff_of(request)
    return Contact.objects.get(pk=pk)


@router.patch("/contacts/{int:pk}", response={200: ContactOut, **ERRORS}, url_name="contact_change")
def change_contact(request: HttpRequest, pk: int, payload: ContactChange) -> Contact:
    staff_of(request)
    contact = Contact.objects.select_related("account", "user").get(pk=pk)
    return _save_contact(request, contact, payload.model_dump(exclude_none=True))


@router.delete("/contacts/{int:pk}", response={204: None, **ERRORS}, url_name="contact_delete")
def delete_contact(request: HttpRequest, pk: int) -> Status[None]:
    staff = staff_of(request)
    contact = Contact.objects.select_related("account").get(pk=pk)
    customers.delete_contact(actor=staff, contact=contact, client_address=client_ip(request))
    return Status(204, None)
