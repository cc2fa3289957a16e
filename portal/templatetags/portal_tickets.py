"""How the portal words a ticket for its customer: states, topics, people, times.

Times are shown in the active time zone (the reader's own, frontdesk/languages.py)
and language; the date formats are translatable strings, since languages write
a date differently ("12 March", "12. März", "12 марта").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from accounts.models import User
from tickets import queries
from tickets.models import Message, MessageKind, Queue

register = template.Library()

#: What each state says to the customer; the colour of its label comes with the class.
STATE_LABELS = {
    queries.WAITING: gettext_lazy("Waiting for support"),
    queries.ANSWERED: gettext_lazy("Answered"),
    queries.CLOSED: gettext_lazy("Closed"),
}


@register.filter
def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, ""))


@register.filter
def topic(queue: Queue) -> str:
    """The queue as the portal offers it; a queue it does not offer stays staff's word."""
    if queue is None or not queue.offered_in_portal:
        return ""
    return queue.portal_name or queue.name


@dataclass(frozen=True)
class Speaker:
    name: str
    #: Written by the reader (or from their address): shown on their side.
    mine: bool


@register.simple_tag
def speaker(message: Message, user: User) -> Speaker:
    """Who wrote a message, from the customer's side: "You", a colleague, or support."""
    author = message.author
    if author is not None and author.pk == user.pk:
        return Speaker(_("You"), mine=True)
    if author is None and message.author_email.lower() == user.email.lower():
        return Speaker(_("You"), mine=True)  # their mail
    if message.kind == MessageKind.ANSWER:
        staff = author.staff if author is not None else None
        return Speaker(staff.display_name if staff is not None else _("Support"), mine=False)
    if author is not None:
        return Speaker(author.get_full_name(), mine=False)
    if message.author_email:
        return Speaker(message.author_email, mine=False)
    return Speaker(_("You"), mine=True)


@register.filter
def initials(name: str) -> str:
    words = [word for word in str(name).replace("@", " ").split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def relative(value: datetime, now: datetime | None = None) -> str:
    """ "3 hours ago", "yesterday", "12 Mar": what a person reads at a glance."""
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        minutes = int(seconds // 60)
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {
            "count": minutes
        }
    if seconds < 86400:
        hours = int(seconds // 3600)
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    local, today = timezone.localtime(value), timezone.localtime(now)
    days = (today.date() - local.date()).days
    if days <= 1:
        return _("yesterday")
    if days < 7:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    if local.year == today.year:
        # Translators: a date of this year after "Opened", "Updated" (Django's date format).
        return format_date(local, pgettext("date of this year", "j M"))
    # Translators: a date of another year after "Opened", "Updated" (Django's date format).
    return format_date(local, pgettext("date of another year", "j M Y"))


def _exact(local: datetime) -> str:
    # Translators: the exact time on hover (Django's date format; T is the time zone).
    return format_date(local, pgettext("exact time", "l j F Y, H:i T"))


@register.simple_tag
def when(value: datetime | None) -> SafeString | str:
    """A relative time with the exact one on hover (and for machines, in ``datetime``)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        _exact(local),
        relative(value),
    )


@register.simple_tag
def day(value: datetime | None) -> SafeString | str:
    """A day ("12 March") with the exact time on hover."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        _exact(local),
        # Translators: a day in a sentence, "... on 12 March" (Django's date format).
        format_date(local, pgettext("day in a sentence", "j F")),
    )
