"""Authentication-Results (RFC 8601): did a server the admin trusts verify the From domain?

Anybody can write an Authentication-Results header into their mail. Only a
header whose authserv-id is listed in MAIL_TRUSTED_AUTHSERV_IDS counts, and
only when the MTA that adds it removes headers claiming that id from incoming
mail (RFC 8601 section 5; Postfix with OpenDMARC, rspamd and Exim all do).
The first trusted header is the one our MTA added last, so only it is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mail import conf

_COMMENT = re.compile(r"\([^()]*\)")
_PAIR = re.compile(r"([A-Za-z0-9_.\-/]+)\s*=\s*(\"[^\"]*\"|[^\s;]+)")


@dataclass(frozen=True)
class Verdict:
    authserv_id: str
    # (method, result, properties) per result, e.g. ("dkim", "pass", {"header.d": "a.example"})
    results: list[tuple[str, str, dict[str, str]]]


def _without_comments(value: str) -> str:
    # Comments nest (RFC 5322 CFWS): strip the innermost until none is left.
    while True:
        stripped = _COMMENT.sub(" ", value)
        if stripped == value:
            return value
        value = stripped


def parse(value: str) -> Verdict | None:
    """One Authentication-Results value; None when it has no authserv-id."""
    parts = _without_comments(value).split(";")
    head = parts[0].split()
    if not head:
        return None
    results: list[tuple[str, str, dict[str, str]]] = []
    for part in parts[1:]:
        pairs = [(key.lower(), item.strip('"')) for key, item in _PAIR.findall(part)]
        if not pairs:
            continue
        (method, result), properties = pairs[0], dict(pairs[1:])
        results.append((method.split("/")[0], result.lower(), properties))
    return Verdict(authserv_id=head[0].lower(), results=results)


def _domain_of(value: str) -> str:
    # header.i is "@domain" or "user@domain"; header.d and header.from are domains.
    return value.rpartition("@")[2].strip().rstrip(".").lower()


def verified_domain(headers: Iterable[str], from_domain: str) -> str:
    """How a trusted server verified ``from_domain`` ("dmarc=pass by mx..."), or "".

    A DMARC pass for the From domain, or a DKIM pass whose signing domain is the
    From domain itself (a signature of another domain says nothing about From).
    """
    trusted = conf.trusted_authserv_ids()
    from_domain = from_domain.lower()
    if not trusted or not from_domain:
        return ""
    for value in headers:
        verdict = parse(value)
        if verdict is None or verdict.authserv_id not in trusted:
            continue
        for method, result, properties in verdict.results:
            if result != "pass":
                continue
            if method == "dmarc" and _domain_of(properties.get("header.from", "")) == from_domain:
                return f"dmarc=pass for {from_domain} by {verdict.authserv_id}"
            signer = properties.get("header.d") or properties.get("header.i", "")
            if method == "dkim" and _domain_of(signer) == from_domain:
                return f"dkim=pass for {from_domain} by {verdict.authserv_id}"
        # Only the topmost trusted header: it is the one our own MTA added.
        return ""
    return ""
