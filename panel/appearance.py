"""A person's theme for the panel: light, dark or the system's (panel.css follows it).

The server writes the choice into the page (``<html data-theme=…>``): the
Content-Security-Policy allows no inline script that could set it in the browser.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from panel import preferences
from panel.models import Theme


def theme_of(user: User) -> str:
    """``"light"``, ``"dark"`` or ``"system"`` (also for anyone who never chose)."""
    if not user.is_authenticated:
        return Theme.SYSTEM
    return preferences.of(user).theme or Theme.SYSTEM


def set_theme(*, user: User, theme: str) -> None:
    if user.staff is None:
        raise PermissionDenied("Only staff use the panel.")
    if theme not in Theme.values:
        raise ValidationError(_("Choose light, dark or the system's theme."))
    preferences.update(user, theme=theme)
