"""Each page in its reader's language and time zone.

Django's ``LocaleMiddleware`` picks the language of the switcher's cookie, else
of the browser (Accept-Language); this middleware, after authentication, puts
a signed-in person's saved choice over it (accounts/preferences.py) and
activates their time zone, or the help desk's for everybody else. The agent
panel and the Django admin stay English whatever the browser says: their
strings have no German or Russian catalogue yet, and half a translation (Django's
own words among English ones) helps nobody.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone, translation

from accounts import preferences
from accounts.models import User

#: Pages that speak the panel's language, English, for now.
ENGLISH_ONLY = ("/panel/", "/admin/")


class PersonalLanguageAndTimeZone:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        person = request.user if isinstance(request.user, User) else None
        if request.path.startswith(ENGLISH_ONLY):
            language = settings.LANGUAGE_CODE
        else:
            language = preferences.language_of(person)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        # Every request sets it: a thread that served somebody in Berlin serves the
        # next visitor in the help desk's time zone.
        zone = preferences.time_zone_of(person)
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        return self.get_response(request)
