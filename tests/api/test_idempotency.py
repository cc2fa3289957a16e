"""Idempotency-Key: a retried create or reply makes one ticket or one reply."""

from __future__ import annotations

from functools import partial

import pytest
from django.test import Client

from accounts import tokens
from tests.api.conftest import Api
from tests.api.test_tickets import NEW_TICKET
from tests.test_pick_up_race import run_together
from tickets.models import Ticket


def test_a_retried_create_opens_one_ticket_and_answers_the_same(world, as_role):
    api = as_role("admin")
    first = api.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "cp-order-17"})
    again = api.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "cp-order-17"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert Ticket.objects.count() == 1


def test_without_a_key_each_request_opens_a_ticket(world, as_role):
    api = as_role("admin")
    api.post("/tickets", NEW_TICKET)
    api.post("/tickets", NEW_TICKET)
    assert Ticket.objects.count() == 2


def test_the_same_key_with_another_body_is_refused(world, as_role):
    api = as_role("admin")
    api.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "k1"})
    other = api.post("/tickets", {**NEW_TICKET, "title": "Else"}, **{"Idempotency-Key": "k1"})
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["errors"]
    assert Ticket.objects.count() == 1


def test_keys_belong_to_their_token(world, client):
    one = Api(client, tokens.create_personal(actor=world.admin, name="one").secret)
    two = Api(client, tokens.create_personal(actor=world.admin, name="two").secret)
    one.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "same"})
    two.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "same"})
    assert Ticket.objects.count() == 2


def test_a_retried_reply_adds_one_message(world, as_role):
    ticket = world.ticket(world.billing)
    api = as_role("admin")
    path = f"/tickets/{ticket.number}/reply"
    first = api.post(path, {"text": "On it."}, **{"Idempotency-Key": "r-1"})
    again = api.post(path, {"text": "On it."}, **{"Idempotency-Key": "r-1"})
    assert first.json() == again.json()
    assert ticket.messages.count() == 2


def test_a_refused_request_keeps_no_answer_so_a_corrected_retry_works(world, as_role):
    api = as_role("admin")
    bad = {**NEW_TICKET, "requester_email": "nobody"}
    assert api.post("/tickets", bad, **{"Idempotency-Key": "fix"}).status_code == 400
    # Nothing was kept of the refused request: the corrected one runs under its key.
    assert api.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "fix"}).status_code == 201
    assert Ticket.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_one_key_open_one_ticket(world):
    secret = tokens.create_personal(actor=world.admin, name="race").secret
    for round_number in range(4):
        key = {"Idempotency-Key": f"race-{round_number}"}
        results = run_together(
            *(partial(Api(Client(), secret).post, "/tickets", NEW_TICKET, **key) for _ in "ab")
        )
        assert [response.status_code for response in results] == [201, 201], results
        assert results[0].json() == results[1].json()
    assert Ticket.objects.count() == 4
