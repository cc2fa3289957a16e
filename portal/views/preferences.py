"""*My settings* (language and time zone) and the language switcher of every page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from accounts import preferences
from accounts.models import User
from portal.auth import CustomerRequest, customer_required, never_as_customer, writes
from portal.preferences import PreferencesForm


@require_http_methods(["GET", "POST"])
@customer_required
@writes(gettext_noop("Change the language and time zone"))
@never_as_customer
def my_settings(request: CustomerRequest) -> HttpResponse:
    user = request.user
    initial = {"language": user.language, "time_zone": user.time_zone}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        context = {"form": form, "section": "settings"}
        return render(request, "portal/settings.html", context, status=status)
    language, time_zone = form.cleaned_data["language"], form.cleaned_data["time_zone"]
    preferences.save(user=user, language=language, time_zone=time_zone)
    # Said in the language just chosen; without one, in the browser's (the cookie goes).
    shown = language or translation.get_language_from_request(request)
    with translation.override(shown):
        messages.success(request, _("Your settings are saved."))
    response = redirect("portal:settings")
    remember_language(response, language)
    return response


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (the cookie, back to the page), and for somebody
    signed in their saved choice too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and language in preferences.languages():
        preferences.save_language(user=user, language=language)
    return response


def remember_language(response: HttpResponse, language: str) -> None:
    """The browser keeps the choice for when nobody is signed in; none: the browser's."""
    if not language:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax"
    )
