from django import template

from mail.fetch import failing_mailboxes
from tickets.models import Message

register = template.Library()


@register.filter
def author_name(message: Message) -> str:
    if message.author is not None:
        return message.author.get_full_name()
    return message.author_email or "The system"


@register.inclusion_tag("panel/_mailbox_alert.html")
def mailbox_alert() -> dict[str, object]:
    """One query on each administrator's page: mail that is not fetched is mail not answered."""
    return {"names": list(failing_mailboxes().values_list("name", flat=True))}
