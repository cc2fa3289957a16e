"""Mail jobs run by the huey consumer (`frontdesk worker`)."""

from huey.contrib.djhuey import db_task

from frontdesk.jobs import periodic_job
from mail import fetch, outbox


@db_task()
def send_outgoing_mail(outgoing_id: int) -> bool:
    return outbox.deliver(outgoing_id)


@db_task()
def send_outgoing_mails(outgoing_ids: list[int]) -> int:
    """The mails one transaction wrote (mail/after_commit.py), one after another."""
    return sum(outbox.deliver(outgoing_id) for outgoing_id in outgoing_ids)


@periodic_job("outbox-sweep")
def sweep_outbox() -> int:
    return outbox.sweep()


# Two pollers of one mailbox would store each message once anyway; the job's
# lock only saves them fetching everything twice.
@periodic_job("mail-fetch")
def fetch_mail() -> int:
    return sum(result.stored for result in fetch.poll_all())
