"""Customer records (S18, S46): accounts and contacts. Staff look; supervisors and
administrators change them (accounts/customers.py says why)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, customers
from accounts.models import Account, Contact, User
from accounts.queries import accounts_list, contacts_of
from frontdesk.public_url import absolute
from frontdesk.text import without_controls
from panel.auth import StaffRequest, staff_required, supervisor_required
from panel.customer_forms import AccountForm, ContactForm
from tickets import queries
from tickets.models import Status

PAGE_SIZE = 50
# The newest of an account's tickets on its page; the search finds the rest.
TICKETS_SHOWN = 50


@require_GET
@staff_required
def customer_list(request: StaffRequest) -> HttpResponse:
    query = without_controls(request.GET.get("q", "")).strip()
    page = Paginator(accounts_list(query), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "filters": urlencode({"q": query}) if query else ""}
    return render(request, "panel/customers.html", context)


@require_GET
@staff_required
def customer_page(request: StaffRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(Account, pk=pk)
    counts = queries.account_status_counts(request.user, account.pk)
    context = {
        "account": account,
        "contacts": contacts_of(account),
        "counts": [(Status(status).label, count) for status, count in counts.items()],
        "ticket_count": sum(counts.values()),
        "tickets": queries.account_tickets(request.user, account.pk)[:TICKETS_SHOWN],
        "tickets_shown": TICKETS_SHOWN,
        "may_change": customers.may_change_customers(request.user),
        "may_view_as": queries.sees_whole_account(request.user, account.pk),
    }
    return render(request, "panel/customer.html", context)


def _edit_account(request: StaffRequest, account: Account) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=account)
    if request.method != "POST":
        return render(request, "panel/customer_form.html", {"form": form, "account": account})
    if form.is_valid():
        saved = customers.save_account(
            actor=request.user,
            account=form.save(commit=False),
            changes=audit.changes(form),
            client_address=audit.address_of(request),
        )
        messages.success(request, _("Account %(name)s saved.") % {"name": saved.name})
        return redirect("panel:customer", pk=saved.pk)
    context = {"form": form, "account": account}
    return render(request, "panel/customer_form.html", context, status=422)


@supervisor_required
def customer_create(request: StaffRequest) -> HttpResponse:
    return _edit_account(request, Account())


@supervisor_required
def customer_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _edit_account(request, get_object_or_404(Account, pk=pk))


def _edit_contact(request: StaffRequest, contact: Contact) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=contact)
    context = {"form": form, "contact": contact, "account": contact.account}
    if request.method != "POST":
        return render(request, "panel/contact_form.html", context)
    if form.is_valid():
        try:
            saved = customers.save_contact(
                actor=request.user,
                contact=form.save(commit=False),
                changes=audit.changes(form),
                client_address=audit.address_of(request),
            )
        except ValidationError as refusal:
            # Keyed by the form's own fields (the address), or for the whole form.
            form.add_error(None, refusal)
        else:
            messages.success(request, _("Contact %(email)s saved.") % {"email": saved.email})
            return redirect("panel:customer", pk=saved.account_id)
    return render(request, "panel/contact_form.html", context, status=422)


@supervisor_required
def contact_create(request: StaffRequest, pk: int) -> HttpResponse:
    return _edit_contact(request, Contact(account=get_object_or_404(Account, pk=pk)))


@supervisor_required
def contact_edit(request: StaffRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("account", "user"), pk=pk)
    return _edit_contact(request, contact)


def password_link(user: User) -> str:
    # FRONTDESK_URL, never the request's Host header: a client writes that.
    path = reverse("portal:password_reset_confirm", kwargs=customers.password_link_arguments(user))
    return absolute(path)


@require_POST
@supervisor_required
def contact_invite(request: StaffRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("account", "user"), pk=pk)
    try:
        customers.invite_to_portal(
            actor=request.user,
            contact=contact,
            link_for=password_link,
            client_address=audit.address_of(request),
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request, _("Invitation to the portal sent to %(email)s.") % {"email": contact.email}
        )
    return redirect("panel:customer", pk=contact.account_id)
