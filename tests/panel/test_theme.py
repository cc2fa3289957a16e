"""The panel's theme: light, dark or the system's, chosen on My Profile, drawn by the server."""

from __future__ import annotations

import re

import pytest

from panel.models import Preferences
from tests.panel.helpers import rendered_form


def html_tag(page: str) -> str:
    match = re.search(r"<html[^>]*>", page)
    assert match is not None
    return match.group(0)


def choose(client, theme: str):
    """Posts the form My Profile renders, with ``theme`` chosen in it."""
    form = rendered_form(client.get("/panel/profile/").content.decode(), "theme-form")
    return client.post("/panel/profile/theme/", {**form, "theme": theme})


def test_nobody_has_a_theme_until_they_choose_so_pages_follow_the_system(world, as_user):
    page = as_user(world.agent).get("/panel/").content.decode()
    assert "data-theme" not in html_tag(page)
    profile = as_user(world.agent).get("/panel/profile/").content.decode()
    assert rendered_form(profile, "theme-form")["theme"] == "system"


def test_a_chosen_theme_is_written_on_every_panel_page(world, as_user):
    client = as_user(world.agent)
    response = choose(client, "dark")
    assert response.status_code == 302
    for url in ["/panel/", "/panel/profile/", "/panel/tickets/mine/"]:
        assert html_tag(client.get(url).content.decode()) == '<html lang="en" data-theme="dark">'
    profile = client.get("/panel/profile/").content.decode()
    assert rendered_form(profile, "theme-form")["theme"] == "dark"
    choose(client, "light")
    assert 'data-theme="light"' in html_tag(client.get("/panel/").content.decode())


def test_back_to_the_systems_theme_removes_the_attribute(world, as_user):
    client = as_user(world.supervisor)
    choose(client, "dark")
    choose(client, "system")
    assert "data-theme" not in html_tag(client.get("/panel/").content.decode())


def test_a_theme_is_one_persons_own(world, as_user):
    choose(as_user(world.agent), "dark")
    page = as_user(world.supervisor).get("/panel/").content.decode()
    assert "data-theme" not in html_tag(page)


def test_an_unknown_theme_is_refused_and_nothing_is_saved(world, as_user):
    client = as_user(world.agent)
    response = choose(client, "neon")
    assert response.status_code == 302
    assert not Preferences.objects.filter(user=world.agent).exists()
    page = client.get("/panel/profile/").content.decode()
    assert "Choose light, dark or the system" in page


def test_a_customer_cannot_choose_a_panel_theme(world, as_user):
    response = as_user(world.customer_a).post("/panel/profile/theme/", {"theme": "dark"})
    assert response.status_code == 403
    assert not Preferences.objects.exists()


def test_the_toolbar_words_carry_icons_that_screen_readers_skip(world, as_user):
    page = as_user(world.admin).get("/panel/").content.decode()
    toolbar = page[page.index('<header class="toolbar">') : page.index("</header>")]
    links = re.findall(
        r'id="(nav-[a-z-]+|sign-out)"[^>]*>(<svg[^>]*>.*?</svg>)(.*?)</(?:a|button)>', toolbar
    )
    # The words as a screen reader reads them (the last three are visually hidden).
    named = {link: re.split(r"<span class=\"count\"", words)[0] for link, _svg, words in links}
    named = {link: re.sub(r"<[^>]+>", "", words).strip() for link, words in named.items()}
    assert named == {
        "nav-search": "Search",
        "nav-views": "Views",
        "nav-make-ticket": "Make a Ticket",
        "nav-kb": "Knowledge Base",
        "nav-canned": "Canned replies",
        "nav-customers": "Customers",
        "nav-queues": "Queues",
        "nav-reports": "Reports",
        "nav-staff": "Staff",
        "nav-settings": "Settings",
        "nav-mail": "Mail",
        "nav-audit-log": "Audit log",
        "nav-notifications": "Notifications",
        "nav-profile": "My Profile",
        "sign-out": "Sign out",
    }
    for _link, svg, _word in links:
        assert 'aria-hidden="true"' in svg and 'focusable="false"' in svg
        assert "<path" in svg or "<circle" in svg or "<rect" in svg


def test_an_icon_that_is_not_one_is_refused_when_the_template_renders():
    from django.template import Context, Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="is not an icon"):
        Template('{% load icons %}{% icon "../settings" %}').render(Context())
