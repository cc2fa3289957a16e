"""`frontdesk run`: everything one machine needs, in one command."""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from accounts.models import User
from frontdesk import demo
from frontdesk.env import env_str
from frontdesk.management.commands.demo import demo_sign_ins
from frontdesk.models import Supervised
from frontdesk.startup import (
    next_steps,
    prepare_data_folder,
    prepare_secret_key,
    require_shared_media,
)
from frontdesk.supervisor import Child, Supervisor
from mail.sending import SINK_BACKEND
from tickets.models import Ticket


class Command(BaseCommand):
    help = "Migrate, create an administrator if none, then serve the web app and the worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Load demo data on the first start (empty database).",
        )
        parser.add_argument("--bind", default=env_str("BIND", "127.0.0.1:8000"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"] and demo_mail_to_sink():
            self.stdout.write(
                "Outgoing mail goes to the local sink (listed under Mail in the panel); "
                "set EMAIL_BACKEND and EMAIL_HOST to send it."
            )
        require_shared_media()
        prepare_secret_key()
        if prepare_data_folder():
            self.stdout.write(f"Other users may no longer open {settings.DATA_DIR} (mode 0700).")
        call_command("migrate", interactive=False, verbosity=1)
        call_command("collectstatic", interactive=False, verbosity=0)
        base_url = f"http://{options['bind']}"
        self.welcome(with_demo=options["demo"], base_url=base_url)
        self.stdout.write(self.style.SUCCESS(f"Frontdesk is at {base_url}/"))
        sys.exit(self._supervise(options["bind"]))

    def welcome(self, *, with_demo: bool, base_url: str) -> None:
        """Demo data or an administrator and how to sign in; on a new installation, what next."""
        if with_demo and not User.objects.exists():
            self.stdout.write("First start: loading demo data ...")
            call_command("demo", stdout=self.stdout)
        elif with_demo and demo.is_loaded():
            self.stdout.write(demo_sign_ins())
        call_command("createadmin", stdout=self.stdout)
        if not with_demo and not Ticket.objects.exists():
            self.stdout.write(next_steps(base_url))

    def _supervise(self, bind: str) -> int:
        """Run the web server and the worker, each started again when it stops."""
        command = [sys.executable, "-m", "frontdesk.cli"]
        return Supervisor(
            [
                Child(
                    Supervised.WEB,
                    "web server",
                    [*command, "serve", "--bind", bind, "--no-collectstatic"],
                ),
                Child(Supervised.WORKER, "worker", [*command, "worker"]),
            ]
        ).run()


def demo_mail_to_sink() -> bool:
    """The demo keeps its mail in the local sink unless the environment names a mail
    backend or server: a fresh machine has none, and every answer would fail after
    filling the log with "connection refused". The server and the worker started
    below inherit the environment. True when the sink is chosen."""
    if "EMAIL_BACKEND" in os.environ or "EMAIL_HOST" in os.environ:
        return False
    os.environ["EMAIL_BACKEND"] = SINK_BACKEND
    settings.EMAIL_BACKEND = SINK_BACKEND
    return True
