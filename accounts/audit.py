"""The audit log (S47): who signed in, who failed to, and what administrators changed.

Everything is written through ``record``: Django's auth signals below write the
sign-ins, failures and sign-outs, and the places where administrators change
things call it themselves (accounts/staff.py, accounts/two_factor.py, the
panel's queue and settings pages, the Django admin through
accounts/audit_admin.py). An entry is written in the transaction of the change
it records, so a change that rolls back leaves no entry behind. Passwords and
codes are never written: a failed sign-in keeps the address typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.forms import BaseForm
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.actors import System
from accounts.models import AuditCode, AuditEvent, User
from accounts.throttle import client_ip
from frontdesk.text import one_line


def record(
    code: AuditCode,
    *,
    actor: User | System | None,
    person: User | None = None,
    person_email: str = "",
    target: str = "",
    detail: str = "",
    client_address: str = "",
) -> AuditEvent:
    """Write one entry. ``actor`` is who acted (None: nobody signed in), ``person``
    whom it is about; ``person_email`` defaults to the person's address now."""
    if isinstance(actor, System):
        actor_user, actor_name = None, actor.code
    else:
        actor_user, actor_name = actor, actor.email if actor is not None else ""
    if person is not None and not person_email:
        person_email = person.email
    return AuditEvent.objects.create(
        code=code,
        actor=actor_user,
        actor_name=_short(actor_name, 254),
        person=person,
        person_email=_short(person_email, 254),
        target=_short(target, 200),
        detail=_short(detail, 500),
        client_address=_short(client_address, 64),
    )


def address_of(request: HttpRequest | None) -> str:
    return client_ip(request) if request is not None else ""


def events(*, code: str = "", person: str = "") -> QuerySet[AuditEvent]:
    """The log, newest first; ``person`` is (part of) an address of who acted or of
    whom the entry is about."""
    found = AuditEvent.objects.order_by("-at", "-id")
    if code:
        found = found.filter(code=code)
    person = person.strip()
    if person:
        found = found.filter(Q(actor_name__icontains=person) | Q(person_email__icontains=person))
    return found


def changes(form: BaseForm) -> str:
    """What a form changed, for ``detail``: "Label: old → new" for short plain
    values, the label alone for others (texts, lists of people)."""
    described = []
    for name in form.changed_data:
        label = str(form.fields[name].label or name)
        old, new = form.initial.get(name), form.cleaned_data.get(name)
        if _plain(old) and _plain(new):
            described.append(f"{label}: {_shown(old)} → {_shown(new)}")
        else:
            described.append(label)
    return "; ".join(described)


def _plain(value: object) -> bool:
    return isinstance(value, bool | int) or (isinstance(value, str) and len(value) <= 60)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value != "" else "(empty)"


def _short(text: str, length: int) -> str:
    # One line without control characters: NUL cannot be stored on PostgreSQL,
    # and what a client typed must not break the page's lines.
    text = one_line(text).strip()
    return text if len(text) <= length else text[: length - 1] + "…"


@receiver(user_logged_in)
def signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    device = getattr(user, "otp_device", None)
    # Set by the views of ways in without a password (a portal link, address verification).
    given = getattr(user, "signed_in_with", "")
    if given:
        how = str(given)
    elif device is None:
        how = "password"
    elif isinstance(device, StaticDevice):
        how = "password and recovery code"
    else:
        how = "password and authenticator code"
    record(
        AuditCode.SIGN_IN,
        actor=user,
        person=user,
        detail=how,
        client_address=address_of(request),
    )


@receiver(user_logged_out)
def signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return  # nobody was signed in
    record(AuditCode.SIGN_OUT, actor=user, person=user, client_address=address_of(request))


@receiver(user_login_failed)
def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``; only the address is kept.
    typed = one_line(str(credentials.get("username") or "")).strip()
    person = User.objects.filter(email__same=typed).first() if typed else None
    if person is None:
        why = "nobody signs in with this address"
    elif not person.is_active:
        why = "the account is deactivated"
    else:
        why = "wrong password"
    record(
        AuditCode.SIGN_IN_FAILED,
        actor=None,
        person=person,
        person_email=typed,
        detail=why,
        client_address=address_of(request),
    )
