"""Mail in the Django admin: mailboxes to configure, quarantine and outbox to act on."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from mail import outbox
from mail.ingest import dismiss, reprocess
from mail.models import InboundMessage, Mailbox, OutgoingMail, QuarantinedMessage


class MailboxForm(forms.ModelForm[Mailbox]):
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=True), required=False, strip=False
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "protocol",
            "host",
            "port",
            "use_ssl",
            "username",
            "password",
            "folder",
            "keep_messages",
            "queue",
            "is_active",
        ]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    form = MailboxForm
    list_display = [
        "name",
        "protocol",
        "host",
        "username",
        "queue",
        "is_active",
        "consecutive_failures",
        "last_success_at",
    ]
    list_filter = ["protocol", "is_active"]
    readonly_fields = [
        "uidvalidity",
        "last_uid",
        "consecutive_failures",
        "last_error",
        "last_polled_at",
        "last_success_at",
    ]


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
