from django import template
from django.conf import settings

from accounts.models import User
from panel import reading
from panel.forms import ReadingForm

register = template.Library()


@register.simple_tag
def reading_form(user: User) -> ReadingForm:
    """My Profile's time zone and thread order as the person chose them."""
    initial = {"time_zone": user.time_zone, "newest_first": reading.newest_first(user)}
    return ReadingForm(initial=initial, desk_zone=settings.TIME_ZONE)
