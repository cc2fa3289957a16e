"""The guard against server-side request forgery: private targets are refused
unless allowed, on saving and again when sending, at the address that was checked."""

from __future__ import annotations

import socket

import pytest

from tests.webhooks.conftest import make_hook
from tickets import actions
from webhooks import targets
from webhooks.models import Attempt, Delivery, DeliveryState, EventKind, Webhook


@pytest.fixture
def dns(monkeypatch):
    """Names of the tests' own, answered as each test says; lists are answered in turn."""
    answers: dict[str, list[str]] = {}
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if isinstance(host, str) and host in answers:
            looked_up.append(host)
            queue = answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, looked_up


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",  # noqa: S104 (an address looked up, not bound)
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::",
    ],
)
def test_addresses_inside_a_network_are_refused(dns, address):
    answers, _ = dns
    answers["inside.example"] = [address]
    with pytest.raises(targets.Refused, match="private network"):
        targets.check("https://inside.example/hook", allow_private=False)
    assert targets.check("https://inside.example/hook", allow_private=True).address == address


def test_a_public_address_is_allowed(dns):
    answers, _ = dns
    answers["hooks.example"] = ["93.184.216.34"]
    target = targets.check("https://hooks.example:8443/in?x=1", allow_private=False)
    assert (target.address, target.port, target.path, target.host_header) == (
        "93.184.216.34",
        8443,
        "/in?x=1",
        "hooks.example:8443",
    )


def test_a_name_with_one_private_address_among_public_ones_is_refused(dns, monkeypatch):
    def two_answers(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)
    with pytest.raises(targets.Refused, match=r"10\.0\.0\.7"):
        targets.check("https://mixed.example/", allow_private=False)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://hooks.example/", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("gopher://hooks.example/", "Only http and https"),
        ("https://user:pw@hooks.example/", "user name or password"),
        ("https:///nohost", "no host"),
        ("http://hooks.example:99999/", "not a valid URL"),
        ("https://no-such-name.invalid/", "cannot be resolved"),
    ],
)
def test_other_schemes_credentials_and_bad_urls_are_refused(url, reason):
    with pytest.raises(targets.Refused, match=reason):
        targets.check(url, allow_private=True)


def test_a_private_target_allowed_once_is_refused_when_sending_after_the_allowance_is_gone(
    world, receiver, django_capture_on_commit_callbacks
):
    hook = make_hook(receiver, "/hook", EventKind.CLOSED)
    Webhook.objects.filter(pk=hook.pk).update(allow_private_addresses=False)
    ticket = world.ticket(world.billing)
    with django_capture_on_commit_callbacks(execute=True):
        actions.close(actor=world.supervisor, ticket=ticket)
    assert receiver.requests == []
    (attempt,) = Attempt.objects.all()
    assert attempt.status_code is None
    assert "127.0.0.1, an address inside a private network" in attempt.error
    assert Delivery.objects.get().state == DeliveryState.QUEUED


def test_the_connection_goes_to_the_address_checked_not_to_a_second_answer(
    world, receiver, dns, django_capture_on_commit_callbacks
):
    """DNS rebinding: the name is looked up once per attempt; the connection goes to
    that answer, whatever the name would resolve to a moment later."""
    answers, looked_up = dns
    # First answer: the receiver (allowed as private on this webhook); any later one
    # would point elsewhere.
    answers["rebind.example"] = ["127.0.0.1", "192.0.2.1"]
    hook = make_hook(receiver, "/hook", EventKind.CLOSED)
    Webhook.objects.filter(pk=hook.pk).update(url=f"http://rebind.example:{receiver.port}/hook")
    ticket = world.ticket(world.billing)
    with django_capture_on_commit_callbacks(execute=True):
        actions.close(actor=world.supervisor, ticket=ticket)
    assert looked_up == ["rebind.example"]
    (request,) = receiver.requests
    assert request.headers["Host"] == f"rebind.example:{receiver.port}"
    assert request.verified
    assert Delivery.objects.get().state == DeliveryState.DELIVERED
