"""The quarantine pages (S31): administrators see what failed and re-process it."""

from itertools import count

import pytest

from mail.ingest import quarantine, read_raw
from mail.models import OutgoingMail, QuarantinedMessage
from tests.panel.helpers import duplicate_ids, rendered_form, unlabelled_controls
from tickets.models import Ticket

_numbers = count(1)


def raw_mail(
    *, sender: str = "Alice <alice@a.example>", subject: str = "Printer on fire", body: str = ""
) -> bytes:
    number = next(_numbers)
    lines = [
        *([f"From: {sender}"] if sender else []),
        "To: support@frontdesk.example",
        f"Subject: {subject}",
        f"Message-ID: <quarantined-{number}@a.example>",
        "Date: Mon, 02 Jun 2025 10:00:00 +0000",
        "",
        body or f"It is on fire ({number}). Please help.",
        "",
    ]
    return "\r\n".join(lines).encode()


def quarantined(raw: bytes, error: str = "ZeroDivisionError: division by zero"):
    """An entry as ingest leaves it when processing raised; the cause is gone by now."""
    traceback = 'Traceback (most recent call last):\n  File "route.py", line 1\n' + error
    return quarantine(raw, "mailgate", error, traceback)


def entry_url(entry) -> str:
    return f"/panel/mail/quarantine/{entry.pk}/"


def reprocess_url(entry) -> str:
    return f"/panel/mail/quarantine/{entry.pk}/reprocess/"


def test_an_administrator_sees_each_message_with_sender_subject_error_and_attempts(world, as_user):
    entry = quarantined(raw_mail(sender="Bob <bob@b.example>", subject="Broken invoice"))
    quarantine(read_raw(entry.raw.name), "mailgate", "ValueError: again")

    page = as_user(world.admin).get("/panel/mail/quarantine/").content.decode()

    row = page.split(f'id="entry-{entry.pk}"')[1].split("</tr>")[0]
    assert "Bob &lt;bob@b.example&gt;" in row
    assert "Broken invoice" in row
    assert "ValueError: again" in row
    assert "<td>2</td>" in row
    assert f'href="{entry_url(entry)}"' in row


def test_resolved_messages_are_hidden_until_asked_for(world, as_user):
    waiting = quarantined(raw_mail(subject="Still waiting"))
    done = quarantined(raw_mail(subject="Long done"))
    QuarantinedMessage.objects.filter(pk=done.pk).update(resolved=True)
    client = as_user(world.admin)

    hidden = client.get("/panel/mail/quarantine/").content.decode()
    shown = client.get("/panel/mail/quarantine/?show=all").content.decode()

    assert "Still waiting" in hidden and "Long done" not in hidden
    assert 'href="/panel/mail/quarantine/?show=all"' in hidden
    assert "Still waiting" in shown and "Long done" in shown
    assert f'id="entry-{done.pk}" class="resolved"' in shown
    assert f'id="entry-{waiting.pk}">' in shown


def test_an_empty_quarantine_says_so(world, as_user):
    page = as_user(world.admin).get("/panel/mail/quarantine/").content.decode()

    assert "Nothing is waiting in quarantine." in page


def test_html_in_a_quarantined_sender_or_subject_is_shown_as_text(world, as_user):
    # The second script hides in an RFC 2047 encoded word, decoded for display.
    entry = quarantined(
        raw_mail(
            sender='"<img src=x onerror=alert(1)>" <evil@x.example>',
            subject="<script>alert(1)</script> =?utf-8?b?PHNjcmlwdD5hbGVydCgyKTwvc2NyaXB0Pg==?=",
        ),
        error="ValueError: <b>bold</b>",
    )
    client = as_user(world.admin)

    for url in ("/panel/mail/quarantine/", entry_url(entry)):
        page = client.get(url).content.decode()
        assert "<script>" not in page and "<img" not in page and "<b>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, url
        assert "ValueError: &lt;b&gt;bold&lt;/b&gt;" in page, url


def test_headers_in_raw_utf_8_or_with_hidden_controls_are_still_shown_safely(world, as_user):
    raw = raw_mail(subject="Grüße \u202eexe.gpj").replace(
        b"Subject:", b"X-Broken: =?no-such-charset?q?abc?=\r\nSubject:"
    )
    entry = quarantined(raw)

    page = as_user(world.admin).get(entry_url(entry)).content.decode()

    assert "Grüße \N{REPLACEMENT CHARACTER}exe.gpj" in page
    assert "\u202e" not in page
    assert "=?no-such-charset?q?abc?=" in page


def test_the_entry_page_shows_the_error_the_traceback_and_the_headers(world, as_user):
    entry = quarantined(raw_mail(subject="Broken"), error="KeyError: 'queue'")

    page = as_user(world.admin).get(entry_url(entry)).content.decode()

    assert "KeyError: &#x27;queue&#x27;" in page
    assert "Traceback (most recent call last):" in page
    headers = page.split('id="entry-headers"')[1].split("</dl>")[0]
    assert "<dt>Subject</dt><dd>Broken</dd>" in headers
    assert "<dt>To</dt><dd>support@frontdesk.example</dd>" in headers
    assert 'id="reprocess-button"' in page
    assert f'href="/panel/mail/quarantine/{entry.pk}/raw/"' in page


def test_the_raw_message_downloads_as_bytes_a_browser_never_renders(world, as_user):
    raw = raw_mail(subject="<script>alert(1)</script>")
    entry = quarantined(raw)

    response = as_user(world.admin).get(f"/panel/mail/quarantine/{entry.pk}/raw/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == raw
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'attachment; filename="quarantined-{entry.pk}.eml"; '
        f"filename*=UTF-8''quarantined-{entry.pk}.eml"
    )
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_message_whose_raw_file_is_gone_is_listed_but_not_downloadable(world, as_user):
    entry = quarantined(raw_mail(subject="Vanished"))
    entry.raw.storage.delete(entry.raw.name)
    client = as_user(world.admin)

    assert "(raw message missing)" in client.get("/panel/mail/quarantine/").content.decode()
    assert "The raw message is missing." in client.get(entry_url(entry)).content.decode()
    assert client.get(f"/panel/mail/quarantine/{entry.pk}/raw/").status_code == 404


def test_re_processing_a_message_whose_raw_file_is_gone_says_so(world, as_user):
    entry = quarantined(raw_mail(subject="Vanished"))
    entry.raw.storage.delete(entry.raw.name)

    page = as_user(world.admin).post(reprocess_url(entry), follow=True).content.decode()

    assert "The raw message could not be read" in page
    entry.refresh_from_db()
    assert (entry.resolved, entry.attempts) == (False, 1)


def test_re_processing_a_message_whose_cause_is_fixed_opens_a_ticket(world, as_user):
    entry = quarantined(raw_mail(subject="Was broken, works now"))
    client = as_user(world.admin)

    response = client.post(reprocess_url(entry))

    assert response.status_code == 302 and response["Location"] == entry_url(entry)
    ticket = Ticket.objects.get(title="Was broken, works now")
    assert ticket.requester_email == "alice@a.example"
    entry.refresh_from_db()
    assert entry.resolved and entry.inbound is not None
    page = client.get(response["Location"]).content.decode()
    assert f"Re-processed: Opened a ticket. Ticket #{ticket.number}." in page
    assert f'href="/panel/tickets/{ticket.number}/" id="entry-ticket"' in page
    assert 'id="reprocess-button"' not in page


def test_re_processing_a_reply_adds_it_to_its_ticket(world, as_user):
    ticket = world.ticket(title="Cannot log in")
    entry = quarantined(raw_mail(subject=f"Re: [#{ticket.number}] Cannot log in"))

    page = as_user(world.admin).post(reprocess_url(entry), follow=True).content.decode()

    assert "Re-processed: Added a customer reply." in page
    assert f'href="/panel/tickets/{ticket.number}/" id="entry-ticket"' in page
    assert ticket.messages.count() == 2
    assert Ticket.objects.count() == 1


def test_a_message_that_still_fails_stays_with_the_new_error(world, as_user):
    entry = quarantined(raw_mail(sender=""), error="ZeroDivisionError: division by zero")

    page = as_user(world.admin).post(reprocess_url(entry), follow=True).content.decode()

    assert "Still failing: Unprocessable: The message has no single sender" in page
    entry.refresh_from_db()
    assert not entry.resolved and entry.attempts == 2
    assert entry.error.startswith("Unprocessable:")
    assert 'id="entry-attempts">2<' in page
    assert not Ticket.objects.exists()


def test_a_resolved_message_is_not_processed_twice(world, as_user):
    entry = quarantined(raw_mail(subject="Once"))
    client = as_user(world.admin)
    client.post(reprocess_url(entry))

    page = client.post(reprocess_url(entry), follow=True).content.decode()

    assert "This message was processed already." in page
    assert Ticket.objects.filter(title="Once").count() == 1


def test_an_unknown_entry_is_not_found(world, as_user):
    client = as_user(world.admin)

    assert client.get("/panel/mail/quarantine/4242/").status_code == 404
    assert client.get("/panel/mail/quarantine/4242/raw/").status_code == 404
    assert client.post("/panel/mail/quarantine/4242/reprocess/").status_code == 404


@pytest.mark.parametrize("person", ["customer_a", "agent", "supervisor"])
def test_only_administrators_see_the_quarantine(world, as_user, person):
    entry = quarantined(raw_mail(subject="Secret"))
    client = as_user(getattr(world, person))

    for url in ("/panel/mail/quarantine/", entry_url(entry), f"{entry_url(entry)}raw/"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("person", ["customer_a", "agent", "supervisor"])
def test_only_administrators_re_process(world, as_user, person):
    entry = quarantined(raw_mail(subject="Not yours to re-run"))

    response = as_user(getattr(world, person)).post(reprocess_url(entry))

    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.resolved, entry.attempts) == (False, 1)
    assert not Ticket.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    entry = quarantined(raw_mail())

    response = client.post(reprocess_url(entry))

    assert response.status_code == 302 and "login" in response["Location"]
    assert not QuarantinedMessage.objects.get().resolved


def test_re_processing_is_a_post_only(world, as_user):
    entry = quarantined(raw_mail())

    assert as_user(world.admin).get(reprocess_url(entry)).status_code == 405
    assert not Ticket.objects.exists()


def test_the_quarantine_pages_have_labelled_controls_and_unique_ids(world, as_user):
    entry = quarantined(raw_mail())
    quarantined(raw_mail())
    unmatched_bounce()
    unmatched_bounce()
    client = as_user(world.admin)

    for url in ("/panel/mail/quarantine/", entry_url(entry)):
        page = client.get(url).content.decode()
        assert unlabelled_controls(page) == [], url
        assert duplicate_ids(page) == set(), url


# Automatic mail that matched no ticket (issue 12): shown here, and can be filed.


def unmatched_bounce(recipient: str = "gone@a.example"):
    """A bounce of mail Frontdesk never sent: it matches no ticket and is set aside."""
    from mail.ingest import ingest
    from tests.fixtures_mail import dsn_bounce

    raw = dsn_bounce("From: someone@elsewhere.example\nSubject: Old news", recipient=recipient)
    result = ingest(raw, "mailgate")
    assert result.inbound is not None and result.inbound.outcome == "ignored"
    return result.inbound


def unmatched_url(inbound) -> str:
    return f"/panel/mail/quarantine/unmatched/{inbound.pk}/reprocess/"


def test_a_bounce_that_matches_no_ticket_is_listed_with_why_it_was_set_aside(world, as_user):
    inbound = unmatched_bounce()

    page = as_user(world.admin).get("/panel/mail/quarantine/").content.decode()

    row = page.split(f'id="unmatched-{inbound.pk}"')[1].split("</tr>")[0]
    assert "Mail Delivery System &lt;MAILER-DAEMON@mx.a.example&gt;" in row
    assert "Undelivered Mail Returned to Sender" in row
    assert "Auto-Submitted: auto-replied" in row
    assert f'action="{unmatched_url(inbound)}"' in row


def test_an_administrator_files_an_unmatched_bounce_as_a_ticket(world, as_user):
    inbound = unmatched_bounce(recipient="lost@customer.example")
    client = as_user(world.admin)
    page = client.get("/panel/mail/quarantine/").content.decode()

    response = client.post(
        unmatched_url(inbound), rendered_form(page, f"unmatched-form-{inbound.pk}")
    )

    assert response.status_code == 302 and response["Location"] == "/panel/mail/quarantine/"
    ticket = Ticket.objects.get()
    assert ticket.title == "Undelivered Mail Returned to Sender"
    assert "lost@customer.example" in ticket.messages.get().text
    inbound.refresh_from_db()
    assert inbound.outcome == "new_ticket" and inbound.ticket == ticket
    assert "as a person's mail" in inbound.match_detail
    # No confirmation goes to a mailer daemon.
    assert not OutgoingMail.objects.filter(ticket=ticket).exists()
    after = client.get(response["Location"]).content.decode()
    assert f"Opened a ticket. Ticket #{ticket.number}." in after
    assert f'id="unmatched-{inbound.pk}"' not in after


def test_an_unmatched_bounce_is_filed_once(world, as_user):
    inbound = unmatched_bounce()
    client = as_user(world.admin)

    client.post(unmatched_url(inbound))
    page = client.post(unmatched_url(inbound), follow=True).content.decode()

    assert "This message was processed already." in page
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("person", ["customer_a", "agent", "supervisor"])
def test_only_administrators_file_unmatched_mail(world, as_user, person):
    inbound = unmatched_bounce()

    assert as_user(getattr(world, person)).post(unmatched_url(inbound)).status_code == 403
    assert as_user(world.admin).get(unmatched_url(inbound)).status_code == 405
    assert not Ticket.objects.exists()


def test_the_mail_page_counts_the_automatic_mail_set_aside_and_links_to_it(world, as_user):
    unmatched_bounce()
    unmatched_bounce()

    page = as_user(world.admin).get("/panel/mail/").content.decode()

    count = page.split('id="unmatched-count"')[1].split("</dd>")[0]
    assert "2 set aside" in count
    assert 'href="/panel/mail/quarantine/#unmatched-heading"' in count
