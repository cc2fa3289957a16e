from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (huey consumer): periodic jobs and queued tasks."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("run_huey")
