"""Changes to staff accounts, guarded by S1: a supervisor always remains.

Supervisors and administrators both may pick up and assign tickets, so both
count as the supervisor S1 keeps. The guard runs from model signals as well,
so the Django admin and the shell cannot get round it.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import audit
from accounts.actors import Actor, System
from accounts.models import SUPERVISING_ROLES, AuditCode, Role, StaffProfile, User


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
