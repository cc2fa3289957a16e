"""The person's theme on <html> (panel/appearance.py) and the form that changes it."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.models import User
from panel import appearance
from panel.forms import ThemeForm
from panel.models import Theme

register = template.Library()


@register.simple_tag
def theme_attribute(user: User) -> SafeString | str:
    """` data-theme="dark"` for a chosen theme; nothing for the system's, which the
    stylesheet follows by itself (prefers-color-scheme)."""
    theme = appearance.theme_of(user)
    if theme == Theme.SYSTEM:
        return ""
    return format_html(' data-theme="{}"', theme)


@register.simple_tag
def theme_form(user: User) -> ThemeForm:
    return ThemeForm(initial={"theme": appearance.theme_of(user)})
