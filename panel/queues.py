"""Queue configuration (S25). Queues are settings; their tickets move through actions."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from accounts.models import User
from panel.forms import QueueForm
from tickets import actions
from tickets.models import Queue, QueueAddress
from tickets.visibility import visible_tickets


@transaction.atomic
def save_queue(form: QueueForm) -> Queue:
    data = form.cleaned_data
    queue = form.save(commit=False)
    minutes = data.get("escalation_minutes")
    queue.escalation_interval = timedelta(minutes=minutes) if minutes else None
    if data["is_default"] and not queue.is_default:
        # One default queue at a time (a database constraint): the old one steps down first.
        Queue.objects.select_for_update().filter(is_default=True).update(is_default=False)
        queue.is_default = True
    queue.save()
    queue.staff.set(data["staff"])
    queue.addresses.exclude(email__in=data["addresses"]).delete()
    for email in data["addresses"]:
        QueueAddress.objects.get_or_create(queue=queue, email=email)
    return queue


def check_deletable(queue: Queue) -> None:
    if Queue.objects.count() <= 1:
        raise ValidationError("The last queue cannot be deleted.")
    if queue.is_default:
        raise ValidationError("This is the default queue: make another queue the default first.")


def delete_queue(*, actor: User, queue: Queue, move_to: Queue | None) -> int:
    """Move (or delete) every ticket of the queue, then the queue; returns how many."""
    check_deletable(queue)
    with transaction.atomic():
        numbers = list(visible_tickets(actor).filter(queue=queue).values_list("number", flat=True))
        for number in numbers:
            if move_to is not None:
                actions.move_to_queue(actor=actor, ticket=number, queue=move_to)
            else:
                actions.delete_permanently(actor=actor, ticket=number)
        try:
            queue.delete()
        except ProtectedError:
            raise ValidationError(
                "New tickets arrived in this queue meanwhile; nothing was changed, try again."
            ) from None
    return len(numbers)
