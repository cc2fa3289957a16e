from django.contrib import admin

from accounts.audit_admin import AuditedAdmin
from accounts.models import AuditCode
from spelling.models import TeamWord


@admin.register(TeamWord)
class TeamWordAdmin(AuditedAdmin[TeamWord]):
    """Where an administrator removes a word added to the team's dictionary by mistake."""

    audit_codes = (AuditCode.SETTINGS_CHANGED,) * 3
    list_display = ("word", "added_by", "added_at")
    search_fields = ("word",)
    readonly_fields = ("added_by", "added_at")
