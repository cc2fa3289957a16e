"""Mail of one ticket goes out in the order it was written (issue 12, class 6).

With auto-close 0 an answer closes its ticket: the customer must read the
answer before "your ticket was closed", whichever worker picks which mail.
"""

from __future__ import annotations

from django.core import mail as django_mail

from mail import outbox
from mail.models import OutgoingKind, OutgoingMail, OutgoingState
from tests.conftest import set_helpdesk
from tickets import actions
from tickets.models import Status


def _answer_that_closes(mail_world, django_capture_on_commit_callbacks, *, run: bool):
    set_helpdesk(auto_close_days=0)
    mail_world.support.closed_ticket_response = "We closed your ticket."
    mail_world.support.save()
    ticket = mail_world.ticket()
    with django_capture_on_commit_callbacks(execute=run):
        actions.answer(actor=mail_world.admin, ticket=ticket, text="Restart the router.")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    return ticket


def test_the_answer_is_written_before_the_closed_notice(
    mail_world, django_capture_on_commit_callbacks
):
    ticket = _answer_that_closes(mail_world, django_capture_on_commit_callbacks, run=False)

    kinds = list(OutgoingMail.objects.filter(ticket=ticket).order_by("id").values_list("kind"))
    assert kinds == [(OutgoingKind.ANSWER,), (OutgoingKind.CLOSED,)]


def test_the_answer_is_sent_before_the_closed_notice(
    mail_world, django_capture_on_commit_callbacks
):
    _answer_that_closes(mail_world, django_capture_on_commit_callbacks, run=True)

    bodies = [message.body for message in django_mail.outbox]
    assert len(bodies) == 2
    assert "Restart the router." in bodies[0]
    assert "We closed your ticket." in bodies[1]


def test_a_later_mail_waits_while_an_earlier_one_of_its_ticket_is_unsent(
    mail_world, django_capture_on_commit_callbacks
):
    ticket = _answer_that_closes(mail_world, django_capture_on_commit_callbacks, run=False)
    answer, notice = OutgoingMail.objects.filter(ticket=ticket).order_by("id")

    # Another worker takes the notice first: it waits for the answer.
    assert outbox.deliver(notice.pk) is False
    assert django_mail.outbox == []
    notice.refresh_from_db()
    assert notice.state == OutgoingState.QUEUED

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver(answer.pk) is True

    # Sending the answer let the notice go after it.
    notice.refresh_from_db()
    assert notice.state == OutgoingState.SENT
    assert [message.subject for message in django_mail.outbox] == [answer.subject, notice.subject]


def test_a_mail_that_failed_for_good_does_not_hold_back_the_next(
    mail_world, django_capture_on_commit_callbacks
):
    ticket = _answer_that_closes(mail_world, django_capture_on_commit_callbacks, run=False)
    answer, notice = OutgoingMail.objects.filter(ticket=ticket).order_by("id")
    OutgoingMail.objects.filter(pk=answer.pk).update(state=OutgoingState.FAILED)

    assert outbox.deliver(notice.pk) is True
