"""Periodic jobs run by the huey consumer (`frontdesk worker`); see frontdesk/jobs.py."""

from frontdesk.jobs import periodic_job
from tickets import lifecycle


@periodic_job("escalation")
def escalate_tickets() -> int:
    return lifecycle.escalate_due()


@periodic_job("auto-close")
def auto_close_tickets() -> int:
    return lifecycle.auto_close_due()
