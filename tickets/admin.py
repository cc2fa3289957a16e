from typing import Generic, TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from accounts.audit_admin import AuditedAdmin
from accounts.models import AuditCode
from tickets.models import (
    Attachment,
    Event,
    HelpdeskSettings,
    Message,
    Queue,
    QueueAddress,
    Ticket,
)

_Child = TypeVar("_Child", bound=Model)


class QueueAddressInline(admin.TabularInline[QueueAddress, Queue]):
    model = QueueAddress
    extra = 1


@admin.register(Queue)
class QueueAdmin(AuditedAdmin[Queue]):
    audit_codes = (AuditCode.QUEUE_ADDED, AuditCode.QUEUE_CHANGED, AuditCode.QUEUE_DELETED)
    list_display = ("name", "is_default", "escalation_step", "escalation_interval")
    filter_horizontal = ("staff",)
    inlines = [QueueAddressInline]


class ReadOnlyInline(admin.TabularInline[_Child, Ticket], Generic[_Child]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MessageInline(ReadOnlyInline[Message]):
    model = Message
    fields = ("created_at", "kind", "author_email", "text")


class EventInline(ReadOnlyInline[Event]):
    model = Event
    fields = ("created_at", "actor", "code", "old", "new")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    """Read-only: tickets change only through tickets/actions (the panel)."""

    list_display = ("number", "title", "queue", "status", "priority", "assignee", "is_answered")
    list_filter = ("status", "type", "queue", "is_answered")
    search_fields = ("title", "requester_email")
    list_select_related = ("queue", "assignee")
    inlines = [MessageInline, EventInline]

    class Media:
        # Titles and messages wrap however long their words (hostile text).
        css = {"all": ["tickets/admin.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin[Attachment]):
    list_display = ("filename", "content_type", "size", "message")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(HelpdeskSettings)
class HelpdeskSettingsAdmin(AuditedAdmin[HelpdeskSettings]):
    audit_codes = (
        AuditCode.SETTINGS_CHANGED,
        AuditCode.SETTINGS_CHANGED,
        AuditCode.SETTINGS_CHANGED,
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not HelpdeskSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
