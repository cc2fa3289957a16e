"""Staff find articles from the answer form and insert links to public ones only."""

from __future__ import annotations

from tests.conftest import SETUP
from tests.panel.helpers import rendered_form, unlabelled_controls
from tickets import actions


def results(client, text: str) -> str:
    response = client.get("/panel/kb/link-search/", {"q": text}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_a_public_article_comes_with_its_address_and_an_insert_button(world, as_user, write):
    article = write("Pay an invoice", "By card.")
    page = results(as_user(world.agent), "invoice")
    url = f"http://testserver{article.get_absolute_url()}"
    assert f'data-insert-link="{url}"' in page
    assert 'data-insert-title="Pay an invoice"' in page


def test_internal_articles_are_refused_for_customers(world, as_user, write):
    article = write("Invoice escalation runbook", public=False)
    page = results(as_user(world.agent), "invoice")
    assert "internal: cannot be linked for customers" in page
    assert "data-insert-link" not in page and article.get_absolute_url() not in page


def test_drafts_must_be_published_before_they_are_linked(world, as_user, write):
    write("Invoice changes in 2027", published=False)
    page = results(as_user(world.agent), "invoice")
    assert "draft: publish it to link it" in page and "data-insert-link" not in page


def test_linkable_articles_come_first(world, as_user, write):
    write("Invoice runbook", public=False)
    write("Invoices explained")
    page = results(as_user(world.agent), "invoice")
    assert page.index("Invoices explained") < page.index("Invoice runbook")


def test_no_words_find_nothing_and_say_nothing(world, as_user, write):
    write("Pay an invoice")
    assert results(as_user(world.agent), " ").strip() == ""
    assert "No article holds these words." in results(as_user(world.agent), "zebra")


def test_the_ticket_page_offers_the_search_without_sending_it_with_the_answer(
    world, as_user, write
):
    write("Pay an invoice")
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.agent)
    client = as_user(world.agent)
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert 'id="kb-link-query"' in page and 'form="kb-link-form"' in page
    assert unlabelled_controls(page) == []
    answer_form = rendered_form(page, "answer-form")
    assert rendered_form(page, "kb-link-form") == {"q": ""}
    assert answer_form["q"] == ""  # the account search's field alone, not a list of two
    sent = client.post(
        f"/panel/tickets/{ticket.number}/reply/",
        {**answer_form, "answer": "Pay an invoice: http://testserver/kb/1-pay-an-invoice/"},
    )
    assert sent.status_code == 302
