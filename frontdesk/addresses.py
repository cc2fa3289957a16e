"""E-mail addresses as a help desk must accept them, internationalised ones too.

Django's ``validate_email`` takes an ASCII local part only. RFC 6532 lets the
local part hold UTF-8 (``jörg@bücher.example``, ``山田@例え.テスト``), and such
senders are requesters like any other. The domain is checked by Django (it
tries the IDNA form); the local part is an RFC 5322 dot-atom whose characters
may also be any non-ASCII letter, mark or number. Quoted local parts stay with
Django's rules (ASCII).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# atext of RFC 5322 3.2.3, plus (RFC 6532 3.2) non-ASCII characters, checked apart.
_ATEXT = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]")
_LOCAL_BYTES = 64
_ADDRESS_CHARS = 254
# Letters, marks, numbers; no spaces, controls, format characters or symbols that
# could pass for punctuation (a fullwidth @ or a right-to-left override).
_UNICODE_CATEGORIES = ("L", "M", "N")


def validate_address(address: str) -> None:
    """Raise ValidationError unless ``address`` is a valid (possibly internationalised) one."""
    try:
        validate_email(address)
        return
    except ValidationError:
        if address.isascii():
            raise
    if len(address) > _ADDRESS_CHARS or "@" not in address:
        raise ValidationError("Enter a valid email address.", code="invalid")
    local, _at, domain = address.rpartition("@")
    validate_email(f"x@{domain}")  # the domain alone, ASCII or IDN
    if not local or len(local.encode("utf-8")) > _LOCAL_BYTES:
        raise ValidationError("Enter a valid email address.", code="invalid")
    for atom in local.split("."):
        if not atom or not all(_is_atext(character) for character in atom):
            raise ValidationError("Enter a valid email address.", code="invalid")


def is_valid_address(address: str) -> bool:
    try:
        validate_address(address)
    except ValidationError:
        return False
    return True


def _is_atext(character: str) -> bool:
    if character.isascii():
        return _ATEXT.fullmatch(character) is not None
    return unicodedata.category(character)[0] in _UNICODE_CATEGORIES
