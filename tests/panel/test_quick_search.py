"""The quick search (S16): a number opens its ticket, an address finds its requester's
tickets and those it is copied on, ``@domain`` a domain's, anything else the full text
(titles, messages, notes, addresses, names), ranked, with snippets."""

import re

import pytest

from accounts.models import Contact
from panel import searching
from tests.conftest import SETUP
from tests.panel.helpers import queries_for
from tests.panel.search_helpers import opened, rows
from tickets import actions, queries
from tickets.criteria import Criteria


def found(page: str) -> list[int]:
    return sorted(rows(page, "search"))


def search(client, query: str, **more: str) -> str:
    response = client.get("/panel/search/", {"q": query, **more})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_ticket_number_opens_that_ticket(world, as_user):
    ticket = world.ticket()
    client = as_user(world.supervisor)
    for query in (str(ticket.number), f"#{ticket.number}", f" # {ticket.number} "):
        response = client.get("/panel/search/", {"q": query})
        assert response.status_code == 302
        assert response["Location"] == f"/panel/tickets/{ticket.number}/"


def test_the_number_of_a_ticket_the_person_may_not_see_opens_nothing(world, as_user):
    hidden = world.ticket(queue=world.sales)
    page = search(as_user(world.supervisor), str(hidden.number))
    assert f"There is no ticket #{hidden.number} that you may see." in page
    assert found(page) == []


def test_an_e_mail_address_finds_its_requesters_tickets_whatever_the_case(world, as_user):
    alices = [opened(world.support, f"Printer {n}") for n in range(2)]
    opened(world.support, "Printer", requester_email="carol@c.example")
    page = search(as_user(world.admin), "ALICE@a.example")
    assert found(page) == sorted(ticket.number for ticket in alices)
    assert "Tickets from or copied to ALICE@a.example" in page


def test_an_e_mail_address_finds_the_tickets_it_is_copied_on_closed_ones_too(world, as_user):
    copied = opened(
        world.support, "Invoice", requester_email="carol@c.example", cc=["dan@d.example"]
    )
    closed = opened(world.support, "Refund", requester_email="erin@e.example", cc=["dan@d.example"])
    actions.close(actor=SETUP, ticket=closed)
    # A longer address that contains it is somebody else.
    opened(world.support, "Other", requester_email="carol@c.example", cc=["jordan@d.example"])
    page = search(as_user(world.admin), "dan@d.example")
    assert found(page) == sorted([copied.number, closed.number])


def test_a_domain_finds_the_tickets_of_its_requesters_and_no_other_domain(world, as_user):
    ours = [
        opened(world.support, "One", requester_email="ann@example.com"),
        opened(world.support, "Two", requester_email="bob@EXAMPLE.com"),
    ]
    opened(world.support, "Three", requester_email="carl@mail.example.com")
    opened(world.support, "Four", requester_email="dora@example.community")
    page = search(as_user(world.admin), "@Example.com")
    assert found(page) == sorted(ticket.number for ticket in ours)
    assert "Tickets from @Example.com" in page


def test_words_find_titles_and_message_texts_closed_tickets_too(world, as_user):
    in_title = opened(world.support, "Mail server bounces everything")
    in_body = opened(world.support, "Problem", text="Since Monday every mail bounces back.")
    closed = opened(world.support, "bounces from the MAIL relay")
    actions.close(actor=SETUP, ticket=closed)
    opened(world.support, "Mail is slow")  # one of the words only
    page = search(as_user(world.admin), "mail bounces")
    assert found(page) == sorted([in_title.number, in_body.number, closed.number])


def test_words_find_notes_names_and_account_names(world, as_user):
    noted = opened(world.support, "Question")
    actions.add_note(actor=world.admin, ticket=noted, text="Escalated to Zebrafish Ltd.")
    Contact.objects.filter(email="alice@a.example").update(name="Walpurga Quist")
    named = opened(world.support, "Hello")  # requested by the contact, after the rename
    world.account_b.name = "Obsidian Hosting"
    world.account_b.save()
    of_account = opened(
        world.support, "Hi", account=world.account_b, requester_email="bob@b.example"
    )
    client = as_user(world.admin)
    assert noted.number in found(search(client, "zebrafish"))
    assert named.number in found(search(client, "walpurga"))
    assert found(search(client, "obsidian")) == [of_account.number]


def test_words_match_any_script_whatever_the_case_and_accents(world, as_user):
    fax = opened(world.support, "Факс не работает")
    greek = opened(world.support, "ΠΡΟΒΛΗΜΑ με το email")
    umlaut = opened(world.support, "Rechnung für März")
    client = as_user(world.admin)
    assert found(search(client, "факс")) == [fax.number]
    assert found(search(client, "πρόβλημα")) == [greek.number]
    assert found(search(client, "προβλημα")) == [greek.number]
    assert found(search(client, "marz")) == [umlaut.number]


def test_results_are_ranked_a_title_match_first(world, as_user):
    in_body = opened(world.support, "Question", text="Our invoice is wrong.")
    in_title = opened(world.support, "Invoice wrong", text="See the subject.")
    page = search(as_user(world.admin), "invoice")
    assert rows(page, "search") == [in_title.number, in_body.number]
    assert 'id="sorted-by-rank"' in page
    # Another order is a click away, and so is the way back.
    page = search(as_user(world.admin), "invoice", sort="-created")
    assert rows(page, "search") == [in_title.number, in_body.number]
    assert 'id="sort-search-rank"' in page


def test_snippets_show_the_matching_text_escaped_with_the_words_marked(world, as_user):
    ticket = opened(
        world.support, "Question", text="Before. <script>alert(1)</script> the refund is late."
    )
    page = search(as_user(world.admin), "refund")
    snippet = re.search(rf'id="snippet-search-{ticket.number}">(.*?)</p>', page, re.S)
    assert snippet is not None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet.group(1)
    assert "<mark>refund</mark>" in snippet.group(1)
    assert "<script>alert" not in page


def test_search_finds_only_tickets_the_person_may_see_and_shows_nothing_of_others(world, as_user):
    visible = opened(world.billing, "Invoice wrong", text="The secret code is tangerine.")
    hidden = opened(world.sales, "Invoice missing", text="The secret code is tangerine.")
    mine = opened(world.sales, "Invoice for the agent", text="tangerine")
    actions.assign(actor=SETUP, ticket=mine, assignee=world.agent)
    supervisor = search(as_user(world.supervisor), "tangerine")
    assert found(supervisor) == [visible.number]
    assert f"#{hidden.number}" not in supervisor
    assert found(search(as_user(world.agent), "tangerine")) == [mine.number]
    assert found(search(as_user(world.admin), "tangerine")) == sorted(
        [visible.number, hidden.number, mine.number]
    )
    assert "1 ticket" in supervisor


def test_the_search_page_without_words_shows_the_search_box_and_the_advanced_search(world, as_user):
    page = as_user(world.agent).get("/panel/search/").content.decode()
    assert 'id="quick-search"' in page
    assert 'href="/panel/search/advanced/"' in page


def test_the_results_link_to_the_same_search_in_the_advanced_search(world, as_user):
    opened(world.support, "Printer on fire")
    page = search(as_user(world.admin), "printer fire")
    assert 'href="/panel/search/advanced/?text=printer+fire&amp;closed=1"' in page


@pytest.mark.parametrize("typed", ["-spam", "*", '""', "-a -b"])
def test_a_query_of_nothing_to_look_for_says_so(world, as_user, typed):
    opened(world.support, "spam and more")
    page = search(as_user(world.admin), typed)
    assert found(page) == []
    assert "Nothing to search for" in page


def test_ten_thousand_characters_get_a_message_not_an_error(world, as_user):
    page = search(as_user(world.admin), "invoice " * 1250)
    assert "That is too long to search for: at most 500 characters." in page


def test_the_count_is_capped_and_pages_need_no_count(world, as_user, monkeypatch):
    monkeypatch.setattr(searching, "COUNT_CAP", 3)
    monkeypatch.setattr(searching, "PAGE_SIZE", 2)
    tickets = [opened(world.support, f"Printer {n}") for n in range(5)]
    client = as_user(world.admin)
    page = search(client, "printer", sort="-number")
    assert "3+ tickets" in page
    assert rows(page, "search") == [tickets[4].number, tickets[3].number]
    assert "Page 1</span>" in page
    last = search(client, "printer", sort="-number", page="3")
    assert rows(last, "search") == [tickets[0].number]
    assert 'rel="next"' not in last
    assert 'rel="prev"' in last


def test_a_customer_may_not_search_in_the_panel(world, as_user):
    world.ticket()
    assert as_user(world.customer_a).get("/panel/search/", {"q": "log"}).status_code == 403


@pytest.mark.parametrize("query", ["printer", "alice@a.example", "@a.example"])
def test_the_results_cost_the_same_queries_for_10_and_60_tickets(world, as_user, query):
    client = as_user(world.supervisor)
    for n in range(10):
        opened(world.billing, f"Printer {n}", text="The printer is on fire.")
    few = queries_for(client, f"/panel/search/?q={query}")
    for n in range(50):
        opened(world.billing, f"Printer {n}", text="The printer is on fire.")
    assert queries_for(client, f"/panel/search/?q={query}") == few


def test_too_many_matches_to_rank_come_newest_first_and_the_page_says_so(
    world, as_user, monkeypatch
):
    in_title = opened(world.support, "Invoice wrong", text="See the subject.")
    in_body = [opened(world.support, "Question", text=f"Invoice {n} is late.") for n in range(3)]
    client = as_user(world.admin)
    page = search(client, "invoice")
    assert rows(page, "search")[0] == in_title.number
    assert 'id="sorted-by-rank"' in page and "sorted-newest-unranked" not in page
    monkeypatch.setattr(queries, "RANKED_UP_TO", 3)
    page = search(client, "invoice")
    newest = sorted([in_title.number, *(t.number for t in in_body)], reverse=True)
    assert rows(page, "search") == newest
    assert 'id="sorted-newest-unranked"' in page and 'id="sorted-by-rank"' not in page
    assert "More than 3 match, too many to rank" in page


def test_a_page_of_results_is_the_same_slice_below_and_beyond_the_counted_numbers(world):
    made = [opened(world.support, f"Printer {n}", text="The printer jams.") for n in range(9)]
    newest = sorted((ticket.number for ticket in made), reverse=True)
    criteria = Criteria(text="printer", sort="-created", include_closed=True)
    pages = [
        queries.search_page(world.admin, criteria, page=number, size=2, cap=4)
        for number in range(1, 7)
    ]
    # Five numbers are read (the cap and one more): pages past them are read by offset.
    assert {page.counted for page in pages} == {5}
    for number, page in enumerate(pages, start=1):
        offset = (number - 1) * 2
        assert [t.number for t in page.tickets] == newest[offset : offset + 3], number
        assert not page.newest_first
