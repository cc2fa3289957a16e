from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules
from huey.consumer_options import ConsumerConfig
from huey.contrib.djhuey import HUEY

from frontdesk import jobs
from frontdesk.scheduler import JobConsumer
from frontdesk.startup import require_secret_key, require_shared_media


class Command(BaseCommand):
    help = "Run the background worker (huey consumer): periodic jobs and queued tasks."

    def handle(self, *args: Any, **options: Any) -> None:
        require_secret_key()
        require_shared_media()
        jobs.check_settings()
        # What huey's run_huey does, with a consumer whose scheduler takes turns
        # with the other workers' (frontdesk/scheduler.py). With SQLite the queue
        # file's folder is made on first use (frontdesk/sqlite/queue.py).
        autodiscover_modules("tasks")
        config = ConsumerConfig(**settings.HUEY.get("consumer", {}))
        config.validate()
        JobConsumer(HUEY, **config.values).run()
