from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontdesk import demo


class Command(BaseCommand):
    help = "Load demo data: queues, accounts, staff of every role and about 200 tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.is_loaded():
            raise CommandError("The demo data is already loaded.")
        counts = demo.load(tickets=options["tickets"])
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded {queues} queues, {staff} staff, {contacts} contacts, "
                "{tickets} tickets.".format(**counts)
            )
        )
        self.stdout.write(demo_sign_ins())


def demo_sign_ins() -> str:
    lines = ["Demo sign-ins (password: demo):"]
    for email, role in [
        ("admin@demo.example", "administrator"),
        ("supervisor@demo.example", "supervisor"),
        ("agent@demo.example", "agent"),
        ("customer@demo.example", "customer"),
    ]:
        lines.append(f"  {email:28} {role}")
    return "\n".join(lines)
