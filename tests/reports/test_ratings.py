"""Customer satisfaction: the closing notice's signed links, the public page, and where
ratings show. A link names one closing; tampered, expired or switched-off links
change nothing; a replay changes the same rating, never adds one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from mail import outbound
from mail.models import OutgoingKind, OutgoingMail
from reports import queries, ratings
from reports.models import Rating
from reports.queries import Period
from tests.conftest import set_helpdesk
from tests.panel.helpers import rendered_form
from tests.reports.conftest import DAY1, at
from tickets import actions
from tickets.models import Ticket

LINK = re.compile(r"https?://[^\s\"<>]+/portal/rating/[^\s\"<>?]+/\?choice=(?:good|bad)")


@pytest.fixture
def closed(world) -> Ticket:
    set_helpdesk(auto_close_days=-1)
    world.billing.closed_ticket_response = "We closed your ticket."
    world.billing.save()
    with at(DAY1):
        ticket = world.ticket(world.billing)
        actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
        actions.answer(actor=world.agent, ticket=ticket, text="Fixed.")
        return actions.close(actor=world.agent, ticket=ticket)


def closing_notice(ticket: Ticket) -> OutgoingMail:
    row = OutgoingMail.objects.filter(ticket=ticket, kind=OutgoingKind.CLOSED).latest("pk")
    if getattr(row, "compose", None):
        composed = outbound.compose_pending(row)
        assert composed is not None
        row = composed
    return row


def links_of(ticket: Ticket) -> dict[str, str]:
    notice = closing_notice(ticket)
    found = LINK.findall(notice.text)
    assert LINK.findall(notice.html.replace("&amp;", "&")) == found
    return {link.rsplit("=", 1)[1]: link.split("/portal/", 1)[1] for link in found}


def follow(client: Client, link: str):
    return client.get("/portal/" + link)


def send(client: Client, link: str, **typed: str):
    page = follow(client, link)
    fields = rendered_form(page.content.decode(), "rating-form")
    fields.update(typed)
    return client.post("/portal/" + link.split("?")[0], fields)


def test_the_closing_notice_carries_a_good_and_a_bad_link_in_text_and_html(closed):
    assert set(links_of(closed)) == {"good", "bad"}


def test_switched_off_the_notice_has_no_links_and_links_sent_before_work_no_more(closed, client):
    link = links_of(closed)["good"]
    set_helpdesk(satisfaction_ratings=False)
    assert ratings.mail_context(Ticket.objects.get(pk=closed.pk)) == {}
    response = follow(client, link)
    assert response.status_code == 410
    assert not Rating.objects.exists()


def test_opening_a_link_shows_the_choice_and_saves_nothing(closed, client):
    page = follow(client, links_of(closed)["bad"])
    assert page.status_code == 200
    assert rendered_form(page.content.decode(), "rating-form")["choice"] == "bad"
    assert not Rating.objects.exists()


def test_sending_saves_one_rating_of_the_closing_with_its_agent_and_queue(closed, client, world):
    response = send(client, links_of(closed)["good"], comment="Quick, thanks!")
    assert response.status_code == 200
    rating = Rating.objects.get()
    assert (rating.good, rating.comment, rating.closed_at) == (
        True,
        "Quick, thanks!",
        closed.closed_at,
    )
    assert (rating.queue, rating.assignee) == (world.billing.pk, world.agent.pk)


def test_a_replay_changes_the_same_rating_and_adds_none(closed, client):
    link = links_of(closed)["good"]
    send(client, link)
    send(client, link, choice="bad", comment="On second thought.")
    rating = Rating.objects.get()
    assert (rating.good, rating.comment) == (False, "On second thought.")


def test_a_tampered_link_is_refused_and_changes_nothing(closed, client, world):
    link = links_of(closed)["good"]
    token = link.split("/")[1]
    payload = signing.TimestampSigner(salt=ratings.SALT).unsign_object(token)
    # Another ticket's number under the old signature, and a signature of another salt.
    value, signature = token.rsplit(":", 1)
    other = world.ticket(world.billing)
    forged = signing.TimestampSigner(salt="another").sign_object({**payload, "n": other.pk})
    for bad in (f"{value}x:{signature}", forged, "nonsense"):
        response = client.get(reverse("portal:rating", args=[bad]))
        assert response.status_code == 404
        assert (
            client.post(reverse("portal:rating", args=[bad]), {"choice": "good"}).status_code == 404
        )
    assert not Rating.objects.exists()


def test_an_expired_link_is_refused(closed, client):
    with at(DAY1):  # signed when the notice is written, the day it closed
        link = links_of(closed)["good"]
    with at(DAY1 + ratings.MAX_AGE + timedelta(days=1)):
        response = follow(client, link)
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        posted = client.post("/portal/" + link.split("?")[0], {"choice": "good"})
        assert posted.status_code == 410
    assert not Rating.objects.exists()


def test_a_later_closing_is_rated_on_its_own(closed, client, world):
    send(client, links_of(closed)["good"])
    with at(DAY1 + timedelta(days=1)):
        actions.reopen(actor=world.agent, ticket=closed)
        again = actions.close(actor=world.agent, ticket=closed)
    send(client, links_of(again)["bad"])
    assert sorted(Rating.objects.values_list("good", flat=True)) == [False, True]


def test_a_notice_composed_after_a_reopen_still_rates_the_closing_it_tells_of(
    closed, client, world
):
    """The worker composes the notice later; the customer may have reopened the
    ticket meanwhile. The links name the closing the notice was queued for."""
    with at(DAY1 + timedelta(hours=1)):
        actions.reopen(actor=world.agent, ticket=closed)
    assert Ticket.objects.get(pk=closed.pk).closed_at is None

    send(client, links_of(closed)["good"])

    assert Rating.objects.get().closed_at == closed.closed_at


def test_the_ticket_page_and_the_report_by_agent_and_queue_show_ratings(closed, client, world):
    send(client, links_of(closed)["bad"], comment="Too slow.")
    client.force_login(world.supervisor)
    page = client.get(reverse("panel:ticket", args=[closed.pk])).content.decode()
    assert 'id="ticket-ratings"' in page and "Too slow." in page
    rated_on = Rating.objects.get().created_at.date()
    report = queries.report(world.admin, Period(start=DAY1.date(), end=rated_on))
    agent = next(line for line in report.by_agent if line.key == world.agent.pk)
    queue = next(line for line in report.by_queue if line.key == world.billing.pk)
    assert (agent.good, agent.bad, queue.bad, report.bad) == (0, 1, 1, 1)
    # Another supervisor's report (Sales, Support) has none of it.
    other = queries.report(world.other_supervisor, Period(start=DAY1.date(), end=rated_on))
    assert (other.good, other.bad) == (0, 0)
