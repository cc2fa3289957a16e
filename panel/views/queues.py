"""Queue configuration pages (S25): staff may look, administrators change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from accounts import audit
from accounts.models import AuditCode
from panel.auth import StaffRequest, admin_required, staff_required
from panel.forms import DeleteQueueForm, QueueForm
from tickets import queries
from tickets.models import Queue
from tickets.queues import check_deletable, configured_queues, delete_queue, save_queue


@require_GET
@staff_required
def queue_list(request: StaffRequest) -> HttpResponse:
    return render(request, "panel/queues.html", {"queues": configured_queues()})


def _edit(request: StaffRequest, queue: Queue) -> HttpResponse:
    form = QueueForm(request.POST or None, instance=queue)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            is_new = queue.pk is None
            with transaction.atomic():
                saved = save_queue(
                    actor=request.user,
                    queue=form.save(commit=False),
                    addresses=data["addresses"],
                    staff=data["staff"],
                    is_default=data["is_default"],
                    escalation_minutes=data.get("escalation_minutes"),
                )
                audit.record(
                    AuditCode.QUEUE_ADDED if is_new else AuditCode.QUEUE_CHANGED,
                    actor=request.user,
                    target=f"queue “{saved.name}”",
                    detail=audit.changes(form),
                    client_address=audit.address_of(request),
                )
            messages.success(request, _("Queue %(name)s saved.") % {"name": saved.name})
            return redirect("panel:queues")
        return render(request, "panel/queue_form.html", {"form": form, "queue": queue}, status=422)
    return render(request, "panel/queue_form.html", {"form": form, "queue": queue})


@admin_required
def create(request: StaffRequest) -> HttpResponse:
    return _edit(request, Queue())


@admin_required
def edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Queue, pk=pk))


@admin_required
def delete(request: StaffRequest, pk: int) -> HttpResponse:
    queue = get_object_or_404(Queue, pk=pk)
    form = DeleteQueueForm(request.POST or None, queue=queue)
    context = {
        "queue": queue,
        "form": form,
        "ticket_count": queries.count_in_queue(request.user, queue),
    }
    try:
        check_deletable(queue)
    except ValidationError as refusal:
        context["refusal"] = " ".join(refusal.messages)
        return render(
            request,
            "panel/queue_delete.html",
            context,
            status=409 if request.method == "POST" else 200,
        )
    if request.method != "POST":
        return render(request, "panel/queue_delete.html", context)
    if not form.is_valid():
        return render(request, "panel/queue_delete.html", context, status=422)
    move_to = form.cleaned_data["target"] if form.cleaned_data["tickets"] == "move" else None
    # The audit log's detail, in English like every detail there.
    fate = f"moved to {move_to}" if move_to else "deleted"
    try:
        with transaction.atomic():
            count = delete_queue(actor=request.user, queue=queue, move_to=move_to)
            audit.record(
                AuditCode.QUEUE_DELETED,
                actor=request.user,
                target=f"queue “{queue.name}”",
                detail=f"{count} tickets {fate}",
                client_address=audit.address_of(request),
            )
    except ValidationError as refusal:
        context["refusal"] = " ".join(refusal.messages)
        return render(request, "panel/queue_delete.html", context, status=409)
    if move_to:
        deleted = ngettext(
            "Queue %(name)s deleted; %(count)s ticket moved to %(target)s.",
            "Queue %(name)s deleted; %(count)s tickets moved to %(target)s.",
            count,
        )
    else:
        deleted = ngettext(
            "Queue %(name)s deleted; %(count)s ticket deleted.",
            "Queue %(name)s deleted; %(count)s tickets deleted.",
            count,
        )
    messages.success(request, deleted % {"name": queue.name, "count": count, "target": move_to})
    return redirect("panel:queues")
