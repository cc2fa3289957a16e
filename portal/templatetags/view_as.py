"""The banner every portal page shows while staff view it as a customer (S34)."""

from __future__ import annotations

from typing import Any

from django import template

from portal import view_as

register = template.Library()


@register.inclusion_tag("portal/_view_as_banner.html", takes_context=True)
def view_as_banner(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    viewing = None
    if request is not None:
        # customer_required has put it on the request (and swapped the user); pages
        # outside it (the knowledge base, public pages) read the session.
        viewing = getattr(request, "view_as", None) or view_as.peek(request)
    return {"viewing": viewing, "csrf_token": context.get("csrf_token")}
