import re

from tests.conftest import SETUP
from tests.panel.helpers import open_tickets
from tickets import actions


def found(page: str) -> list[int]:
    return sorted(int(number) for number in re.findall(r'id="row-search-(\d+)"', page))


def test_a_ticket_number_opens_that_ticket(world, as_user):
    ticket = world.ticket()
    client = as_user(world.supervisor)
    for query in (str(ticket.number), f"#{ticket.number}", f" # {ticket.number} "):
        response = client.get("/panel/search/", {"q": query})
        assert response.status_code == 302
        assert response["Location"] == f"/panel/tickets/{ticket.number}/"


def test_the_number_of_a_ticket_the_person_may_not_see_opens_nothing(world, as_user):
    hidden = world.ticket(queue=world.sales)
    response = as_user(world.supervisor).get("/panel/search/", {"q": str(hidden.number)})
    assert response.status_code == 200
    assert f"There is no ticket #{hidden.number} that you may see." in response.content.decode()


def test_an_e_mail_address_lists_that_requesters_tickets_whatever_the_case(world, as_user):
    alices = open_tickets(2, world.support)
    open_tickets(1, world.support, requester_email="carol@c.example")
    page = as_user(world.admin).get("/panel/search/", {"q": "ALICE@a.example"}).content.decode()
    assert found(page) == sorted(ticket.number for ticket in alices)
    assert "Tickets from ALICE@a.example" in page


def test_words_list_tickets_whose_title_contains_all_of_them_closed_ones_too(world, as_user):
    both = world.ticket(title="Mail server bounces everything")
    closed = world.ticket(title="bounces from the MAIL relay")
    actions.close(actor=SETUP, ticket=closed)
    world.ticket(title="Mail is slow")
    page = as_user(world.admin).get("/panel/search/", {"q": "mail bounces"}).content.decode()
    assert found(page) == sorted([both.number, closed.number])


def test_words_match_titles_in_any_script_whatever_the_case(world, as_user):
    fax = world.ticket(title="Факс не работает")
    greek = world.ticket(title="ΠΡΟΒΛΗΜΑ με το email")
    client = as_user(world.admin)
    assert found(client.get("/panel/search/", {"q": "факс"}).content.decode()) == [fax.number]
    assert found(client.get("/panel/search/", {"q": "πρόβλημα"}).content.decode()) == []
    assert found(client.get("/panel/search/", {"q": "προβλημα"}).content.decode()) == [greek.number]


def test_search_finds_only_tickets_the_person_may_see(world, as_user):
    visible = world.ticket(queue=world.billing, title="Invoice wrong")
    world.ticket(queue=world.sales, title="Invoice missing")
    page = as_user(world.supervisor).get("/panel/search/", {"q": "invoice"}).content.decode()
    assert found(page) == [visible.number]
    assert (
        found(as_user(world.agent).get("/panel/search/", {"q": "invoice"}).content.decode()) == []
    )


def test_the_search_page_without_words_shows_the_search_box(world, as_user):
    page = as_user(world.agent).get("/panel/search/").content.decode()
    assert 'id="quick-search"' in page


def test_a_customer_may_not_search_in_the_panel(world, as_user):
    world.ticket()
    assert as_user(world.customer_a).get("/panel/search/", {"q": "log"}).status_code == 403
