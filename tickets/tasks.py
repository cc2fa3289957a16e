"""Periodic jobs run by the huey consumer (`frontdesk worker`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tickets import lifecycle


@db_periodic_task(crontab(minute="*/5"))
@lock_task("tickets-escalation")
def escalate_tickets() -> int:
    return lifecycle.escalate_due()


@db_periodic_task(crontab(minute="*/15"))
@lock_task("tickets-auto-close")
def auto_close_tickets() -> int:
    return lifecycle.auto_close_due()
