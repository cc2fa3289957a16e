"""The ticket page's macros (canned/): what the person may apply, for panel/_macros.html."""

from __future__ import annotations

from typing import Any

from django import template

from canned import library
from canned.models import Macro

register = template.Library()


@register.simple_tag(takes_context=True)
def macros_offered(context: Any) -> list[Macro]:
    """The person's own macros and the team's, as the canned replies page lists them."""
    return list(library.macros_for(context["request"].user))
