"""Searching the knowledge base: staff find every article, everybody else public published ones."""

from __future__ import annotations

import pytest
from django.test import Client

from kb import queries
from kb.queries import StaffFilter


@pytest.fixture
def articles(write):
    return {
        "public": write("Reset your password", "Open Settings, then Security."),
        "internal": write("Reset a customer's password", "Use the admin.", public=False),
        "draft": write("Reset the router", "Hold the button for ten seconds.", published=False),
        "cyrillic": write("Сброс ПАРОЛЯ", "Откройте настройки."),
    }


def titles(found) -> set[str]:
    return {article.title for article in found}


def test_customers_find_only_public_published_articles(articles):
    assert titles(queries.search_public("reset")) == {"Reset your password"}


def test_staff_find_internal_articles_and_drafts(world, articles):
    found = queries.search_staff(world.agent, StaffFilter(text="reset"))
    assert titles(found) == {
        "Reset your password",
        "Reset a customer's password",
        "Reset the router",
    }


def test_customers_are_no_staff_for_the_panel_search(world, articles):
    assert list(queries.search_staff(world.customer_a, StaffFilter(text="reset"))) == []


def test_every_word_must_be_in_the_title_or_the_body(articles):
    assert titles(queries.search_public("password security")) == {"Reset your password"}
    assert titles(queries.search_public("password router")) == set()


def test_case_is_folded_in_every_script_on_sqlite_too(articles):
    assert titles(queries.search_public("RESET")) == {"Reset your password"}
    assert titles(queries.search_public("пароля")) == {"Сброс ПАРОЛЯ"}
    assert titles(queries.search_public("НАСТРОЙКИ")) == {"Сброс ПАРОЛЯ"}


def test_title_matches_come_first(write):
    write("Invoices explained", "How to read an invoice.")
    write("Payment methods", "Pay an invoice by card or transfer.")
    write("Invoice copies", "Download a copy.")
    found = [article.title for article in queries.search_public("invoice")]
    assert found == ["Invoice copies", "Invoices explained", "Payment methods"]


@pytest.mark.parametrize("typed", ["", "   ", "\x00", "%", "_"])
def test_nothing_or_wildcards_find_nothing_by_accident(articles, typed):
    assert titles(queries.search_public(typed)) == set()


def test_staff_filter_by_status_visibility_and_category(world, articles, write, category):
    elsewhere = write("Reset elsewhere", in_category=None)
    assert titles(queries.search_staff(world.agent, StaffFilter(status="draft"))) == {
        "Reset the router"
    }
    internal = queries.search_staff(world.agent, StaffFilter(visibility="internal"))
    assert titles(internal) == {"Reset a customer's password"}
    in_category = queries.search_staff(world.agent, StaffFilter(category=category.pk))
    assert elsewhere not in in_category and len(in_category) == 4


def test_the_public_search_page_shows_public_articles_only(client: Client, world, articles):
    page = client.get("/kb/search/", {"q": "reset"}).content.decode()
    assert "Reset your password" in page
    assert "customer&#x27;s password" not in page and "router" not in page


@pytest.mark.parametrize("who", ["anonymous", "customer_a", "agent", "admin"])
def test_internal_and_draft_articles_are_in_no_public_response(client, world, articles, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    internal, draft = articles["internal"], articles["draft"]
    pages = [
        client.get("/kb/").content.decode(),
        client.get(articles["public"].category.get_absolute_url()).content.decode(),
        client.get("/kb/search/", {"q": "reset password router"}).content.decode(),
        client.get("/kb/search/", {"q": "reset"}).content.decode(),
        client.get("/kb/suggestions/", {"title": "reset password router admin"}).content.decode(),
    ]
    for page in pages:
        assert internal.title.replace("'", "&#x27;") not in page
        assert draft.title not in page
        assert "Use the admin" not in page
    # Staff read them in the panel; at the public address they are not there for anybody.
    assert client.get(internal.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_panel_list_searches_every_article_for_staff(world, articles):
    client = Client()
    client.force_login(world.agent)
    page = client.get("/panel/kb/", {"q": "reset"}).content.decode()
    for title in ("Reset your password", "Reset a customer&#x27;s password", "Reset the router"):
        assert title in page
    assert "Сброс" not in page
