"""The mail overview and the failing-mailbox banner, for administrators (S27, S31, S32)."""

import socket

import pytest

from mail.fetch import poll
from mail.ingest import quarantine
from mail.models import (
    Mailbox,
    OutgoingKind,
    OutgoingMail,
    OutgoingState,
    QuarantinedMessage,
    Security,
)
from tests.panel.helpers import queries_for


def mailbox(name: str = "Support inbox", *, failures: int = 0, **extra) -> Mailbox:
    return Mailbox.objects.create(
        name=name,
        host="127.0.0.1",
        username="support",
        consecutive_failures=failures,
        last_error="LOGIN failed: authentication failed" if failures else "",
        **extra,
    )


def outgoing(ticket, state: str, number: int) -> OutgoingMail:
    return OutgoingMail.objects.create(
        ticket=ticket,
        kind=OutgoingKind.ANSWER,
        from_address="support@frontdesk.example",
        to=[ticket.requester_email],
        recipient=ticket.requester_email,
        subject="Answer",
        text="Answer",
        message_id=f"overview-{number}@frontdesk.example",
        state=state,
        last_error="SMTPServerDisconnected" if state == OutgoingState.FAILED else "",
    )


def test_the_overview_counts_waiting_quarantine_and_failed_outgoing_mail(world, as_user):
    quarantine(b"Subject: one\r\n\r\nbody one\r\n", "mailgate", "ValueError: one")
    quarantine(b"Subject: two\r\n\r\nbody two\r\n", "mailgate", "ValueError: two")
    done = quarantine(b"Subject: three\r\n\r\nbody three\r\n", "mailgate", "ValueError: three")
    QuarantinedMessage.objects.filter(pk=done.pk).update(resolved=True)
    ticket = world.ticket()
    for number, state in enumerate([OutgoingState.FAILED, OutgoingState.FAILED, "sent", "queued"]):
        outgoing(ticket, state, number)

    page = as_user(world.admin).get("/panel/mail/").content.decode()

    assert 'id="quarantine-count"><a href="/panel/mail/quarantine/"' in page
    assert "2 waiting" in page
    assert 'id="failed-mail-count">2<' in page


def test_the_overview_lists_failing_mailboxes_with_their_last_error(world, as_user, settings):
    settings.MAIL_MAILBOX_ALERT_AFTER = 3
    failing = mailbox("Billing inbox", failures=3, queue=world.billing)
    mailbox("Fine inbox", failures=2)
    mailbox("Switched off", failures=9, is_active=False)

    page = as_user(world.admin).get("/panel/mail/").content.decode()

    listed = page.split('id="failing-mailboxes"')[1].split("</ul>")[0]
    assert f'id="mailbox-{failing.pk}"' in listed
    assert "Billing inbox" in listed and "queue Billing" in listed
    assert "Failed 3 times in a row" in listed and "last success never" in listed
    assert "LOGIN failed: authentication failed" in listed
    assert "Fine inbox" not in page and "Switched off" not in page


def test_the_overview_warns_about_active_mailboxes_without_encryption(world, as_user):
    plain = mailbox("Plain inbox", security=Security.NONE, queue=world.sales)
    mailbox("Encrypted inbox", security=Security.STARTTLS)
    mailbox("Switched off plain", security=Security.NONE, is_active=False)

    page = as_user(world.admin).get("/panel/mail/").content.decode()

    warning = page.split('id="insecure-mailboxes"')[1].split("</section>")[0]
    assert "send their password and every message in plain text" in warning
    assert f'id="insecure-mailbox-{plain.pk}"' in warning
    assert f'href="/admin/mail/mailbox/{plain.pk}/change/"' in warning
    assert "Plain inbox" in warning and "queue Sales" in warning
    assert "Encrypted inbox" not in warning and "Switched off plain" not in warning


def test_the_overview_has_no_encryption_warning_when_every_mailbox_is_encrypted(world, as_user):
    mailbox(security=Security.TLS)

    assert (
        'id="insecure-mailboxes"' not in as_user(world.admin).get("/panel/mail/").content.decode()
    )


def test_the_overview_says_when_every_mailbox_is_fine(world, as_user):
    mailbox(failures=0)

    page = as_user(world.admin).get("/panel/mail/").content.decode()

    assert 'id="no-failing-mailboxes"' in page
    assert 'id="mailbox-alert"' not in page


@pytest.mark.parametrize("person", ["customer_a", "agent", "supervisor"])
def test_only_administrators_see_the_mail_overview(world, as_user, person):
    assert as_user(getattr(world, person)).get("/panel/mail/").status_code == 403


def test_the_toolbar_has_a_mail_link_for_administrators_only(world, as_user):
    assert 'id="nav-mail"' in as_user(world.admin).get("/panel/").content.decode()
    for person in (world.agent, world.supervisor):
        assert 'id="nav-mail"' not in as_user(person).get("/panel/").content.decode()


def refused_port() -> socket.socket:
    """A loopback port bound but not listening: connecting to it is refused at once."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    return holder


def test_a_mailbox_that_keeps_failing_raises_a_banner_on_every_admin_page(world, as_user, settings):
    settings.MAIL_MAILBOX_ALERT_AFTER = 2
    ticket = world.ticket()
    client = as_user(world.admin)
    with refused_port() as holder:
        box = mailbox(port=holder.getsockname()[1], security=Security.NONE)

        poll(box)
        assert 'id="mailbox-alert"' not in client.get("/panel/").content.decode()
        poll(box)

    for url in ("/panel/", f"/panel/tickets/{ticket.number}/", "/panel/queues/", "/panel/mail/"):
        page = client.get(url).content.decode()
        banner = page.split('id="mailbox-alert"')[1].split("</aside>")[0]
        assert "Mail is not being fetched." in banner, url
        assert "Support inbox" in banner, url
        assert 'href="/panel/mail/" id="mailbox-alert-link"' in banner, url


def test_supervisors_and_agents_get_no_mailbox_banner(world, as_user):
    mailbox(failures=10)
    ticket = world.ticket(queue=world.billing)

    assert 'id="mailbox-alert"' not in as_user(world.supervisor).get("/panel/").content.decode()
    page = as_user(world.agent).get("/panel/").content.decode()
    assert 'id="mailbox-alert"' not in page
    url = f"/panel/tickets/{ticket.number}/"
    assert 'id="mailbox-alert"' not in as_user(world.supervisor).get(url).content.decode()


def test_the_banner_goes_once_the_mailbox_is_polled_again(world, as_user):
    box = mailbox(failures=10)
    client = as_user(world.admin)
    assert 'id="mailbox-alert"' in client.get("/panel/").content.decode()

    Mailbox.objects.filter(pk=box.pk).update(consecutive_failures=0, last_error="")

    assert 'id="mailbox-alert"' not in client.get("/panel/").content.decode()


def test_a_switched_off_mailbox_raises_no_banner(world, as_user):
    mailbox(failures=10, is_active=False)

    assert 'id="mailbox-alert"' not in as_user(world.admin).get("/panel/").content.decode()


def test_a_mailbox_name_in_the_banner_is_text(world, as_user):
    mailbox("<script>alert(1)</script>", failures=10)

    page = as_user(world.admin).get("/panel/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_banner_costs_an_administrator_one_query_whether_or_not_a_mailbox_fails(world, as_user):
    client = as_user(world.admin)
    quiet = queries_for(client, "/panel/queues/")
    mailbox("One", failures=10)
    mailbox("Two", failures=10)

    assert queries_for(client, "/panel/queues/") == quiet
