"""The advanced search page (S22): a GET form whose URL is the search, results as each
person may see them, sortable, with snippets, a capped count and pages."""

import re
from urllib.parse import urlencode

import pytest

from panel import searching
from tests.panel.helpers import htmx, queries_for, rendered_form, unlabelled_controls
from tests.panel.search_helpers import SEEN_BY, WORKING, make_desk, names, opened, rows

URL = "/panel/search/advanced/"


@pytest.fixture
def desk(world):
    return make_desk(world)


def page_of(client, query: str = "") -> str:
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def results(page: str) -> list[int]:
    return rows(page, "advanced")


def test_the_toolbar_and_the_quick_search_lead_here(world, as_user):
    client = as_user(world.agent)
    home = client.get("/panel/").content.decode()
    assert f'href="{URL}" id="nav-search"' in home
    assert (
        f'href="{URL}" id="advanced-search-link"' in client.get("/panel/search/").content.decode()
    )


@pytest.mark.parametrize("role", sorted(SEEN_BY))
def test_with_nothing_asked_each_person_gets_their_working_tickets(desk, world, as_user, role):
    page = page_of(as_user(getattr(world, role)))
    assert names(desk, results(page)) == SEEN_BY[role] & WORKING
    count = len(SEEN_BY[role] & WORKING)
    assert f'id="count-advanced">{count} ticket' in page


def test_a_customer_may_not_search_in_the_panel(world, as_user):
    assert as_user(world.customer_a).get(URL, {"text": "invoice"}).status_code == 403


def test_the_form_as_rendered_searches_and_lands_on_its_bookmarkable_address(desk, world, as_user):
    client = as_user(world.admin)
    form = rendered_form(page_of(client), "advanced-search")
    # What a person does: type words, tick two statuses, choose a priority and a queue.
    form.update(
        text="quote", status=["new", "closed"], priority_max="50", queue=str(world.sales.pk)
    )
    response = client.get(URL, form)
    assert response.status_code == 302
    address = response["Location"]
    assert (
        address
        == f"{URL}?text=quote&queue={world.sales.pk}&status=new&status=closed&priority_max=50"
    )
    page = page_of(client, address.split("?", 1)[1])
    assert names(desk, results(page)) == {"quote", "old_quote"}
    # The page shows the criteria it searched with.
    again = rendered_form(page, "advanced-search")
    assert again["text"] == "quote" and again["status"] == ["new", "closed"]
    assert again["queue"] == str(world.sales.pk) and again["priority_max"] == "50"


def test_a_bookmark_gives_each_person_what_they_may_see(desk, world, as_user):
    query = "closed=1&email=%40other.example"
    assert names(desk, results(page_of(as_user(world.admin), query))) == {"quote", "old_quote"}
    assert names(desk, results(page_of(as_user(world.supervisor), query))) == set()
    assert names(desk, results(page_of(as_user(world.other_supervisor), query))) == {
        "quote",
        "old_quote",
    }


def test_every_control_is_labelled(world, as_user):
    assert unlabelled_controls(page_of(as_user(world.supervisor))) == []


def test_results_sort_by_a_column_both_ways_and_keep_the_criteria(desk, world, as_user):
    client = as_user(world.admin)
    page = page_of(client, "sort=priority")
    assert names(desk, results(page)[:1]) == {"quote"}
    assert [desk[name].number for name in ("quote", "refund", "password", "invoice", "outage")] == (
        results(page)
    )
    page = page_of(client, "answered=no&sort=-priority")
    assert results(page) == [desk[name].number for name in ("outage", "invoice", "quote")]
    assert 'aria-sort="descending"' in page
    # The column's link turns the order round and keeps the criteria.
    assert f'href="{URL}?answered=no&amp;sort=priority"' in page
    assert f'href="{URL}?answered=no&amp;sort=-created"' in page


def test_words_rank_the_results_and_show_snippets(desk, world, as_user):
    client = as_user(world.admin)
    page = page_of(client, "text=refund")
    assert results(page) == [desk["refund"].number]
    snippet = re.search(rf'id="snippet-advanced-{desk["refund"].number}">(.*?)</p>', page, re.S)
    assert snippet is not None and "<mark>" in snippet.group(1).lower()


def test_sorting_and_paging_by_htmx_return_the_results_alone(desk, world, as_user):
    response = as_user(world.admin).get(f"{URL}?sort=title", headers=htmx())
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="list-advanced"')
    assert "<html" not in page


@pytest.mark.parametrize(
    ("query", "expected_count"),
    [("", 5), ("closed=1", 6), ("answered=no", 3), ("text=zzzzzz", 0), ("sticky=yes", 1)],
)
def test_the_count_is_the_hand_count(desk, world, as_user, query, expected_count):
    page = page_of(as_user(world.admin), query)
    label = "ticket" if expected_count == 1 else "tickets"
    assert f'id="count-advanced">{expected_count} {label}</span>' in page


def test_a_large_count_is_capped_and_the_pages_go_on_without_it(world, as_user, monkeypatch):
    monkeypatch.setattr(searching, "COUNT_CAP", 4)
    monkeypatch.setattr(searching, "PAGE_SIZE", 3)
    tickets = [opened(world.support, f"Printer {n}") for n in range(7)]
    client = as_user(world.admin)
    first = page_of(client, "sort=number")
    assert 'id="count-advanced">4+ tickets</span>' in first
    assert results(first) == [ticket.number for ticket in tickets[:3]]
    assert "Page 1</span>" in first and "Page 1 of" not in first
    third = page_of(client, "sort=number&page=3")
    assert results(third) == [tickets[6].number]
    assert 'rel="next"' not in third
    # With an exact count the pages are counted too.
    monkeypatch.setattr(searching, "COUNT_CAP", 100)
    assert "Page 1 of 3" in page_of(client, "sort=number")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"priority_min": "high"}, "Enter a whole number."),
        ({"queue": "999999"}, "Select a valid choice."),
        ({"created_from": "2025-02-30"}, "Enter a valid date."),
        ({"created_to": "0001-01-01"}, "greater than or equal to 1900-01-01"),
        ({"text": "x" * 10_000}, "at most 500 characters"),
        ({"number": "1\x00"}, "Enter a whole number."),
        ({"email": "\x00"}, ""),
        ({"sort": "); DROP TABLE"}, "Select a valid choice."),
        ({"account": "No Such Account"}, "No account has the name or external id"),
    ],
)
def test_bad_input_gets_a_message_on_its_field_never_an_error(world, as_user, params, message):
    response = as_user(world.admin).get(URL, params)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = response.content.decode()
        assert 'class="errorlist' in page
        assert message in page
        assert 'id="list-advanced"' not in page


def test_control_characters_are_left_out_and_the_search_runs(desk, world, as_user):
    response = as_user(world.admin).get(URL, {"text": "re\x00fund"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?text=refund"


def test_too_many_fields_are_refused_with_400(world, as_user):
    query = urlencode([("status", "new")] * 1500)
    assert as_user(world.admin).get(f"{URL}?{query}").status_code == 400


def test_the_results_offer_a_mass_action_and_to_save_them_as_a_view(desk, world, as_user):
    agent = page_of(as_user(world.agent), "answered=yes")
    assert 'id="mass-advanced"' in agent
    save = rendered_form(agent, "save-view")
    assert save["view-query"] == "answered=yes"
    assert "view-shared" not in agent  # agents keep their views to themselves
    supervisor = page_of(as_user(world.supervisor), "answered=yes")
    assert 'name="view-shared"' in supervisor


@pytest.mark.parametrize("as_htmx", [False, True])
@pytest.mark.parametrize("query", ["", "text=printer", "email=%40a.example&sort=title"])
def test_the_page_costs_the_same_queries_for_10_and_60_tickets(world, as_user, query, as_htmx):
    client = as_user(world.supervisor)
    headers = htmx() if as_htmx else {}
    for n in range(10):
        opened(world.billing, f"Printer {n}", text="The printer is on fire.")
    few = queries_for(client, f"{URL}?{query}", **headers)
    for n in range(50):
        opened(world.billing, f"Printer {n}", text="The printer is on fire.")
    assert queries_for(client, f"{URL}?{query}", **headers) == few
