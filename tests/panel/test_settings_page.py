import pytest

from tests.panel.helpers import rendered_form
from tickets.models import HelpdeskSettings

CHANGES = {
    "support_address": "help@example.com",
    "latest_tickets_count": 5,
    "auto_close_days": -1,
    "priority_low": 20,
    "priority_normal": 50,
    "priority_high": 90,
    "max_attachment_size": 1000000,
}


def settings_form(client, **fields):
    """The settings form as the page renders it, with the changes above and ``fields``."""
    page = client.get("/panel/settings/")
    assert page.status_code == 200, page.status_code
    return {**rendered_form(page.content.decode(), "settings-form"), **CHANGES, **fields}


def test_an_administrator_changes_the_settings(world, as_user):
    client = as_user(world.admin)
    response = client.post("/panel/settings/", settings_form(client))
    assert response.status_code == 302
    row = HelpdeskSettings.load()
    assert (row.support_address, row.latest_tickets_count, row.auto_close_days) == (
        "help@example.com",
        5,
        -1,
    )
    assert (row.priority_low, row.priority_high, row.max_attachment_size) == (20, 90, 1000000)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("auto_close_days", -2, "Use -1 (never), 0 (when answered) or a number of days."),
        ("priority_high", 100, "Priority is a number from 1 to 99."),
        ("latest_tickets_count", 101, "Show at most 100 latest tickets."),
    ],
)
def test_values_out_of_range_are_refused_on_their_field(world, as_user, field, value, message):
    client = as_user(world.admin)
    response = client.post("/panel/settings/", settings_form(client, **{field: value}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert HelpdeskSettings.load().support_address == "support@localhost"


@pytest.mark.parametrize("person", ["agent", "supervisor", "customer_a"])
def test_only_administrators_see_and_change_settings(world, as_user, person):
    client = as_user(getattr(world, person))
    assert client.get("/panel/settings/").status_code == 403
    assert client.post("/panel/settings/", CHANGES).status_code == 403
    assert HelpdeskSettings.load().support_address == "support@localhost"
