"""Mass actions as jobs: one action on many tickets, in batches (S17, S22).

A person asks for an action (close, delete, assign, change priority, move) on
the tickets they checked or on all results of a search; ``start`` checks what
can be checked then and writes a ``MassJob``; ``run`` does it. Small jobs run
at once in the request, larger ones in the worker (tickets/tasks.py), which
shows their progress on the job's page.

Every batch goes through the action's form for many tickets in
tickets/actions (``close_each``, ``delete_each`` ...) as the job's owner, with
the owner's role and visibility when the batch runs: a ticket they may no
longer see or change is refused with the reason, the others go on. A batch
is one transaction: its tickets are locked by one query and changed together,
and the job's counts and resume point (``last_number``) are written in that
same transaction after them, under the job row's lock; the batch's domain
signals reach the receivers that take many at once (figures, due times) as
one list (``signals.batch``). So a crash or an exception rolls back the
unfinished batch whole, every ticket is changed (with its events, hooks and
signals) or untouched, and the next run starts after the last batch that
committed: no ticket is done twice. The
expiring lock of frontdesk/locks.py keeps two workers from running one job
at once; the sweep (``resume_unfinished``) restarts a job whose worker died.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from frontdesk import locks
from tickets import actions, queries, signals, stored_files
from tickets.actions.core import check_assignee, check_priority
from tickets.criteria import from_querystring
from tickets.models import (
    UNFINISHED_MASS_JOB_STATES,
    MassAction,
    MassClosing,
    MassJob,
    MassJobState,
    Queue,
    Ticket,
)
from tickets.visibility import visible_queues

log = logging.getLogger(__name__)

#: Tickets per transaction is the setting ``MASS_ACTION_BATCH``: on SQLite a
#: batch holds the database's write lock while it runs.
#: A selection of up to this many tickets is done in the request that asks:
#: a page of a list, no wait for the worker.
RUN_IN_REQUEST_UP_TO = 50
#: Most tickets one selection may name; a search's results have no limit.
MAX_SELECTED = 20_000
#: How many refusals a job keeps with their reasons (all are counted).
REFUSALS_KEPT = 200
#: Seconds a run holds the job's lock unrenewed; every batch renews it, and a
#: worker that died frees it after this (at once on its own machine).
LOCK_TTL = 300
#: Runs a job may start before it is given up as failed: one that raised or whose
#: worker died counts.
MAX_ATTEMPTS = 3

#: Actions only supervisors and administrators may do (S17, S22, S23).
SUPERVISING_ACTIONS = frozenset({MassAction.DELETE, MassAction.ASSIGN, MassAction.MOVE})

#: What a person chose: ticket numbers, each with the version the page showed, if any.
Selection = Sequence[tuple[int, int | None]]


def lock_name(job_id: int) -> str:
    return f"mass-job-{job_id}"


# Asking ------------------------------------------------------------------------


def tickets_matching(owner: User, criteria: str) -> QuerySet[Ticket]:
    """The tickets of a search, given by its query string, as ``owner`` sees them now
    (the advanced search's own read); ``ValidationError`` when it no longer reads (a
    queue it names is gone)."""
    return queries.find_tickets(owner, from_querystring(criteria))


def count_matching(owner: User, criteria: str) -> int:
    return tickets_matching(owner, criteria).order_by().count()


def may_ask(user: User, action: str) -> bool:
    """May this person ask for this mass action at all (their role)?"""
    staff = user.staff if user.is_active else None
    if staff is None:
        return False
    return action not in SUPERVISING_ACTIONS or staff.is_supervising


def start(
    *,
    owner: User,
    action: str,
    numbers: Selection = (),
    criteria: str | None = None,
    queue: Queue | None = None,
    assignee: User | None = None,
    priority: int | None = None,
    tell_customers: bool = True,
) -> MassJob:
    """Write the job and have it done: now when it is small, else by the worker.

    The tickets are ``numbers`` (each with the version the person saw, or None)
    or, with ``criteria`` (a search's query string), all results of that search.
    Refuses (``PermissionDenied``) an action the owner's role does not allow and
    (``ValidationError``) a missing choice or an empty selection; whether each
    ticket may be changed is the actions' business when the job runs.
    """
    if action not in MassAction.values or action == MassAction.UNDO_CLOSE:
        # An undo is started by undo_close, with the versions its close made.
        raise ValidationError({"action": f"{action!r} is not a mass action."})
    if not may_ask(owner, action):
        raise PermissionDenied(_("Only supervisors and administrators may do this."))
    parameters = _parameters(owner, action, queue, assignee, priority, tell_customers)
    chosen = _clean_selection(numbers)
    if chosen and criteria is not None:
        raise ValidationError(_("Choose tickets or a search, not both."))
    if criteria is not None:
        total = count_matching(owner, criteria)
        newest = Ticket.objects.order_by("-number").values_list("number", flat=True).first()
    else:
        total, newest = len(chosen), None
    if not total and criteria is not None:
        raise ValidationError(_("The search finds no ticket."))
    if not total:
        raise ValidationError(_("Select at least one ticket first."))
    job = MassJob.objects.create(
        owner=owner,
        action=action,
        parameters=parameters,
        numbers=[[number, version] for number, version in chosen],
        criteria=criteria,
        upper_number=newest,
        total=total,
    )
    if criteria is not None or total > RUN_IN_REQUEST_UP_TO:
        transaction.on_commit(lambda: enqueue(job.pk), robust=True)
    else:
        transaction.on_commit(lambda: run_here(job.pk))
    return job


def _parameters(
    owner: User,
    action: str,
    queue: Queue | None,
    assignee: User | None,
    priority: int | None,
    tell_customers: bool,
) -> dict[str, Any]:
    if action == MassAction.CLOSE:
        return {"tell_customers": tell_customers}
    if action == MassAction.ASSIGN:
        if assignee is None:
            raise ValidationError({"assignee": _("Choose whom to assign the tickets to.")})
        check_assignee(assignee)
        return {"assignee": assignee.pk}
    if action == MassAction.MOVE:
        if queue is None or not visible_queues(owner).filter(pk=queue.pk).exists():
            raise ValidationError({"queue": _("Choose the queue to move the tickets to.")})
        return {"queue": queue.pk}
    if action == MassAction.PRIORITY:
        if priority is None:
            raise ValidationError({"priority": _("Priority must be a number from 1 to 99.")})
        check_priority(priority)
        return {"priority": priority}
    return {}


def _clean_selection(numbers: Selection) -> list[tuple[int, int | None]]:
    """Each ticket once (the first version given for it), in ascending order."""
    chosen: dict[int, int | None] = {}
    for number, version in numbers:
        chosen.setdefault(number, version)
    check_selection_size(len(chosen))
    return sorted(chosen.items())


def check_selection_size(count: int) -> None:
    if count > MAX_SELECTED:
        raise ValidationError(
            _(
                "At most %(limit)s tickets may be selected at once; "
                "a mass action on all results of a search has no limit."
            )
            % {"limit": f"{MAX_SELECTED:,}"}
        )


def enqueue(job_id: int) -> None:
    from tickets.tasks import run_mass_job

    run_mass_job(job_id)


def run_here(job_id: int) -> None:
    """Run a small job in this process; if it raises, the sweep tries it again."""
    try:
        run(job_id)
    except Exception:
        log.exception("Mass action %s stopped; the worker will take it up again.", job_id)


# Reading -----------------------------------------------------------------------


def job_for(user: User, job_id: int) -> MassJob:
    """A job its owner (or an administrator) may look at; raises MassJob.DoesNotExist."""
    jobs = MassJob.objects.select_related("owner")
    if user.staff is None or not user.is_active:
        return jobs.none().get()
    if not user.staff.is_admin:
        jobs = jobs.filter(owner=user)
    return jobs.get(pk=job_id)


def recent_jobs(user: User, limit: int = 20) -> list[MassJob]:
    """The person's latest mass actions, newest first (the ``massjob_owner`` index)."""
    return list(MassJob.objects.filter(owner=user).defer("numbers")[:limit])


# Doing -------------------------------------------------------------------------


def run(job_id: int) -> MassJob | None:
    """Do what is left of the job, batch after batch; None if another run holds it.

    An exception rolls back the batch it happened in, is recorded on the job and
    raised again: the job stays running for the next run (the task's retry or
    the sweep) until it has failed ``MAX_ATTEMPTS`` times.
    """
    lock = locks.ExpiringLock(lock_name(job_id), ttl=LOCK_TTL)
    if not lock.acquire():
        log.info("Mass action %s is running elsewhere (%s).", job_id, lock.holder())
        return None
    try:
        if not _begin(job_id):
            return MassJob.objects.filter(pk=job_id).first()
        try:
            while _run_batch(job_id):
                lock.renew()
        except Exception as error:
            try:
                _stopped(job_id, error)
            except Exception:
                log.exception("Could not record why mass action %s stopped.", job_id)
            raise
        return MassJob.objects.get(pk=job_id)
    finally:
        lock.release()


def _begin(job_id: int) -> bool:
    """Mark the job running and count the attempt; False when there is nothing to do."""
    with transaction.atomic():
        job = MassJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state not in UNFINISHED_MASS_JOB_STATES:
            return False
        if job.attempts >= MAX_ATTEMPTS:
            _finish(job, MassJobState.FAILED)
            return False
        job.state = MassJobState.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["state", "attempts", "started_at"])
    return True


def _stopped(job_id: int, error: Exception) -> None:
    """Record why a run stopped; the last allowed attempt fails the job."""
    with transaction.atomic():
        job = MassJob.objects.select_for_update().get(pk=job_id)
        job.error = f"{type(error).__name__}: {error}"[:2000]
        job.save(update_fields=["error"])
        if job.attempts >= MAX_ATTEMPTS:
            _finish(job, MassJobState.FAILED)


def _finish(job: MassJob, state: str) -> None:
    job.state = state
    job.finished_at = timezone.now()
    if state == MassJobState.DONE:
        # A search's results were counted when asked; what the job found is the total.
        job.total = job.handled
    job.save(update_fields=["state", "finished_at", "total"])


@dataclass
class _Outcome:
    done: int = 0
    skipped: int = 0
    refusals: list[tuple[int, str]] = field(default_factory=list)
    #: (number, version made) of each ticket a close closed
    closed: list[tuple[int, int]] = field(default_factory=list)


def _run_batch(job_id: int) -> bool:
    """Do the next batch in one transaction; False when the job is finished."""
    with stored_files.atomic():
        job = MassJob.objects.select_for_update().get(pk=job_id)
        if job.state != MassJobState.RUNNING:
            return False
        # Read afresh for every batch: a role taken away stops the job's changes.
        owner = User.objects.select_related("staff_profile").get(pk=job.owner_id)
        try:
            batch = _next_batch(job, owner)
        except ValidationError as error:
            # The search no longer reads (a queue it names is gone): nothing more to do.
            job.error = " ".join(error.messages)
            job.save(update_fields=["error"])
            _finish(job, MassJobState.FAILED)
            return False
        if not batch:
            _finish(job, MassJobState.DONE)
            return False
        with signals.batch():
            outcome = _apply(job, owner, batch)
        job.last_number = batch[-1][0]
        job.done += outcome.done
        job.skipped += outcome.skipped
        job.refused += len(outcome.refusals)
        room = REFUSALS_KEPT - len(job.refusals)
        job.refusals = [*job.refusals, *([n, reason] for n, reason in outcome.refusals[:room])]
        job.save(update_fields=["last_number", "done", "skipped", "refused", "refusals"])
        MassClosing.objects.bulk_create(
            MassClosing(job=job, number=number, version=version)
            for number, version in outcome.closed
        )
    return True


def _next_batch(job: MassJob, owner: User) -> list[tuple[int, int | None]]:
    """The next tickets after ``last_number``: of the selection, or of the search now."""
    if job.criteria is None:
        numbers = [(int(number), version) for number, version in job.numbers]
        start = bisect.bisect_right(numbers, job.last_number, key=lambda pair: pair[0])
        return numbers[start : start + settings.MASS_ACTION_BATCH]
    found = (
        tickets_matching(owner, job.criteria)
        .filter(number__gt=job.last_number, number__lte=job.upper_number or 0)
        .order_by("number")
        .values_list("number", flat=True)[: settings.MASS_ACTION_BATCH]
    )
    return [(number, None) for number in found]


ActEach = Callable[[list[tuple[int, "int | None"]]], actions.EachOutcome]


def _apply(job: MassJob, owner: User, batch: list[tuple[int, int | None]]) -> _Outcome:
    """The batch's tickets through the action's form for many (``close_each`` ...)."""
    try:
        done = _action_each(job, owner)(batch)
    except (PermissionDenied, ValidationError) as error:
        # The owner may no longer do it at all (a role taken away), or what it needs
        # is gone (the queue to move to): each ticket says why.
        reason = _reason(error)
        return _Outcome(refusals=[(number, reason) for number, _v in batch])
    outcome = _Outcome(done=len(done.changed), skipped=len(done.unchanged))
    undoing = job.action == MassAction.UNDO_CLOSE
    outcome.refusals = [
        (number, _reason(error, undoing=undoing)) for number, error in sorted(done.refused.items())
    ]
    if job.action == MassAction.CLOSE:
        outcome.closed = [(ticket.number, ticket.version) for ticket in done.changed]
    return outcome


def _action_each(job: MassJob, owner: User) -> ActEach:
    """The action for all tickets of a batch at once, with the job's choices looked up
    now."""
    parameters = job.parameters
    if job.action == MassAction.CLOSE:
        tell = bool(parameters.get("tell_customers", True))
        return lambda batch: actions.close_each(actor=owner, selection=batch, tell_customer=tell)
    if job.action == MassAction.UNDO_CLOSE:
        # Each ticket with the version its close made (``MassClosing``), never None.
        return lambda batch: actions.undo_close_each(
            actor=owner, selection=[(number, int(version or 0)) for number, version in batch]
        )
    if job.action == MassAction.DELETE:
        return lambda batch: actions.delete_each(actor=owner, selection=batch)
    if job.action == MassAction.PRIORITY:
        priority = int(parameters["priority"])
        return lambda batch: actions.change_priority_each(
            actor=owner, selection=batch, priority=priority
        )
    if job.action == MassAction.ASSIGN:
        assignee = (
            User.objects.select_related("staff_profile")
            .filter(pk=parameters.get("assignee"))
            .first()
        )
        if assignee is None:
            raise ValidationError(_("The person to assign the tickets to is gone."))
        return lambda batch: actions.assign_each(actor=owner, selection=batch, assignee=assignee)
    if job.action == MassAction.MOVE:
        queue = Queue.objects.filter(pk=parameters.get("queue")).first()
        if queue is None:
            raise ValidationError(_("The queue to move the tickets to is gone."))
        return lambda batch: actions.move_each(actor=owner, selection=batch, queue=queue)
    raise ValueError(f"{job.action!r} is not a mass action.")


def _reason(error: Exception, *, undoing: bool = False) -> str:
    if isinstance(error, actions.Conflict):
        changes = "; ".join(words for _event, words in error.lines)
        if undoing:
            return _("changed since it was closed: %(changes)s.") % {"changes": changes}
        return _("changed since it was selected: %(changes)s.") % {"changes": changes}
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, Ticket.DoesNotExist):
        return _("no such ticket.")
    return str(error)


# Undoing a close -----------------------------------------------------------------

#: The undo of a mass close of up to this many tickets reopens them in the request
#: that asks; a larger one is a mass job of its own, with its progress page.
UNDO_UP_TO = 100


@dataclass
class Undone:
    reopened: int = 0
    refusals: list[tuple[int, str]] = field(default_factory=list)
    #: the job reopening them, when there were too many for one request
    job: MassJob | None = None


def may_undo(job: MassJob) -> bool:
    """Is this a finished mass close that closed something?"""
    return (
        job.action == MassAction.CLOSE
        and job.state == MassJobState.DONE
        and job.done > 0
        and job.finished_at is not None
    )


def closed_by(job: MassJob) -> list[tuple[int, int]]:
    """The tickets the job closed, each with the version its close made."""
    if not may_undo(job):
        return []
    return list(job.closings.order_by("number").values_list("number", "version"))


def undo_close(*, actor: User, job: MassJob) -> Undone:
    """Reopen what the mass close ``job`` closed, each ticket only if nothing changed
    it since (tickets/actions ``undo_close``); the others are refused with the reason.
    More than ``UNDO_UP_TO`` go to a mass job of the actor's (``Undone.job``)."""
    if not may_undo(job):
        raise ValidationError(_("This mass action cannot be undone."))
    closed = closed_by(job)
    undone = Undone()
    if len(closed) > UNDO_UP_TO:
        undone.job = MassJob.objects.create(
            owner=actor,
            action=MassAction.UNDO_CLOSE,
            numbers=[[number, version] for number, version in closed],
            total=len(closed),
        )
        transaction.on_commit(partial(enqueue, undone.job.pk), robust=True)
        return undone
    try:
        done = actions.undo_close_each(actor=actor, selection=closed)
    except (PermissionDenied, ValidationError) as error:
        reason = _reason(error, undoing=True)
        undone.refusals = [(number, reason) for number, _version in closed]
        return undone
    undone.reopened = len(done.changed)
    undone.refusals = [
        (number, _reason(error, undoing=True)) for number, error in sorted(done.refused.items())
    ]
    return undone


# The sweep ----------------------------------------------------------------------

#: A queued job younger than this is left to the task that was enqueued with it.
QUEUED_GRACE = timedelta(minutes=1)


def resume_unfinished(now: Any = None) -> int:
    """Hand the worker every unfinished job nobody runs: its worker died, or its task
    was lost. Locks of dead processes of this machine are freed first."""
    now = now or timezone.now()
    unfinished = list(
        MassJob.objects.filter(state__in=UNFINISHED_MASS_JOB_STATES).values_list(
            "pk", "state", "created_at"
        )
    )
    locks.clear_abandoned([lock_name(pk) for pk, _state, _created in unfinished])
    resumed = 0
    for pk, state, created_at in unfinished:
        if state == MassJobState.QUEUED and now - created_at < QUEUED_GRACE:
            continue
        if locks.ExpiringLock(lock_name(pk), ttl=LOCK_TTL).holder() is None:
            enqueue(pk)
            resumed += 1
    return resumed
