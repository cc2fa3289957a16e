"""Two-factor sign-in for staff: an authenticator app and recovery codes (S47).

The devices are django-otp's: a ``TOTPDevice`` (RFC 6238, the six-digit codes of
an authenticator app) and a ``StaticDevice`` holding the ten recovery codes, each
good once. A person has at most one of each; the app device is made unconfirmed
when set-up starts and confirmed by the first code the app shows. Administrators
choose in the settings which roles must have it; the sign-in's second step and
the gate that holds a session to it are in frontdesk/second_step.py.

Codes are checked through ``django_otp.verify_token``, which locks the device
row, so two requests cannot both use one code (a TOTP code is refused once a
later or equal time step was accepted, a recovery code is deleted when used).
Wrong codes are limited by the caller, like passwords (frontdesk/sign_in.py).
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit
from accounts.models import AuditCode, Role, StaffProfile, User

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
CODES_DEVICE_NAME = "Recovery codes"


def app_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def is_required(user: User) -> bool:
    """Must this person sign in with a second factor? Staff, by the settings for their role."""
    staff = user.staff
    if staff is None:
        return False
    # tickets.models imports accounts.models, so the settings row is imported here.
    from tickets.models import HelpdeskSettings

    row = HelpdeskSettings.load()
    return {
        Role.AGENT: row.two_factor_agents,
        Role.SUPERVISOR: row.two_factor_supervisors,
        Role.ADMIN: row.two_factor_admins,
    }.get(Role(staff.role), False)


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def verify(user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (an app's six digits or a recovery code), or None."""
    code = "".join(code.split()).replace("-", "").lower()
    if not code:
        return None
    device: Device | None
    if code.isdigit() and len(code) == 6:
        device = app_device(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    accepted: Device | None = verify_token(user, device.persistent_id, code)
    return accepted


@dataclass(frozen=True)
class NewApp:
    """What the set-up page shows: the secret as a QR code and as text."""

    device: TOTPDevice
    secret: str
    qr_code: str
    qr_size: int


def start_set_up(*, user: User) -> NewApp:
    """The app device being set up: the unconfirmed one shown before, or a new one,
    so reloading the page shows the secret already scanned."""
    if user.staff is None:
        raise PermissionDenied("Two-factor sign-in is for support staff.")
    if has_two_factor(user):
        raise ValidationError("Two-factor sign-in is set up already.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    scale, border = 4, 4
    return NewApp(
        device=device,
        # Groups of four are easier to type into an app that cannot scan.
        secret=" ".join(secret[start : start + 4] for start in range(0, len(secret), 4)),
        qr_code=qr.svg_data_uri(scale=scale, border=border),
        qr_size=int(qr.symbol_size(scale=scale, border=border)[0]),
    )


def confirm_set_up(*, user: User, code: str, client_address: str = "") -> list[str]:
    """Confirm the app being set up with a code it shows; returns the new recovery codes."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None or has_two_factor(user):
            raise ValidationError("Start the set-up again: this page is out of date.")
        if not device.verify_token("".join(code.split())):
            raise ValidationError(
                {"code": "This is not the code your app shows now. Check the app and try again."}
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _replace_recovery_codes(user)
        audit.record(
            AuditCode.TWO_FACTOR_SET_UP, actor=user, person=user, client_address=client_address
        )
    return codes


def new_recovery_codes(*, user: User, password: str, client_address: str = "") -> list[str]:
    """Ten new recovery codes in place of the old ones; takes the current password."""
    _check_password(user, password)
    with transaction.atomic():
        if not has_two_factor(user):
            raise ValidationError("Set up two-factor sign-in first.")
        codes = _replace_recovery_codes(user)
        audit.record(
            AuditCode.RECOVERY_CODES_RENEWED,
            actor=user,
            person=user,
            client_address=client_address,
        )
    return codes


def remove(*, user: User, password: str, client_address: str = "") -> None:
    """Turn one's own two-factor sign-in off; takes the current password, and is
    refused while one's role requires it."""
    if is_required(user):
        raise ValidationError(
            "Your role must sign in with two factors: "
            "an administrator decides this in the settings."
        )
    _check_password(user, password)
    with transaction.atomic():
        _delete_devices(user)
        audit.record(
            AuditCode.TWO_FACTOR_REMOVED, actor=user, person=user, client_address=client_address
        )


def reset(*, actor: User, user: User, client_address: str = "") -> None:
    """An administrator removes another staff member's devices (a lost phone); they
    set it up anew at their next sign-in when their role requires it."""
    if not actor.is_active or actor.staff is None or not actor.staff.is_admin:
        raise PermissionDenied("Only administrators may reset two-factor sign-in.")
    if actor.pk == user.pk:
        raise ValidationError("Turn your own two-factor sign-in off under My Profile.")
    with transaction.atomic():
        _delete_devices(user)
        audit.record(
            AuditCode.TWO_FACTOR_RESET, actor=actor, person=user, client_address=client_address
        )


def staff_overview() -> QuerySet[StaffProfile]:
    """Every staff member with ``has_two_factor``, for the administrators' page."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    return (
        StaffProfile.objects.select_related("user")
        .annotate(has_two_factor=Exists(confirmed))
        .order_by("full_name", "user__email")
    )


def _check_password(user: User, password: str) -> None:
    # Checked before any transaction: hashing takes a while, and on SQLite an
    # open write transaction holds every other writer.
    if not password:
        raise ValidationError({"password": "Type your current password."})
    if not user.check_password(password):
        raise ValidationError({"password": "This is not your current password."})


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=CODES_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _delete_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
