"""Where a webhook may be sent: the guard against server-side request forgery.

A webhook URL is typed by an administrator, but it makes the worker send
requests from inside the network. A host that resolves to loopback, private,
link-local, multicast, reserved or otherwise non-global addresses is refused
unless the webhook allows private addresses explicitly. The check runs when
the webhook is saved and again before every attempt; the sender then connects
to the very address that was checked (``Target.address``), so a DNS answer
that changes between the check and the connection (DNS rebinding) cannot
redirect the request. Redirects are never followed (webhooks/sending.py).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

SCHEMES = {"http": 80, "https": 443}


class Refused(Exception):
    """The URL may not be sent to; the message says why, for the administrator."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as typed (lower-cased): the Host header and the TLS server name
    port: int
    path: str  # path and query, at least "/"
    address: str  # the IP address checked, to connect to

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == SCHEMES[self.scheme] else f"{host}:{self.port}"


def is_public(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses (one DNS look-up); tests replace ``socket.getaddrinfo``."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(_("The host %(host)s cannot be resolved.") % {"host": host}) from error
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = str(sockaddr[0]).split("%", 1)[0]
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise Refused(_("The host %(host)s cannot be resolved.") % {"host": host})
    return addresses


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an http or https URL, or Refused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise Refused(_("This is not a valid URL.")) from error
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise Refused(_("Only http and https URLs can receive webhooks."))
    if parts.username is not None or parts.password is not None:
        raise Refused(_("A webhook URL cannot carry a user name or password."))
    host = (parts.hostname or "").lower()
    if not host:
        raise Refused(_("The URL names no host."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port or SCHEMES[scheme], path


def check(url: str, *, allow_private: bool) -> Target:
    """Resolve the URL's host once and return what to connect to, or raise Refused.

    Every address the name resolves to must be public (unless allowed): a name
    with one public and one private address is refused, since either may be
    the one a client picks."""
    scheme, host, port, path = parse(url)
    addresses = resolve(host, port)
    if not allow_private:
        for address in addresses:
            if not is_public(ipaddress.ip_address(address)):
                raise Refused(
                    _(
                        "%(host)s resolves to %(address)s, an address inside a private "
                        "network or this machine. Allow private addresses on the webhook "
                        "to send there."
                    )
                    % {"host": host, "address": address}
                )
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
