"""Jobs run by the huey consumer (`frontdesk worker`); see frontdesk/jobs.py."""

from huey.contrib.djhuey import db_task

from frontdesk.jobs import periodic_job
from tickets import lifecycle, mass


@periodic_job("escalation")
def escalate_tickets() -> int:
    return lifecycle.escalate_due() + lifecycle.escalate_before_breaches()


@periodic_job("auto-close")
def auto_close_tickets() -> int:
    return lifecycle.auto_close_due()


# A run that raised rolled its batch back; the retry (or the sweep) goes on after
# the last batch that committed.
@db_task(retries=mass.MAX_ATTEMPTS - 1, retry_delay=30)
def run_mass_job(job_id: int) -> None:
    mass.run(job_id)


@periodic_job("mass-actions")
def resume_mass_jobs() -> int:
    return mass.resume_unfinished()
