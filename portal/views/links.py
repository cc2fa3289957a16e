"""Opening a one-time link from a mail (portal/links.py), and asking for a fresh one."""

from __future__ import annotations

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal import links, tasks
from portal.auth import limit_to_ticket, ticket_scope
from portal.identity_forms import FreshLinkForm

_STATUS = {links.Refusal.UNKNOWN: 404}


# Never kept by a cache: the page of a link changes once it is used.
@never_cache
@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and uses nothing up (mail scanners follow links); POST signs in."""
    if _is_staff(request):
        return render(request, "portal/link_refused.html", {"reason": "staff"}, status=403)
    link = links.find(token)
    if link is None:
        return _refused(request, links.Refusal.UNKNOWN, token)
    if request.method == "GET":
        refusal = links.refusal(link)
        if refusal is not None:
            return _refused(request, refusal, token)
        return render(request, "portal/link.html", {"number": link.ticket_id, "token": token})
    try:
        opened = links.open_link(link=link)
    except links.LinkRefused as refused:
        return _refused(request, refused.refusal, token)
    person = opened.person
    # Somebody signed in with their password as this person keeps seeing all of it.
    if request.user.pk != person.pk or ticket_scope(request) is not None:
        # For the audit log's sign-in entry (accounts/audit.py).
        person.signed_in_with = f"one-time link for ticket #{opened.number}"  # type: ignore[attr-defined]
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        limit_to_ticket(request, opened.number)
    return redirect(links.ticket_page(opened.number))


@never_cache
@require_POST
def fresh_link(request: HttpRequest, token: str) -> HttpResponse:
    """Mail a fresh link to the address a used or expired one went to; the answer is
    the same for any address typed."""
    if _is_staff(request):
        return render(request, "portal/link_refused.html", {"reason": "staff"}, status=403)
    link = links.find(token)
    form = FreshLinkForm(request.POST, request=request)
    if not form.is_valid():
        reason = links.refusal(link) if link is not None else links.Refusal.UNKNOWN
        if reason is None:
            return redirect("portal:link", token=token)  # it still opens the ticket
        return _refused(request, reason, token, form=form, status=422)
    link_id, email = (link.pk if link is not None else None), form.cleaned_data["email"]
    transaction.on_commit(lambda: tasks.mail_fresh_link(link_id, email), robust=True)
    return render(request, "portal/fresh_link_sent.html")


def _refused(
    request: HttpRequest,
    reason: links.Refusal,
    token: str,
    *,
    form: FreshLinkForm | None = None,
    status: int | None = None,
) -> HttpResponse:
    renewable = reason in links.RENEWABLE
    if renewable and form is None:
        form = FreshLinkForm(request=request)
    context = {"reason": reason.value, "token": token, "form": form if renewable else None}
    status = status or _STATUS.get(reason, 410)
    return render(request, "portal/link_refused.html", context, status=status)


def _is_staff(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and getattr(user, "staff", None) is not None)
