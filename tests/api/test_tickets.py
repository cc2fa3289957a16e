"""The ticket endpoints, each tried by the roles that may and those that may not."""

from __future__ import annotations

import base64

import pytest

from accounts.models import Account
from tests.conftest import SETUP, upload
from tickets import actions, queries
from tickets.models import Message, MessageKind, MessageSource, Status, Ticket, TicketType

NEW_TICKET = {
    "title": "Mailbox full",
    "requester_email": "alice@a.example",
    "text": "My mailbox says it is full.",
    "account_external_id": "A-1",
}


@pytest.fixture
def assigned(world) -> Ticket:
    """A billing ticket of account A, assigned to the agent."""
    ticket = world.ticket(world.billing)
    return actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)


def numbers(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


def test_each_role_lists_what_it_sees(world, as_role, assigned):
    sales = world.ticket(world.sales)
    support = world.ticket(world.support)
    assert numbers(as_role("agent").get("/tickets")) == [assigned.number]
    assert numbers(as_role("other_agent").get("/tickets")) == []
    assert sorted(numbers(as_role("supervisor").get("/tickets"))) == [
        assigned.number,
        support.number,
    ]
    assert sorted(numbers(as_role("admin").get("/tickets"))) == sorted(
        [assigned.number, sales.number, support.number]
    )


def test_the_list_takes_the_advanced_search_filters_and_sort(world, as_role):
    low = world.ticket(world.billing, title="Low one", priority=10)
    high = world.ticket(world.billing, title="High one", priority=90)
    world.ticket(world.sales)
    api = as_role("admin")
    found = api.get("/tickets", {"queue": world.billing.pk, "sort": "-priority"})
    assert numbers(found) == [high.number, low.number]
    assert numbers(api.get("/tickets", {"priority_min": 50, "queue": world.billing.pk})) == [
        high.number
    ]


def test_the_list_pages_with_a_cursor(world, as_role):
    made = [world.ticket(world.billing).number for _ in range(5)]
    api = as_role("admin")
    first = api.get("/tickets", {"limit": 2})
    seen = numbers(first)
    cursor = first.json()["next_cursor"]
    while cursor:
        page = api.get("/tickets", {"limit": 2, "cursor": cursor})
        seen += numbers(page)
        cursor = page.json()["next_cursor"]
    assert seen == sorted(made, reverse=True)


def test_a_ticket_that_exists_but_is_not_visible_is_404(world, as_role, assigned):
    response = as_role("other_agent").get(f"/tickets/{assigned.number}")
    assert response.status_code == 404
    assert as_role("agent").get(f"/tickets/{assigned.number}").status_code == 200
    assert as_role("admin").get("/tickets/999999").status_code == 404


def test_get_gives_the_version_as_etag(as_role, assigned):
    response = as_role("agent").get(f"/tickets/{assigned.number}")
    assert response["ETag"] == f'"{assigned.version}"'
    assert response.json()["version"] == assigned.version


def test_staff_open_an_api_ticket_for_an_account_and_requester(world, as_role):
    response = as_role("supervisor").post("/tickets", NEW_TICKET)
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["number"])
    assert ticket.type == TicketType.API
    assert ticket.account == world.account_a
    assert ticket.requester_email == "alice@a.example"
    message = ticket.messages.get()
    assert (message.kind, message.source) == (MessageKind.CUSTOMER, MessageSource.API)


def test_an_unknown_account_is_a_400_on_its_field(as_role):
    response = as_role("admin").post("/tickets", {**NEW_TICKET, "account_external_id": "nope"})
    assert response.status_code == 400
    assert "account_external_id" in response.json()["errors"]


def test_staff_reply_is_an_answer(world, as_role, assigned):
    response = as_role("agent").post(f"/tickets/{assigned.number}/reply", {"text": "Done."})
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == MessageKind.ANSWER
    assigned.refresh_from_db()
    assert assigned.is_answered


def test_a_note_is_for_staff_only_and_not_an_answer(world, as_role, assigned):
    response = as_role("agent").post(f"/tickets/{assigned.number}/notes", {"text": "Hmm."})
    assert response.status_code == 201
    assert response.json()["kind"] == MessageKind.NOTE
    thread = as_role("agent").get(f"/tickets/{assigned.number}/messages").json()
    assert [message["kind"] for message in thread] == ["customer", "note"]


def test_change_sets_properties_and_refuses_a_bad_status_by_field(as_role, assigned):
    api = as_role("agent")
    response = api.patch(f"/tickets/{assigned.number}", {"priority": 80, "title": "New title"})
    assert response.status_code == 200, response.content
    assert (response.json()["priority"], response.json()["title"]) == (80, "New title")
    refused = api.patch(f"/tickets/{assigned.number}", {"status": "bogus"})
    assert refused.status_code == 400
    assert "status" in refused.json()["errors"]


def test_change_of_two_kinds_is_all_or_nothing(as_role, assigned):
    response = as_role("agent").patch(
        f"/tickets/{assigned.number}", {"priority": 80, "requester_email": "not an address"}
    )
    assert response.status_code == 400
    assigned.refresh_from_db()
    assert assigned.priority != 80


def test_move_is_for_supervisors_entitled_to_both_queues(world, as_role, assigned):
    target = {"queue_id": world.support.pk}
    assert as_role("agent").post(f"/tickets/{assigned.number}/move", target).status_code == 403
    response = as_role("supervisor").post(f"/tickets/{assigned.number}/move", target)
    assert response.status_code == 200
    assert response.json()["queue"]["id"] == world.support.pk
    to_sales = {"queue_id": world.sales.pk}
    assert (
        as_role("supervisor").post(f"/tickets/{assigned.number}/move", to_sales).status_code == 403
    )


def test_assign_and_release(world, as_role, assigned):
    api = as_role("supervisor")
    assert (
        as_role("agent")
        .post(f"/tickets/{assigned.number}/assign", {"assignee_id": world.supervisor.pk})
        .status_code
        == 403
    )
    response = api.post(f"/tickets/{assigned.number}/assign", {"assignee_id": world.supervisor.pk})
    assert response.json()["assignee"]["id"] == world.supervisor.pk
    released = api.post(f"/tickets/{assigned.number}/release", {})
    assert released.json()["assignee"] is None
    unknown = api.post(f"/tickets/{assigned.number}/assign", {"assignee_id": 987654})
    assert unknown.status_code == 400
    assert "assignee_id" in unknown.json()["errors"]


def test_pick_up_is_first_come_first_served(world, as_role):
    ticket = world.ticket(world.billing)
    assert as_role("agent").post(f"/tickets/{ticket.number}/pick-up").status_code == 404
    first = as_role("supervisor").post(f"/tickets/{ticket.number}/pick-up")
    assert first.json()["assignee"]["id"] == world.supervisor.pk
    second = as_role("admin").post(f"/tickets/{ticket.number}/pick-up")
    assert second.status_code == 409
    assert "already assigned" in second.json()["detail"]


def test_close_and_reopen(as_role, assigned):
    api = as_role("agent")
    assert api.post(f"/tickets/{assigned.number}/close", {}).json()["status"] == Status.CLOSED
    assert api.post(f"/tickets/{assigned.number}/reopen", {}).json()["status"] == Status.REOPENED


def test_history_lists_events_with_ids_and_versions(as_role, assigned):
    history = as_role("agent").get(f"/tickets/{assigned.number}/history").json()
    assert [event["code"] for event in history] == ["created", "assignee", "status"]
    assert all(isinstance(event["id"], int) for event in history)
    assert history[-1]["version"] == assigned.version
    assert history[0]["system"] == "mail"


def test_an_attachment_goes_up_with_a_reply_and_comes_down_as_a_download(
    world, as_role, assigned, media_root
):
    content = base64.b64encode(b"<script>alert(1)</script>").decode()
    files = [{"name": "page.html", "content_type": "text/html", "content_base64": content}]
    reply = as_role("agent").post(
        f"/tickets/{assigned.number}/reply", {"text": "See file.", "attachments": files}
    )
    assert reply.status_code == 201, reply.content
    attachment = reply.json()["attachments"][0]
    download = as_role("agent").client.get(
        attachment["url"], headers={"Authorization": f"Bearer {as_role('agent').secret}"}
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/octet-stream"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"<script>alert(1)</script>"
    assert as_role("other_agent").get(f"/attachments/{attachment['id']}").status_code == 404


def test_search_finds_visible_tickets_by_words(world, as_role):
    visible = world.ticket(world.billing, title="Invoice doubled")
    world.ticket(world.sales, title="Invoice doubled too")
    found = numbers(as_role("supervisor").get("/search", {"q": "invoice"}))
    assert found == [visible.number]
    empty = as_role("supervisor").get("/search", {"q": "-only"})
    assert empty.status_code == 400
    assert "q" in empty.json()["errors"]


def test_search_ranks_best_match_first_until_too_many_match(world, as_role, monkeypatch):
    in_title = world.ticket(world.billing, title="Invoice wrong", text="See the subject.")
    in_body = [
        world.ticket(world.billing, title="Question", text=f"Invoice {n} is late.")
        for n in range(3)
    ]
    supervisor = as_role("supervisor")
    ranked = supervisor.get("/search", {"q": "invoice"})
    assert numbers(ranked)[0] == in_title.number
    assert ranked.json()["order"] == "best_match"
    # More matches than are ranked: newest first, said, and paged by the same cursor.
    monkeypatch.setattr(queries, "RANKED_UP_TO", 3)
    newest = sorted([in_title.number, *(t.number for t in in_body)], reverse=True)
    first = supervisor.get("/search", {"q": "invoice", "limit": 3})
    assert numbers(first) == newest[:3]
    assert first.json()["order"] == "newest"
    cursor = first.json()["next_cursor"]
    last = supervisor.get("/search", {"q": "invoice", "limit": 3, "cursor": cursor})
    assert numbers(last) == newest[3:]
    assert last.json()["next_cursor"] is None


def test_queues_as_each_role_sees_them(world, as_role):
    def names(role):
        return [queue["name"] for queue in as_role(role).get("/queues").json()]

    assert names("admin") == ["Billing", "Sales", "Support"]
    assert names("supervisor") == ["Billing", "Support"]
    assert names("agent") == []


def test_a_reply_from_an_integration_is_the_customers(world, billing_writer):
    ticket = world.ticket(world.billing)
    actions.answer(actor=world.admin, ticket=ticket, text="Try again.")
    response = billing_writer.post(f"/tickets/{ticket.number}/reply", {"text": "Still broken."})
    assert response.status_code == 201
    message = Message.objects.get(pk=response.json()["id"])
    assert (message.kind, message.source) == (MessageKind.CUSTOMER, MessageSource.API)
    ticket.refresh_from_db()
    assert not ticket.is_answered
    assert ticket.events.filter(system="integration:billing-cp").exists()


def test_account_of_a_ticket_changes_by_id_and_0_removes_it(world, as_role, assigned):
    other = Account.objects.create(name="Other")
    api = as_role("agent")
    assert (
        api.patch(f"/tickets/{assigned.number}", {"account_id": other.pk}).json()["account_id"]
        == other.pk
    )
    assert api.patch(f"/tickets/{assigned.number}", {"account_id": 0}).json()["account_id"] is None


def test_attachments_of_a_created_ticket(world, as_role, media_root):
    files = [{"name": "a.txt", "content_base64": base64.b64encode(b"hi").decode()}]
    response = as_role("admin").post("/tickets", {**NEW_TICKET, "attachments": files})
    assert response.status_code == 201
    ticket = Ticket.objects.get(pk=response.json()["number"])
    assert ticket.messages.get().attachments.get().filename == "a.txt"


def test_a_world_ticket_with_a_file_shows_it_in_messages(world, as_role, media_root):
    ticket = world.ticket(world.billing, attachments=[upload("x.pdf", b"%PDF")])
    thread = as_role("admin").get(f"/tickets/{ticket.number}/messages").json()
    assert thread[0]["attachments"][0]["filename"] == "x.pdf"
