from typing import Any

from django import template

from accounts import two_factor

register = template.Library()


@register.inclusion_tag("panel/_two_factor_status.html", takes_context=True)
def two_factor_status(context: Any) -> dict[str, object]:
    """My Profile's part on two-factor sign-in: on or off, and the codes left."""
    user = context["request"].user
    return {
        "on": two_factor.has_two_factor(user),
        "required": two_factor.is_required(user),
        "left": two_factor.recovery_codes_left(user),
    }
