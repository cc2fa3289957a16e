"""A new installation has a default queue (tickets migration 0005), so the
first message that reaches it becomes a ticket, not a quarantine entry."""

import importlib

import pytest
from django.apps import apps

from mail.ingest import ingest
from mail.models import QuarantinedMessage
from tests.fixtures_mail import make_mail
from tickets.models import Queue, Ticket

migration = importlib.import_module("tickets.migrations.0005_default_queue")


@pytest.mark.django_db
def test_the_migration_makes_a_default_support_queue_when_there_is_none():
    Queue.objects.all().delete()

    migration.create_default_queue(apps, None)

    assert list(Queue.objects.values_list("name", "is_default")) == [("Support", True)]


@pytest.mark.django_db
def test_the_migration_leaves_an_installation_with_queues_alone():
    Queue.objects.all().delete()
    Queue.objects.create(name="Help desk")

    migration.create_default_queue(apps, None)

    assert list(Queue.objects.values_list("name", "is_default")) == [("Help desk", False)]


@pytest.mark.django_db
def test_the_first_mail_to_a_new_installation_becomes_a_ticket_in_support(media_root):
    # A new installation: its tables as the migrations leave them. A transactional
    # test that ran before in the same process (under pytest-xdist any may) flushed
    # them, so the data migration's step is taken again here.
    Queue.objects.all().delete()
    migration.create_default_queue(apps, None)
    assert list(Queue.objects.values_list("name", "is_default")) == [("Support", True)]
    assert Ticket.objects.count() == 0

    ingest(make_mail(subject="Is anybody there?"), "test")

    ticket = Ticket.objects.get()
    assert ticket.title == "Is anybody there?"
    assert (ticket.queue.name, ticket.queue.is_default) == ("Support", True)
    assert not QuarantinedMessage.objects.exists()
