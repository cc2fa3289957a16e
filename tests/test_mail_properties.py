"""Whatever arrives, the parser never raises and ingestion never loses it (hypothesis).

The corpus in tests/mail/ holds messages people wrote on purpose; here
hypothesis writes the rest: arbitrary bytes, and messages built from header
lines, encodings, charsets and MIME parts put together at random, broken on
purpose. Every one must parse, and every one must be stored (as a ticket's
mail or in quarantine) with its raw bytes as they came, once.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mail.ingest import ingest, read_raw
from mail.models import InboundMessage, QuarantinedMessage
from mail.parse import parse
from tickets.models import Ticket

HEADER_NAMES = st.sampled_from(
    [
        "From",
        "To",
        "Cc",
        "Subject",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Date",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Content-Disposition",
        "MIME-Version",
        "Auto-Submitted",
        "Precedence",
        "Reply-To",
        "X-Frontdesk-Loop",
        "Delivered-To",
    ]
)
HEADER_VALUES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "alice@a.example",
            "Alice <alice@a.example>",
            '"Bob, B." <bob@b.example>, carol@c.example',
            "=?utf-8?b?0J/RgNC40LLQtdGC?=",
            "=?koi8-r?q?=F0=D2=C9?= broken",
            "multipart/mixed; boundary=XYZ",
            'multipart/alternative; boundary="----=_NextPart_000"',
            "text/plain; charset=unknown-8bit",
            "text/html; charset=utf-16",
            "base64",
            "quoted-printable",
            "x-uuencode",
            "attachment; filename*=UTF-8''%E2%80%AEfdp.exe",
            "<fd.1.0123456789abcdef.0123456789abcdef0123456789abcdef@example>",
            "[#1] Re: help",
            "auto-replied",
            "bulk",
        ]
    ),
)
BODIES = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=600).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"--XYZ\r\nContent-Type: text/plain\r\n\r\nHello\r\n--XYZ--\r\n",
            b"--XYZ\r\nContent-Type: text/html\r\n\r\n<script>x</script>\r\n",
            b"begin 644 a.txt\r\n#86)C\r\n`\r\nend\r\n",
            b"SGVsbG8gd29ybGQ",
            b"=C3=A4=\r\n=ZZ",
            b"\x00\x00\xff\xfe",
        ]
    ),
)


@st.composite
def messages(draw: Any) -> bytes:
    headers = draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=12))
    ending = draw(st.sampled_from([b"\r\n", b"\n"]))
    lines = [f"{name}: {value}".encode("utf-8", "surrogatepass") for name, value in headers]
    if draw(st.booleans()):
        # A continuation line without its leading space, or a line that is no header.
        lines.insert(draw(st.integers(0, len(lines))), draw(st.binary(max_size=40)))
    return ending.join(lines) + ending + ending + draw(BODIES)


RAW = st.one_of(messages(), st.binary(max_size=2000))
FEW = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FEW
@given(raw=RAW)
def test_the_parser_never_raises(raw: bytes) -> None:
    parsed = parse(raw)
    assert isinstance(parsed.text, str)
    assert isinstance(parsed.problems, list)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=RAW)
def test_ingestion_keeps_every_message_once_with_its_raw_bytes(
    world: Any, media_root: Any, raw: bytes
) -> None:
    with transaction.atomic():
        first = ingest(raw, "fuzz")
        assert first.stored
        kept = first.inbound.raw if first.inbound is not None else first.quarantined.raw  # type: ignore[union-attr]
        assert read_raw(kept.name) == raw
        rows = (
            InboundMessage.objects.count(),
            QuarantinedMessage.objects.count(),
            Ticket.objects.count(),
        )
        again = ingest(raw, "fuzz")
        assert again.stored
        # The same bytes again add no mail, no quarantine entry, no ticket.
        assert (
            InboundMessage.objects.count(),
            QuarantinedMessage.objects.count(),
            Ticket.objects.count(),
        ) == rows
        transaction.set_rollback(True)
