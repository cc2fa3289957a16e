"""My Profile (S24): how a staff member appears in answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.staff import update_profile
from panel import appearance
from panel.auth import StaffRequest, staff_required
from panel.forms import ProfileForm, ThemeForm, add_action_errors


@staff_required
def profile(request: StaffRequest) -> HttpResponse:
    user = request.user
    staff = user.staff
    assert staff is not None  # staff_required let only staff in
    if request.method != "POST":
        initial = {
            "full_name": staff.full_name or user.full_name,
            "description": staff.description,
            "email": user.email,
            "signature": staff.signature,
        }
        return render(
            request, "panel/profile.html", {"form": ProfileForm(initial=initial, user=user)}
        )
    form = ProfileForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, "panel/profile.html", {"form": form}, status=422)
    data = form.cleaned_data
    try:
        update_profile(
            actor=user,
            user=user,
            full_name=data["full_name"],
            description=data["description"],
            email=data["email"],
            signature=data["signature"],
            current_password=data["current_password"],
        )
    except ValidationError as error:
        add_action_errors(form, error)
        return render(request, "panel/profile.html", {"form": form}, status=422)
    messages.success(request, _("Your profile is saved."))
    return redirect("panel:profile")


@staff_required
def password(request: StaffRequest) -> HttpResponse:
    """The panel's own password change: Django's form and validators, the session kept."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method != "POST":
        return render(request, "panel/password.html", {"form": form})
    if not form.is_valid():
        return render(request, "panel/password.html", {"form": form}, status=422)
    form.save()
    # Changing the password ends every other session; this one goes on.
    update_session_auth_hash(request, form.user)
    messages.success(request, _("Your password is changed."))
    return redirect("panel:profile")


@require_POST
@staff_required
def theme(request: StaffRequest) -> HttpResponse:
    """Light, dark or the system's: the next page is drawn in it (panel/appearance.py)."""
    form = ThemeForm(request.POST)
    if form.is_valid():
        appearance.set_theme(user=request.user, theme=form.cleaned_data["theme"])
        messages.success(request, _("Your theme is saved."))
    else:
        messages.error(request, _("Choose light, dark or the system's theme."))
    return redirect("panel:profile")
