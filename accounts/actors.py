"""Who acts: a person (a ``User``) or a named part of the system.

The system acts explicitly, never as "nobody": the mail gateway opening a ticket
from a mail, the lifecycle jobs escalating and closing, a console command
loading demo data, and (later) a named API integration. Its events record which
part acted. A web view can never obtain a ``System``: tests/test_boundaries.py
walks the surfaces (panel/, portal/, api/, ...) and fails on any use of this
module there. Surfaces act only as the signed-in person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from accounts.models import User


class SystemPart(models.TextChoices):
    MAIL = "mail", "The mail gateway"
    LIFECYCLE = "lifecycle", "A lifecycle job"
    COMMAND = "command", "A console command"
    INTEGRATION = "integration", "An integration"


@dataclass(frozen=True)
class System:
    """A part of the system acting on tickets; ``name`` narrows it (the job, the integration)."""

    part: SystemPart
    name: str = ""

    def __post_init__(self) -> None:
        if ":" in self.name or len(self.code) > 100:
            raise ValueError(f"{self.name!r} cannot name a part of the system.")

    @property
    def code(self) -> str:
        """How events store it: ``mail``, ``lifecycle:escalation``, ``integration:billing``."""
        return f"{self.part.value}:{self.name}" if self.name else self.part.value

    @property
    def label(self) -> str:
        base = SystemPart(self.part).label
        return f"{base} ({self.name})" if self.name else base

    @classmethod
    def from_code(cls, code: str) -> System:
        part, _, name = code.partition(":")
        return cls(SystemPart(part), name)

    def __str__(self) -> str:
        return self.label


MAIL_GATEWAY = System(SystemPart.MAIL)
ESCALATION = System(SystemPart.LIFECYCLE, "escalation")
AUTO_CLOSE = System(SystemPart.LIFECYCLE, "auto-close")


def command(name: str) -> System:
    """A console command acting (``frontdesk demo``, a maintenance script)."""
    return System(SystemPart.COMMAND, name)


def integration(name: str) -> System:
    """A named integration acting through the API with its own token."""
    return System(SystemPart.INTEGRATION, name)


@dataclass(frozen=True)
class Integration(System):
    """An integration as its API token lets it act: on the tickets of its queues only,
    and changing them only with write access (tickets/visibility.py holds the rule).
    Its events record it like any part of the system (``integration:billing``)."""

    queue_ids: frozenset[int] = frozenset()
    can_write: bool = False


def scoped_integration(name: str, *, queue_ids: frozenset[int], can_write: bool) -> Integration:
    return Integration(SystemPart.INTEGRATION, name, queue_ids=queue_ids, can_write=can_write)


#: Everybody and everything that may call an action.
Actor = User | System


def label_of(code: str) -> str:
    """The words for a stored system code; a code from a later version stays readable."""
    try:
        return System.from_code(code).label
    except ValueError:
        return f"The system ({code})"
