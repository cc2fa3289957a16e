"""Mail jobs run by the huey consumer (`frontdesk worker`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from mail import fetch, outbox


@db_task()
def send_outgoing_mail(outgoing_id: int) -> bool:
    return outbox.deliver(outgoing_id)


# No lock: rows are claimed one by one, so two consumers sweeping never send twice.
@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> int:
    return outbox.sweep()


# Two pollers of one mailbox would store each message once anyway; the lock
# only saves them fetching everything twice.
@db_periodic_task(crontab(minute="*"))
@lock_task("mail-fetch")
def fetch_mail() -> int:
    return sum(result.stored for result in fetch.poll_all())
