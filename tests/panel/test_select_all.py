"""The lists' "select all on this page" box above the rows' boxes (panel.js checks them)."""

from __future__ import annotations

from tests.panel.helpers import duplicate_ids, open_tickets, unlabelled_controls
from tests.panel.test_move import elements

TODAY = "/panel/tickets/received/today/"


def test_a_list_has_a_labelled_box_that_selects_the_page(world, as_user):
    open_tickets(3, world.billing)
    page = as_user(world.supervisor).get(TODAY).content.decode()
    box = elements(page).by_id["select-all-received-today"]
    assert box["type"] == "checkbox"
    assert "data-select-all" in box
    # Shown by the script, which is what makes it work; it is never posted.
    assert "hidden" in box and "name" not in box and "form" not in box
    assert '<label for="select-all-received-today" class="visually-hidden">' in page
    assert "Select all tickets on this page</label>" in page
    assert not unlabelled_controls(page)
    assert not duplicate_ids(page)


def test_home_has_one_box_for_each_of_its_lists(world, as_user):
    open_tickets(2, world.billing, assignee=world.supervisor)
    open_tickets(2, world.billing)
    page = as_user(world.supervisor).get("/panel/").content.decode()
    boxes = [key for key in elements(page).by_id if key.startswith("select-all-")]
    assert len(boxes) >= 2
    assert not duplicate_ids(page)


def test_search_results_have_the_box_too(world, as_user):
    open_tickets(2, world.billing, title="Printer on fire")
    page = as_user(world.supervisor).get("/panel/search/?q=printer").content.decode()
    assert 'id="select-all-' in page
    assert "Select all tickets on this page" in page
    assert not unlabelled_controls(page)
