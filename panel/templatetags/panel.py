import functools
from collections.abc import Iterable
from datetime import datetime, timedelta

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext

from frontdesk import jobs, text
from mail import limits, loop, sending
from mail.fetch import failing_mailboxes
from tickets.models import HelpdeskSettings, Message, MessageSource, Status, Ticket, TicketType

register = template.Library()

#: How long a message kept as a loop raises the banner.
LOOP_ALERT_PERIOD = timedelta(days=1)


# is_safe only keeps text that was escaped already (a joined list) from being escaped
# twice; plain text stays plain and is escaped. Markers hold no HTML characters.
@register.filter(is_safe=True)
def visible_controls(value: object) -> str:
    """Direction controls as markers (``invoice⟨U+202E⟩fdp.exe``), so a name cannot
    pretend to be another."""
    return text.visible_controls(str(value))


# The filters below write in Python what the templates of the ticket tables and the
# ticket page wrote with several tags each: those are rendered fifty times on the
# home page (and for each message and history line), and were most of its cost.

_STATUS_LABELS = dict(Status.choices)
_TYPE_LABELS = dict(TicketType.choices)
_SOURCE_LABELS = dict(MessageSource.choices)


@register.filter
def moment(value: datetime | None) -> SafeString | str:
    """``<time datetime="2026-11-30T14:05:00+01:00">2026-11-30 14:05</time>`` in the
    reader's time zone: what ``date:'c'`` and ``date:"Y-m-d H:i"`` wrote, from one
    conversion."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    # Digits and punctuation only: nothing to escape.
    return mark_safe(f'<time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M}</time>')  # noqa: S308


# Relative times (issue "The agent's daily work"): written on the server, so they read
# the same without JavaScript; the exact time, in the reader's zone, is the title.

#: Older than this, a date says more than a count of days.
RELATIVE_LIMIT = timedelta(days=30)

_AGO_UNITS = (
    (86400, lambda count: ngettext("%(count)d day ago", "%(count)d days ago", count)),
    (3600, lambda count: ngettext("%(count)d h ago", "%(count)d h ago", count)),
    (60, lambda count: ngettext("%(count)d min ago", "%(count)d min ago", count)),
)
_WAITING_UNITS = (
    (86400, lambda count: ngettext("waiting %(count)d day", "waiting %(count)d days", count)),
    (3600, lambda count: ngettext("waiting %(count)d h", "waiting %(count)d h", count)),
    (60, lambda count: ngettext("waiting %(count)d min", "waiting %(count)d min", count)),
)


def _time_element(value: datetime, words: str) -> SafeString:
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        f"{local:%Y-%m-%d %H:%M} {local.tzname() or ''}".strip(),
        words,
    )


def _count_words(seconds: int, units: tuple) -> str | None:
    for size, words in units:
        if seconds >= size:
            count = seconds // size
            return str(words(count) % {"count": count})
    return None


def relative_words(value: datetime, now: datetime | None = None) -> str:
    """How long ago ``value`` was, as people say it: "just now", "5 min ago", "3 h ago",
    "2 days ago"; from RELATIVE_LIMIT on, and for a time to come, its date and time."""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    if -60 < seconds < 60:
        return gettext("just now")
    if seconds < 0 or seconds >= RELATIVE_LIMIT.total_seconds():
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local:%Y-%m-%d %H:%M}" if seconds < 0 else f"{local:%Y-%m-%d}"
    return _count_words(seconds, _AGO_UNITS) or ""


@register.filter
def ago(value: datetime | None) -> SafeString | str:
    """``<time datetime=... title="2026-11-30 14:05 CET">3 h ago</time>``: relative, with
    the exact time in the reader's time zone on hover."""
    if value is None:
        return ""
    return _time_element(value, relative_words(value))


@register.filter
def waiting(value: datetime | None) -> SafeString | str:
    """How long somebody has waited since ``value``: "waiting 2 days", the exact time
    on hover."""
    if value is None:
        return ""
    seconds = max(0, int((timezone.now() - value).total_seconds()))
    words = _count_words(seconds, _WAITING_UNITS) or gettext("waiting since just now")
    return _time_element(value, words)


@register.filter
def status_label(value: str) -> str:
    """What ``get_status_display`` says, without building the choices on each call."""
    return str(_STATUS_LABELS.get(value, value))


@register.filter
def type_label(value: str) -> str:
    """What ``get_type_display`` says, without building the choices on each call."""
    return str(_TYPE_LABELS.get(value, value))


# Status and priority as coloured labels whose words stay (never colour alone); the
# colours are the tokens of the labels' section of panel.css.

PRIORITY_BANDS = {
    "low": gettext_lazy("low"),
    "normal": gettext_lazy("normal"),
    "high": gettext_lazy("high"),
    "urgent": gettext_lazy("urgent"),
}


def priority_band(priority: int, limits: HelpdeskSettings | None = None) -> str:
    """The band of a priority (1-99), from the levels the settings name: up to "low"
    is low, from "high" high, and from halfway between "high" and 99 urgent (where
    escalation takes a ticket no customer could choose); normal between."""
    limits = limits or HelpdeskSettings.load()
    if priority >= limits.priority_high + (100 - limits.priority_high) // 2:
        return "urgent"
    if priority >= limits.priority_high:
        return "high"
    if priority > limits.priority_low:
        return "normal"
    return "low"


@register.filter
def priority_label(priority: int, limits: HelpdeskSettings | None = None) -> SafeString:
    """``<span class="label priority-high">75 <span class="band">high</span></span>``."""
    band = priority_band(priority, limits)
    return format_html(
        '<span class="label priority-{}">{} <span class="band">{}</span></span>',
        band,
        int(priority),
        PRIORITY_BANDS[band],
    )


@register.filter
def status_pill(status: str) -> SafeString:
    """``<span class="label status-on_hold">On hold</span>``: a pill of the status's colour."""
    known = status if status in _STATUS_LABELS else "unknown"
    return format_html('<span class="label status-{}">{}</span>', known, status_label(status))


@register.simple_tag
def unanswered_mark() -> SafeString:
    """The dot of an unanswered ticket in a list that is no table (the ticket page's
    side panel); its words are for screen readers."""
    return format_html(
        '<span class="unanswered-dot" aria-hidden="true"></span>'
        '<span class="visually-hidden">{} </span>',
        gettext("unanswered"),
    )


@register.simple_tag
def ticket_cells(ticket: Ticket, limits: HelpdeskSettings | None = None) -> SafeString:
    """A ticket table row's cells from the number to the queue, written in Python.

    As template tags they were thirty-odd nodes a row; fifty rows were most of the
    home page's cost at a million tickets (bench/http.py). The checkbox and the
    assignee cell (a partial the pick-up answers with) stay in the template.
    """
    unanswered = ""
    if not ticket.is_answered:
        # The row's dot is drawn by panel.css (tr.unanswered); these words are its text.
        unanswered = f'<span class="visually-hidden"> {escape(gettext("(unanswered)"))}</span>'
    title = escape(text.visible_controls(ticket.title))
    return mark_safe(  # noqa: S308 - every text is escaped; numbers and times need not be
        f"<td>#{ticket.number}</td>\n"
        f'        <td class="title"><a href="{ticket_url(ticket.number)}">{title}</a>'
        f"{unanswered}</td>\n"
        f"        <td>{priority_label(ticket.priority, limits)}</td>\n"
        f"        <td>{ago(ticket.created_at)}</td>\n"
        f"        <td>{ago(ticket.modified_at)}</td>\n"
        f"        <td>{escape(type_label(ticket.type))}</td>\n"
        f"        <td>{status_pill(ticket.status)}</td>\n"
        f'        <td class="queue">{escape(ticket.queue.name)}</td>'
    )


#: A ticket number no ticket has, replaced in the one reversed address of a view.
_SOME_NUMBER = "987654321987654321"


def ticket_url(number: int) -> str:
    """``reverse("panel:ticket", args=[number])`` for fifty rows at the price of one."""
    return _numbered("panel:ticket", number)


@register.filter
def pick_up_url(number: int) -> str:
    """``{% url 'panel:pick_up' number %}`` for each unassigned row at the price of one."""
    return _numbered("panel:pick_up", number)


def _numbered(view: str, number: int) -> str:
    return _pattern(view, get_script_prefix()).replace(_SOME_NUMBER, str(int(number)))


@functools.lru_cache(maxsize=32)
def _pattern(view: str, script_prefix: str) -> str:
    # Keyed by the prefix reverse() puts in front, which may differ between sites.
    return reverse(view, args=[int(_SOME_NUMBER)])


@register.filter
def source_label(value: str) -> str:
    """What ``get_source_display`` says, without building the choices on each call."""
    return str(_SOURCE_LABELS.get(value, value))


@register.filter
def options(choices: Iterable[tuple[object, str]]) -> SafeString:
    """``<option>``s of (value, label) pairs, such as ``panel.forms.staff_choices``: the
    mass forms of the home page's two tables offer a hundred staff each."""
    return mark_safe(  # noqa: S308 - both parts are escaped
        "".join(
            f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices
        )
    )


_INTERVAL_UNITS = (
    (86400, lambda count: ngettext("every day", "every %(count)d days", count)),
    (3600, lambda count: ngettext("every hour", "every %(count)d hours", count)),
    (60, lambda count: ngettext("every minute", "every %(count)d minutes", count)),
    (1, lambda count: ngettext("every second", "every %(count)d seconds", count)),
)


@register.filter
def every(interval: timedelta | None) -> str:
    """An interval as people say it: "every day", "every 4 hours", "every 90 minutes"
    (the largest unit it is a whole number of), never "1 day, 0:00:00"."""
    if interval is None:
        return ""
    seconds = int(interval.total_seconds())
    for size, words in _INTERVAL_UNITS:
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return words(count) % {"count": count}
    return ""


@register.filter
def author_name(message: Message) -> str:
    if message.author is not None:
        return message.author.get_full_name()
    return message.author_email or gettext("The system")


@register.filter
def typed_in(message: Message) -> bool:
    """A customer's message somebody else wrote for them (staff making a ticket):
    its author is not the requester it came from."""
    return (
        message.kind == "customer"
        and message.author is not None
        and message.author.email.lower() != message.author_email.lower()
    )


@register.inclusion_tag("panel/_mailbox_alert.html")
def mailbox_alert() -> dict[str, object]:
    """One query on each administrator's page: mail that is not fetched is mail not answered."""
    return {"names": list(failing_mailboxes().values_list("name", flat=True))}


@register.inclusion_tag("panel/_job_alert.html")
def job_alert() -> dict[str, object]:
    """Periodic jobs that stopped completing, and `frontdesk run` restarting the worker
    or the web server: background work that fails shows nowhere else."""
    return {
        "late": [state for state in jobs.states() if state.late],
        "restarts": jobs.recent_restarts(),
    }


@register.inclusion_tag("panel/_outbox_alert.html")
def outbox_alert() -> dict[str, object]:
    """Sending that has failed for minutes with nothing sent: a mail server down shows
    nowhere else until every mail has used up its retries, hours later."""
    since = sending.failing_since()
    if since is None:
        return {"since": None}
    state = sending.state()
    return {"since": since, "waiting": state.waiting, "last_error": state.last_error}


@register.inclusion_tag("panel/_mail_alert.html")
def mail_alert() -> dict[str, object]:
    """Mail kept without a ticket that an administrator should look at: messages held
    by the new-ticket limit, and messages kept as loops in the last day."""
    return {
        "held": limits.held_messages().count(),
        "loops": loop.kept_as_loops(since=LOOP_ALERT_PERIOD).count(),
    }
