"""Registering for the portal, when an administrator allows it (off by default).

The form's answer is the same for every address. The request keeps a
``PortalRegistration`` with the password hashed at once (the same work for
every address), and the worker writes the mail: a link to verify the address
when nobody signs in with it, else "you have an account already" with a
password reset link. No user exists before the address is verified, so an
unverified address signs in nowhere and takes no address from its owner.

Verifying (a page with a button: mail scanners follow links with GET) makes
the user and signs them in. With ``HelpdeskSettings.portal_join_by_domain``
the address joins an account: as the account's contact of that address, or
as a new contact of the one account whose ``email_domains`` hold its domain;
otherwise (or when several accounts claim the domain) the person is a
customer of no account, who sees the tickets asked for from their address.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import audit, preferences
from accounts.models import Account, AuditCode, Contact, User
from frontdesk.public_url import absolute
from portal import mails, tokens
from portal.models import PortalRegistration
from portal.password_reset import link_for, may_reset
from tickets.models import HelpdeskSettings


class Refusal(StrEnum):
    #: No such link, or it was used or has expired.
    INVALID = "invalid"
    #: Somebody signs in with the address already.
    TAKEN = "taken"


class RegistrationRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def is_open() -> bool:
    return HelpdeskSettings.load().portal_registration


def start(*, email: str, full_name: str, password: str, language: str = "") -> PortalRegistration:
    """Keep a registration until its address is verified; the worker mails the link
    (in ``language``, the page's, which the new user keeps)."""
    now = timezone.now()
    return PortalRegistration.objects.create(
        email=email.strip().lower(),
        full_name=full_name,
        password=make_password(password),
        created_at=now,
        expires_at=now + timedelta(seconds=max(settings.PASSWORD_RESET_TIMEOUT, 60)),
        language=language if language in preferences.languages() else "",
    )


def mail_for(registration_id: int) -> None:
    """The worker's part: the verification link, or "you have an account already"."""
    now = timezone.now()
    PortalRegistration.objects.filter(expires_at__lte=now).delete()
    registration = PortalRegistration.objects.filter(pk=registration_id, secret_hash=None).first()
    if registration is None:
        return
    existing = User.objects.filter(email__same=registration.email).first()
    if existing is not None:
        reset_link = link_for(existing) if may_reset(existing) else ""
        mails.send(
            "already_registered",
            {"person": existing, "link": reset_link},
            to=existing.email,
            language=registration.language,
        )
        registration.delete()
        return
    token = tokens.new_token()
    link = absolute(reverse("portal:register_verify", kwargs={"token": token}))
    context = {"registration": registration, "link": link}
    mails.send("verify_address", context, to=registration.email, language=registration.language)
    # Stored after the mail went: a retried task writes a new link, and this one is dead.
    registration.secret_hash = tokens.digest(token, tokens.REGISTRATION)
    registration.save(update_fields=["secret_hash"])


def find(token: str) -> PortalRegistration | None:
    if not tokens.is_well_formed(token):
        return None
    return PortalRegistration.objects.filter(
        secret_hash=tokens.digest(token, tokens.REGISTRATION), expires_at__gt=timezone.now()
    ).first()


def complete(*, registration: PortalRegistration, client_address: str) -> User:
    """The address is verified: make the person (joining an account if allowed)."""
    with transaction.atomic():
        gone, _ = PortalRegistration.objects.filter(
            pk=registration.pk, expires_at__gt=timezone.now()
        ).delete()
        if not gone:
            raise RegistrationRefused(Refusal.INVALID)
        if not User.objects.filter(email__same=registration.email).exists():
            return _register(registration, client_address)
    # Somebody took the address since the mail (the used registration is gone with it).
    raise RegistrationRefused(Refusal.TAKEN)


def _register(registration: PortalRegistration, client_address: str) -> User:
    user = User(
        email=registration.email, full_name=registration.full_name, language=registration.language
    )
    user.password = registration.password
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise RegistrationRefused(Refusal.TAKEN) from None
    contact, account = joining(registration.email)
    if contact is not None:
        contact.user = user
        contact.save(update_fields=["user"])
        account, how = contact.account, "joined as the account's contact of this address"
    elif account is not None:
        Contact.objects.create(
            account=account, email=registration.email, name=registration.full_name, user=user
        )
        how = "joined the account of this address's domain"
    else:
        how = "a customer of no account"
    audit.record(
        AuditCode.PORTAL_REGISTERED,
        actor=user,
        person=user,
        target=f"account “{account.name}”" if account is not None else "",
        detail=f"address verified; {how}",
        client_address=client_address,
    )
    return user


def joining(email: str) -> tuple[Contact | None, Account | None]:
    """What a verified address joins, when the settings allow it: the contact of
    that address (if it has no login yet), else the one account of its domain."""
    if not HelpdeskSettings.load().portal_join_by_domain:
        return None, None
    contact = Contact.objects.filter(email__same=email).select_related("account").first()
    if contact is not None:
        return (contact, None) if contact.user_id is None else (None, None)
    domain = email.rsplit("@", 1)[-1].lower()
    claiming = [
        account
        for account in Account.objects.filter(email_domains__icontains=domain)
        if domain in domains_of(account)
    ]
    # Two accounts claiming one domain is a mistake to fix, not a choice to guess.
    return None, claiming[0] if len(claiming) == 1 else None


def domains_of(account: Account) -> set[str]:
    """``email_domains`` as a set: "example.com, @example.org" → both, lower-case."""
    separated = account.email_domains.replace(",", " ").replace(";", " ").split()
    return {domain.strip().lstrip("@").lower() for domain in separated if domain.strip("@ ")}
