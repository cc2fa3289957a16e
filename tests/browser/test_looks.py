"""How the panel looks: no accessibility violations axe-core can find on the main pages in
either colour scheme, no sideways scrolling on a phone, a supervisor's home on one screen."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.test_screenshots import a_realistic_desk
from tests.panel.helpers import open_tickets

PHONE_WIDTH = 375
LAPTOP = {"width": 1366, "height": 768}
# One screen of a 1366×768 laptop, less the browser's own bars, with a little slack:
# the supervisor's home with lists of a demo's size must fit it.
ONE_SCREEN = 800

# axe-core as axe-playwright-python bundles it; every rule (WCAG 2.x A and AA and
# axe's best practices), every impact: minor findings fail the test as well.
AXE = Axe()


#: The rules whose outcome a colour scheme can change: the other scheme is checked
#: against these alone (the page's structure, names and roles are the same).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page: Page, rules: list[str] | None = None) -> list[str]:
    options: dict[str, object] = {"resultTypes": ["violations"]}
    if rules is not None:
        options["runOnly"] = {"type": "rule", "values": rules}
    response = AXE.run(page, options=options).response
    return [
        f"{each['id']} ({each['impact']}): {each['help']} at "
        + ", ".join(str(node["target"]) for node in each["nodes"][:5])
        for each in response["violations"]
    ]


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


PAGES = {
    "sign-in": (None, "/login/"),
    "panel home of a supervisor": ("supervisor", "/panel/"),
    "panel home of an agent": ("agent", "/panel/"),
    "a ticket list": ("supervisor", "/panel/tickets/unassigned/"),
    "a ticket page": ("supervisor", "/panel/tickets/{invoice}/"),
    "quick search": ("supervisor", "/panel/search/?q=invoice"),
    "advanced search": ("supervisor", "/panel/search/advanced/?q=invoice"),
    "my profile": ("supervisor", "/panel/profile/"),
    "portal tickets": ("customer_a", "/portal/"),
    "portal new ticket": ("customer_a", "/portal/tickets/new/"),
    "portal ticket": ("customer_a", "/portal/tickets/{invoice}/"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations_in_either_scheme(world, open_page, name):
    invoice = a_realistic_desk(world)
    person, url = PAGES[name]
    page = open_page(getattr(world, person) if person else None)
    page.emulate_media(color_scheme="light")
    response = page.goto(url.format(invoice=invoice.number))
    assert response is not None and response.status == 200
    assert axe_violations(page) == []
    # The same page drawn in the dark scheme. Loaded again: switched in place, the
    # buttons' colour transitions were caught halfway and read as too little contrast.
    page.emulate_media(color_scheme="dark")
    response = page.reload()
    assert response is not None and response.status == 200
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert axe_violations(page, COLOUR_RULES) == []


def test_a_chosen_dark_theme_wins_over_a_light_system_and_passes_axe(world, open_page):
    a_realistic_desk(world)
    page = open_page(world.supervisor)
    page.emulate_media(color_scheme="light")
    page.goto("/panel/profile/")
    page.get_by_label("Dark").check()
    page.locator("#theme-submit").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.goto("/panel/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 20, 25)"
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_phone_never_scrolls_the_page_sideways(world, open_page, scheme):
    invoice = a_realistic_desk(world)
    open_tickets(12, world.support, title="Die Weiterleitung an die neue Adresse geht nicht")
    page = open_page(world.supervisor, width=PHONE_WIDTH, height=800)
    page.emulate_media(color_scheme=scheme)
    for url in [
        "/panel/",
        "/panel/tickets/unassigned/",
        f"/panel/tickets/{invoice.number}/",
        "/panel/search/?q=invoice",
        "/panel/profile/",
    ]:
        page.goto(url)
        assert scroll_width(page) <= PHONE_WIDTH, url
    # The pages stay reachable: the toolbar's links scroll in their own strip.
    page.goto("/panel/")
    profile = page.locator("#nav-profile")
    profile.scroll_into_view_if_needed()
    expect(profile).to_be_in_viewport()


def test_a_supervisors_home_with_a_demos_lists_fits_one_laptop_screen(world, open_page):
    # As the demo data (frontdesk/demo.py) leaves the supervisor: dozens of each.
    open_tickets(30, world.support, assignee=world.supervisor, title="Mail bounces")
    open_tickets(40, world.billing, title="Double charge on my card")
    page = open_page(world.supervisor, **LAPTOP)
    page.goto("/panel/")
    expect(page.locator("#show-all-unassigned")).to_be_visible()
    expect(page.locator("#show-all-mine")).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= ONE_SCREEN, height
    # Choosing a ticket brings the actions for the chosen; the list links to the rest.
    expect(page.locator("#mass-unassigned")).to_be_hidden()
    page.locator("#list-unassigned input[name=ticket]").first.check()
    expect(page.locator("#mass-unassigned-close")).to_be_visible()
    page.locator("#show-all-unassigned").click()
    expect(page.locator("#list-unassigned tbody tr")).to_have_count(25)
