"""How a person reads the panel: their time zone (saved on their user, activated by
frontdesk/languages.py on each request) and the order of a ticket's thread."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts import preferences as account_preferences
from accounts.models import User
from panel import preferences


def newest_first(user: User) -> bool:
    """Does the person read a thread newest first? Oldest first (newest at the bottom,
    by the answer form) unless they chose otherwise."""
    return preferences.of(user).newest_first


def save(*, user: User, time_zone: str, newest_first: bool) -> None:
    """Keep a staff member's choices; "" as the time zone is the help desk's."""
    if user.staff is None:
        raise PermissionDenied("Only staff use the panel.")
    account_preferences.save(user=user, language=user.language, time_zone=time_zone)
    preferences.update(user, newest_first=newest_first)
