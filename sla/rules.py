"""Changing the rules (calendars, holidays, policies): administrators only, audited,
and the due times of the queues they apply to recomputed in the worker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts import audit
from accounts.models import AuditCode, User
from sla.models import Calendar, Holiday, Policy
from sla.recompute import queues_of_calendar


def _require_admin(actor: User) -> None:
    staff = getattr(actor, "staff", None)
    if staff is None or not staff.is_admin:
        raise PermissionDenied("Only administrators change service levels.")


def _recompute_on_commit(queue_ids: Iterable[int]) -> None:
    from sla import tasks

    queue_ids = sorted(set(queue_ids))
    if queue_ids:
        transaction.on_commit(lambda: tasks.refresh_queues(queue_ids))


def _record(actor: User, target: str, detail: str, client_address: str) -> None:
    audit.record(
        AuditCode.SETTINGS_CHANGED,
        actor=actor,
        target=target,
        detail=detail,
        client_address=client_address,
    )


@transaction.atomic
def save_calendar(
    *,
    actor: User,
    calendar: Calendar,
    holidays: Iterable[tuple[date, str]],
    detail: str,
    client_address: str = "",
) -> Calendar:
    """Save a calendar as edited, with exactly these holidays."""
    _require_admin(actor)
    is_new = calendar.pk is None
    calendar.save()
    wanted = dict(holidays)
    calendar.holidays.exclude(date__in=list(wanted)).delete()
    for day, name in wanted.items():
        Holiday.objects.update_or_create(calendar=calendar, date=day, defaults={"name": name})
    _record(actor, f"calendar “{calendar.name}”", "added" if is_new else detail, client_address)
    _recompute_on_commit(queues_of_calendar(calendar))
    return calendar


@transaction.atomic
def delete_calendar(*, actor: User, calendar: Calendar, client_address: str = "") -> None:
    """Delete a calendar no policy uses (the policies' foreign key protects it)."""
    _require_admin(actor)
    _record(actor, f"calendar “{calendar.name}”", "deleted", client_address)
    calendar.delete()


@transaction.atomic
def save_policy(*, actor: User, policy: Policy, detail: str, client_address: str = "") -> Policy:
    _require_admin(actor)
    is_new = policy.pk is None
    before = None if is_new else Policy.objects.values_list("queue_id", flat=True).get(pk=policy.pk)
    policy.save()
    _record(actor, f"service level “{policy}”", "added" if is_new else detail, client_address)
    _recompute_on_commit([policy.queue_id, *([before] if before else [])])
    return policy


@transaction.atomic
def delete_policy(*, actor: User, policy: Policy, client_address: str = "") -> None:
    _require_admin(actor)
    _record(actor, f"service level “{policy}”", "deleted", client_address)
    queue_id = policy.queue_id
    policy.delete()
    _recompute_on_commit([queue_id])
