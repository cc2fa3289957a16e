from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """Where everybody lands: visitors sign in, staff work in the panel, customers in the portal."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.is_active and user.staff is not None:
        return redirect("panel:home")
    return redirect("portal:home")
