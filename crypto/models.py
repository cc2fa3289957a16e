"""The help desk's OpenPGP keys: the current one, and retired ones kept for old messages."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PrivateKey(models.Model):
    """An armored private key and its passphrase, both sealed (crypto/sealing.py).

    Only the public half and its fingerprint are stored readable. At most one key
    is current (a partial unique constraint); a replaced key is retired, not
    deleted, so messages encrypted to it stay readable until an admin removes it.
    """

    fingerprint = models.CharField(max_length=64)
    user_ids = models.TextField(blank=True)
    public_key = models.TextField()
    sealed_key = models.BinaryField()
    sealed_passphrase = models.BinaryField()
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_current", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="pgp_one_current_key",
            )
        ]

    def __str__(self) -> str:
        return self.fingerprint.upper()

    def __repr__(self) -> str:
        # Never the sealed values, even in a debugger or an error report.
        return f"<PrivateKey {self.fingerprint} current={self.is_current}>"
