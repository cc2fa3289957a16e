import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from frontdesk.env import env_int, env_str
from frontdesk.startup import require_secret_key, require_shared_media


class Command(BaseCommand):
    help = "Serve the web application with gunicorn (the worker runs separately)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=env_str("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=env_int("WEB_CONCURRENCY", 2))

    def handle(self, *args: Any, **options: Any) -> None:
        require_secret_key()
        require_shared_media()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "frontdesk.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            env_str("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
