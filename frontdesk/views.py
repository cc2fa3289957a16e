from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tickets import queries


def home(request: HttpRequest) -> HttpResponse:
    """Where everybody lands: visitors sign in, staff work in the panel, customers see tickets."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.is_active and user.staff is not None:
        return redirect("panel:home")
    # A plain list until the customer portal replaces this page.
    return render(request, "frontdesk/home.html", {"tickets": queries.newest(user, 50)})
