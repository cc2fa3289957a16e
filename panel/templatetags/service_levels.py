"""How the panel shows service levels: a ticket's next due time as a coloured label,
and a policy's targets. Written in Python: the label is drawn for fifty rows."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timeuntil
from django.utils.translation import gettext, ngettext

from tickets.criteria import BREACHING_SOON

register = template.Library()


def due_words(due: datetime, now: datetime) -> tuple[str, str]:
    """("breached", "breached 30 minutes ago"), ("soon", "due in 2 hours") or
    ("later", "due in 3 days"): the state and what the label says."""
    if due <= now:
        return "breached", gettext("breached %(time)s ago") % {"time": timeuntil(now, due, depth=1)}
    state = "soon" if due - now <= BREACHING_SOON else "later"
    return state, gettext("due in %(time)s") % {"time": timeuntil(due, now, depth=1)}


@register.filter
def due_label(ticket: object, now: datetime | None = None) -> SafeString | str:
    """The ticket's next due time as a label, or nothing without one running."""
    due = getattr(ticket, "next_due_at", None)
    return "" if due is None else label_of(due, now or timezone.now())


def label_of(due: datetime, now: datetime) -> SafeString:
    state, words = due_words(due, now)
    local = timezone.localtime(due)
    return format_html(
        '<span class="due-label due-{}" title="{}"><time datetime="{}">{}</time></span>',
        state,
        f"{local:%Y-%m-%d %H:%M}",
        local.isoformat(),
        words,
    )


@register.filter
def minutes_target(minutes: int | None) -> str:
    """A policy's target: "1 h 30 min", or "none"."""
    if minutes is None:
        return gettext("none")
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest}
    if not rest:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


@register.simple_tag
def due_facts(ticket: object) -> SafeString:
    """The ticket page's due times: each running target with its label."""
    now = timezone.now()
    lines = []
    for field, label in (
        ("first_response_due_at", gettext("First response")),
        ("next_response_due_at", gettext("Next response")),
        ("resolution_due_at", gettext("Resolution")),
    ):
        due = getattr(ticket, field, None)
        if due is not None:
            shown = label_of(due, now)
            lines.append(format_html('<span class="due-fact">{}: {}</span>', label, shown))
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))
