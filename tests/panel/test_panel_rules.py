"""Checks over the panel's code and pages as a whole."""

from pathlib import Path

import pytest

import panel
from tests.panel.helpers import unlabelled_controls

PANEL = Path(panel.__file__).parent


def test_the_panel_never_reads_tickets_around_the_visibility_rule():
    offenders = [
        str(path.relative_to(PANEL))
        for path in PANEL.rglob("*.py")
        if "Ticket.objects" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_panel_has_no_inline_script():
    # A strict Content-Security-Policy will refuse inline scripts.
    for template in (PANEL / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and " onclick=" not in text, template.name


@pytest.mark.parametrize(
    "url",
    [
        "/panel/tickets/new/",
        "/panel/profile/",
        "/panel/settings/",
        "/panel/queues/new/",
        "/panel/search/",
        "/panel/tickets/mine/",
    ],
)
def test_every_control_of_every_form_page_is_labelled(world, as_user, url):
    page = as_user(world.admin).get(url).content.decode()
    assert unlabelled_controls(page) == []
