from __future__ import annotations

from typing import Any

from django import template

from notifications import api
from panel.notification_forms import NotificationSettingsForm

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    """The bell's count: one count over the index of unread notifications."""
    user = context["request"].user
    return api.unread_count(user) if user.is_authenticated else 0


@register.simple_tag(takes_context=True)
def notification_settings_form(context: Any) -> NotificationSettingsForm:
    wanted = api.preferences_of(context["request"].user)
    return NotificationSettingsForm(
        initial={
            "panel_kinds": sorted(wanted.panel_kinds),
            "mail_kinds": sorted(wanted.mail_kinds),
        },
        auto_id="notifications-%s",
    )


@register.simple_tag
def notification_words(notification: Any) -> str:
    return api.describe(notification.kind, notification.params, notification.text)
