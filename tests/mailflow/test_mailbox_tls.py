"""Polling over TLS and STARTTLS (real Dovecot): the server's certificate and name are
checked before the password leaves, and STARTTLS is never skipped."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from mail.fetch import failing_mailboxes, poll
from mail.models import Mailbox, Protocol, Security
from tests.fixtures_mail import (
    PASSWORD,
    Dovecot,
    MailCertificates,
    make_mail,
    run_dovecot,
)
from tickets.models import Ticket

BOTH = pytest.mark.parametrize("protocol", [Protocol.IMAP, Protocol.POP3])


@pytest.fixture(scope="module")
def dovecot_without_tls() -> Iterator[Dovecot]:
    """A server with no TLS at all, so it offers no STARTTLS either."""
    with run_dovecot(tls=None) as server:
        yield server


@pytest.fixture(scope="module")
def dovecot_for_another_name(mail_certificates: MailCertificates) -> Iterator[Dovecot]:
    """A server whose certificate, signed by the test CA, is for mail.other.example."""
    with run_dovecot(tls=mail_certificates.other_name) as server:
        yield server


@pytest.fixture(scope="module")
def dovecot_self_signed(mail_certificates: MailCertificates) -> Iterator[Dovecot]:
    """A server with a self-signed certificate for 127.0.0.1 and localhost."""
    with run_dovecot(tls=mail_certificates.self_signed) as server:
        yield server


def _mailbox(
    server: Dovecot, protocol: str, security: str, *, host: str = "127.0.0.1", ca_file: str = ""
) -> Mailbox:
    """A mailbox on ``server`` holding one message, on the port its security calls for."""
    user = server.new_user()
    server.append(user, make_mail(subject="Over the wire"))
    # The delivery logs in as the same user: let its lines land before a test reads on.
    _wait_for_log(
        server,
        0,
        lambda text: any(
            f" imap({user})<" in line and "Logged out" in line for line in text.splitlines()
        ),
    )
    if security == Security.TLS:
        port = server.imaps_port if protocol == Protocol.IMAP else server.pop3s_port
    else:
        port = server.imap_port if protocol == Protocol.IMAP else server.pop3_port
    return Mailbox.objects.create(
        name=user,
        protocol=protocol,
        host=host,
        port=port,
        security=security,
        ca_file=ca_file,
        username=user,
        password=PASSWORD,
    )


def _wait_for_log(server: Dovecot, offset: int, done: Callable[[str], bool]) -> str:
    """The server's log from ``offset`` on, once ``done`` holds for it (Dovecot logs late)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        text = server.log()[offset:]
        if done(text):
            return text
        time.sleep(0.02)
    pytest.fail(f"Dovecot did not log what the test waits for:\n{server.log()[offset:]}")


def _logged_after(server: Dovecot, offset: int, mailbox: Mailbox) -> str:
    """What the server logged about the connection, once it logged it closed or logged in."""
    return _wait_for_log(
        server,
        offset,
        lambda text: (
            "-login: Info: Disconnected" in text or f"Login: user=<{mailbox.username}>" in text
        ),
    )


def _assert_refused_without_login(server: Dovecot, offset: int, mailbox: Mailbox) -> None:
    logged = _logged_after(server, offset, mailbox)
    # Dovecot words it by how soon the client hung up: both say no login was tried.
    assert "no auth attempts" in logged or "disconnected before auth was ready" in logged, logged
    assert f"user=<{mailbox.username}>" not in logged, logged
    assert [uid for uid, _ in server.inbox(mailbox.username)] != []
    assert not Ticket.objects.exists()
    stored = Mailbox.objects.get(pk=mailbox.pk)
    assert stored.consecutive_failures == 1
    assert "Traceback" not in stored.last_error and "\n" not in stored.last_error


def _poll_logged(server: Dovecot, mailbox: Mailbox) -> tuple[str, int]:
    offset = len(server.log())
    return poll(mailbox).error, offset


@BOTH
@pytest.mark.parametrize("pinned", ["", "other_ca"])
def test_tls_refuses_a_certificate_no_trusted_authority_signed(
    mail_world, dovecot, mail_certificates, protocol, pinned
):
    ca_file = str(getattr(mail_certificates, pinned)) if pinned else ""
    mailbox = _mailbox(dovecot, protocol, Security.TLS, ca_file=ca_file)

    error, offset = _poll_logged(dovecot, mailbox)

    assert error.startswith("certificate verify failed: unable to get local issuer certificate. ")
    assert "set the mailbox's CA file" in error and "The password was not sent." in error
    assert Mailbox.objects.get(pk=mailbox.pk).last_error == error
    _assert_refused_without_login(dovecot, offset, mailbox)


@BOTH
@pytest.mark.parametrize("security", [Security.TLS, Security.STARTTLS])
def test_the_pinned_ca_lets_the_mailbox_fetch_over_tls(
    mail_world, dovecot, mail_certificates, protocol, security
):
    mailbox = _mailbox(dovecot, protocol, security, ca_file=str(mail_certificates.ca))
    offset = len(dovecot.log())

    result = poll(mailbox)

    assert (result.stored, result.error) == (1, "")
    assert Ticket.objects.get().title == "Over the wire"
    assert dovecot.inbox(mailbox.username) == []
    login = next(
        line
        for line in _logged_after(dovecot, offset, mailbox).splitlines()
        if f"Login: user=<{mailbox.username}>" in line
    )
    assert ", TLS," in login, login


@BOTH
def test_a_self_signed_server_works_once_its_certificate_is_pinned(
    mail_world, dovecot_self_signed, mail_certificates, protocol
):
    server = dovecot_self_signed
    refused = _mailbox(server, protocol, Security.TLS)
    pinned = _mailbox(
        server, protocol, Security.TLS, ca_file=str(mail_certificates.self_signed.cert)
    )

    assert poll(refused).error.startswith("certificate verify failed: self-signed certificate. ")
    assert (poll(pinned).stored, Mailbox.objects.get(pk=pinned.pk).last_error) == (1, "")


@BOTH
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_tls_refuses_a_certificate_for_another_host_name(
    mail_world, dovecot_for_another_name, mail_certificates, protocol, host
):
    server = dovecot_for_another_name
    mailbox = _mailbox(server, protocol, Security.TLS, host=host, ca_file=str(mail_certificates.ca))

    error, offset = _poll_logged(server, mailbox)

    kind = "Hostname" if host == "localhost" else "IP address"
    assert error.startswith(
        f"certificate verify failed: {kind} mismatch, certificate is not valid for '{host}'. "
    )
    assert f"The certificate names another host than {host}." in error
    _assert_refused_without_login(server, offset, mailbox)


@BOTH
def test_starttls_refuses_a_certificate_no_trusted_authority_signed(mail_world, dovecot, protocol):
    mailbox = _mailbox(dovecot, protocol, Security.STARTTLS)

    error, offset = _poll_logged(dovecot, mailbox)

    assert error.startswith("certificate verify failed: unable to get local issuer certificate. ")
    _assert_refused_without_login(dovecot, offset, mailbox)


@BOTH
def test_starttls_is_refused_when_the_server_does_not_offer_it(
    mail_world, dovecot_without_tls, mail_certificates, protocol
):
    server = dovecot_without_tls
    mailbox = _mailbox(server, protocol, Security.STARTTLS, ca_file=str(mail_certificates.ca))

    error, offset = _poll_logged(server, mailbox)

    assert error == (
        "127.0.0.1 does not offer STARTTLS, so the password was not sent. Choose TLS if "
        "the server has a TLS port, or ask its administrator to enable STARTTLS."
    )
    _assert_refused_without_login(server, offset, mailbox)


@BOTH
def test_plain_text_still_works_when_chosen(mail_world, dovecot_without_tls, protocol):
    mailbox = _mailbox(dovecot_without_tls, protocol, Security.NONE)

    result = poll(mailbox)

    assert (result.stored, result.error) == (1, "")
    assert dovecot_without_tls.inbox(mailbox.username) == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "No such file or directory"), ("not a certificate\n", "no certificate")],
)
def test_a_ca_file_that_cannot_be_used_fails_the_poll_in_plain_words(
    mail_world, dovecot, tmp_path, content, reason
):
    ca_file = tmp_path / "company-ca.pem"
    if content is not None:
        ca_file.write_text(content)
    mailbox = _mailbox(dovecot, Protocol.IMAP, Security.TLS, ca_file=str(ca_file))

    error, offset = _poll_logged(dovecot, mailbox)

    assert error.startswith(f"The CA file {ca_file} cannot be used: ")
    assert reason in error
    assert Mailbox.objects.get(pk=mailbox.pk).consecutive_failures == 1
    assert dovecot.log()[offset:] == ""  # not even a connection


def test_certificate_failures_raise_the_failing_mailbox_alert(mail_world, dovecot, settings):
    settings.MAIL_MAILBOX_ALERT_AFTER = 2
    mailbox = _mailbox(dovecot, Protocol.IMAP, Security.TLS)

    poll(mailbox)
    assert list(failing_mailboxes()) == []
    poll(mailbox)

    assert list(failing_mailboxes()) == [mailbox]
