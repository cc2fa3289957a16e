from django import template

from tickets import history
from tickets.models import Event, Message

register = template.Library()


@register.filter
def describe(event: Event) -> str:
    return history.describe(event)


@register.filter
def author_name(message: Message) -> str:
    if message.author is not None:
        return message.author.get_full_name()
    return message.author_email or "The system"
