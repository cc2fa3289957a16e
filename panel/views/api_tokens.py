"""API tokens (S38): staff make and revoke their own; administrators an integration's.
A new token's secret is shown on the page that made it, once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import tokens
from accounts.throttle import client_ip
from panel.auth import StaffRequest, admin_required, staff_required
from panel.forms import add_action_errors
from panel.token_forms import IntegrationTokenForm, PersonalTokenForm


def _page(
    request: StaffRequest,
    *,
    personal: PersonalTokenForm | None = None,
    integration: IntegrationTokenForm | None = None,
    issued: tokens.Issued | None = None,
    status: int = 200,
) -> HttpResponse:
    is_admin = request.user.staff is not None and request.user.staff.is_admin
    context = {
        "personal_form": personal or PersonalTokenForm(),
        "personal_tokens": tokens.personal_tokens(request.user),
        "integration_form": (integration or IntegrationTokenForm()) if is_admin else None,
        "integration_tokens": tokens.integration_tokens() if is_admin else [],
        "issued": issued,
    }
    return render(request, "panel/api_tokens.html", context, status=status)


@require_GET
@staff_required
def api_tokens(request: StaffRequest) -> HttpResponse:
    return _page(request)


@require_POST
@staff_required
def create_personal(request: StaffRequest) -> HttpResponse:
    form = PersonalTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, personal=form, status=422)
    try:
        issued = tokens.create_personal(
            actor=request.user,
            name=form.cleaned_data["name"],
            expires_at=form.expires_at(request.user),
            client_address=client_ip(request),
        )
    except ValidationError as error:
        add_action_errors(form, error, {"expires_at": "expires_on"})
        return _page(request, personal=form, status=422)
    return _page(request, issued=issued, status=201)


@require_POST
@admin_required
def create_integration(request: StaffRequest) -> HttpResponse:
    form = IntegrationTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, integration=form, status=422)
    data = form.cleaned_data
    try:
        issued = tokens.create_integration(
            actor=request.user,
            name=data["name"],
            queues=data["queues"],
            can_write=data["can_write"],
            expires_at=form.expires_at(request.user),
            client_address=client_ip(request),
        )
    except ValidationError as error:
        add_action_errors(form, error, {"expires_at": "expires_on"})
        return _page(request, integration=form, status=422)
    return _page(request, issued=issued, status=201)


@require_POST
@staff_required
def revoke(request: StaffRequest, pk: int) -> HttpResponse:
    token = tokens.token_by_id(pk)
    if token is None or not tokens.may_revoke(request.user, token):
        raise Http404("No such token.")
    try:
        tokens.revoke(actor=request.user, token=token, client_address=client_ip(request))
    except PermissionDenied:
        raise Http404("No such token.") from None
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("panel:api_tokens")
