"""A person's panel preferences (``panel.models.Preferences``), read once a request.

Every panel page draws the theme and the ticket page the thread's order: both
come from one row, kept on the user object the request carries, so a page
pays one small query for them, or none for someone who never chose.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from panel.models import Preferences

_KEPT = "_panel_preferences"


def of(user: User) -> Preferences:
    """The person's row, or the defaults (not saved) when they never chose."""
    kept = getattr(user, _KEPT, None)
    if kept is None:
        kept = Preferences.objects.filter(user=user).first() or Preferences(user=user)
        setattr(user, _KEPT, kept)
    return kept


def update(user: User, **chosen: Any) -> None:
    row, _ = Preferences.objects.update_or_create(user=user, defaults=chosen)
    setattr(user, _KEPT, row)
