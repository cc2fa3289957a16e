"""The index follows every change, through the domain signals, once the change commits."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from accounts import customers
from accounts.actors import MAIL_GATEWAY
from accounts.models import Contact
from search import index, receivers
from search.backends import for_connection
from tests.search.conftest import found
from tickets import actions
from tickets.models import EventCode

pytestmark = pytest.mark.usefixtures("indexing_on_commit")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and what waits for its commit, as a request does."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def ticket(world, committed):
    return committed(world.ticket, world.support, title="Printer offline", text="It is dead.")


def indexed() -> set[int]:
    return for_connection("default").numbers_between(0, 2**62, "default")


def test_an_opened_ticket_is_indexed_once_it_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        opened = world.ticket(world.support, title="Printer offline", text="x")
    assert opened.number not in indexed()
    for callback in waiting:
        callback()
    assert found(world.admin, "printer") == [opened.number]


def test_a_change_that_rolls_back_indexes_nothing(world, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        world.ticket(world.support, title="Printer offline", text="x")
        raise RuntimeError("rolled back")
    assert indexed() == set()


def test_a_customer_reply(world, ticket, committed):
    committed(actions.customer_reply, actor=world.customer_a, ticket=ticket, text="Toner low?")
    assert found(world.customer_a, "toner") == [ticket.number]


def test_an_answer(world, ticket, committed):
    committed(actions.answer, actor=world.admin, ticket=ticket, text="Replace the fuser.")
    assert found(world.customer_a, "fuser") == [ticket.number]


def test_a_note(world, ticket, committed):
    committed(actions.add_note, actor=world.admin, ticket=ticket, text="Known firmware bug.")
    assert found(world.admin, "firmware") == [ticket.number]
    assert found(world.customer_a, "firmware") == []


def test_mail_kept_for_staff(world, ticket, committed):
    committed(
        actions.add_system_note,
        actor=MAIL_GATEWAY,
        ticket=ticket,
        code=EventCode.AUTO_REPLY,
        text="Out of office until Monday.",
    )
    assert found(world.admin, "office") == [ticket.number]


def test_a_new_title(world, ticket, committed):
    committed(actions.change_details, actor=world.admin, ticket=ticket, title="Scanner jammed")
    assert found(world.admin, "scanner") == [ticket.number]
    assert found(world.admin, "printer") == []


def test_a_new_requester(world, ticket, committed):
    committed(
        actions.change_details,
        actor=world.admin,
        ticket=ticket,
        requester_email="carol@elsewhere.example",
    )
    assert found(world.admin, "carol@elsewhere.example") == [ticket.number]
    assert found(world.admin, "alice@a.example") == []


def test_a_move(world, ticket, committed):
    assert found(world.other_supervisor, "printer") == [ticket.number]
    committed(actions.move, actor=world.admin, ticket=ticket, queue=world.billing)
    # Who finds it follows the queue (the index keeps words; the rule reads the ticket).
    assert found(world.supervisor, "printer") == [ticket.number]
    assert found(world.other_supervisor, "printer") == []


def test_a_new_account(world, ticket, committed):
    committed(actions.change_account, actor=world.admin, ticket=ticket, account=world.account_b)
    assert found(world.admin, '"account b"') == [ticket.number]
    assert found(world.admin, '"account a"') == []
    assert found(world.customer_b, "printer") == [ticket.number]
    assert found(world.customer_a, "printer") == []


def test_closing_and_reopening(world, ticket, committed):
    committed(actions.close, actor=world.admin, ticket=ticket)
    assert found(world.customer_a, "printer") == [ticket.number]
    committed(actions.reopen, actor=world.admin, ticket=ticket)
    assert found(world.customer_a, "printer") == [ticket.number]
    assert ticket.number in indexed()


def test_a_deleted_ticket_leaves_the_index(world, ticket, committed):
    committed(actions.delete_permanently, actor=world.admin, ticket=ticket)
    assert indexed() == set()


def test_a_renamed_account(world, ticket, committed):
    world.account_a.name = "Globex Corporation"
    committed(customers.save_account, actor=world.admin, account=world.account_a, changes="name")
    assert found(world.admin, "globex") == [ticket.number]
    assert found(world.admin, '"account a"') == []


def test_a_renamed_contact(world, ticket, committed):
    contact = Contact.objects.get(email="alice@a.example")
    contact.name = "Alice Zyxwright"
    committed(customers.save_contact, actor=world.admin, contact=contact, changes="name")
    assert found(world.admin, "zyxwright") == [ticket.number]


def test_an_account_with_many_tickets_is_reindexed_by_the_worker(world, committed, monkeypatch):
    opened = [
        committed(world.ticket, world.support, title=f"Ticket {n}", text="x") for n in range(3)
    ]
    monkeypatch.setattr(receivers, "AT_ONCE", 2)
    queued = []
    queue = receivers.tasks.reindex_account

    def reindex_account(account_id):
        queued.append(account_id)
        return queue(account_id)  # inline in tests (huey's immediate mode)

    monkeypatch.setattr(receivers.tasks, "reindex_account", reindex_account)
    world.account_a.name = "Initech"
    committed(customers.save_account, actor=world.admin, account=world.account_a, changes="name")
    assert queued == [world.account_a.pk]
    assert sorted(found(world.admin, "initech")) == sorted(ticket.number for ticket in opened)


def test_a_failed_write_goes_to_the_worker(world, committed, monkeypatch):
    calls = []
    real = index.index_tickets

    def busy_once(numbers, **kwargs):
        calls.append(list(numbers))
        if len(calls) == 1:
            raise DatabaseError("database is locked")
        return real(numbers, **kwargs)

    monkeypatch.setattr(index, "index_tickets", busy_once)
    opened = committed(world.ticket, world.support, title="Printer offline", text="x")
    # The worker (inline in tests) tried again.
    assert calls == [[opened.number], [opened.number]]
    assert found(world.admin, "printer") == [opened.number]


def test_only_changes_of_indexed_words_write(world, ticket, committed, monkeypatch):
    writes = []
    monkeypatch.setattr(index, "index_tickets", lambda numbers, **kw: writes.append(numbers))
    committed(actions.change, actor=world.admin, ticket=ticket, priority=90)
    committed(actions.pick_up, actor=world.admin, ticket=ticket)
    assert writes == []
    committed(actions.change_details, actor=world.admin, ticket=ticket, title="Scanner")
    assert writes == [[ticket.number]]
