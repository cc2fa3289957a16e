from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


@models.EmailField.register_lookup
class SameAddress(models.Lookup):  # type: ignore[type-arg]
    """``email__same=x``: the address ``x`` in any case, ``LOWER(email) = LOWER(x)``.

    Users and contacts are unique on ``LOWER(email)``, so that index answers it on
    both databases; Django's ``iexact`` (``LIKE`` on SQLite, ``UPPER`` on
    PostgreSQL) reads every row. SQLite's LOWER folds ASCII only, on both sides
    alike, as its unique index does.
    """

    lookup_name = "same"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"LOWER({lhs}) = LOWER({rhs})", [*lhs_params, *rhs_params]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # People type their address in any case; it is one address.
        return self.get(email__same=(username or "").strip())

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        user = self.create_user(email, password, **fields)
        StaffProfile.objects.create(user=user, role=Role.ADMIN, full_name=user.full_name)
        return user


#: Languages of the portal and the knowledge base (settings.LANGUAGES holds the same).
LANGUAGE_CHOICES = [("en", "English"), ("de", "Deutsch"), ("ru", "Русский")]


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: staff and customers alike sign in with their e-mail."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    # Django's own flag for the admin site; kept equal to "role is admin".
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Empty: the browser's language, and the help desk's time zone.
    language = models.CharField(max_length=10, blank=True, choices=LANGUAGE_CHOICES)
    time_zone = models.CharField(max_length=64, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def staff(self) -> StaffProfile | None:
        """The staff profile, or None for customers (cached by Django)."""
        try:
            return self.staff_profile
        except StaffProfile.DoesNotExist:
            return None

    @property
    def contact(self) -> Contact | None:
        try:
            return self.contact_record
        except Contact.DoesNotExist:
            return None


class Account(models.Model):
    """A customer organisation, e.g. a hosting account."""

    name = models.CharField(max_length=200)
    external_id = models.CharField(
        max_length=100, blank=True, help_text="The id of this account in the billing system."
    )
    notes = models.TextField(blank=True)
    # "example.com, example.org": a registered portal address of these domains may
    # join the account, when the settings allow it.
    email_domains = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="account_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person of an account; with a user, they may sign in to the portal."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_record",
    )

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="contact_email_case_insensitive_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    SUPERVISOR = "supervisor", "Supervisor"
    ADMIN = "admin", "Administrator"


#: Roles that may pick up, assign and release tickets (S1 counts these).
SUPERVISING_ROLES = (Role.SUPERVISOR, Role.ADMIN)


class StaffProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_profile")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AGENT)
    full_name = models.CharField(max_length=200, blank=True)
    description = models.CharField(
        max_length=200, blank=True, help_text='Shown in brackets: "Assigned to: Ann (billing)".'
    )
    signature = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="staffprofile_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        return self.full_name or self.user.full_name or self.user.email

    @property
    def is_supervising(self) -> bool:
        return self.role in SUPERVISING_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class AuditCode(models.TextChoices):
    """What happened, as the audit log stores it: stable codes, never translated."""

    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SECOND_STEP_FAILED = "second_step_failed", "Wrong sign-in code"
    SIGN_OUT = "sign_out", "Signed out"
    TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor sign-in set up"
    TWO_FACTOR_REMOVED = "two_factor_removed", "Two-factor sign-in removed"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor sign-in reset"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "New recovery codes"
    ROLE_CHANGED = "role_changed", "Role changed"
    USER_ACTIVATED = "user_activated", "Account activated"
    USER_DEACTIVATED = "user_deactivated", "Account deactivated"
    USER_ADDED = "user_added", "Person added"
    USER_CHANGED = "user_changed", "Person changed"
    USER_DELETED = "user_deleted", "Person deleted"
    STAFF_ADDED = "staff_added", "Staff profile added"
    STAFF_CHANGED = "staff_changed", "Staff profile changed"
    STAFF_REMOVED = "staff_removed", "Staff profile removed"
    QUEUE_ADDED = "queue_added", "Queue added"
    QUEUE_CHANGED = "queue_changed", "Queue changed"
    QUEUE_DELETED = "queue_deleted", "Queue deleted"
    SETTINGS_CHANGED = "settings_changed", "Settings changed"
    MAILBOX_ADDED = "mailbox_added", "Mailbox added"
    MAILBOX_CHANGED = "mailbox_changed", "Mailbox changed"
    MAILBOX_DELETED = "mailbox_deleted", "Mailbox deleted"
    VIEW_AS_STARTED = "view_as_started", "Started viewing as a customer"
    VIEW_AS_ENDED = "view_as_ended", "Stopped viewing as a customer"
    VIEW_AS_ACTED = "view_as_acted", "Acted as a customer (confirmed)"
    ACCOUNT_ADDED = "account_added", "Customer account added"
    ACCOUNT_CHANGED = "account_changed", "Customer account changed"
    CONTACT_ADDED = "contact_added", "Contact added"
    CONTACT_CHANGED = "contact_changed", "Contact changed"
    PORTAL_INVITED = "portal_invited", "Invited to the portal"
    PORTAL_REGISTERED = "portal_registered", "Registered for the portal"
    PASSWORD_RESET = "password_reset", "Password reset"
    API_TOKEN_CREATED = "api_token_created", "API token created"
    API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
    ACCOUNT_DELETED = "account_deleted", "Customer account deleted"
    CONTACT_DELETED = "contact_deleted", "Contact deleted"


class AuditEvent(models.Model):
    """One entry of the audit log (S47): sign-ins and what administrators changed.

    Names are copied as they were (``actor_name``, ``person_email``), so an entry
    still says who it was after the person changed their address or was deleted.
    """

    at = models.DateTimeField(default=timezone.now)
    code = models.CharField(max_length=40, choices=AuditCode.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The acting person's e-mail address then, or the part of the system that acted.
    actor_name = models.CharField(max_length=254, blank=True)
    person = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # About whom: their address then, or the address typed at a failed sign-in.
    person_email = models.CharField(max_length=254, blank=True)
    # About what else: 'queue “Billing”', 'mailbox “Support”', 'settings'.
    target = models.CharField(max_length=200, blank=True)
    client_address = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_newest_first"),
            models.Index(fields=["code", "-at"], name="audit_code_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__in=AuditCode.values), name="auditevent_code_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.code} {self.person_email or self.target}"


class TokenKind(models.TextChoices):
    PERSONAL = "personal", "Personal"
    INTEGRATION = "integration", "Integration"


class ApiToken(models.Model):
    """A token of the REST API (S38), stored as the SHA-256 of its secret.

    A personal token acts as its owner, with their visibility; an integration
    token acts as the named part of the system ``integration:<name>``, on the
    tickets of its queues, reading only unless ``can_write``. accounts/tokens.py
    makes, checks and revokes them; the secret is shown once and never stored.
    """

    kind = models.CharField(max_length=20, choices=TokenKind.choices)
    name = models.CharField(max_length=80)
    # The secret's first characters: the row is found by them, then the digest compared.
    prefix = models.CharField(max_length=20, unique=True)
    digest = models.CharField(max_length=64)
    owner = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queues = models.ManyToManyField("tickets.Queue", blank=True, related_name="+")
    can_write = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=TokenKind.values), name="apitoken_kind_valid"
            ),
            # A personal token has its owner; an integration acts as nobody.
            models.CheckConstraint(
                condition=(
                    models.Q(kind=TokenKind.PERSONAL, owner__isnull=False)
                    | models.Q(kind=TokenKind.INTEGRATION, owner__isnull=True)
                ),
                name="apitoken_owner_follows_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
