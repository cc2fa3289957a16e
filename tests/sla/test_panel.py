"""The panel's service levels: the pages of the rules, the due label, the sort, and
the team view "Breaching soon"."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.urls import reverse

from panel.models import SavedView
from sla.models import Calendar, Holiday, Policy
from tests.panel.helpers import rendered_form
from tests.sla.conftest import at, berlin
from tickets.criteria import from_querystring
from tickets.due_times import DueTimes, store_many_due_times
from tickets.models import Ticket

MONDAY_10 = berlin(2026, 3, 2, 10, 0)
HOUR = timedelta(hours=1)


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


def test_an_administrator_makes_a_calendar_with_hours_and_holidays(admin_client):
    page = admin_client.get(reverse("panel:calendar_create"))
    assert page.status_code == 200
    form = rendered_form(page.content.decode(), "calendar-form")
    form.update(
        name="Berlin office",
        time_zone="Europe/Berlin",
        day_0="08:00-12:00, 13:00-17:00",
        day_5="",
        holidays="2026-12-25 Christmas\n2026-12-26",
    )
    response = admin_client.post(reverse("panel:calendar_create"), form)
    assert response.status_code == 302
    calendar = Calendar.objects.get(name="Berlin office")
    assert calendar.time_zone == "Europe/Berlin"
    assert calendar.weekly_hours[0] == [[480, 720], [780, 1020]]
    # The form offered office hours for the other weekdays, and nothing at the weekend.
    assert calendar.weekly_hours[1] == [[540, 1020]]
    assert calendar.weekly_hours[5] == calendar.weekly_hours[6] == []
    assert [(h.date.isoformat(), h.name) for h in calendar.holidays.all()] == [
        ("2026-12-25", "Christmas"),
        ("2026-12-26", ""),
    ]


def test_hours_that_do_not_read_are_refused_with_a_message(admin_client):
    page = admin_client.get(reverse("panel:calendar_create"))
    form = rendered_form(page.content.decode(), "calendar-form")
    form.update(name="Odd", day_0="17:00-09:00", holidays="christmas")
    response = admin_client.post(reverse("panel:calendar_create"), form)
    assert response.status_code == 422
    assert "ends after it starts" in response.content.decode()
    assert "is no date" in response.content.decode()
    assert not Calendar.objects.exists()


def test_editing_a_calendar_keeps_what_it_showed(admin_client, world):
    calendar = Calendar.objects.create(name="Office", time_zone="Europe/Berlin")
    Holiday.objects.create(calendar=calendar, date=MONDAY_10.date(), name="Closed")
    url = reverse("panel:calendar_edit", args=[calendar.pk])
    form = rendered_form(admin_client.get(url).content.decode(), "calendar-form")
    assert admin_client.post(url, form).status_code == 302
    calendar.refresh_from_db()
    assert calendar.weekly_hours == [[[540, 1020]]] * 5 + [[], []]
    assert list(calendar.holidays.values_list("name", flat=True)) == ["Closed"]


def test_an_administrator_sets_a_policy_and_overlaps_are_refused(admin_client, world):
    url = reverse("panel:policy_create")
    form = rendered_form(admin_client.get(url).content.decode(), "policy-form")
    form.update(
        queue=str(world.support.pk),
        lowest_priority="1",
        highest_priority="60",
        first_response_minutes="60",
        resolution_minutes="480",
    )
    assert admin_client.post(url, form).status_code == 302
    policy = Policy.objects.get()
    assert (policy.first_response_minutes, policy.next_response_minutes) == (60, None)
    form.update(lowest_priority="50", highest_priority="99")
    response = admin_client.post(url, form)
    assert response.status_code == 422
    assert "covers these priorities" in response.content.decode()


def test_a_changed_policy_moves_the_due_times_of_open_tickets(admin_client, levels, on_commit):
    with at(MONDAY_10), on_commit():
        ticket = levels.ticket(levels.support)
    assert Ticket.objects.get(pk=ticket.pk).first_response_due_at == MONDAY_10 + HOUR
    policy = Policy.objects.get(queue=levels.support, lowest_priority=1)
    url = reverse("panel:policy_edit", args=[policy.pk])
    form = rendered_form(admin_client.get(url).content.decode(), "policy-form")
    form.update(first_response_minutes="120")
    with at(MONDAY_10 + HOUR / 2), on_commit():
        assert admin_client.post(url, form).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).first_response_due_at == MONDAY_10 + 2 * HOUR


def test_a_calendar_a_policy_uses_is_not_deleted(admin_client, levels):
    url = reverse("panel:calendar_delete", args=[levels.office.pk])
    response = admin_client.post(url)
    assert response.status_code == 302
    assert Calendar.objects.filter(pk=levels.office.pk).exists()


def test_deleting_a_policy(admin_client, levels):
    policy = Policy.objects.get(queue=levels.billing)
    assert admin_client.post(reverse("panel:policy_delete", args=[policy.pk])).status_code == 302
    assert not Policy.objects.filter(pk=policy.pk).exists()


def test_the_overview_lists_policies_and_calendars(admin_client, levels):
    page = admin_client.get(reverse("panel:service_levels")).content.decode()
    assert "Berlin office" in page
    assert "1 hour" in page and "8 hours" in page
    assert "around the clock" in page


# The lists ------------------------------------------------------------------


def _three_tickets(world):
    """Breached 30 minutes ago, due in 90 minutes, and one without a due time."""
    now = MONDAY_10
    breached, soon, none = (world.ticket(world.support, title=name) for name in "ABC")
    store_many_due_times({breached.pk: DueTimes(first_response=now - HOUR / 2)})
    store_many_due_times({soon.pk: DueTimes(resolution=now + 1.5 * HOUR)})
    store_many_due_times({none.pk: DueTimes()})
    return breached, soon, none


def _rows(html: str, key: str) -> list[int]:
    import re

    return [int(number) for number in re.findall(rf'id="row-{key}-(\d+)"', html)]


@pytest.mark.parametrize("sort", ["due", "-due"])
def test_the_unassigned_list_sorts_by_the_next_due_time_those_without_last(client, world, sort):
    breached, soon, none = _three_tickets(world)
    client.force_login(world.admin)
    with at(MONDAY_10):
        page = client.get(reverse("panel:unassigned"), {"sort": sort}).content.decode()
    expected = [breached.pk, soon.pk] if sort == "due" else [soon.pk, breached.pk]
    assert _rows(page, "unassigned") == [*expected, none.pk]
    assert 'id="sort-unassigned-due"' in page


def test_the_label_says_how_late_or_how_soon(client, world):
    _three_tickets(world)
    client.force_login(world.admin)
    with at(MONDAY_10):
        page = client.get(reverse("panel:unassigned")).content.decode()
    assert 'class="due-label due-breached"' in page
    assert "breached 30\xa0minutes ago" in page
    assert 'class="due-label due-soon"' in page
    assert "due in 1\xa0hour" in page


def test_the_ticket_page_shows_each_running_target(client, levels, on_commit):
    with at(MONDAY_10), on_commit():
        ticket = levels.ticket(levels.support)
    client.force_login(levels.admin)
    with at(MONDAY_10 + HOUR / 2):
        page = client.get(reverse("panel:ticket", args=[ticket.pk])).content.decode()
    assert 'id="fact-due"' in page
    assert "First response:" in page and "Resolution:" in page
    assert "Next response:" not in page


def test_the_installation_brings_a_breaching_soon_view(client, world):
    from django.apps import apps

    SavedView.objects.filter(name="Breaching soon").delete()
    import_module("panel.migrations.0003_breaching_soon_view").add_breaching_soon(apps, None)
    view = SavedView.objects.get(name="Breaching soon")
    assert view.shared and view.owner is None
    criteria = from_querystring(view.query)
    assert view.query == criteria.to_querystring()
    breached, soon, _none = _three_tickets(world)
    later = world.ticket(world.support, title="D")
    store_many_due_times({later.pk: DueTimes(resolution=MONDAY_10 + 5 * HOUR)})
    client.force_login(world.admin)
    with at(MONDAY_10):
        page = client.get(reverse("panel:view", args=[view.pk])).content.decode()
    assert _rows(page, f"view-{view.pk}") == [breached.pk, soon.pk]


def test_a_queue_escalates_by_its_service_level_without_an_interval(admin_client, world):
    url = reverse("panel:queue_edit", args=[world.billing.pk])
    form = rendered_form(admin_client.get(url).content.decode(), "queue-form")
    form.update(escalation_step="10", escalation_minutes="")
    refused = admin_client.post(url, form)
    assert refused.status_code == 422
    form.update(escalation_follows_service_level="on", escalation_warning_minutes="30")
    assert admin_client.post(url, form).status_code == 302
    world.billing.refresh_from_db()
    assert world.billing.escalation_follows_service_level
    assert (world.billing.escalation_step, world.billing.escalation_warning_minutes) == (10, 30)
    assert world.billing.escalation_interval is None
