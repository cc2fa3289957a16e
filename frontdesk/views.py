from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """Where everybody lands: visitors sign in, staff work in the panel, customers in the portal."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.is_active and user.staff is not None:
        return redirect("panel:home")
    return redirect("portal:home")


def password_change(request: HttpRequest) -> HttpResponseBase:
    """Staff change their password in the panel (with its layout and checks);
    the plain page stays for customers."""
    user = request.user
    if user.is_authenticated and user.is_active and user.staff is not None:
        return redirect("panel:password")
    return auth_views.PasswordChangeView.as_view()(request)
