"""What the corpus modules compose messages with: encoders and shared content."""

from __future__ import annotations

import base64
import binascii
import quopri

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
RUSSIAN = "Здравствуйте! У меня не работает почта, помогите пожалуйста разобраться."
FROM = "From: Test Sender <sender@test.example>\nTo: support@frontdesk.example\n"


def b64(data: bytes) -> str:
    """Base64 in 76-character lines, as MIME writers wrap it."""
    encoded = base64.b64encode(data).decode("ascii")
    return "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def qp(text: str, charset: str = "utf-8") -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def word(text: str, charset: str = "utf-8") -> str:
    """One RFC 2047 encoded word, base64."""
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


def qword(text: str, charset: str) -> str:
    """One RFC 2047 encoded word, quoted-printable."""
    encoded = "".join(
        "_" if byte == 32 else (chr(byte) if chr(byte).isalnum() and byte < 128 else f"={byte:02X}")
        for byte in text.encode(charset)
    )
    return f"=?{charset}?Q?{encoded}?="


def uuencode(name: str, data: bytes) -> str:
    """A uuencoded block as the old uuencode(1) writes it, with backticks for zeros."""
    lines = [binascii.b2a_uu(data[i : i + 45], backtick=True) for i in range(0, len(data), 45)]
    return f"begin 644 {name}\n" + b"".join(lines).decode("ascii") + "`\nend\n"


def eml(template: str, **raw: bytes) -> bytes:
    """A message from a template; ``{name}`` placeholders take raw bytes (8-bit bodies)."""
    data = template.lstrip("\n").encode("utf-8")
    for name, value in raw.items():
        data = data.replace(b"{" + name.encode("ascii") + b"}", value)
    return data


def simple(name: str, headers: str, text: str = "Hello.\n", **raw: bytes) -> tuple[str, bytes]:
    """A message from ``headers`` (From, To, Subject... as needed) and a body ``text``."""
    return name, eml(headers.strip("\n") + "\n\n" + text, **raw)
