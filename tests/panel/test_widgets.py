"""The panel's fast renderings write exactly what Django's templates wrote."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from frontdesk.widgets import QuickSelect
from panel.templatetags.panel import pick_up_url, ticket_url
from tickets.models import Message, MessageSource, Status, Ticket, TicketType

CHOICES = [
    ("", "Nobody (unassigned)"),
    (1, "Ann <b>Lee</b> & co"),
    (2, "Quote \" and apostrophe '"),
    ("Group", [(3, "Three"), (4, "Four")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "2", 4, [1, 4]])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"id": "change-assignee", "form": "answer-form"},
        {"required": True, "disabled": False, "data-x": '"><script>'},
    ],
)
def test_the_quick_select_writes_what_djangos_select_writes(value, attrs):
    django_select = forms.Select(choices=CHOICES, attrs=attrs)
    quick = QuickSelect(choices=CHOICES, attrs=attrs)
    assert quick.render("assignee", value) == django_select.render("assignee", value)


def test_the_quick_select_marks_the_chosen_option_and_escapes_labels():
    html = QuickSelect(choices=CHOICES).render("assignee", 2)
    assert '<option value="2" selected>' in html
    assert "Ann &lt;b&gt;Lee&lt;/b&gt; &amp; co" in html


def render(source: str, **context) -> str:
    return Template("{% load panel %}" + source).render(Context(context))


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 30, 14, 5, 9, tzinfo=UTC),
        datetime(2026, 11, 30, 14, 5, 9, 123456, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "Asia/Kolkata"])
def test_a_moment_is_what_the_two_date_filters_wrote(moment, zone):
    with timezone.override(ZoneInfo(zone)):
        fast = render("{{ moment|moment }}", moment=moment)
        slow = render(
            """<time datetime="{{ moment|date:'c' }}">{{ moment|date:"Y-m-d H:i" }}</time>""",
            moment=moment,
        )
    assert fast == slow


def test_no_moment_is_nothing():
    assert render("{{ moment|moment }}", moment=None) == ""


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("kind", TicketType.values)
def test_the_labels_are_what_get_display_says(status, kind):
    ticket = Ticket(status=status, type=kind)
    assert render("{{ t.status|status_label }}", t=ticket) == ticket.get_status_display()
    assert render("{{ t.type|type_label }}", t=ticket) == ticket.get_type_display()


@pytest.mark.parametrize("source", MessageSource.values)
def test_the_source_label_is_what_get_display_says(source):
    message = Message(source=source)
    assert render("{{ m.source|source_label }}", m=message) == message.get_source_display()


def test_options_are_escaped_pairs():
    html = render("{{ people|options }}", people=[(7, "Ann <Lee>"), (8, "Bo")])
    assert html == '<option value="7">Ann &lt;Lee&gt;</option><option value="8">Bo</option>'


#: The cells as the ticket table's template would write them without ``ticket_cells``.
CELLS_AS_TEMPLATE = """<td>#{{ ticket.number }}</td>
        <td class="title"><a href="{% url 'panel:ticket' ticket.number %}">{{ ticket.title|visible_controls }}</a>{% if not ticket.is_answered %}<span class="visually-hidden"> {% translate "(unanswered)" %}</span>{% endif %}</td>
        <td>{{ ticket.priority|priority_label }}</td>
        <td>{{ ticket.created_at|ago }}</td>
        <td>{{ ticket.modified_at|ago }}</td>
        <td>{{ ticket.get_type_display }}</td>
        <td>{{ ticket.status|status_pill }}</td>
        <td class="queue">{{ ticket.queue.name }}</td>"""  # noqa: E501


@pytest.mark.parametrize(
    "title", ["Printer on fire", "<b>bold</b> & \"quoted\" 'it'", "invoice\u202efdp.exe"]
)
@pytest.mark.parametrize("answered", [True, False])
def test_the_ticket_cells_are_what_the_template_wrote(world, title, answered):
    ticket = world.ticket(title=title)
    ticket.is_answered = answered
    ticket.queue.name = "Billing <EU>"
    with timezone.override(ZoneInfo("Europe/Berlin")):
        fast = render("{% ticket_cells ticket %}", ticket=ticket)
        slow = Template("{% load i18n panel %}" + CELLS_AS_TEMPLATE).render(
            Context({"ticket": ticket})
        )
    assert fast == slow


@pytest.mark.parametrize("number", [1, 42, 987654321987654320, 999999999999999999])
def test_a_ticket_address_is_what_reverse_says(number):
    assert ticket_url(number) == reverse("panel:ticket", args=[number])
    assert pick_up_url(number) == reverse("panel:pick_up", args=[number])


def test_a_ticket_address_follows_the_sites_prefix():
    set_script_prefix("/desk/")
    try:
        assert ticket_url(7) == "/desk/panel/tickets/7/"
    finally:
        set_script_prefix("/")
    assert ticket_url(7) == "/panel/tickets/7/"
