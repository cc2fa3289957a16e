"""Jobs of the worker: due times after the rules changed."""

from huey.contrib.djhuey import db_task

from sla import recompute


@db_task(retries=2, retry_delay=30)
def refresh_queues(queue_ids: list[int]) -> int:
    return recompute.refresh_queues(queue_ids)
