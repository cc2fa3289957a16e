"""Secrets at rest: the private key and its passphrase, sealed with Fernet.

The Fernet key is ``FRONTDESK_ENCRYPTION_KEY`` when it is set (any string; it is
stretched with HKDF), else derived from ``SECRET_KEY`` with HKDF under a label of
its own, so the row in the database alone opens nothing. Changing the key that
seals makes the stored secrets unreadable: the key must then be pasted again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"frontdesk crypto: private keys at rest"


class Unreadable(Exception):
    """A sealed value that the key of this installation does not open."""


def _fernet() -> Fernet:
    secret: str = getattr(settings, "FRONTDESK_ENCRYPTION_KEY", "") or settings.SECRET_KEY
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(value: str) -> bytes:
    return _fernet().encrypt(value.encode("utf-8"))


def unseal(token: bytes) -> str:
    try:
        return _fernet().decrypt(bytes(token)).decode("utf-8")
    except (InvalidToken, UnicodeDecodeError):
        raise Unreadable("The stored key cannot be read with this installation's key.") from None
