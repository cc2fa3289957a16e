"""Real mail servers for the mail tests: Dovecot (IMAP, POP3) and an aiosmtpd sink.

Imported by tests/mailflow/conftest.py. Dovecot runs in the foreground with a
configuration of its own in a temporary directory, on free loopback ports; if
it cannot start, the fixture fails (the test command installs it). It speaks
TLS (IMAPS, POP3S, and STARTTLS on the plain ports) with a certificate for
127.0.0.1 and localhost signed by a test CA made for the session with the
``openssl`` command (Dovecot's Debian package depends on it).
"""

from __future__ import annotations

import contextlib
import imaplib
import itertools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.utils import timezone

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
PASSWORD = "secret"
_USERS = 200
_NOBODY = 65534


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    text = log.read_text() if log.exists() else ""
    pytest.fail(f"Dovecot did not start (exit {process.poll()}):\n{text}", pytrace=False)


@dataclass(frozen=True)
class ServerTls:
    cert: Path
    key: Path


@dataclass(frozen=True)
class MailCertificates:
    ca: Path  # the test CA's certificate: what a mailbox pins as its CA file
    other_ca: Path  # a CA that signed nothing any test server shows
    server: ServerTls  # for 127.0.0.1 and localhost, signed by ``ca``
    other_name: ServerTls  # for mail.other.example, signed by ``ca``
    self_signed: ServerTls  # for 127.0.0.1 and localhost, signed by nobody but itself


def _openssl(*args: str | Path) -> None:
    subprocess.run([OPENSSL, *map(str, args)], check=True, capture_output=True)  # noqa: S603


_EC_KEY = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")


def _make_ca(directory: Path, name: str) -> tuple[Path, Path]:
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    _openssl(
        "req", "-x509", *_EC_KEY, "-keyout", key, "-out", cert, "-days", "2",
        "-subj", f"/CN=Frontdesk tests {name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    return cert, key


def _make_self_signed(directory: Path, name: str, names: str) -> ServerTls:
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    _openssl(
        "req", "-x509", *_EC_KEY, "-keyout", key, "-out", cert, "-days", "2",
        "-subj", f"/CN={name}", "-addext", f"subjectAltName = {names}",
        "-addext", "basicConstraints = critical,CA:FALSE",
    )  # fmt: skip
    return ServerTls(cert, key)


def _make_server(directory: Path, name: str, ca: tuple[Path, Path], names: str) -> ServerTls:
    cert, key, request = (directory / f"{name}{end}" for end in (".pem", ".key", ".csr"))
    extensions = directory / f"{name}.ext"
    extensions.write_text(
        f"subjectAltName = {names}\n"
        "basicConstraints = critical,CA:FALSE\n"
        "keyUsage = critical,digitalSignature\n"
        "extendedKeyUsage = serverAuth\n"
    )
    _openssl("req", "-new", *_EC_KEY, "-keyout", key, "-out", request, "-subj", f"/CN={name}")
    _openssl(
        "x509", "-req", "-in", request, "-CA", ca[0], "-CAkey", ca[1],
        "-set_serial", str(secrets.randbits(63)), "-days", "2",
        "-extfile", extensions, "-out", cert,
    )  # fmt: skip
    return ServerTls(cert, key)


@pytest.fixture(scope="session")
def mail_certificates() -> Iterator[MailCertificates]:
    """A test CA, a server certificate for loopback and one for another host name."""
    directory = Path(tempfile.mkdtemp(prefix="frontdesk-tls-"))
    try:
        ca = _make_ca(directory, "ca")
        other_ca, _ = _make_ca(directory, "other-ca")
        yield MailCertificates(
            ca=ca[0],
            other_ca=other_ca,
            server=_make_server(directory, "server", ca, "DNS:localhost,IP:127.0.0.1"),
            other_name=_make_server(directory, "other-name", ca, "DNS:mail.other.example"),
            self_signed=_make_self_signed(directory, "self-signed", "DNS:localhost,IP:127.0.0.1"),
        )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class Dovecot:
    imap_port: int
    pop3_port: int
    imaps_port: int  # 0: no TLS (and then no STARTTLS either)
    pop3s_port: int
    log_path: Path
    _users: Iterator[str] = field(default_factory=lambda: (f"box{n}" for n in range(_USERS)))

    def new_user(self) -> str:
        """A mailbox no other test has touched."""
        return next(self._users)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def append(self, user: str, raw: bytes) -> None:
        """Deliver a message into the user's INBOX."""
        with imaplib.IMAP4("127.0.0.1", self.imap_port) as client:
            client.login(user, PASSWORD)
            # typeshed says str; imaplib returns (status, data) like every command.
            response: Any = client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
            assert response[0] == "OK", response

    def inbox(self, user: str) -> list[tuple[int, set[str]]]:
        """UIDs and flags of what is in the user's INBOX (expunged mail is gone)."""
        with imaplib.IMAP4("127.0.0.1", self.imap_port) as client:
            client.login(user, PASSWORD)
            client.select("INBOX")
            _, data = client.uid("FETCH", "1:*", "(UID FLAGS)")
            found = []
            for item in data:
                if not item:
                    continue
                text = item.decode() if isinstance(item, bytes) else item[0].decode()
                uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
                flags = set(text.split("FLAGS (")[1].split(")")[0].split())
                found.append((uid, flags))
            return found


@pytest.fixture(scope="session")
def dovecot(mail_certificates: MailCertificates) -> Iterator[Dovecot]:
    with run_dovecot(tls=mail_certificates.server) as server:
        yield server


@contextlib.contextmanager
def run_dovecot(*, tls: ServerTls | None) -> Iterator[Dovecot]:
    """A Dovecot of its own; without ``tls`` it speaks plain text only (no STARTTLS)."""
    if not os.path.exists(DOVECOT):
        pytest.fail(
            "Dovecot is not installed: apt-get install dovecot-imapd dovecot-pop3d", pytrace=False
        )
    # Not pytest's tmp_path: its root is private to us, and Dovecot's own users
    # (dovecot, and nobody for the mail) must reach the files.
    root = Path(tempfile.mkdtemp(prefix="frontdesk-dovecot-"))
    root.chmod(0o755)
    for name in ("run", "state", "mail"):
        (root / name).mkdir()
    if os.geteuid() == 0:
        os.chown(root / "mail", _NOBODY, _NOBODY)
    (root / "users").write_text(
        "".join(f"box{n}:{{PLAIN}}{PASSWORD}::::::\n" for n in range(_USERS))
    )
    imap_port, pop3_port = free_port(), free_port()
    imaps_port, pop3s_port = (free_port(), free_port()) if tls else (0, 0)
    ssl = f"ssl = yes\nssl_cert = <{tls.cert}\nssl_key = <{tls.key}" if tls else "ssl = no"
    uid = os.geteuid() if os.geteuid() != 0 else _NOBODY
    gid = os.getegid() if os.geteuid() != 0 else _NOBODY
    config = f"""
protocols = imap pop3
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
{ssl}
# Plain login stays allowed: the tests choose when a connection is encrypted.
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests try wrong passwords on purpose: no delay, and no growing penalty for
# the one address every test connects from.
auth_failure_delay = 0
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {pop3_port}
  }}
  inet_listener pop3s {{
    port = {pop3s_port}
  }}
}}
"""
    if os.geteuid() != 0:
        config += (
            f"default_login_user = {os.environ.get('USER', 'nobody')}\n"
            f"default_internal_user = {os.environ.get('USER', 'nobody')}\n"
        )
    (root / "dovecot.conf").write_text(config)
    process = subprocess.Popen(  # noqa: S603
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=open(root / "stderr.log", "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    try:
        _wait_for_port(imap_port, process, root / "dovecot.log")
        _wait_for_port(pop3_port, process, root / "dovecot.log")
        for port in (imaps_port, pop3s_port) if tls else ():
            _wait_for_port(port, process, root / "dovecot.log")
        yield Dovecot(imap_port, pop3_port, imaps_port, pop3s_port, root / "dovecot.log")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


class _Sink:
    def __init__(self) -> None:
        self.received: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        return "250 OK"


class SmtpSink:
    """aiosmtpd on a fixed loopback port that a test can stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = _Sink()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Envelope]:
        return self.handler.received

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_sink(settings) -> Iterator[SmtpSink]:
    """A running SMTP server, and Django set to send to it (pytest-django forces locmem)."""
    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield sink
    finally:
        sink.stop()


_sequence = itertools.count(1)


def make_mail(
    *,
    sender: str = "Alice <alice@a.example>",
    to: str = "support@frontdesk.example",
    subject: str = "Printer on fire",
    body: str = "It is on fire. Please help.",
    message_id: str | None = "",
    headers: dict[str, str] | None = None,
    html: str | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    linesep: str = "\n",
) -> bytes:
    """An RFC 5322 message as raw bytes; ``message_id=None`` leaves the header out."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    if message_id is not None:
        message["Message-ID"] = message_id or make_msgid(
            idstring=str(next(_sequence)), domain="a.example"
        )
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    raw = message.as_bytes()
    if linesep != "\n":
        raw = raw.replace(b"\n", linesep.encode())
    return raw


def reply_to(
    raw_or_id: str,
    *,
    sender: str = "Alice <alice@a.example>",
    subject: str = "Re: Printer on fire",
    body: str = "Still burning.",
    **kwargs: Any,
) -> bytes:
    """A reply whose In-Reply-To and References name ``raw_or_id``."""
    headers = {"In-Reply-To": f"<{raw_or_id}>", "References": f"<{raw_or_id}>"}
    headers.update(kwargs.pop("headers", {}))
    return make_mail(sender=sender, subject=subject, body=body, headers=headers, **kwargs)


def dsn_bounce(original_headers: str, *, recipient: str = "gone@a.example") -> bytes:
    """A delivery status notification (RFC 3464) quoting the headers of the failed mail."""
    boundary = "dsn-boundary-1"
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.a.example>\n"
        "To: support@frontdesk.example\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        f"Date: {format_datetime(timezone.now())}\n"
        f"Message-ID: <{next(_sequence)}.bounce@mx.a.example>\n"
        "Auto-Submitted: auto-replied\n"
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\n'
        "\n"
        f"--{boundary}\n"
        "Content-Type: text/plain\n\n"
        f"Your message could not be delivered to {recipient}.\n"
        f"--{boundary}\n"
        "Content-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.a.example\n\n"
        f"Final-Recipient: rfc822; {recipient}\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        f"--{boundary}\n"
        "Content-Type: text/rfc822-headers\n\n"
        f"{original_headers}\n"
        f"--{boundary}--\n"
    ).encode()
