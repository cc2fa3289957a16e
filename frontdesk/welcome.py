"""A new staff member's first password, through the link of their invitation.

The link is Django's password-reset link (its default token generator): good
for ``PASSWORD_RESET_TIMEOUT`` seconds, and only until a password is chosen,
since the token covers the password's hash. Choosing one signs nobody in: the
person signs in next, with the second step when their role requires it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditCode, User
from frontdesk.public_url import absolute


def link_for(user: User) -> str:
    """The whole address of the page where ``user`` chooses their first password."""
    arguments = {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    # FRONTDESK_URL, never the request's Host header: a client writes that.
    return absolute(reverse("welcome", kwargs=arguments))


class ChooseFirstPassword(auth_views.PasswordResetConfirmView):
    template_name = "registration/welcome.html"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        if isinstance(user, User) and user.is_active and user.staff is not None:
            return user
        return None

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(
                AuditCode.PASSWORD_RESET,
                actor=self.user,
                person=self.user,
                detail="first password chosen with the link of the invitation",
                client_address=audit.address_of(self.request),
            )
        messages.success(
            self.request,
            _("Your password is saved: sign in with your e-mail address and your new password."),
        )
        return response
