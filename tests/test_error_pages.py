"""The 403, 404 and 500 pages: the product's look, the reason shown, a refusal logged
as one line, and the 500 page drawn without the database (issue 10)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, RequestFactory
from django.urls import path

from frontdesk import errors
from frontdesk import urls as project_urls


def test_a_customer_opening_the_panel_is_told_why_in_the_panels_look(world, client):
    client.force_login(world.customer_a)
    response = client.get("/panel/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "The agent panel is for support staff." in page
    assert "panel/panel.css" in page and "portal/portal.css" not in page
    assert 'id="error-home"' in page


def test_a_refusal_is_logged_as_one_line_with_its_reason(world, client, caplog):
    client.force_login(world.customer_a)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/panel/")
    refusals = [record for record in caplog.records if record.name == "django.request"]
    assert len(refusals) == 1
    record = refusals[0]
    assert record.exc_info is None
    assert record.getMessage() == (
        "Forbidden (Permission denied): /panel/ (The agent panel is for support staff.)"
    )
    assert "Traceback" not in caplog.text


def test_a_missing_page_is_logged_as_one_short_line(world, client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/portal/no-such-page/")
    (record,) = [record for record in caplog.records if record.name == "django.request"]
    assert record.exc_info is None
    assert record.getMessage() == "Not Found: /portal/no-such-page/"


def test_a_missing_portal_page_has_the_portals_look(world, client):
    client.force_login(world.customer_a)
    response = client.get("/portal/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "portal/portal.css" in page and "panel/panel.css" not in page


def test_a_ticket_one_may_not_see_looks_like_no_ticket(world, client):
    ticket = world.ticket(world.sales)
    client.force_login(world.agent)
    hidden = client.get(f"/panel/tickets/{ticket.number}/")
    missing = client.get("/panel/tickets/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert "panel/panel.css" in hidden.content.decode()


def test_the_500_page_renders_without_the_database(django_db_blocker):
    request = RequestFactory().get("/portal/")
    with django_db_blocker.block():
        response = errors.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "portal/portal.css" in page


def broken(request):
    raise RuntimeError("the database went away")


# This module as a URL configuration: one broken view, the project's 500 handler.
urlpatterns = [path("broken/", broken), *project_urls.urlpatterns]
handler500 = project_urls.handler500


@pytest.mark.django_db
def test_an_error_in_a_view_answers_with_the_500_page(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "the database went away" not in page


def test_the_pages_say_their_words_in_the_persons_language(world, client):
    client.cookies["django_language"] = "de"
    response = client.get("/portal/no-such-page/")
    assert response.status_code == 404
    assert 'lang="de"' in response.content.decode()
