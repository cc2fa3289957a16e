from collections.abc import Collection, Iterable
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashField
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit
from accounts.audit_admin import AuditedAdmin
from accounts.models import (
    SUPERVISING_ROLES,
    Account,
    AuditCode,
    Contact,
    Role,
    StaffProfile,
    User,
)
from accounts.staff import (
    LastAdministratorError,
    LastSupervisorError,
    ensure_admin_remains,
    ensure_supervisor_remains,
)

# Two-factor devices are set up, removed and reset in the panel, where each step
# is checked and audited; their admin pages would also show the secrets.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)

_Person = TypeVar("_Person", User, StaffProfile)


def _removal_refusal(
    user_ids: Collection[int], *, admins: bool = True, supervisors: bool = True
) -> str | None:
    """Why taking these people away (deleted, deactivated, or a role below) is
    refused, or None when it is allowed: it would leave no active supervisor (S1,
    ``supervisors``) or no active administrator (``admins``), as on the panel's
    Staff page (accounts/staff.py)."""
    active = StaffProfile.objects.filter(user_id__in=user_ids, user__is_active=True)
    try:
        if supervisors and active.filter(role__in=SUPERVISING_ROLES).exists():
            ensure_supervisor_remains(without_user_ids=user_ids)
        if admins and active.filter(role=Role.ADMIN).exists():
            ensure_admin_remains(without_user_ids=user_ids)
    except (LastSupervisorError, LastAdministratorError) as error:
        return str(error.messages[0])
    return None


def _user_ids(objects: Iterable[User | StaffProfile]) -> set[int]:
    return {obj.pk if isinstance(obj, User) else obj.user_id for obj in objects}


def _audit_role_change(request: HttpRequest, form: forms.ModelForm[StaffProfile]) -> None:
    """A changed role of an existing staff profile, as its own audit entry."""
    old = form.initial.get("role")
    profile = form.instance
    if not old or "role" not in form.changed_data or old == profile.role:
        return
    audit.record(
        AuditCode.ROLE_CHANGED,
        actor=request.user if isinstance(request.user, User) else None,
        person=profile.user,
        detail=f"{Role(old).label} → {profile.get_role_display()}",
        client_address=audit.address_of(request),
    )


class StaffProfileForm(forms.ModelForm[StaffProfile]):
    class Meta:
        model = StaffProfile
        fields = ("user", "role", "full_name", "description", "signature")

    def clean_role(self) -> str:
        role: str = self.cleaned_data["role"]
        if self.instance.pk:
            refusal = _removal_refusal(
                {self.instance.user_id},
                admins=role != Role.ADMIN,
                supervisors=role not in SUPERVISING_ROLES,
            )
            if refusal:
                raise ValidationError(refusal)
        return role


class StaffProfileInline(admin.StackedInline[StaffProfile, User]):
    model = StaffProfile
    # The role is edited on the user's page too: the same S1 check must apply.
    form = StaffProfileForm
    can_delete = False
    fields = ("role", "full_name", "description", "signature")


class UserChangeForm(forms.ModelForm[User]):
    # Shown as a summary of the hash, never as an editable field holding it.
    password = ReadOnlyPasswordHashField(
        label="Password",
        help_text='Passwords are not stored, only their hashes; <a href="../password/">'
        "set a new password</a>.",
    )

    class Meta:
        model = User
        fields = ("email", "full_name", "is_active")

    def clean_is_active(self) -> bool:
        is_active: bool = self.cleaned_data["is_active"]
        was_active = self.instance.pk and self.instance.is_active
        if was_active and not is_active:
            refusal = _removal_refusal({self.instance.pk})
            if refusal:
                raise ValidationError(refusal)
        return is_active


class RefuseLastSupervisorDeletion(admin.ModelAdmin[_Person], Generic[_Person]):
    """Deleting the last supervisor (S1) or administrator shows why instead of failing."""

    actions = ["delete_selected"]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        refusal = None if obj is None else _removal_refusal(_user_ids([obj]))
        if obj is not None and refusal:
            self.message_user(request, refusal, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[obj.pk],
                    current_app=self.admin_site.name,
                )
            )
        return super().delete_view(request, object_id, extra_context)

    @admin.action(
        permissions=["delete"], description=gettext_lazy("Delete selected %(verbose_name_plural)s")
    )
    def delete_selected(
        self, request: HttpRequest, queryset: QuerySet[_Person]
    ) -> HttpResponse | None:
        # Django's action would report success after delete_queryset refused.
        refusal = _removal_refusal(_user_ids(queryset))
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return None
        return django_delete_selected(self, request, queryset)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_Person]) -> None:
        try:
            super().delete_queryset(request, queryset)
        except LastSupervisorError as error:
            # Somebody demoted another supervisor since the check above.
            self.message_user(request, error.messages[0], messages.ERROR)


# django-stubs binds its UserAdmin to AbstractUser; ours is an AbstractBaseUser with
# the fields this admin names, which is all Django's UserAdmin needs at runtime.
@admin.register(User)
class UserAdmin(
    AuditedAdmin[User],
    RefuseLastSupervisorDeletion[User],
    DjangoUserAdmin[User],  # type: ignore[type-var]
):
    audit_codes = (AuditCode.USER_ADDED, AuditCode.USER_CHANGED, AuditCode.USER_DELETED)
    form = UserChangeForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff")
    search_fields = ("email", "full_name")
    list_filter = ("is_active", "staff_profile__role")
    fieldsets = ((None, {"fields": ("email", "full_name", "password", "is_active")}),)
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)
    inlines = [StaffProfileInline]
    filter_horizontal = ()

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            audit.record(
                AuditCode.USER_ACTIVATED if obj.is_active else AuditCode.USER_DEACTIVATED,
                actor=request.user if isinstance(request.user, User) else None,
                person=obj,
                client_address=audit.address_of(request),
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for inline in formset.forms:
            if isinstance(inline.instance, StaffProfile):
                _audit_role_change(request, inline)


@admin.register(StaffProfile)
class StaffProfileAdmin(AuditedAdmin[StaffProfile], RefuseLastSupervisorDeletion[StaffProfile]):
    audit_codes = (AuditCode.STAFF_ADDED, AuditCode.STAFF_CHANGED, AuditCode.STAFF_REMOVED)
    form = StaffProfileForm
    list_display = ("display_name", "role", "description")
    list_filter = ("role",)
    search_fields = ("full_name", "user__email")

    def save_model(self, request: HttpRequest, obj: StaffProfile, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            _audit_role_change(request, form)


class ContactInline(admin.TabularInline[Contact, Account]):
    model = Contact
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin[Account]):
    list_display = ("name", "external_id", "created_at")
    search_fields = ("name", "external_id", "contacts__email")
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ("email", "name", "account")
    search_fields = ("email", "name", "account__name")
    raw_id_fields = ("user",)
