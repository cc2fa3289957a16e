"""Jobs of the panel run by the huey consumer (`frontdesk worker`); see frontdesk/jobs.py."""

from frontdesk.jobs import periodic_job
from panel import pending_uploads


@periodic_job("pending-uploads")
def remove_expired_uploads() -> int:
    return pending_uploads.remove_expired()
