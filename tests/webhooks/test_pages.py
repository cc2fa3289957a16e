"""The panel's Webhooks pages: administrators register, change, delete and re-send;
everybody else is refused. Forms are posted as the pages render them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from accounts.models import AuditCode, AuditEvent
from tests.panel.helpers import rendered_form
from tests.webhooks.conftest import Receiver, make_hook
from tickets import actions
from webhooks.models import Delivery, DeliveryState, EventKind, Webhook

PAGES = [
    "/panel/settings/webhooks/",
    "/panel/settings/webhooks/new/",
    "/panel/settings/webhooks/{hook}/",
    "/panel/settings/webhooks/{hook}/delete/",
    "/panel/settings/webhooks/deliveries/{delivery}/",
]


@pytest.fixture
def delivered(world, receiver, django_capture_on_commit_callbacks) -> Delivery:
    make_hook(receiver, "/hook", EventKind.CLOSED)
    ticket = world.ticket(world.billing)
    with django_capture_on_commit_callbacks(execute=True):
        actions.close(actor=world.supervisor, ticket=ticket)
    return Delivery.objects.get()


def signed_in(client: Client, person) -> Client:
    client.force_login(person)
    return client


@pytest.mark.parametrize("role", ["agent", "supervisor", "customer_a"])
def test_only_administrators_reach_the_webhook_pages(world, client, delivered, role):
    signed_in(client, getattr(world, role))
    for page in PAGES:
        url = page.format(hook=delivered.webhook_id, delivery=delivered.pk)
        assert client.get(url).status_code == 403, url
    resend = f"/panel/settings/webhooks/deliveries/{delivered.pk}/resend/"
    assert client.post(resend).status_code == 403
    assert Delivery.objects.count() == 1


def test_the_settings_page_leads_to_the_webhooks(world, client, delivered):
    signed_in(client, world.admin)
    settings_page = client.get("/panel/settings/").content.decode()
    assert 'href="/panel/settings/webhooks/" id="webhooks-link"' in settings_page
    for page in PAGES:
        url = page.format(hook=delivered.webhook_id, delivery=delivered.pk)
        assert client.get(url).status_code == 200, url


def new_webhook_form(client: Client, **typed: object) -> dict[str, object]:
    page = client.get("/panel/settings/webhooks/new/")
    return {**rendered_form(page.content.decode(), "webhook-form"), **typed}


def test_an_address_on_this_machine_is_refused_unless_allowed(world, client, receiver: Receiver):
    signed_in(client, world.admin)
    form = new_webhook_form(
        client, name="Billing system", url=receiver.url("/hook"), event_kinds=[EventKind.CREATED]
    )
    refused = client.post("/panel/settings/webhooks/new/", form)
    assert refused.status_code == 422
    assert "an address inside a private network or this machine" in refused.content.decode()
    assert not Webhook.objects.exists()

    allowed = client.post(
        "/panel/settings/webhooks/new/",
        {
            **rendered_form(refused.content.decode(), "webhook-form"),
            "allow_private_addresses": "on",
        },
    )
    hook = Webhook.objects.get()
    assert allowed.status_code == 302
    assert allowed["Location"] == f"/panel/settings/webhooks/{hook.pk}/"
    assert (hook.name, hook.url, hook.event_kinds, hook.is_active) == (
        "Billing system",
        receiver.url("/hook"),
        ["ticket.created"],
        True,
    )
    assert hook.secret.startswith("whsec_") and len(hook.secret) > 30
    page = client.get(allowed["Location"]).content.decode()
    assert f'<code id="webhook-secret">{hook.secret}</code>' in page
    assert AuditEvent.objects.filter(
        code=AuditCode.SETTINGS_CHANGED, target="webhook “Billing system”", detail="added"
    ).exists()


def test_a_url_that_is_not_http_is_refused(world, client):
    signed_in(client, world.admin)
    form = new_webhook_form(client, name="X", url="ftp://files.example/in")
    response = client.post("/panel/settings/webhooks/new/", form)
    assert response.status_code == 422
    assert not Webhook.objects.exists()


def test_an_administrator_disables_a_webhook_and_makes_a_new_secret(
    world, client, receiver, django_capture_on_commit_callbacks
):
    hook = make_hook(receiver, "/hook", EventKind.CLOSED)
    old_secret = hook.secret
    signed_in(client, world.admin)
    url = f"/panel/settings/webhooks/{hook.pk}/"
    form = rendered_form(client.get(url).content.decode(), "webhook-form")
    assert form["is_active"] == "on"
    del form["is_active"]
    response = client.post(url, {**form, "new_secret": "on"})
    assert response.status_code == 302
    hook.refresh_from_db()
    assert not hook.is_active
    assert hook.secret != old_secret and hook.secret.startswith("whsec_")

    ticket = world.ticket(world.billing)
    with django_capture_on_commit_callbacks(execute=True):
        actions.close(actor=world.supervisor, ticket=ticket)
    assert receiver.requests == []


def test_an_administrator_deletes_a_webhook_with_its_deliveries(world, client, delivered):
    signed_in(client, world.admin)
    url = f"/panel/settings/webhooks/{delivered.webhook_id}/delete/"
    assert "webhook-delete-form" in client.get(url).content.decode()
    response = client.post(
        url, rendered_form(client.get(url).content.decode(), "webhook-delete-form")
    )
    assert response.status_code == 302
    assert not Webhook.objects.exists()
    assert not Delivery.objects.exists()


def test_the_delivery_page_shows_each_attempt_with_the_answer(world, client, receiver, delivered):
    signed_in(client, world.admin)
    list_page = client.get(f"/panel/settings/webhooks/{delivered.webhook_id}/").content.decode()
    assert f'id="delivery-{delivered.pk}" class="delivery-delivered"' in list_page
    page = client.get(f"/panel/settings/webhooks/deliveries/{delivered.pk}/").content.decode()
    assert 'class="attempt-ok"' in page
    assert "<td>200</td>" in page
    assert "ticket.closed" in page


def test_a_delivery_is_sent_again_by_hand(
    world, client, receiver, delivered, django_capture_on_commit_callbacks
):
    signed_in(client, world.admin)
    page = client.get(f"/panel/settings/webhooks/deliveries/{delivered.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/panel/settings/webhooks/deliveries/{delivered.pk}/resend/",
            rendered_form(page, "delivery-resend-form"),
        )
    again = Delivery.objects.exclude(pk=delivered.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/panel/settings/webhooks/deliveries/{again.pk}/"
    assert (again.state, again.resent_from_id, again.body) == (
        DeliveryState.DELIVERED,
        delivered.pk,
        delivered.body,
    )
    first, second = receiver.to("/hook")
    assert first.verified and second.verified
    assert json.loads(first.body)["id"] == json.loads(second.body)["id"]
    assert first.headers["Frontdesk-Delivery"] != second.headers["Frontdesk-Delivery"]


def test_a_failed_delivery_sent_again_by_hand_goes_out_at_once(
    world, client, receiver, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    make_hook(receiver, "/hook", EventKind.CLOSED)
    receiver.script("/hook", 500)
    ticket = world.ticket(world.billing)
    with django_capture_on_commit_callbacks(execute=True):
        actions.close(actor=world.supervisor, ticket=ticket)
    failed = Delivery.objects.get()
    assert failed.state == DeliveryState.FAILED
    signed_in(client, world.admin)
    page = client.get(f"/panel/settings/webhooks/deliveries/{failed.pk}/").content.decode()
    assert "The receiver answered 500." not in page  # the attempt shows the status itself
    assert 'class="attempt-failed"' in page and "receiver says no" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/panel/settings/webhooks/deliveries/{failed.pk}/resend/",
            rendered_form(page, "delivery-resend-form"),
        )
    assert Delivery.objects.exclude(pk=failed.pk).get().state == DeliveryState.DELIVERED
    assert [request.verified for request in receiver.to("/hook")] == [True, True]


def test_the_django_admin_refuses_a_private_address_too(world, client, receiver):
    signed_in(client, world.admin)
    page = client.get("/admin/webhooks/webhook/add/")
    assert page.status_code == 200
    form = {
        **rendered_form(page.content.decode(), "webhook_form"),
        "name": "Chat",
        "url": receiver.url("/hook"),
        "event_kinds": [EventKind.CLOSED],
    }
    refused = client.post("/admin/webhooks/webhook/add/", form)
    assert refused.status_code == 200
    assert "an address inside a private network" in refused.content.decode()
    assert not Webhook.objects.exists()
    client.post("/admin/webhooks/webhook/add/", {**form, "allow_private_addresses": "on"})
    assert Webhook.objects.get().event_kinds == [EventKind.CLOSED]
    delivered_page = client.get("/admin/webhooks/delivery/")
    assert delivered_page.status_code == 200


def test_the_list_says_when_a_slow_receiver_paused_its_webhook(world, client, receiver):
    hook = make_hook(receiver, "/hook", EventKind.CLOSED)
    Webhook.objects.filter(pk=hook.pk).update(
        slow_in_row=2, paused_until=datetime(2026, 3, 2, 9, 1, tzinfo=UTC)
    )
    page = signed_in(client, world.admin).get("/panel/settings/webhooks/").content.decode()
    assert "Paused until 2026-03-02 09:01:00: the receiver was slow 2 times in a row." in page


def test_a_delivery_waiting_to_retry_is_sent_now_rather_than_copied(
    world, client, receiver, django_capture_on_commit_callbacks
):
    make_hook(receiver, "/hook", EventKind.CLOSED)
    receiver.script("/hook", 500)
    ticket = world.ticket(world.billing)
    with django_capture_on_commit_callbacks(execute=True):
        actions.close(actor=world.supervisor, ticket=ticket)
    waiting = Delivery.objects.get()
    assert waiting.state == DeliveryState.QUEUED
    signed_in(client, world.admin)
    page = client.get(f"/panel/settings/webhooks/deliveries/{waiting.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/panel/settings/webhooks/deliveries/{waiting.pk}/resend/",
            rendered_form(page, "delivery-resend-form"),
        )
    assert response["Location"] == f"/panel/settings/webhooks/deliveries/{waiting.pk}/"
    waiting.refresh_from_db()
    assert (waiting.state, waiting.attempts) == (DeliveryState.DELIVERED, 2)
    assert Delivery.objects.count() == 1
