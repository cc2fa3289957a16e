from datetime import timedelta

from django import template
from django.utils.translation import gettext

from frontdesk import jobs, text
from mail import limits, loop
from mail.fetch import failing_mailboxes
from tickets.models import Message

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


@register.filter
def author_name(message: Message) -> str:
    if message.author is not None:
        return message.author.get_full_name()
    return message.author_email or gettext("The system")


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


@register.inclusion_tag("panel/_mail_alert.html")
def mail_alert() -> dict[str, object]:
    """Mail kept without a ticket that an administrator should look at: messages held
    by the new-ticket limit, and messages kept as loops in the last day."""
    return {
        "held": limits.held_messages().count(),
        "loops": loop.kept_as_loops(since=LOOP_ALERT_PERIOD).count(),
    }
