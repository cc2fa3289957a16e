import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from frontdesk.env import env_int, env_str
from frontdesk.startup import require_secret_key, require_shared_media


class Command(BaseCommand):
    help = "Serve the web application with gunicorn (the worker runs separately)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=env_str("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=env_int("WEB_CONCURRENCY", 2))
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Serve the static files collected already (`frontdesk run` collects them first).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        require_secret_key()
        require_shared_media()
        if not options["no_collectstatic"]:
            # Pages name static files by the hash of their content (the manifest), and
            # WhiteNoise serves the compressed copies: both come from collecting them.
            call_command("collectstatic", interactive=False, verbosity=0)
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
            # Workers get 15 s to finish their requests at a stop: within the 20 s that
            # `frontdesk run` (frontdesk/supervisor.py) waits before killing the server.
            "--graceful-timeout",
            "15",
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            env_str("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
