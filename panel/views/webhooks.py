"""Webhooks (S38): administrators register receivers and watch their deliveries."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from accounts.models import AuditCode
from panel.auth import StaffRequest, admin_required
from panel.webhook_forms import WebhookForm
from webhooks import outbox, registry
from webhooks.models import Delivery, Webhook


@require_GET
@admin_required
def webhook_list(request: StaffRequest) -> HttpResponse:
    return render(request, "panel/webhooks.html", {"webhooks": registry.webhook_list()})


def _record(request: StaffRequest, webhook: Webhook, detail: str) -> None:
    audit.record(
        AuditCode.SETTINGS_CHANGED,
        actor=request.user,
        target=f"webhook “{webhook.name}”",
        detail=detail,
        client_address=audit.address_of(request),
    )


def _edit(request: StaffRequest, webhook: Webhook) -> HttpResponse:
    form = WebhookForm(request.POST or None, instance=webhook)
    context = {
        "form": form,
        "webhook": webhook,
        "deliveries": registry.recent_deliveries(webhook) if webhook.pk else [],
    }
    if request.method != "POST":
        return render(request, "panel/webhook_form.html", context)
    if not form.is_valid():
        return render(request, "panel/webhook_form.html", context, status=422)
    is_new = webhook.pk is None
    with transaction.atomic():
        saved = form.save()
        _record(request, saved, "added" if is_new else audit.changes(form))
    messages.success(request, _("Webhook %(name)s saved.") % {"name": saved.name})
    return redirect("panel:webhook_edit", saved.pk)


@admin_required
def webhook_create(request: StaffRequest) -> HttpResponse:
    return _edit(request, Webhook())


@admin_required
def webhook_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Webhook, pk=pk))


@admin_required
def webhook_delete(request: StaffRequest, pk: int) -> HttpResponse:
    webhook = get_object_or_404(Webhook, pk=pk)
    if request.method != "POST":
        return render(request, "panel/webhook_delete.html", {"webhook": webhook})
    with transaction.atomic():
        _record(request, webhook, "deleted with its deliveries")
        webhook.delete()
    messages.success(request, _("Webhook %(name)s deleted.") % {"name": webhook.name})
    return redirect("panel:webhooks")


@require_GET
@admin_required
def delivery_page(request: StaffRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("webhook"), pk=pk)
    return render(
        request,
        "panel/webhook_delivery.html",
        {
            "delivery": delivery,
            "attempts": registry.attempts_of(delivery),
            "body": registry.readable_body(delivery),
        },
    )


@require_POST
@admin_required
def delivery_resend(request: StaffRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("webhook"), pk=pk)
    with transaction.atomic():
        copy = outbox.resend(delivery)
        _record(request, delivery.webhook, f"delivery {delivery.pk} sent again as {copy.pk}")
    if delivery.webhook.is_active:
        messages.success(request, _("The delivery is being sent again."))
    else:
        messages.warning(
            request, _("The delivery is queued; it goes out once the webhook is active again.")
        )
    return redirect("panel:webhook_delivery", copy.pk)
