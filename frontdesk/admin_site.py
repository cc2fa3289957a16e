"""The Django admin's site: its sign-in takes the same steps as /login/."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from frontdesk import sign_in


class FrontdeskAdminSite(admin.AdminSite):
    # The password step under the limits of /login/ (frontdesk/sign_in.py).
    login_form = sign_in.AdminSignInForm

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Django's own admin sign-in, but with the view that hands people with
        two-factor sign-in to the second step instead of signing them in."""
        from frontdesk.second_step import SignInView

        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        view = SignInView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name=self.login_template or "admin/login.html",
        )
        return cast(HttpResponse, view(request))
