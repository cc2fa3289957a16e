"""Mass actions in words: what a job does and how it went, for its page and the list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from tickets.models import MassAction, MassJob, Queue


def _name_of_person(value: Any) -> str:
    person = value if isinstance(value, User) else User.objects.filter(pk=value).first()
    if person is None:
        return _("somebody who is gone")
    return person.staff.display_name if person.staff else person.get_full_name()


def _name_of_queue(value: Any) -> str:
    queue = value if isinstance(value, Queue) else Queue.objects.filter(pk=value).first()
    return queue.name if queue is not None else _("a queue that is gone")


def describe(action: str, choices: Mapping[str, Any], *, count: int) -> str:
    """In words: "Close 2,431 tickets, telling the customers", "Assign 3 tickets to Ann Lee".

    ``choices`` are the job's parameters (ids) or the form's (rows)."""
    words: dict[str, object] = {"count": number_format(count, force_grouping=True)}
    if action == MassAction.CLOSE and choices.get("tell_customers"):
        text = ngettext(
            "Close %(count)s ticket, telling the customer",
            "Close %(count)s tickets, telling the customers",
            count,
        )
    elif action == MassAction.CLOSE:
        text = ngettext(
            "Close %(count)s ticket without telling the customer",
            "Close %(count)s tickets without telling the customers",
            count,
        )
    elif action == MassAction.DELETE:
        text = ngettext(
            "Delete %(count)s ticket permanently", "Delete %(count)s tickets permanently", count
        )
    elif action == MassAction.ASSIGN:
        words["name"] = _name_of_person(choices.get("assignee"))
        text = ngettext(
            "Assign %(count)s ticket to %(name)s", "Assign %(count)s tickets to %(name)s", count
        )
    elif action == MassAction.UNDO_CLOSE:
        text = ngettext(
            "Reopen %(count)s ticket a mass close closed",
            "Reopen %(count)s tickets a mass close closed",
            count,
        )
    elif action == MassAction.MOVE:
        words["queue"] = _name_of_queue(choices.get("queue"))
        text = ngettext(
            "Move %(count)s ticket to %(queue)s", "Move %(count)s tickets to %(queue)s", count
        )
    else:
        words["priority"] = choices.get("priority")
        text = ngettext(
            "Set the priority of %(count)s ticket to %(priority)s",
            "Set the priority of %(count)s tickets to %(priority)s",
            count,
        )
    return text % words


def duration(elapsed: timedelta) -> str:
    if elapsed.total_seconds() < 1:
        return _("under a second")
    seconds = round(elapsed.total_seconds())
    if seconds < 60:
        return ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}
    minutes, seconds = divmod(seconds, 60)
    return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": seconds}


@dataclass(frozen=True)
class Summary:
    job: MassJob
    title: str
    #: 0–100, for the progress bar's words
    percent: int
    #: how long it ran (or has been running)
    took: str
    #: refusals kept beyond those listed
    unlisted_refusals: int


def summary_of(job: MassJob) -> Summary:
    total = max(job.total, job.handled)
    percent = 100 if job.is_finished else (100 * job.handled // total if total else 0)
    took = ""
    if job.started_at is not None:
        took = duration((job.finished_at or timezone.now()) - job.started_at)
    return Summary(
        job=job,
        title=describe(job.action, job.parameters, count=job.total),
        percent=percent,
        took=took,
        unlisted_refusals=max(0, job.refused - len(job.refusals)),
    )
