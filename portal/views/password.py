"""Password reset by mail (portal/password_reset.py): Django's views, portal pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy

from accounts import audit
from accounts.models import AuditCode, User
from accounts.throttle import client_ip
from portal import tasks
from portal.identity_forms import ResetRequestForm


class ResetRequest(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "portal/password_reset.html"
    success_url = reverse_lazy("portal:password_reset_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> HttpResponse:
        # The same work for every address: the worker looks it up and mails the link.
        email, address = form.cleaned_data["email"], client_ip(self.request)
        transaction.on_commit(lambda: tasks.mail_password_reset(email, address), robust=True)
        return HttpResponseRedirect(self.get_success_url())


class ResetSent(auth_views.PasswordResetDoneView):
    template_name = "portal/password_reset_sent.html"


class ResetConfirm(auth_views.PasswordResetConfirmView):
    """Choosing a new password; signs nobody in (staff with two-factor sign-in still
    type their code when they sign in next)."""

    template_name = "portal/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if isinstance(user, User) and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(
                AuditCode.PASSWORD_RESET,
                actor=self.user,
                person=self.user,
                detail="new password chosen with a link from a mail",
                client_address=audit.address_of(self.request),
            )
        return response


class ResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "portal/password_reset_complete.html"
