"""Webhook jobs run by the huey consumer (`frontdesk worker`)."""

from huey.contrib.djhuey import db_task

from frontdesk.jobs import periodic_job
from webhooks import outbox


@db_task()
def send_delivery(delivery_id: int) -> bool:
    return outbox.deliver(delivery_id)


@periodic_job("webhook-sweep")
def sweep_webhooks() -> int:
    return outbox.sweep()
