"""Staff (issue "The agent's daily work"): administrators invite people and change
their role, queues and sign-in; supervisors look. accounts/staff.py decides."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, staff, two_factor
from accounts.models import StaffProfile, User
from frontdesk.welcome import link_for
from panel.auth import StaffRequest, admin_required, supervisor_required
from panel.forms import add_action_errors
from panel.staff_forms import ChangeStaffForm, InviteStaffForm
from panel.views import two_factor as two_factor_views
from tickets import queries
from tickets.criteria import Criteria


@require_GET
@supervisor_required
def staff_list(request: StaffRequest) -> HttpResponse:
    return render(request, "panel/staff.html", {"members": staff.staff_members()})


@admin_required
def invite(request: StaffRequest) -> HttpResponse:
    form = InviteStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = staff.invite_staff(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                queues=data["queues"],
                language=data["language"],
                link_for=link_for,
                client_address=audit.address_of(request),
            )
        except ValidationError as refusal:
            add_action_errors(form, refusal)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
            return redirect("panel:staff")
    status = 422 if request.method == "POST" else 200
    return render(request, "panel/staff_invite.html", {"form": form}, status=status)


@admin_required
def edit(request: StaffRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(StaffProfile.objects.select_related("user"), user_id=pk)
    if request.method != "POST":
        form = ChangeStaffForm(initial=_as_now(profile))
        return _edit_page(request, profile, form)
    form = ChangeStaffForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, profile, form, status=422)
    data = form.cleaned_data
    try:
        staff.change_staff(
            actor=request.user,
            user=profile.user,
            role=data["role"],
            queues=data["queues"],
            is_active=data["is_active"],
            seen=data["seen"],
            client_address=audit.address_of(request),
        )
    except staff.StaleStaffForm as stale:
        # What was chosen stays; saving again (on the state shown now) replaces theirs.
        posted = request.POST.copy()
        posted["seen"] = staff.fingerprint(stale.profile)
        return _edit_page(request, stale.profile, ChangeStaffForm(posted), status=409, stale=True)
    except ValidationError as refusal:
        add_action_errors(form, refusal)
        return _edit_page(request, profile, form, status=422)
    messages.success(request, _("%(email)s saved.") % {"email": profile.user.email})
    return redirect("panel:staff")


@require_POST
@admin_required
def reset_two_factor(request: StaffRequest, pk: int) -> HttpResponse:
    person = two_factor_views.reset_for(request, pk)
    return redirect("panel:staff_edit", pk=person.pk)


@require_POST
@admin_required
def invite_again(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk, staff_profile__isnull=False)
    try:
        staff.invite_again(
            actor=request.user,
            user=person,
            link_for=link_for,
            client_address=audit.address_of(request),
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
    return redirect("panel:staff_edit", pk=person.pk)


def _as_now(profile: StaffProfile) -> dict[str, object]:
    return {
        "role": profile.role,
        "queues": list(profile.queues.all()),
        "is_active": profile.user.is_active,
        "seen": staff.fingerprint(profile),
    }


def _edit_page(
    request: StaffRequest,
    profile: StaffProfile,
    form: ChangeStaffForm,
    *,
    status: int = 200,
    stale: bool = False,
) -> HttpResponse:
    person = profile.user
    context = {
        "form": form,
        "profile": profile,
        "person": person,
        "stale": stale,
        "queues_now": profile.queues.all(),
        "has_two_factor": two_factor.has_two_factor(person),
        "working_tickets": queries.count_working_tickets_of(request.user, person),
        "tickets_query": Criteria(assignee=str(person.pk)).to_querystring(),
    }
    return render(request, "panel/staff_form.html", context, status=status)
