"""Addresses that are ours, and plain checks on addresses."""

from __future__ import annotations

from django.conf import settings

from frontdesk.addresses import is_valid_address
from tickets.models import HelpdeskSettings, QueueAddress


def our_addresses() -> set[str]:
    """Every address Frontdesk sends from or receives at, lower-cased."""
    from mail.models import Mailbox

    addresses = {HelpdeskSettings.load().support_address.lower()}
    addresses.add(str(settings.DEFAULT_FROM_EMAIL).lower())
    addresses.update(
        email.lower() for email in QueueAddress.objects.values_list("email", flat=True)
    )
    addresses.update(
        username.lower()
        for username in Mailbox.objects.values_list("username", flat=True)
        if "@" in username
    )
    return addresses


def is_valid(address: str) -> bool:
    # Refuses CR and LF, so a valid address can never inject a header. Internationalised
    # addresses (RFC 6532) are valid.
    return is_valid_address(address)


def without_subaddress(address: str) -> str:
    """``local+tag@domain`` as ``local@domain`` (RFC 5233): the same mailbox."""
    local, at, domain = address.rpartition("@")
    return f"{local.partition('+')[0]}@{domain}" if at else address


def unique_valid(addresses: list[str], exclude: set[str]) -> list[str]:
    """Valid addresses in order, without repeats and without any in ``exclude``.

    A plus address of an excluded one is excluded too: ``support+<token>@...``
    (a staff reply address, mail.tokens) is ours and must never become a CC.
    """
    seen = set(exclude)
    kept = []
    for address in addresses:
        key = address.strip().lower()
        if key and key not in seen and without_subaddress(key) not in seen and is_valid(key):
            seen.add(key)
            kept.append(key)
    return kept
