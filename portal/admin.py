"""The portal's one-time links in the Django admin: read, and revoke."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from portal import links
from portal.models import PortalLink

# The secret's hash opens nothing; it is left out all the same.
SHOWN = ("ticket", "email", "contact", "created_at", "expires_at", "used_at", "revoked_at")


@admin.register(PortalLink)
class PortalLinkAdmin(admin.ModelAdmin[PortalLink]):
    list_display = ["ticket_id", "email", "created_at", "expires_at", "used_at", "revoked_at"]
    list_filter = [
        ("used_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "=ticket__number"]
    ordering = ["-created_at"]
    fields = SHOWN
    readonly_fields = SHOWN
    actions = ["revoke_links"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # links are made with the mail that carries them

    @admin.action(description="Revoke the selected links")
    def revoke_links(self, request: HttpRequest, queryset: QuerySet[PortalLink]) -> None:
        chosen = list(queryset.filter(revoked_at=None, used_at=None))
        revoked = links.revoke(queryset)
        for link in chosen:
            self.log_change(request, link, "Revoked")
        self.message_user(request, f"{revoked} links revoked.", messages.SUCCESS)
