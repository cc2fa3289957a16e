"""How the portal words a ticket for its customer: states, topics, people, times."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.models import User
from tickets import queries
from tickets.models import Message, MessageKind, Queue

register = template.Library()

#: What each state says to the customer; the colour of its label comes with the class.
STATE_LABELS = {
    queries.WAITING: "Waiting for support",
    queries.ANSWERED: "Answered",
    queries.CLOSED: "Closed",
}


@register.filter
def state_label(state: str) -> str:
    return STATE_LABELS.get(state, "")


@register.filter
def topic(queue: Queue) -> str:
    """The queue as the portal offers it; a queue it does not offer stays staff's word."""
    if queue is None or not queue.offered_in_portal:
        return ""
    return queue.portal_name or queue.name


@register.simple_tag
def speaker(message: Message, user: User) -> str:
    """Who wrote a message, from the customer's side: "You", a colleague, or support."""
    author = message.author
    if author is not None and author.pk == user.pk:
        return "You"
    if author is None and message.author_email.lower() == user.email.lower():
        return "You"  # their mail
    if message.kind == MessageKind.ANSWER:
        staff = author.staff if author is not None else None
        return staff.display_name if staff is not None else "Support"
    if author is not None:
        return author.get_full_name()
    return message.author_email or "You"


@register.filter
def initials(name: str) -> str:
    words = [word for word in str(name).replace("@", " ").split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def relative(value: datetime, now: datetime | None = None) -> str:
    """ "3 hours ago", "yesterday", "12 Mar": what a person reads at a glance."""
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    local, today = timezone.localtime(value), timezone.localtime(now)
    days = (today.date() - local.date()).days
    if days <= 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    if local.year == today.year:
        return format_date(local, "j M")
    return format_date(local, "j M Y")


@register.simple_tag
def when(value: datetime | None) -> SafeString | str:
    """A relative time with the exact one on hover (and for machines, in ``datetime``)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        format_date(local, "l j F Y, H:i T"),
        relative(value),
    )
