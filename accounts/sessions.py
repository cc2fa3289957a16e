"""How long a sign-in lasts: an idle timeout and an absolute lifetime.

Absolute: signing in fixes the session's end at ``SESSION_COOKIE_AGE`` seconds
later, so saving the session afterwards never extends it; the session store
and the browser then drop it alike. Idle: the session keeps when it was last
used, and the first request after ``SESSION_IDLE_TIMEOUT`` seconds without one
signs the person out; the page's own guard then sends them to sign in (the
panel answers htmx requests with a client redirect, see panel/auth.py). The
stamp is written at most once a minute, so most requests save nothing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout, user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

LAST_SEEN = "frontdesk_last_seen"
STAMP_EVERY = 60


def start(request: HttpRequest) -> None:
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    request.session[LAST_SEEN] = int(time.time())


@receiver(user_logged_in)
def start_on_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None:
        start(request)


class SessionTimeouts:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            last_seen = session.get(LAST_SEEN)
            idle = settings.SESSION_IDLE_TIMEOUT
            if not isinstance(last_seen, int):
                start(request)  # signed in before these limits existed
            elif idle > 0 and now - last_seen > idle:
                logout(request)
                messages.info(
                    request, f"You were signed out after {_duration(idle)} without activity."
                )
            elif now - last_seen >= STAMP_EVERY:
                session[LAST_SEEN] = now
        return self.get_response(request)


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "an hour" if hours == 1 else f"{hours} hours"
    minutes = math.ceil(seconds / 60)
    return "a minute" if minutes == 1 else f"{minutes} minutes"
