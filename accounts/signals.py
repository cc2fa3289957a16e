from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from accounts.models import SUPERVISING_ROLES, Role, StaffProfile, User
from accounts.staff import ensure_supervisor_remains


def _is_supervising(user_id: int) -> bool:
    return StaffProfile.objects.filter(
        user_id=user_id, user__is_active=True, role__in=SUPERVISING_ROLES
    ).exists()


@receiver(pre_save, sender=User)
def keep_a_supervisor_on_deactivation(instance: User, **kwargs: Any) -> None:
    if instance.pk and not instance.is_active and _is_supervising(instance.pk):
        ensure_supervisor_remains(without_user_id=instance.pk)


@receiver(pre_save, sender=StaffProfile)
def keep_a_supervisor_on_demotion(instance: StaffProfile, **kwargs: Any) -> None:
    if instance.pk and instance.role not in SUPERVISING_ROLES and _is_supervising(instance.user_id):
        ensure_supervisor_remains(without_user_id=instance.user_id)


@receiver(pre_delete, sender=StaffProfile)
@receiver(pre_delete, sender=User)
def keep_a_supervisor_on_removal(
    instance: User | StaffProfile, origin: Any = None, **kwargs: Any
) -> None:
    user_id = instance.pk if isinstance(instance, User) else instance.user_id
    if _is_supervising(user_id):
        ensure_supervisor_remains(without_user_id=user_id, without_user_ids=_deleted_users(origin))


def _deleted_users(origin: Any) -> set[int]:
    """Everybody a queryset delete removes: pre_delete runs for each of them
    before any row goes, so each alone would still see the others."""
    if isinstance(origin, QuerySet) and origin.model is User:
        return set(origin.values_list("pk", flat=True))
    if isinstance(origin, QuerySet) and origin.model is StaffProfile:
        return set(origin.values_list("user_id", flat=True))
    return set()


@receiver(post_delete, sender=StaffProfile)
def no_admin_site_without_a_profile(instance: StaffProfile, **kwargs: Any) -> None:
    # A removed administrator must lose the admin site with the profile, however
    # the profile went (remove_staff, the admin, the shell).
    User.objects.filter(pk=instance.user_id).update(is_staff=False, is_superuser=False)


@receiver(post_save, sender=StaffProfile)
def admins_may_use_the_admin_site(instance: StaffProfile, **kwargs: Any) -> None:
    # Django's admin site checks is_staff; it is for administrators only.
    is_admin = instance.role == Role.ADMIN
    user = instance.user
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        User.objects.filter(pk=user.pk).update(is_staff=is_admin, is_superuser=is_admin)
        user.is_staff = user.is_superuser = is_admin
