import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from accounts.models import Role, StaffProfile, User
from frontdesk.env import env_str


class Command(BaseCommand):
    help = "Create an administrator when there is none (or the one named) and print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--email", help="The administrator's e-mail (default: FRONTDESK_ADMIN_EMAIL)."
        )
        parser.add_argument(
            "--password",
            help="Default: FRONTDESK_ADMIN_PASSWORD, else a generated one, printed once.",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"] or env_str("FRONTDESK_ADMIN_EMAIL")
        has_admin = StaffProfile.objects.filter(role=Role.ADMIN, user__is_active=True).exists()
        if has_admin and not email:
            self.stdout.write("An administrator exists already; nothing to do.")
            return
        email = (email or "admin@localhost").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        if User.objects.filter(email__same=email).exists():
            raise CommandError(f"A user {email} exists already.")
        password = (
            options["password"] or env_str("FRONTDESK_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        )
        User.objects.create_superuser(email, password, full_name="Administrator")
        self.stdout.write(self.style.SUCCESS("Created an administrator. Sign in at /login/ with:"))
        self.stdout.write(f"  e-mail:   {email}")
        if not options["password"] and not env_str("FRONTDESK_ADMIN_PASSWORD"):
            self.stdout.write(f"  password: {password}   (shown once: change it after signing in)")
