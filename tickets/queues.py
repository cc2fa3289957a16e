"""Queue configuration (S25): queues are settings, changed by administrators.

Their tickets never change here: deleting a queue moves or deletes each ticket
through tickets/actions, as the administrator who asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, QuerySet

from accounts.models import StaffProfile, User
from tickets import actions, queries
from tickets.models import Queue, QueueAddress


def _require_admin(actor: User) -> None:
    if not actor.is_active or actor.staff is None or not actor.staff.is_admin:
        raise PermissionDenied("Only administrators may configure queues.")


def configured_queues() -> QuerySet[Queue]:
    """Every queue with its addresses and entitled staff, for the configuration page."""
    return Queue.objects.prefetch_related("addresses", "staff__user")


def default_queue() -> Queue | None:
    return Queue.objects.filter(is_default=True).first()


def offered_in_portal() -> list[Queue]:
    """The queues customers may choose for a new ticket, as the portal names them;
    none offered, the portal asks nothing and tickets go to the default queue."""
    queues = list(Queue.objects.filter(offered_in_portal=True))
    return sorted(queues, key=lambda queue: (queue.portal_name or queue.name).casefold())


@transaction.atomic
def save_queue(
    *,
    actor: User,
    queue: Queue,
    addresses: Iterable[str],
    staff: Iterable[StaffProfile],
    is_default: bool,
    escalation_minutes: int | None,
) -> Queue:
    """Save a queue as edited (name, auto-responses, escalation step, whether and under
    which name the portal offers it: set on ``queue``)."""
    _require_admin(actor)
    queue.escalation_interval = (
        timedelta(minutes=escalation_minutes) if escalation_minutes else None
    )
    if is_default and not queue.is_default:
        # One default queue at a time (a database constraint): the old one steps down first.
        Queue.objects.select_for_update().filter(is_default=True).update(is_default=False)
        queue.is_default = True
    queue.save()
    queue.staff.set(list(staff))
    wanted = [address.lower() for address in addresses]
    queue.addresses.exclude(email__in=wanted).delete()
    for email in wanted:
        QueueAddress.objects.get_or_create(queue=queue, email=email)
    return queue


def addresses_taken(addresses: Iterable[str], *, by_others_than: Queue) -> list[str]:
    """Which of these addresses another queue already has."""
    taken = QueueAddress.objects.filter(email__in=[address.lower() for address in addresses])
    if by_others_than.pk:
        taken = taken.exclude(queue=by_others_than)
    return [address.email for address in taken]


def check_deletable(queue: Queue) -> None:
    if Queue.objects.count() <= 1:
        raise ValidationError("The last queue cannot be deleted.")
    if queue.is_default:
        raise ValidationError("This is the default queue: make another queue the default first.")


def delete_queue(*, actor: User, queue: Queue, move_to: Queue | None) -> int:
    """Move (or delete) every ticket of the queue, then the queue; returns how many."""
    _require_admin(actor)
    check_deletable(queue)
    with transaction.atomic():
        numbers = list(queries.tickets_in_queue(actor, queue).values_list("number", flat=True))
        for number in numbers:
            if move_to is not None:
                actions.move(actor=actor, ticket=number, queue=move_to)
            else:
                actions.delete_permanently(actor=actor, ticket=number)
        try:
            queue.delete()
        except ProtectedError:
            raise ValidationError(
                "New tickets arrived in this queue meanwhile; nothing was changed, try again."
            ) from None
    return len(numbers)
