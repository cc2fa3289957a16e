from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from frontdesk.startup import require_secret_key


class Command(BaseCommand):
    help = "Run the background worker (huey consumer): periodic jobs and queued tasks."

    def handle(self, *args: Any, **options: Any) -> None:
        require_secret_key()
        # With SQLite the queue file's folder is made on first use (frontdesk/sqlite/queue.py).
        call_command("run_huey")
