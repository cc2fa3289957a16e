"""The example of docs/api.md works: its curl body opens a ticket for the account."""

from __future__ import annotations

import json
import re
from pathlib import Path

from accounts.models import Account
from tickets.models import Ticket, TicketType

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_the_curl_example_opens_a_ticket_for_the_hosting_account(world, billing_writer, media_root):
    text = DOCS.read_text()
    curl = re.search(r"```sh\n(curl .*?)```", text, re.S)
    assert curl is not None
    data = re.search(r"-d '(.*?)'", curl.group(1), re.S)
    assert data is not None
    body = json.loads(data.group(1))
    assert "Idempotency-Key" in curl.group(1)
    account = Account.objects.create(name="Customer", external_id=body["account_external_id"])
    body["queue_id"] = world.billing.pk  # the example's id of the token's queue
    response = billing_writer.post("/tickets", body, **{"Idempotency-Key": "cp-request-8d1f0c"})
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["number"])
    assert (ticket.account, ticket.type) == (account, TicketType.API)
    assert ticket.messages.get().attachments.get().filename == "quota.txt"
