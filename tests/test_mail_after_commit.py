"""Mail written in one transaction reaches the worker as a few tasks, after the commit
(mail/after_commit.py): one task per mail made a mass close of 10,000 tickets queue
10,000 tasks, each a commit of the embedded queue."""

from __future__ import annotations

import pytest
from django.db import transaction

import mail.tasks
from mail import after_commit


@pytest.fixture
def queued(monkeypatch):
    calls: list[list[int]] = []
    monkeypatch.setattr(mail.tasks, "send_outgoing_mails", lambda ids: calls.append(list(ids)))
    return calls


@pytest.mark.django_db(transaction=True)
def test_the_mails_of_a_transaction_are_queued_once_it_commits_in_tasks_of_fifty(queued):
    with transaction.atomic():
        for outgoing_id in range(1, 121):
            after_commit.send_after_commit(outgoing_id)
        assert queued == []
    assert queued == [list(range(1, 51)), list(range(51, 101)), list(range(101, 121))]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_rolled_back_queues_nothing_and_the_next_one_only_its_own(queued):
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit.send_after_commit(1)
        raise RuntimeError("the action failed")
    with transaction.atomic():
        after_commit.send_after_commit(2)
    assert queued == [[2]]


@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolled_back_takes_its_mails_along_and_later_ones_still_go(queued):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            after_commit.send_after_commit(1)
            raise RuntimeError("one ticket of a batch refused")
        after_commit.send_after_commit(2)
        after_commit.send_after_commit(3)
    assert queued == [[2, 3]]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_mail_is_queued_at_once(queued):
    after_commit.send_after_commit(7)
    after_commit.send_after_commit(8)
    assert queued == [[7], [8]]
