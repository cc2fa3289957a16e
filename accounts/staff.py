"""Changes to staff accounts, guarded by S1: a supervisor always remains.

The panel's Staff pages invite people (a mail with a link to choose their
password) and change their role, queues and sign-in; there the last active
administrator may not step down either, so somebody can still manage staff.

Supervisors and administrators both may pick up and assign tickets, so both
count as the supervisor S1 keeps. The guard runs from model signals as well,
so the Django admin and the shell cannot get round it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from accounts import audit, two_factor
from accounts.actors import Actor, System
from accounts.models import SUPERVISING_ROLES, AuditCode, Role, StaffProfile, User

if TYPE_CHECKING:
    from tickets.models import Queue


class LastSupervisorError(ValidationError):
    pass


def ensure_supervisor_remains(
    *, without_user_id: int | None = None, without_user_ids: Collection[int] = ()
) -> None:
    """Refuse a change that would leave no active supervisor.

    ``without_user_ids`` covers a change of several people at once (deleting a
    queryset), where checking each person alone would let all of them go.
    All supervising rows are locked in one order, so two concurrent demotions
    of the last two supervisors queue up and the second one sees the first.
    """
    leaving = {*without_user_ids, without_user_id}
    supervising = StaffProfile.objects.filter(role__in=SUPERVISING_ROLES, user__is_active=True)
    if transaction.get_connection().in_atomic_block:
        supervising = supervising.select_for_update(of=("self",)).order_by("pk")
    others = [profile for profile in supervising if profile.user_id not in leaving]
    if not others:
        raise LastSupervisorError(
            "This is the last active supervisor: there must always be one who can "
            "assign tickets. Make somebody else a supervisor first."
        )


def _require_admin(actor: Actor) -> None:
    if isinstance(actor, System):
        return
    if not actor.is_active or actor.staff is None or actor.staff.role != Role.ADMIN:
        raise PermissionDenied("Only administrators may change staff accounts.")


@transaction.atomic
def change_role(*, actor: Actor, profile: StaffProfile, role: str) -> StaffProfile:
    _require_admin(actor)
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role."})
    old = profile.role
    profile.role = role
    profile.save()  # the pre_save signal applies S1
    if old != role:
        audit.record(
            AuditCode.ROLE_CHANGED,
            actor=actor,
            person=profile.user,
            detail=f"{Role(old).label} → {Role(role).label}",
        )
    return profile


@transaction.atomic
def deactivate(*, actor: Actor, user: User) -> User:
    _require_admin(actor)
    user.is_active = False
    user.save()
    audit.record(AuditCode.USER_DEACTIVATED, actor=actor, person=user)
    return user


@transaction.atomic
def remove_staff(*, actor: Actor, user: User) -> None:
    """Delete a staff member's profile; their user stays for the history."""
    _require_admin(actor)
    profile = user.staff
    if profile is not None:
        profile.delete()
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
        audit.record(AuditCode.STAFF_REMOVED, actor=actor, person=user)


def update_profile(
    *,
    actor: User,
    user: User,
    full_name: str,
    description: str,
    email: str,
    signature: str,
    current_password: str = "",
) -> StaffProfile:
    """My Profile (S24): a staff member's own name, description, address and signature.

    Changing one's own sign-in address takes the current password, so a session
    left open (or stolen) cannot move the account to another address.
    """
    if actor.pk != user.pk:
        _require_admin(actor)
    profile = user.staff
    if profile is None:
        raise PermissionDenied("Only support staff have a profile.")
    email = email.strip().lower()
    if actor.pk == user.pk and email != user.email.lower():
        # Checked before the transaction: hashing takes a while, and on SQLite
        # an open write transaction holds every other writer.
        if not current_password:
            raise ValidationError(
                {"current_password": "Type your current password to change your e-mail address."}
            )
        if not user.check_password(current_password):
            raise ValidationError({"current_password": "This is not your current password."})
    with transaction.atomic():
        if User.objects.filter(email__same=email).exclude(pk=user.pk).exists():
            raise ValidationError({"email": "Somebody else signs in with this address."})
        user.full_name, user.email = full_name, email
        user.save(update_fields=["full_name", "email"])
        profile.full_name, profile.description = full_name, description
        profile.signature = signature
        profile.save(update_fields=["full_name", "description", "signature"])
    return profile


class LastAdministratorError(ValidationError):
    pass


class StaleStaffForm(Exception):
    """The person was changed since the form was shown; nothing was saved."""

    def __init__(self, profile: StaffProfile) -> None:
        super().__init__("This person was changed meanwhile.")
        self.profile = profile


def ensure_admin_remains(*, without_user_ids: Collection[int]) -> None:
    """Refuse a change that would leave nobody to manage staff, queues and settings.

    Locked like ``ensure_supervisor_remains``: two administrators stepping down
    at once queue up, and the second sees the first.
    """
    admins = StaffProfile.objects.filter(role=Role.ADMIN, user__is_active=True)
    if transaction.get_connection().in_atomic_block:
        admins = admins.select_for_update(of=("self",)).order_by("pk")
    if not [profile for profile in admins if profile.user_id not in without_user_ids]:
        raise LastAdministratorError(
            "This is the last active administrator: somebody must be able to manage "
            "staff and settings. Make somebody else an administrator first."
        )


def staff_members() -> QuerySet[StaffProfile]:
    """Every staff member with ``has_two_factor`` and their queues, for the Staff page."""
    return two_factor.staff_overview().prefetch_related("queues")


def fingerprint(profile: StaffProfile) -> str:
    """What the edit form changes, as it is now: a form shown on another stands stale."""
    queue_ids = sorted(profile.queues.values_list("pk", flat=True))
    state = f"{profile.role}|{profile.user.is_active}|{queue_ids}"
    return hashlib.sha256(state.encode()).hexdigest()[:20]


@transaction.atomic
def invite_staff(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    queues: Iterable[Queue],
    language: str,
    link_for: Callable[[User], str],
    client_address: str = "",
) -> User:
    """A new staff member without a password, and the mail with a link to choose one."""
    _require_admin(actor)
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role."})
    email = email.strip().lower()
    if User.objects.filter(email__same=email).exists():
        raise ValidationError({"email": "Somebody signs in with this address already."})
    user = User.objects.create_user(email, None, full_name=full_name, language=language)
    profile = StaffProfile.objects.create(user=user, role=role, full_name=full_name)
    chosen = list(queues)
    profile.queues.set(chosen)
    _mail_invitation(actor=actor, user=user, link_for=link_for)
    audit.record(
        AuditCode.STAFF_ADDED,
        actor=actor,
        person=user,
        detail=f"invited by mail as {Role(role).label}; queues: {_names(chosen)}",
        client_address=client_address,
    )
    return user


@transaction.atomic
def invite_again(
    *, actor: User, user: User, link_for: Callable[[User], str], client_address: str = ""
) -> None:
    """A new invitation for somebody who has not chosen a password yet."""
    _require_admin(actor)
    if user.staff is None or not user.is_active or user.has_usable_password():
        raise ValidationError("Only an active staff member without a password is invited again.")
    _mail_invitation(actor=actor, user=user, link_for=link_for)
    audit.record(
        AuditCode.STAFF_CHANGED,
        actor=actor,
        person=user,
        detail="invited by mail again",
        client_address=client_address,
    )


@transaction.atomic
def change_staff(
    *,
    actor: User,
    user: User,
    role: str,
    queues: Iterable[Queue],
    is_active: bool,
    seen: str,
    client_address: str = "",
) -> StaffProfile:
    """An administrator's change of a person's role, queues and whether they may sign in.

    ``seen`` is the ``fingerprint`` the form was made from: a change made by
    somebody else since raises ``StaleStaffForm`` instead of being overwritten.
    S1 (a supervisor remains) and the last administrator are kept.
    """
    _require_admin(actor)
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role."})
    profile = (
        StaffProfile.objects.select_for_update(of=("self",)).select_related("user").get(user=user)
    )
    if fingerprint(profile) != seen:
        raise StaleStaffForm(profile)
    person = profile.user
    stays_admin = role == Role.ADMIN and is_active
    if profile.role == Role.ADMIN and person.is_active and not stays_admin:
        ensure_admin_remains(without_user_ids={person.pk})
    chosen = list(queues)
    old_queues = list(profile.queues.all())
    if profile.role != role:
        old_role, profile.role = profile.role, role
        profile.save(update_fields=["role"])  # the pre_save signal applies S1
        audit.record(
            AuditCode.ROLE_CHANGED,
            actor=actor,
            person=person,
            detail=f"{Role(old_role).label} → {Role(role).label}",
            client_address=client_address,
        )
    if {queue.pk for queue in old_queues} != {queue.pk for queue in chosen}:
        profile.queues.set(chosen)
        audit.record(
            AuditCode.STAFF_CHANGED,
            actor=actor,
            person=person,
            detail=f"queues: {_names(old_queues)} → {_names(chosen)}",
            client_address=client_address,
        )
    if person.is_active != is_active:
        person.is_active = is_active
        person.save(update_fields=["is_active"])  # the pre_save signal applies S1
        audit.record(
            AuditCode.USER_ACTIVATED if is_active else AuditCode.USER_DEACTIVATED,
            actor=actor,
            person=person,
            client_address=client_address,
        )
    return profile


def _mail_invitation(*, actor: User, user: User, link_for: Callable[[User], str]) -> None:
    # mail imports tickets, which imports accounts: imported when first needed.
    from mail.invitations import queue_staff_invitation

    invited_by = actor.staff.display_name if actor.staff is not None else actor.get_full_name()
    queue_staff_invitation(user=user, link=link_for(user), invited_by=invited_by)


def _names(queues: Iterable[Queue]) -> str:
    return ", ".join(sorted(queue.name for queue in queues)) or "none"
