"""The surfaces present; the domain reads, writes and acts (tests/boundaries.py).

docs/architecture.md has the rule these tests hold: a read of tickets lives in
tickets/queries.py, a change in tickets/actions, and only the domain may act as
the system.
"""

from __future__ import annotations

import pytest

from tests.boundaries import (
    ROOT,
    SURFACES,
    RuntimeGuard,
    check_source,
    check_template,
    static_violations,
    surface_files,
)
from tickets.models import Ticket


def test_the_surfaces_build_no_ticket_query_and_never_act_as_the_system():
    assert [str(violation) for violation in static_violations()] == []


def test_the_walk_covers_every_surface_that_exists():
    walked = {path.relative_to(ROOT).parts[0] for path in surface_files()}
    existing = {name for name in SURFACES if (ROOT / name / "__init__.py").exists()}
    assert walked == existing | {"frontdesk"}
    assert "panel" in walked
    assert ROOT / "frontdesk" / "views.py" in set(surface_files())


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ("from accounts.actors import MAIL_GATEWAY", "system actor"),
        ("from accounts import actors", "system actor"),
        ("import accounts.actors", "system actor"),
        ("from tickets.visibility import visible_tickets", "build a query on"),
        ("from tickets import visibility", "whole"),
        ("Ticket.objects.filter(number=1)", "Ticket.objects"),
        ("Event._default_manager.all()", "Event._default_manager"),
        ("ticket.events.select_related('actor')", ".events.select_related"),
        ("ticket.messages.all()", ".messages.all"),
    ],
)
def test_the_static_walk_catches_each_way_round_the_rule(source, complaint):
    found = check_source(source, "panel/views/example.py")
    assert len(found) == 1 and complaint in found[0].what, found


def test_the_static_walk_lets_the_allowed_reads_through():
    allowed = """
from django.contrib import messages
from tickets import actions, queries
from tickets.visibility import can_see, get_ticket_for
messages.success(request, "Saved.")
tickets = queries.mine(user)
get_ticket_for(user, 1)
"""
    assert check_source(allowed, "panel/views/example.py") == []


def test_templates_may_not_reach_a_tickets_messages_or_history():
    assert check_template("{% for m in ticket.messages.all %}", "x.html")
    assert check_template("{{ ticket.events.count }}", "x.html")
    assert not check_template("{% for m in thread %}{{ m.attachments.all }}", "x.html")


@pytest.mark.django_db
def test_the_runtime_guard_catches_a_surface_filtering_tickets_itself():
    guard = RuntimeGuard()
    guard.install()
    try:
        # Code that runs as if it were a module of the panel.
        surface: dict[str, object] = {"__name__": "panel.views.probe", "Ticket": Ticket}
        exec("Ticket.objects.filter(number=1).exists()", surface)  # noqa: S102
        exec("list(Ticket.objects.all().order_by('number'))", surface)  # noqa: S102
        domain: dict[str, object] = {"__name__": "tickets.queries", "Ticket": Ticket}
        exec("Ticket.objects.filter(number=1).exists()", domain)  # noqa: S102
    finally:
        guard.uninstall()
    assert [violation.what for violation in guard.violations] == [
        "panel.views.probe builds a Ticket query (filter)",
        "panel.views.probe builds a Ticket query (order_by)",
    ]
