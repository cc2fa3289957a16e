"""Changes made in the Django admin go to the audit log too (accounts/audit.py).

Django's admin writes its own ``LogEntry`` through ``log_addition``,
``log_change`` and ``log_deletions``, for every add, change and delete of every
view and action, with the fields it changed; these models write our entry
beside it, as the signed-in administrator, from their client address.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Generic, TypeVar

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db.models import Model
from django.http import HttpRequest

from accounts import audit
from accounts.models import AuditCode, StaffProfile, User

_Model = TypeVar("_Model", bound=Model)


class AuditedAdmin(admin.ModelAdmin[_Model], Generic[_Model]):
    #: The codes of an addition, a change and a deletion.
    audit_codes: ClassVar[tuple[AuditCode, AuditCode, AuditCode]]

    def audit_about(self, obj: _Model) -> tuple[User | None, str]:
        """Whom (a person) and what (in words) an entry of ``obj`` is about."""
        if isinstance(obj, User):
            return obj, ""
        if isinstance(obj, StaffProfile):
            return obj.user, ""
        return None, f"{self.opts.verbose_name} “{obj}”"

    def audit(self, request: HttpRequest, code: AuditCode, obj: _Model, detail: str) -> None:
        person, target = self.audit_about(obj)
        actor = request.user if isinstance(request.user, User) else None
        audit.record(
            code,
            actor=actor,
            person=person,
            target=target,
            detail=detail,
            client_address=audit.address_of(request),
        )

    def log_addition(self, request: HttpRequest, obj: _Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        self.audit(request, self.audit_codes[0], obj, _words(message))
        return entry

    def log_change(self, request: HttpRequest, obj: _Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        self.audit(request, self.audit_codes[1], obj, _words(message))
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        # Called before the rows go, so each is still there to name.
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self.audit(request, self.audit_codes[2], obj, "")
        return entries


def _words(message: Any) -> str:
    """Django's change message (a list of what changed) as the admin shows it."""
    if isinstance(message, list):
        return str(LogEntry(change_message=json.dumps(message)).get_change_message())
    return str(message or "")
