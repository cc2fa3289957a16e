"""The reports page and its CSV: who may open them, and what each role sees."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.panel.helpers import duplicate_ids, rendered_form, unlabelled_controls
from tests.reports import desk
from tests.reports.conftest import DAY1, DAY3


@pytest.fixture
def small_desk(world):
    return desk.build(world)


def signed_in(client: Client, user) -> Client:
    client.force_login(user)
    return client


def filters(client: Client, **chosen: object) -> dict[str, object]:
    """The filter form as the page rendered it, with ``chosen`` values typed in."""
    page = client.get(reverse("panel:reports"))
    fields = rendered_form(page.content.decode(), "report-filter-form")
    fields.update({"start": DAY1.date().isoformat(), "end": DAY3.date().isoformat(), **chosen})
    return fields


class TableRows(HTMLParser):
    """The cells' texts of each body row of one table."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.inside = self.in_body = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if self.cell is not None and tag in ("th", "td"):
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, table_id: str) -> list[list[str]]:
    reader = TableRows(table_id)
    reader.feed(html)
    return reader.rows


def test_staff_who_do_not_supervise_and_customers_are_refused(small_desk, client):
    world = small_desk.world
    for person in (world.agent, world.customer_a):
        signed_in(client, person)
        assert client.get(reverse("panel:reports")).status_code == 403
        assert client.get(reverse("panel:reports_csv", args=["volume"])).status_code == 403
    client.logout()
    assert client.get(reverse("panel:reports")).status_code == 302


def test_an_administrator_reads_the_hand_counted_figures_in_the_tables(small_desk, client):
    signed_in(client, small_desk.world.admin)
    page = client.get(reverse("panel:reports"), filters(client))
    html = page.content.decode()
    assert page.status_code == 200
    assert table_rows(html, "table-volume") == [
        ["2026-03-02", "3", "0", "3"],
        ["2026-03-03", "1", "1", "3"],
        ["2026-03-04", "1", "1", "3"],
    ]
    queues = {row[0]: row[1:3] for row in table_rows(html, "table-queues")}
    assert queues == {"Billing": ["3", "1"], "Support": ["1", "1"], "Sales": ["1", "0"]}
    assert '<svg id="chart-volume"' in html and "<title>Received, 2026-03-02: 3</title>" in html
    assert not unlabelled_controls(html)
    assert not duplicate_ids(html)


def test_a_supervisor_sees_only_the_figures_of_their_queues_and_their_tickets(small_desk, client):
    world = small_desk.world
    signed_in(client, world.supervisor)  # Billing, and the default queue Support
    html = client.get(reverse("panel:reports"), filters(client)).content.decode()
    assert [row[1] for row in table_rows(html, "table-volume")] == ["3", "1", "0"]
    assert {row[0] for row in table_rows(html, "table-queues")} == {"Billing", "Support"}
    signed_in(client, world.other_supervisor)  # Sales, and Support
    html = client.get(reverse("panel:reports"), filters(client)).content.decode()
    assert [row[1] for row in table_rows(html, "table-volume")] == ["0", "1", "1"]
    assert {row[0] for row in table_rows(html, "table-queues")} == {"Sales", "Support"}


def test_a_supervisor_cannot_narrow_the_report_to_a_queue_of_someone_else(small_desk, client):
    world = small_desk.world
    signed_in(client, world.supervisor)
    fields = filters(client, queue=world.sales.pk)
    html = client.get(reverse("panel:reports"), fields).content.decode()
    # The choice is refused, and the report shows the supervisor's own view (of the
    # last 30 days, as the period given with it was part of the refused form).
    assert "Select a valid choice" in html
    assert "Sales" not in {row[0] for row in table_rows(html, "table-queues")}
    assert f'value="{world.sales.pk}"' not in html


def test_the_csv_holds_the_numbers_of_the_table(small_desk, client):
    signed_in(client, small_desk.world.admin)
    response = client.get(reverse("panel:reports_csv", args=["volume"]), filters(client))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Period start", "Received", "Closed", "Backlog"],
        ["2026-03-02", "3", "0", "3"],
        ["2026-03-03", "1", "1", "3"],
        ["2026-03-04", "1", "1", "3"],
    ]
    agents = client.get(reverse("panel:reports_csv", args=["agents"]), filters(client))
    assert "Agent,Received,Closed" in agents.content.decode().splitlines()[0]
    assert client.get(reverse("panel:reports_csv", args=["nothing"])).status_code == 404


def test_a_name_like_a_formula_is_written_as_text_in_the_csv(small_desk, client):
    world = small_desk.world
    world.billing.name = "=HYPERLINK(1)"
    world.billing.save()
    signed_in(client, world.admin)
    response = client.get(reverse("panel:reports_csv", args=["queues"]), filters(client))
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_the_page_reads_no_ticket_and_costs_the_same_queries_for_few_and_many(world, client):
    signed_in(client, world.supervisor)
    url = reverse("panel:reports")
    client.get(url)  # the settings row and the like, read once
    for _ in range(3):
        world.ticket(world.billing)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(30):
        world.ticket(world.support)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    assert not [query for query in many if "tickets_ticket" in query["sql"]]
