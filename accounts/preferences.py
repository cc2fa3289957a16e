"""A person's language and time zone: saved on their user, read by pages and mail.

Both are empty until the person chooses (the portal's language switcher and
its *My settings* page): then pages follow the browser (its Accept-Language,
or the switcher's cookie) and the help desk's ``TIME_ZONE``, and mail to them
is English in the help desk's time zone. Mail is written in its reader's
language wherever it is composed, in a request of somebody else's language or
in the worker: ``writing_to`` around composing it.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.models import Contact, User

#: Regions of the IANA database whose zones people live in; the rest are aliases
#: ("US/Eastern") and relics ("Etc/GMT+5") that would only lengthen the list.
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def languages() -> dict[str, str]:
    """The languages people may choose, by code."""
    return dict(settings.LANGUAGES)


@cache
def time_zones() -> tuple[str, ...]:
    """The time zones people may choose, sorted: "Europe/Berlin" and the like, and UTC."""
    available = zoneinfo.available_timezones()
    named = sorted(zone for zone in available if zone.split("/", 1)[0] in REGIONS and "/" in zone)
    return ("UTC", *named)


def language_of(person: User | None) -> str:
    """The language ``person`` chose, or "" when they chose none."""
    if person is None or person.language not in languages():
        return ""
    return person.language


def time_zone_of(person: User | None) -> zoneinfo.ZoneInfo | None:
    """The time zone ``person`` chose, or None when they chose none (or one this
    machine does not know)."""
    if person is None or not person.time_zone:
        return None
    try:
        return zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def person_for_address(email: str) -> User | None:
    """Who reads mail to ``email``: the contact's login, else whoever signs in with it."""
    contact = Contact.objects.filter(email__same=email.strip()).select_related("user").first()
    if contact is not None and contact.user is not None:
        return contact.user
    return User.objects.filter(email__same=email.strip()).first()


@contextmanager
def writing_to(person: User | None, *, language: str = "") -> Iterator[None]:
    """Compose mail for ``person``: in their language (``language`` when they have
    none, else English) and their time zone (else the help desk's)."""
    chosen = language_of(person) or (language if language in languages() else "")
    zone = time_zone_of(person)
    with translation.override(chosen or settings.LANGUAGE_CODE), timezone.override(zone):
        yield


def save(*, user: User, language: str, time_zone: str) -> None:
    """Keep ``user``'s choices; "" for either is "as my browser (and the help desk) say"."""
    errors = {}
    if language and language not in languages():
        errors["language"] = "Choose one of the languages offered."
    if time_zone and time_zone not in time_zones():
        errors["time_zone"] = "Choose one of the time zones offered."
    if errors:
        raise ValidationError(errors)
    User.objects.filter(pk=user.pk).update(language=language, time_zone=time_zone)
    user.language, user.time_zone = language, time_zone


def save_language(*, user: User, language: str) -> None:
    """The language switcher's choice; the time zone stays as it is."""
    if language not in languages():
        raise ValidationError({"language": "Choose one of the languages offered."})
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
