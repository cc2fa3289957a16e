"""Mail tests: real Dovecot and SMTP servers, and raw messages built per test."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.fixtures_mail import dovecot, mail_certificates, smtp_sink  # noqa: F401  (fixtures)
from tickets.models import HelpdeskSettings, QueueAddress

SUPPORT = "support@frontdesk.example"
BILLING = "billing@frontdesk.example"
SALES = "sales@frontdesk.example"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Raw messages and attachments are files: keep each test's apart.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mail_world(world: World) -> World:
    """The shared world with queue addresses: support (default), billing and sales."""
    helpdesk = HelpdeskSettings.load()
    helpdesk.support_address = SUPPORT
    helpdesk.save()
    QueueAddress.objects.create(queue=world.support, email=SUPPORT)
    QueueAddress.objects.create(queue=world.billing, email=BILLING)
    QueueAddress.objects.create(queue=world.sales, email=SALES)
    return world
