"""My Profile (S24): how a staff member appears in answers."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from panel.auth import StaffRequest, staff_required
from panel.forms import ProfileForm


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
    with transaction.atomic():
        user.full_name, user.email = data["full_name"], data["email"]
        user.save(update_fields=["full_name", "email"])
        staff.full_name, staff.description = data["full_name"], data["description"]
        staff.signature = data["signature"]
        staff.save(update_fields=["full_name", "description", "signature"])
    messages.success(request, "Your profile is saved.")
    return redirect("panel:profile")
