"""Changes to customer accounts and their contacts (S18, S46), audited.

Supervisors and administrators make them: an account's contacts decide who
sees its tickets (a contact with a login sees every ticket of the account), so
changing them is handing out sight of tickets, which agents, who see only what
is assigned to them, may not do. Each function runs in one transaction with
its audit entry (accounts/audit.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import audit
from accounts.models import Account, AuditCode, Contact, User
from mail.invitations import queue_portal_invitation
from mail.models import OutgoingMail


def may_change_customers(user: User) -> bool:
    return user.is_active and user.staff is not None and user.staff.is_supervising


def _require_supervisor(actor: User) -> None:
    if not may_change_customers(actor):
        raise PermissionDenied("Only supervisors and administrators may change customer records.")


def account_target(account: Account) -> str:
    return f"account “{account.name}”"


@transaction.atomic
def save_account(
    *, actor: User, account: Account, changes: str, client_address: str = ""
) -> Account:
    """Save a new or changed account (its fields set by the caller's form)."""
    _require_supervisor(actor)
    is_new = account.pk is None
    account.save()
    audit.record(
        AuditCode.ACCOUNT_ADDED if is_new else AuditCode.ACCOUNT_CHANGED,
        actor=actor,
        target=account_target(account),
        detail=changes,
        client_address=client_address,
    )
    return account


@transaction.atomic
def save_contact(
    *, actor: User, contact: Contact, changes: str, client_address: str = ""
) -> Contact:
    """Save a new or changed contact; a contact's login follows their address."""
    _require_supervisor(actor)
    is_new = contact.pk is None
    user = contact.user
    if user is not None and user.email.lower() != contact.email.lower():
        if user.staff is not None:
            raise ValidationError({"email": "This contact signs in as staff: change it there."})
        if User.objects.filter(email__same=contact.email).exclude(pk=user.pk).exists():
            raise ValidationError({"email": "Somebody else signs in with this address."})
        user.email = contact.email.lower()
        user.save(update_fields=["email"])
    contact.save()
    audit.record(
        AuditCode.CONTACT_ADDED if is_new else AuditCode.CONTACT_CHANGED,
        actor=actor,
        person=user,
        person_email=contact.email,
        target=account_target(contact.account),
        detail=changes,
        client_address=client_address,
    )
    return contact


def portal_user(contact: Contact) -> tuple[User, str]:
    """The user the contact signs in (or is viewed) as, and what was done to get it.

    A contact without one gets a user with no usable password (nobody can sign
    in with it until the contact chooses one through an invitation), or the user
    who already signs in with the contact's address, which the contact record
    says is this account's. Call it inside the transaction of what needs it.
    """
    if contact.user is not None:
        return contact.user, ""
    existing = User.objects.filter(email__same=contact.email).first()
    if existing is not None:
        if existing.staff is not None:
            raise ValidationError(f"{contact.email} signs in as staff, not as a customer.")
        if existing.contact is not None:
            raise ValidationError(f"{contact.email} signs in as a contact of another account.")
        contact.user = existing
        contact.save(update_fields=["user"])
        return existing, "joined to the person who signs in with this address"
    user = User.objects.create_user(contact.email, None, full_name=contact.name)
    contact.user = user
    contact.save(update_fields=["user"])
    return user, "login made without a password"


def password_link_arguments(user: User) -> dict[str, str]:
    """``uidb64`` and ``token`` of a link to ``portal:password_reset_confirm``
    (Django's default token: good until the password or the last sign-in changes)."""
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


@transaction.atomic
def invite_to_portal(
    *,
    actor: User,
    contact: Contact,
    link_for: Callable[[User], str],
    client_address: str = "",
) -> OutgoingMail:
    """Give the contact a login (if they have none) and mail them a link to choose a
    password; ``link_for`` makes the link for their user."""
    _require_supervisor(actor)
    user, made = portal_user(contact)
    if not user.is_active:
        raise ValidationError(f"The login of {contact.email} is deactivated.")
    invited_by = actor.staff.display_name if actor.staff is not None else actor.get_full_name()
    mail = queue_portal_invitation(contact=contact, link=link_for(user), invited_by=invited_by)
    again = user.has_usable_password()
    audit.record(
        AuditCode.PORTAL_INVITED,
        actor=actor,
        person=user,
        target=account_target(contact.account),
        detail="; ".join(
            part for part in (made, "has a password already: a new link" if again else "") if part
        ),
        client_address=client_address,
    )
    return mail


@transaction.atomic
def delete_account(*, actor: User, account: Account, client_address: str = "") -> None:
    """Delete an account and its contacts; its tickets stay, without an account."""
    _require_supervisor(actor)
    target = account_target(account)
    account.delete()
    audit.record(
        AuditCode.ACCOUNT_DELETED, actor=actor, target=target, client_address=client_address
    )


@transaction.atomic
def delete_contact(*, actor: User, contact: Contact, client_address: str = "") -> None:
    """Delete a contact; a login they had stays, seeing only the tickets they asked for."""
    _require_supervisor(actor)
    target = account_target(contact.account)
    email = contact.email
    contact.delete()
    audit.record(
        AuditCode.CONTACT_DELETED,
        actor=actor,
        person_email=email,
        target=target,
        client_address=client_address,
    )
