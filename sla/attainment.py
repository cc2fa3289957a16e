"""Whether a ticket's answers and close came within its service level's targets.

The targets count as the due times do (sla/clocks.py): business time of the
policy's calendar, the clocks stopped on hold, while waiting for the customer
and while resolved or closed. A target was met when the answer (or close) came
no later than the due time the history up to it gives. That due time is the
moment the clock's running time reached the target, so it depends only on the
stops before it: the due time of the whole history decides the same, and each
ticket's stops are found once (None: the clock never ran out, met).

Attainment is judged when it is decided (the answer, the close) under the
ticket's policy as it is counted: a later change of the rules counts again
only when the reports are rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sla.business_time import Hours
from sla.clocks import Moment, Stop, _due, stops
from sla.models import Policy
from tickets.models import EventCode


@dataclass(frozen=True)
class Attainment:
    """None where no target applied or nothing was decided yet."""

    first_response: bool | None = None
    resolution: bool | None = None
    #: Each answer to a customer's reply to an answered ticket: (when, met).
    next_responses: tuple[tuple[datetime, bool], ...] = ()


def _met(
    start: datetime, end: datetime, minutes: int, stopped: Sequence[Stop], hours: Hours
) -> bool:
    due = _due(start, minutes, stopped, hours)
    return due is None or end <= due


def attainment(
    *,
    created_at: datetime,
    first_answer_at: datetime | None,
    closed_at: datetime | None,
    policy: Policy | None,
    hours: Hours,
    moments: Sequence[Moment],
) -> Attainment:
    """The ticket's attainment under ``policy`` from its clock events, oldest first."""
    if policy is None:
        return Attainment()
    stopped = stops(moments)
    first = None
    if policy.first_response_minutes is not None and first_answer_at is not None:
        first = _met(created_at, first_answer_at, policy.first_response_minutes, stopped, hours)
    resolution = None
    if policy.resolution_minutes is not None and closed_at is not None:
        resolution = _met(created_at, closed_at, policy.resolution_minutes, stopped, hours)
    following: list[tuple[datetime, bool]] = []
    if policy.next_response_minutes is not None:
        minutes = policy.next_response_minutes
        answered, waiting = False, None
        for moment in moments:
            if moment.code == EventCode.ANSWER:
                if waiting is not None:
                    following.append((moment.at, _met(waiting, moment.at, minutes, stopped, hours)))
                answered, waiting = True, None
            elif moment.code == EventCode.CUSTOMER_MESSAGE and answered and waiting is None:
                # The reply to an answer starts the clock (tickets' ``waiting_since``).
                waiting = moment.at
    return Attainment(first, resolution, tuple(following))
