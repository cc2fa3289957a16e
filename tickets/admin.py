from django.contrib import admin
from django.http import HttpRequest

from tickets.models import (
    Attachment,
    Event,
    HelpdeskSettings,
    Message,
    Queue,
    QueueAddress,
    Ticket,
)


class QueueAddressInline(admin.TabularInline):
    model = QueueAddress
    extra = 1


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default", "escalation_step", "escalation_interval")
    filter_horizontal = ("staff",)
    inlines = [QueueAddressInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "kind", "author_email", "text")


class EventInline(ReadOnlyInline):
    model = Event
    fields = ("created_at", "actor", "code", "old", "new")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: tickets change only through tickets/actions.py (the panel)."""

    list_display = ("number", "title", "queue", "status", "priority", "assignee", "is_answered")
    list_filter = ("status", "type", "queue", "is_answered")
    search_fields = ("title", "requester_email")
    list_select_related = ("queue", "assignee")
    inlines = [MessageInline, EventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("filename", "content_type", "size", "message")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(HelpdeskSettings)
class HelpdeskSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not HelpdeskSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
