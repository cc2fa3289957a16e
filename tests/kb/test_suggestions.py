"""Articles suggested while a customer writes a ticket's title, and what is counted of it.

The portal's new-ticket form is tried through what it uses of the KB: the
suggestions partial, the marker on its links, and ``ticket_opened``.
"""

from __future__ import annotations

import time
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.test import Client

from kb import queries, suggestions
from kb.models import Article
from tests.panel.helpers import rendered_form


@pytest.fixture
def articles(write):
    return {
        "outlook": write("Outlook cannot send mail", "Check the SMTP port: 587 with STARTTLS."),
        "password": write("Reset your password", "Open Settings, then Security."),
        "internal": write("Outlook: escalate to mail team", "Internal runbook.", public=False),
        "draft": write("Outlook 2027 set-up", "Coming soon.", published=False),
    }


def suggested_titles(title: str) -> list[str]:
    return [article.title for article in queries.suggestions(title)]


def counts(article: Article) -> tuple[int, int, int, int]:
    article.refresh_from_db()
    return (
        article.times_suggested,
        article.times_opened,
        article.tickets_after_suggestion,
        article.tickets_after_opening,
    )


def partial(client: Client, title: str) -> str:
    response = client.get("/kb/suggestions/", {"title": title}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_matching_public_articles_are_suggested_internal_and_drafts_never(articles):
    assert suggested_titles("Outlook won't send my mail since Monday") == [
        "Outlook cannot send mail"
    ]


def test_some_words_are_enough_and_title_words_weigh_more(articles, write):
    write("SMTP ports", "Which port for outgoing mail.")
    assert suggested_titles("mail port")[:2] == ["SMTP ports", "Outlook cannot send mail"]


def test_common_and_short_words_suggest_nothing(articles):
    assert suggested_titles("How do I do it? It is not my day") == []
    assert suggested_titles("") == []


def test_at_most_five_are_suggested(write):
    for number in range(8):
        write(f"Mailbox tip {number}")
    assert len(suggested_titles("mailbox")) == 5


def test_the_partial_links_each_suggestion_with_its_marker_in_a_new_tab(client, world, articles):
    client.force_login(world.customer_a)
    page = partial(client, "outlook send")
    outlook = articles["outlook"]
    assert f'href="{outlook.get_absolute_url()}?from=suggestion"' in page
    assert 'target="_blank"' in page
    assert "escalate" not in page and "2027" not in page


def test_nothing_matching_leaves_the_place_empty(client, world, articles):
    client.force_login(world.customer_a)
    assert partial(client, "invoice") == ""  # so the portal's #suggestions:empty hides it


def test_the_title_field_asks_400_ms_after_typing_stops():
    attributes = suggestions.title_field_attrs()
    assert attributes["hx-trigger"] == "input changed delay:400ms"
    assert str(attributes["hx-get"]) == "/kb/suggestions/"
    assert attributes["hx-target"] == "#suggestions"


def test_a_suggestion_counts_once_per_ticket_being_written(client, world, articles):
    client.force_login(world.customer_a)
    for typed in ("Outlook", "Outlook cannot", "Outlook cannot send"):
        partial(client, typed)
    assert counts(articles["outlook"]) == (1, 0, 0, 0)


def test_opening_a_suggestion_counts_once(client, world, articles):
    client.force_login(world.customer_a)
    outlook = articles["outlook"]
    partial(client, "outlook")
    for _ in range(2):
        page = client.get(outlook.get_absolute_url(), {"from": "suggestion"})
        assert page.status_code == 200
    assert counts(outlook) == (1, 1, 0, 0)


def test_a_ticket_written_all_the_same_counts_against_what_was_shown_and_opened(
    client, world, articles
):
    client.force_login(world.customer_a)
    outlook, password = articles["outlook"], articles["password"]
    partial(client, "outlook")
    partial(client, "password")
    client.get(outlook.get_absolute_url(), {"from": "suggestion"})
    session = client.session
    suggestions.ticket_opened(session)
    session.save()
    assert counts(outlook) == (1, 1, 1, 1)
    assert counts(password) == (1, 0, 1, 0)
    # The next ticket starts afresh: shown again, counted again.
    partial(client, "outlook")
    assert counts(outlook) == (2, 1, 1, 1)


def test_no_ticket_after_reading_leaves_the_article_as_having_helped(client, world, articles):
    client.force_login(world.customer_a)
    outlook = articles["outlook"]
    partial(client, "outlook")
    client.get(outlook.get_absolute_url(), {"from": "suggestion"})
    assert counts(outlook) == (1, 1, 0, 0)


def test_a_ticket_without_suggestions_counts_nothing(client, world, articles):
    client.force_login(world.customer_a)
    session = client.session
    suggestions.ticket_opened(session)
    assert [counts(article) for article in articles.values()] == [(0, 0, 0, 0)] * 4


def test_a_link_with_the_marker_that_was_never_suggested_counts_nothing(client, world, articles):
    client.force_login(world.customer_a)
    client.get(articles["outlook"].get_absolute_url(), {"from": "suggestion"})
    assert counts(articles["outlook"]) == (0, 0, 0, 0)


@pytest.mark.parametrize("who", ["anonymous", "agent"])
def test_visitors_and_staff_see_suggestions_but_count_nothing(client, world, articles, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    assert "Outlook cannot send mail" in partial(client, "outlook")
    client.get(articles["outlook"].get_absolute_url(), {"from": "suggestion"})
    assert counts(articles["outlook"]) == (0, 0, 0, 0)


def test_a_long_pause_starts_a_new_ticket(world, articles):
    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    suggestions.shown(store, [articles["outlook"]])
    store[suggestions.SESSION_KEY]["at"] = int(time.time()) - suggestions.FORGET_AFTER_SECONDS - 1
    suggestions.shown(store, [articles["outlook"]])
    assert counts(articles["outlook"]) == (2, 0, 0, 0)


def test_staff_see_the_counts_on_the_article(client, world, articles):
    Article.objects.filter(pk=articles["outlook"].pk).update(
        times_suggested=40, times_opened=12, tickets_after_opening=3, tickets_after_suggestion=9
    )
    client.force_login(world.agent)
    page = client.get(f"/panel/kb/articles/{articles['outlook'].pk}/").content.decode()
    assert "40 times to a customer writing a ticket" in page
    assert "<dd>12</dd>" in page
    assert "3 after opening it · 9 after seeing it suggested" in page
    listing = client.get("/panel/kb/").content.decode()
    assert "40 · 12 · 3" in listing


def test_the_portal_form_asks_for_suggestions_and_its_ticket_is_counted(client, world, articles):
    client.force_login(world.customer_a)
    page = client.get("/portal/tickets/new/").content.decode()
    assert 'hx-get="/kb/suggestions/"' in page
    assert 'hx-trigger="input changed delay:400ms"' in page and 'id="suggestions"' in page
    partial(client, "Outlook does not send")
    client.get(articles["outlook"].get_absolute_url(), {"from": "suggestion"})
    data = {
        **rendered_form(page, "new-ticket-form"),
        "title": "Outlook does not send",
        "message": "Since Monday.",
    }
    response = client.post("/portal/tickets/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert counts(articles["outlook"]) == (1, 1, 1, 1)
