"""Every refusal has its status and says what was wrong; nothing a client sends is a 500."""

from __future__ import annotations

import base64

import pytest

from tests.api.test_tickets import NEW_TICKET
from tests.conftest import set_helpdesk
from tickets import actions


def test_no_token_is_401_with_the_scheme(client, world):
    response = client.get("/api/v1/tickets")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="frontdesk"'
    assert response.json()["detail"]


def test_a_session_is_no_token(client, world):
    client.force_login(world.admin)
    assert client.get("/api/v1/tickets").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic abc", "Bearer fd_", "Bearer \x01"])
def test_malformed_authorization_is_401(client, world, header):
    assert client.get("/api/v1/tickets", headers={"Authorization": header}).status_code == 401


def test_a_bad_value_is_400_naming_the_field(as_role):
    response = as_role("admin").post("/tickets", {**NEW_TICKET, "requester_email": "x@"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["requester_email"]


def test_a_request_that_does_not_fit_the_schema_is_422_naming_the_field(as_role):
    response = as_role("admin").post("/tickets", {"requester_email": "a@b.example", "text": "x"})
    assert response.status_code == 422
    assert "title" in response.json()["errors"]


def test_a_body_that_is_no_json_is_refused(as_role):
    api = as_role("admin")
    response = api.client.post(
        "/api/v1/tickets",
        b"{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.secret}"},
    )
    assert response.status_code in (400, 422)


def test_a_bad_search_filter_is_400_naming_the_filter(as_role):
    response = as_role("admin").get("/tickets", {"priority_min": "high", "created_from": "x"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"priority_min", "created_from"}


def test_a_cursor_not_made_here_is_400(as_role):
    response = as_role("admin").get("/tickets", {"cursor": "forged"})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_a_stale_if_match_is_409_with_the_current_version(world, as_role):
    ticket = world.ticket(world.billing)
    api = as_role("admin")
    seen = api.get(f"/tickets/{ticket.number}")["ETag"]
    actions.change(actor=world.supervisor, ticket=ticket, priority=70)
    response = api.patch(f"/tickets/{ticket.number}", {"priority": 20}, **{"If-Match": seen})
    assert response.status_code == 409
    assert "changed the priority" in response.json()["detail"]
    assert response["ETag"] == '"2"'
    ticket.refresh_from_db()
    assert ticket.priority == 70


def test_a_stale_version_field_is_409(world, as_role):
    ticket = world.ticket(world.billing)
    actions.add_note(actor=world.admin, ticket=ticket, text="A note.")
    api = as_role("admin")
    for path, body in (
        (f"/tickets/{ticket.number}/reply", {"text": "Hello", "version": 1}),
        (f"/tickets/{ticket.number}/close", {"version": 1}),
        (f"/tickets/{ticket.number}/notes", {"text": "x", "version": 1}),
    ):
        assert api.post(path, body).status_code == 409
    assert api.post(f"/tickets/{ticket.number}/close", {"version": 2}).status_code == 200


def test_an_if_match_that_is_no_version_is_400(world, as_role):
    ticket = world.ticket(world.billing)
    response = as_role("admin").patch(
        f"/tickets/{ticket.number}", {"priority": 20}, **{"If-Match": '"abc"'}
    )
    assert response.status_code == 400
    assert "If-Match" in response.json()["errors"]


def test_a_file_over_the_limit_is_413(world, as_role, media_root):
    set_helpdesk(max_attachment_size=10)
    files = [{"name": "big.bin", "content_base64": base64.b64encode(b"x" * 11).decode()}]
    response = as_role("admin").post("/tickets", {**NEW_TICKET, "attachments": files})
    assert response.status_code == 413
    assert "attachments" in response.json()["errors"]


def test_a_request_over_the_servers_limit_is_413(as_role, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = as_role("admin").post("/tickets", {**NEW_TICKET, "text": "x" * 2000})
    assert response.status_code == 413


def test_content_that_is_no_base64_is_400(as_role):
    files = [{"name": "a.txt", "content_base64": "***"}]
    response = as_role("admin").post("/tickets", {**NEW_TICKET, "attachments": files})
    assert response.status_code == 400
    assert "attachments" in response.json()["errors"]


def test_over_the_rate_limit_is_429_with_retry_after(as_role, settings):
    settings.API_RATE_LIMIT = 3
    api = as_role("agent")
    statuses = [api.get("/queues").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/queues")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_rate_limit_is_per_token(as_role, settings):
    settings.API_RATE_LIMIT = 1
    assert as_role("agent").get("/queues").status_code == 200
    assert as_role("agent").get("/queues").status_code == 200


def test_hostile_text_is_kept_as_text(world, as_role):
    hostile = {**NEW_TICKET, "title": "<img src=x onerror=alert(1)>\x00\u202e", "text": "\x00hi"}
    response = as_role("admin").post("/tickets", hostile)
    assert response.status_code == 201
    assert "\x00" not in response.json()["title"]


NUL = "a\x00b\ud800"
#: The same in a URL: NUL, and the UTF-8 bytes of a lone surrogate (invalid UTF-8).
NUL_IN_URL = "a%00b%ED%A0%80"


@pytest.mark.parametrize(
    "path",
    [
        f"/search?q={NUL_IN_URL}",
        f"/tickets?text={NUL_IN_URL}&email={NUL_IN_URL}&account={NUL_IN_URL}",
        f"/tickets?cursor={NUL_IN_URL}&sort={NUL_IN_URL}",
        f"/accounts?q={NUL_IN_URL}",
        f"/articles?q={NUL_IN_URL}",
    ],
)
def test_control_characters_in_a_query_are_never_a_500(as_role, path):
    response = as_role("admin").get(path)
    assert response.status_code < 500, response.content


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts", {"name": NUL, "external_id": NUL}),
        ("/tickets", {**NEW_TICKET, "requester_email": f"{NUL}@a.example"}),
        ("/tickets", {**NEW_TICKET, "cc": [NUL], "title": NUL}),
    ],
)
def test_control_characters_and_lone_surrogates_in_a_body_are_never_a_500(as_role, path, data):
    response = as_role("admin").post(path, data)
    assert response.status_code < 500, response.content
