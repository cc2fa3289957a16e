"""The audit log (S47) for administrators: newest first, by what and by person."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from accounts import audit
from panel.auth import StaffRequest, admin_required
from panel.forms import AuditFilterForm

PAGE_SIZE = 50


@require_GET
@admin_required
def audit_log(request: StaffRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    code, person = chosen.get("code", ""), chosen.get("person", "")
    page = Paginator(audit.events(code=code, person=person), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        # The filters again in the page links, so paging keeps them.
        "filters": urlencode({key: value for key, value in chosen.items() if value}),
    }
    return render(request, "panel/audit_log.html", context)
