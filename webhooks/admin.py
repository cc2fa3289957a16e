"""Webhooks in the Django admin; the panel's Webhooks pages are the main place."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from accounts.audit_admin import AuditedAdmin
from accounts.models import AuditCode
from webhooks import registry
from webhooks.models import Attempt, Delivery, EventKind, Webhook


class WebhookAdminForm(forms.ModelForm[Webhook]):
    url = forms.URLField(max_length=2000, assume_scheme="https")
    event_kinds = forms.MultipleChoiceField(
        label="Events",
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "event_kinds", "is_active", "allow_private_addresses", "secret"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "url" in cleaned:
            try:
                registry.check_target(
                    cleaned["url"], allow_private=bool(cleaned.get("allow_private_addresses"))
                )
            except forms.ValidationError as refusal:
                self.add_error(None, refusal)
        return cleaned


@admin.register(Webhook)
class WebhookAdmin(AuditedAdmin[Webhook]):
    form = WebhookAdminForm
    audit_codes = (AuditCode.SETTINGS_CHANGED,) * 3
    list_display = ["name", "url", "is_active", "allow_private_addresses"]
    list_filter = ["is_active"]


class AttemptInline(admin.TabularInline[Attempt, Delivery]):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = [
        "started_at",
        "duration_ms",
        "address",
        "status_code",
        "response_body",
        "error",
    ]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["id", "webhook", "kind", "ticket_number", "state", "attempts", "created_at"]
    list_filter = ["state", "kind"]
    readonly_fields = [
        "webhook",
        "event_id",
        "kind",
        "ticket_number",
        "body",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_until",
        "resent_from",
        "created_at",
        "delivered_at",
        "last_status",
        "last_error",
    ]
    inlines = [AttemptInline]

    def has_add_permission(self, request: Any) -> bool:
        return False
