from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from accounts.models import SUPERVISING_ROLES, Account, Contact, StaffProfile, User
from accounts.staff import LastSupervisorError, ensure_supervisor_remains


def _would_remove_last_supervisor(user: User) -> bool:
    profile = user.staff
    if profile is None or profile.role not in SUPERVISING_ROLES or not user.is_active:
        return False
    try:
        ensure_supervisor_remains(without_user_id=user.pk)
    except LastSupervisorError:
        return True
    return False


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    fields = ("role", "full_name", "description", "signature")


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "is_active")

    def clean_is_active(self) -> bool:
        is_active = self.cleaned_data["is_active"]
        was_active = self.instance.pk and self.instance.is_active
        if was_active and not is_active and _would_remove_last_supervisor(self.instance):
            raise ValidationError("This is the last active supervisor and cannot be deactivated.")
        return is_active


class StaffProfileForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ("user", "role", "full_name", "description", "signature")

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        instance = self.instance
        demoted = instance.pk and role not in SUPERVISING_ROLES
        if demoted and _would_remove_last_supervisor(instance.user):
            raise ValidationError("This is the last active supervisor and cannot be demoted.")
        return role


class RefuseLastSupervisorDeletion:
    """Deleting the last supervisor shows a message instead of failing."""

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        user = obj if isinstance(obj, User) else getattr(obj, "user", None)
        if request.method == "POST" and user is not None and _would_remove_last_supervisor(user):
            self.message_user(  # type: ignore[attr-defined]
                request, "The last active supervisor cannot be removed.", messages.ERROR
            )
            return HttpResponseRedirect(request.path.rsplit("/delete/", 1)[0] + "/change/")
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        try:
            super().delete_queryset(request, queryset)  # type: ignore[misc]
        except LastSupervisorError as error:
            self.message_user(request, error.messages[0], messages.ERROR)  # type: ignore[attr-defined]


@admin.register(User)
class UserAdmin(RefuseLastSupervisorDeletion, DjangoUserAdmin):
    form = UserChangeForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff")
    search_fields = ("email", "full_name")
    list_filter = ("is_active", "staff_profile__role")
    fieldsets = ((None, {"fields": ("email", "full_name", "password", "is_active")}),)
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)
    inlines = [StaffProfileInline]
    filter_horizontal = ()


@admin.register(StaffProfile)
class StaffProfileAdmin(RefuseLastSupervisorDeletion, admin.ModelAdmin):
    form = StaffProfileForm
    list_display = ("display_name", "role", "description")
    list_filter = ("role",)
    search_fields = ("full_name", "user__email")


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("name", "external_id", "created_at")
    search_fields = ("name", "external_id", "contacts__email")
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "account")
    search_fields = ("email", "name", "account__name")
    raw_id_fields = ("user",)
