"""Installing, retiring and removing the help desk's private key (administrators only).

The armored key and its passphrase are checked (the passphrase must unlock an
encryption key), sealed (crypto/sealing.py) and never shown back or logged. A
new key retires the current one: messages encrypted to the old key stay
readable until an administrator removes it.
"""

from __future__ import annotations

import warnings

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditCode, User
from crypto import sealing
from crypto.models import PrivateKey

#: An armored private key is a few kilobytes; anything this long is no key.
MAX_KEY_CHARS = 64 * 1024
MAX_PASSPHRASE_CHARS = 1024


def _require_admin(actor: User) -> None:
    staff = actor.staff if actor.is_active else None
    if staff is None or not staff.is_admin:
        raise PermissionDenied("Only administrators may change the encryption key.")


def _checked(armored: str, passphrase: str) -> tuple[str, str, str]:
    """The fingerprint, user ids and armored public key; ValidationError if unusable."""
    import pysequoia

    armored = armored.strip()
    if len(armored) > MAX_KEY_CHARS or len(passphrase) > MAX_PASSPHRASE_CHARS:
        raise ValidationError({"key": _("This is too long to be a private key.")})
    if "-----BEGIN PGP PRIVATE KEY BLOCK-----" not in armored:
        raise ValidationError(
            {"key": _("Paste an armored private key (-----BEGIN PGP PRIVATE KEY BLOCK-----).")}
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            secret = pysequoia.Tsk.from_bytes(armored.encode("utf-8"))
        except Exception:
            # The library's words may carry a backtrace: never shown.
            raise ValidationError({"key": _("This private key cannot be read.")}) from None
        try:
            secret.decryptor(passphrase or None)
        except Exception:
            raise ValidationError(
                {
                    "passphrase": _(
                        "The passphrase does not unlock an encryption key of this private key."
                    )
                }
            ) from None
        certificate = secret.extract_certificate()
        user_ids = "\n".join(str(user_id) for user_id in certificate.user_ids)
        return str(certificate.fingerprint).lower(), user_ids, str(certificate)


def install(*, actor: User, armored: str, passphrase: str, client_address: str = "") -> PrivateKey:
    """Make this key the current one; the current key, if another, is retired."""
    _require_admin(actor)
    fingerprint, user_ids, public_key = _checked(armored, passphrase)
    now = timezone.now()
    with transaction.atomic():
        retired = list(
            PrivateKey.objects.select_for_update()
            .filter(is_current=True)
            .exclude(fingerprint=fingerprint)
        )
        PrivateKey.objects.filter(pk__in=[key.pk for key in retired]).update(
            is_current=False, retired_at=now
        )
        # The same key pasted again (a new passphrase) replaces its own row.
        PrivateKey.objects.filter(fingerprint=fingerprint).delete()
        key = PrivateKey.objects.create(
            fingerprint=fingerprint,
            user_ids=user_ids,
            public_key=public_key,
            sealed_key=sealing.seal(armored.strip()),
            sealed_passphrase=sealing.seal(passphrase),
            is_current=True,
            created_by=actor,
        )
        detail = f"PGP key {fingerprint.upper()} installed"
        if retired:
            detail += "; retired " + ", ".join(old.fingerprint.upper() for old in retired)
        audit.record(
            AuditCode.SETTINGS_CHANGED,
            actor=actor,
            target="pgp key",
            detail=detail,
            client_address=client_address,
        )
    return key


def remove(*, actor: User, pk: int, client_address: str = "") -> None:
    """Delete a retired key: messages encrypted to it can no longer be read."""
    _require_admin(actor)
    with transaction.atomic():
        key = PrivateKey.objects.select_for_update().get(pk=pk)
        if key.is_current:
            raise ValidationError(_("The current key cannot be removed; install another first."))
        key.delete()
        audit.record(
            AuditCode.SETTINGS_CHANGED,
            actor=actor,
            target="pgp key",
            detail=f"PGP key {key.fingerprint.upper()} removed",
            client_address=client_address,
        )


def current() -> PrivateKey | None:
    return PrivateKey.objects.filter(is_current=True).first()


def all_keys() -> list[PrivateKey]:
    """Every key, the current first; the sealed values are not loaded."""
    return list(PrivateKey.objects.defer("sealed_key", "sealed_passphrase"))


def public_key() -> str:
    """The current key's armored public half, or "" when none is installed."""
    key = PrivateKey.objects.filter(is_current=True).only("public_key").first()
    return key.public_key if key else ""


def generation() -> tuple[tuple[int, str], ...]:
    """What the unlocked keys of a process must match: the rows' ids and times."""
    return tuple(
        (pk, created.isoformat())
        for pk, created in PrivateKey.objects.order_by(
            "-is_current", "-created_at", "-id"
        ).values_list("pk", "created_at")
    )


def unsealed() -> list[dict[str, str]]:
    """The keys and passphrases for the decrypting process, current first."""
    keys: list[dict[str, str]] = []
    for key in PrivateKey.objects.all():
        try:
            keys.append(
                {
                    "id": str(key.pk),
                    "key": sealing.unseal(key.sealed_key),
                    "passphrase": sealing.unseal(key.sealed_passphrase),
                }
            )
        except sealing.Unreadable:
            continue
    return keys
