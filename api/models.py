"""What the API keeps of its own: the answers to requests sent with an Idempotency-Key."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import ApiToken


class IdempotentRequest(models.Model):
    """The first answer to a (token, key): a retry gets it again instead of a second
    ticket or reply; the same key with another request is refused."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of the method, the path and the body: what the key was first used for.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotent_request_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.status}"
