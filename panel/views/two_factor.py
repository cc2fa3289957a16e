"""Two-factor sign-in in the panel (S47): one's own under My Profile, and the
administrators' overview with a reset for a lost phone."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, two_factor
from accounts.models import User
from panel.auth import StaffRequest, admin_required, staff_required
from panel.forms import ConfirmAppForm, CurrentPasswordForm, add_action_errors


@staff_required
def set_up(request: StaffRequest) -> HttpResponse:
    """Scan the secret (or type it), confirm with a code, then see the recovery codes once."""
    user = request.user
    try:
        app = two_factor.start_set_up(user=user)
    except ValidationError:
        messages.info(request, _("Your two-factor sign-in is set up already."))
        return redirect("panel:profile")
    form = ConfirmAppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_set_up(
                user=user, code=form.cleaned_data["code"], client_address=audit.address_of(request)
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            # This session has just shown the app's code: it passed the second step.
            django_otp.login(request, two_factor.app_device(user))
            return render(request, "panel/recovery_codes.html", {"codes": codes, "new": True})
    context = {"form": form, "app": app, "required": two_factor.is_required(user)}
    status = 422 if request.method == "POST" else 200
    return render(request, "panel/two_factor_set_up.html", context, status=status)


@staff_required
def recovery_codes(request: StaffRequest) -> HttpResponse:
    """Ten new recovery codes in place of the old ones, for the current password."""
    form = CurrentPasswordForm(request.POST or None, prefix="codes")
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.new_recovery_codes(
                user=request.user,
                password=form.cleaned_data["password"],
                client_address=audit.address_of(request),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return render(request, "panel/recovery_codes.html", {"codes": codes, "new": False})
    context = {"form": form, "left": two_factor.recovery_codes_left(request.user)}
    status = 422 if request.method == "POST" else 200
    return render(request, "panel/recovery_codes_new.html", context, status=status)


@staff_required
def remove(request: StaffRequest) -> HttpResponse:
    """Turn one's own two-factor sign-in off, for the current password; not while
    one's role requires it."""
    form = CurrentPasswordForm(request.POST or None, prefix="remove")
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.remove(
                user=request.user,
                password=form.cleaned_data["password"],
                client_address=audit.address_of(request),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, _("Two-factor sign-in is off: you sign in with your password.")
            )
            return redirect("panel:profile")
    context = {"form": form, "required": two_factor.is_required(request.user)}
    status = 422 if request.method == "POST" else 200
    return render(request, "panel/two_factor_remove.html", context, status=status)


@require_GET
@admin_required
def staff_overview(request: StaffRequest) -> HttpResponse:
    return render(request, "panel/two_factor_staff.html", {"profiles": two_factor.staff_overview()})


@require_POST
@admin_required
def reset(request: StaffRequest, pk: int) -> HttpResponse:
    reset_for(request, pk)
    return redirect("panel:two_factor_staff")


def reset_for(request: StaffRequest, pk: int) -> User:
    """Reset a staff member's two-factor sign-in, saying how it went; the person."""
    person = get_object_or_404(User, pk=pk, staff_profile__isnull=False)
    try:
        two_factor.reset(actor=request.user, user=person, client_address=audit.address_of(request))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request, _("The two-factor sign-in of %(email)s is reset.") % {"email": person.email}
        )
    return person
