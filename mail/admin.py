"""Mail in the Django admin: mailboxes to configure, quarantine and outbox to act on."""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html

from accounts.audit_admin import AuditedAdmin
from accounts.models import AuditCode
from mail import outbox
from mail.ingest import dismiss, reprocess
from mail.models import InboundMessage, Mailbox, OutgoingMail, QuarantinedMessage, Security

INSECURE = (
    "Not encrypted: this mailbox sends its password and every message in plain text, "
    "readable by anyone on the network path. Choose TLS or STARTTLS."
)


class MailboxForm(forms.ModelForm[Mailbox]):
    # The stored password never goes back to the browser (page source, caches,
    # password managers): the field starts empty and empty means "keep it".
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
        help_text="Never shown. Leave empty to keep the stored password.",
    )
    clear_password = forms.BooleanField(
        required=False,
        label="Remove the stored password",
        help_text="Saves the mailbox without a password.",
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "protocol",
            "host",
            "port",
            "security",
            "ca_file",
            "username",
            "password",
            "clear_password",
            "folder",
            "keep_messages",
            "queue",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not even as the initial value: an empty field is then "unchanged" in the history.
        self.initial["password"] = ""

    def clean_ca_file(self) -> str:
        path: str = self.cleaned_data["ca_file"].strip()
        if path and not os.path.isabs(path):
            raise forms.ValidationError(
                "Give an absolute path: the worker does not run in a known folder."
            )
        return path

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("clear_password") and cleaned.get("password"):
            raise forms.ValidationError("Type a new password or remove the stored one, not both.")
        if cleaned.get("security") == Security.NONE and cleaned.get("ca_file"):
            self.add_error("ca_file", "A CA file needs TLS or STARTTLS.")
        if not cleaned.get("password") and not cleaned.get("clear_password"):
            cleaned["password"] = self.instance.password
        return cleaned


@admin.register(Mailbox)
class MailboxAdmin(AuditedAdmin[Mailbox]):
    audit_codes = (AuditCode.MAILBOX_ADDED, AuditCode.MAILBOX_CHANGED, AuditCode.MAILBOX_DELETED)
    form = MailboxForm
    list_display = [
        "name",
        "protocol",
        "host",
        "encryption",
        "username",
        "queue",
        "is_active",
        "consecutive_failures",
        "last_success_at",
    ]
    list_filter = ["protocol", "security", "is_active"]
    readonly_fields = [
        "uidvalidity",
        "last_uid",
        "consecutive_failures",
        "last_error",
        "last_polled_at",
        "last_success_at",
    ]

    @admin.display(description="Encryption", ordering="security")
    def encryption(self, mailbox: Mailbox) -> str:
        if mailbox.is_encrypted:
            return mailbox.get_security_display()
        return format_html("<strong>{}</strong>", mailbox.get_security_display())

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Mailbox | None = None,
    ) -> HttpResponse:
        if obj is not None and not obj.is_encrypted:
            self.message_user(request, INSECURE, messages.WARNING)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request: HttpRequest, obj: Mailbox, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.ca_file and not os.access(obj.ca_file, os.R_OK):
            # Not refused: the web server may not be a machine that polls.
            self.message_user(
                request,
                f"The CA file {obj.ca_file} cannot be read on this machine; "
                "polling fails on every machine where it cannot be read either.",
                messages.WARNING,
            )


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ["received_at", "message_id", "source", "outcome", "match", "ticket"]
    list_filter = ["outcome", "match", "automatic"]
    search_fields = ["message_id"]
    raw_id_fields = ["ticket", "ticket_message"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(QuarantinedMessage)
class QuarantinedMessageAdmin(admin.ModelAdmin[QuarantinedMessage]):
    list_display = ["last_attempt_at", "source", "error", "attempts", "resolved"]
    list_filter = ["resolved"]
    readonly_fields = [field.name for field in QuarantinedMessage._meta.fields]
    actions = ["reprocess_selected", "dismiss_selected"]

    @admin.action(description="Process the selected messages again")
    def reprocess_selected(
        self, request: HttpRequest, queryset: QuerySet[QuarantinedMessage]
    ) -> None:
        stored = sum(
            reprocess(entry).inbound is not None for entry in queryset.filter(resolved=False)
        )
        self.message_user(request, f"{stored} message(s) stored.", messages.SUCCESS)

    @admin.action(description="Dismiss the selected messages (they need nothing more)")
    def dismiss_selected(
        self, request: HttpRequest, queryset: QuerySet[QuarantinedMessage]
    ) -> None:
        for entry in queryset.filter(resolved=False):
            dismiss(entry)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin[OutgoingMail]):
    list_display = ["created_at", "kind", "recipient", "subject", "state", "attempts", "ticket"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient", "subject", "message_id"]
    raw_id_fields = ["ticket", "attachments"]
    actions = ["retry_selected"]

    @admin.action(description="Send the selected mail again")
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        retried = sum(outbox.retry(row.pk) for row in queryset)
        self.message_user(request, f"{retried} mail(s) queued again.", messages.SUCCESS)
