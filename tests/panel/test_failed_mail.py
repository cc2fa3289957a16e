"""Outgoing mail that failed shows on its ticket, with a Retry button (S32)."""

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from mail.models import OutgoingMail, OutgoingState
from tests.conftest import SETUP
from tests.panel.helpers import (
    duplicate_ids,
    failed_mail,
    htmx,
    queries_for,
    refreshed,
    unlabelled_controls,
)
from tickets import actions


@pytest.fixture
def ticket(world):
    """A billing ticket assigned to the agent; the supervisor is entitled to billing."""
    ticket = world.ticket(queue=world.billing, title="Invoice 42")
    return actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)


def refreshed_mail(mail: OutgoingMail) -> OutgoingMail:
    mail.refresh_from_db()
    return mail


def page_of(client, ticket) -> str:
    return client.get(f"/panel/tickets/{ticket.number}/").content.decode()


def retry_url(ticket, mail) -> str:
    return f"/panel/tickets/{ticket.number}/mail/{mail.pk}/retry/"


def test_a_failed_mail_shows_on_its_ticket_with_recipient_subject_error_and_attempts(
    world, as_user, ticket
):
    mail = failed_mail(ticket)

    page = page_of(as_user(world.supervisor), ticket)

    notice = page.split('id="failed-mail"')[1].split("</section>")[0]
    assert "Mail that could not be sent" in notice
    assert "alice@a.example" in notice
    assert f"[#{ticket.number}] Invoice 42" in notice
    assert "SMTPRecipientsRefused: 550 no such user" in notice
    assert "10 attempts" in notice and "gave up" in notice
    assert f'id="retry-mail-{mail.pk}"' in notice


def test_mail_still_retrying_after_an_error_shows_when_it_is_tried_next(world, as_user, ticket):
    failed_mail(ticket, state=OutgoingState.QUEUED, error="ConnectionRefusedError: SMTP down")

    page = page_of(as_user(world.supervisor), ticket)

    assert "ConnectionRefusedError: SMTP down" in page
    assert "next attempt" in page


def test_sent_mail_and_mail_without_an_error_are_not_shown(world, as_user, ticket):
    failed_mail(ticket, state=OutgoingState.SENT)
    failed_mail(ticket, state=OutgoingState.QUEUED, error="")

    page = page_of(as_user(world.supervisor), ticket)

    assert 'id="failed-mail"' not in page


def test_the_failed_mail_of_another_ticket_is_not_shown(world, as_user, ticket):
    failed_mail(world.ticket(queue=world.billing, title="Other"))

    assert 'id="failed-mail"' not in page_of(as_user(world.supervisor), ticket)


def test_the_error_is_shown_as_text_never_as_html(world, as_user, ticket):
    failed_mail(ticket, error="SMTPDataError: <script>alert(1)</script>")

    page = page_of(as_user(world.supervisor), ticket)

    assert "<script>alert(1)</script>" not in page
    assert "SMTPDataError: &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_mail_being_sent_right_now_has_no_retry_button(world, as_user, ticket):
    mail = failed_mail(ticket, state=OutgoingState.SENDING)

    page = page_of(as_user(world.supervisor), ticket)

    assert "being sent" in page
    assert f'id="retry-mail-{mail.pk}"' not in page


@pytest.mark.parametrize("person", ["agent", "supervisor", "admin"])
def test_the_assignee_supervisors_and_admins_put_a_failed_mail_back_in_the_queue(
    world, as_user, ticket, person
):
    mail = failed_mail(ticket)
    before = timezone.now()

    response = as_user(getattr(world, person)).post(retry_url(ticket, mail))

    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{ticket.number}/"
    mail.refresh_from_db()
    assert mail.state == OutgoingState.QUEUED
    assert mail.attempts == 0
    assert before <= mail.next_attempt_at <= timezone.now()


def test_the_retry_is_confirmed_on_the_ticket_page(world, as_user, ticket):
    mail = failed_mail(ticket)
    client = as_user(world.supervisor)

    page = client.post(retry_url(ticket, mail), follow=True).content.decode()

    assert "The mail to alice@a.example will be sent again now." in page


def test_a_retried_mail_is_sent_once_the_retry_is_committed(
    world, as_user, ticket, django_capture_on_commit_callbacks
):
    mail = failed_mail(ticket)

    with django_capture_on_commit_callbacks(execute=True):
        as_user(world.supervisor).post(retry_url(ticket, mail))

    mail.refresh_from_db()
    assert mail.state == OutgoingState.SENT
    assert [sent.subject for sent in django_mail.outbox] == [mail.subject]
    assert 'id="failed-mail"' not in page_of(as_user(world.supervisor), ticket)


def test_retry_with_htmx_answers_with_the_notice_alone(world, as_user, ticket):
    mail = failed_mail(ticket)

    response = as_user(world.supervisor).post(retry_url(ticket, mail), headers=htmx())

    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<section id="failed-mail"')
    assert "will be sent again now" in fragment
    assert 'id="answer-form"' not in fragment


def test_retry_without_javascript_keeps_the_answer_being_typed(world, as_user, ticket):
    mail = failed_mail(ticket)
    typed = "Dear customer, the <invoice> follows"

    response = as_user(world.supervisor).post(
        retry_url(ticket, mail),
        {"expected_version": ticket.version, "answer": typed, "note": "", "cc": ""},
    )

    assert response.status_code == 200
    assert "Dear customer, the &lt;invoice&gt; follows</textarea>" in response.content.decode()
    assert refreshed_mail(mail).state == OutgoingState.QUEUED


def test_retrying_a_mail_that_was_sent_meanwhile_changes_nothing(world, as_user, ticket):
    mail = failed_mail(ticket, state=OutgoingState.SENT)

    page = as_user(world.supervisor).post(retry_url(ticket, mail), follow=True).content.decode()

    assert "is being sent or was sent already" in page
    assert refreshed_mail(mail).state == OutgoingState.SENT


def test_a_customer_may_not_retry(world, as_user, ticket):
    mail = failed_mail(ticket)

    response = as_user(world.customer_a).post(retry_url(ticket, mail))

    assert response.status_code == 403
    assert refreshed_mail(mail).state == OutgoingState.FAILED


@pytest.mark.parametrize("person", ["other_agent", "other_supervisor"])
def test_staff_who_do_not_see_the_ticket_find_nothing_to_retry(world, as_user, ticket, person):
    mail = failed_mail(ticket)
    client = as_user(getattr(world, person))

    assert client.post(retry_url(ticket, mail)).status_code == 404
    assert refreshed_mail(mail).state == OutgoingState.FAILED
    assert refreshed_mail(mail).attempts == 10


def test_an_agent_who_is_no_longer_the_assignee_may_not_retry(world, as_user, ticket):
    mail = failed_mail(ticket)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.supervisor)

    assert as_user(world.agent).post(retry_url(ticket, mail)).status_code == 404
    assert refreshed_mail(mail).state == OutgoingState.FAILED


def test_a_mail_of_another_ticket_is_not_found_through_this_one(world, as_user, ticket):
    other = failed_mail(world.ticket(queue=world.billing, title="Other"))

    assert as_user(world.admin).post(retry_url(ticket, other)).status_code == 404
    assert refreshed_mail(other).state == OutgoingState.FAILED


def test_a_mail_that_does_not_exist_is_not_found(world, as_user, ticket):
    response = as_user(world.admin).post(f"/panel/tickets/{ticket.number}/mail/999999/retry/")

    assert response.status_code == 404


def test_retry_is_a_post_only(world, as_user, ticket):
    mail = failed_mail(ticket)

    assert as_user(world.admin).get(retry_url(ticket, mail)).status_code == 405
    assert refreshed_mail(mail).state == OutgoingState.FAILED


def test_the_failed_mail_costs_one_query_however_many_there_are(world, as_user, ticket):
    client = as_user(world.supervisor)
    url = f"/panel/tickets/{ticket.number}/"
    none = queries_for(client, url)
    failed_mail(ticket)
    one = queries_for(client, url)
    for _ in range(20):
        failed_mail(ticket)
    many = queries_for(client, url)

    assert none == one == many


@pytest.mark.parametrize("person", ["agent", "supervisor", "admin"])
def test_a_ticket_page_with_failed_mail_has_labelled_controls_and_unique_ids(
    world, as_user, ticket, person
):
    failed_mail(ticket)
    failed_mail(ticket)

    page = page_of(as_user(getattr(world, person)), refreshed(ticket))

    assert unlabelled_controls(page) == []
    assert duplicate_ids(page) == set()
