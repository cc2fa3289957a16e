from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tickets.visibility import visible_tickets


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where everybody lands after signing in, until the panel and portal exist."""
    tickets = visible_tickets(request.user).select_related("queue").order_by("-created_at")[:50]
    return render(request, "frontdesk/home.html", {"tickets": tickets})
