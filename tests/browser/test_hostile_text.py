"""Hostile text in every field, every page that shows it, in Chromium.

A hook installed before any page script runs turns ``alert``, ``confirm`` and
``prompt`` into setting ``window.__pwned``, which the payloads also set. The
walk runs with the Content-Security-Policy switched off in the browser, so that
it proves the escaping on its own (the policy is the second wall: the flows
that type into forms keep it on, and fail on any violation it reports).
On every page: no script ran, no element, handler or script URL came from a
payload, each field's marker is visible text, and nothing scrolls sideways at
1280 px. tests/panel/test_hostile_pages.py checks the same pages' HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import User
from mail.parse import parse
from tests.browser.conftest import TIMEOUT_MS, report_csp_violations
from tests.hostile_desk import Desk, build_desk, chrome, mail, pages, title_marker
from tests.hostile_desk import Page as DeskPage
from tests.payloads import FORBIDDEN_ELEMENTS, OUR_SCRIPTS, PAYLOADS, everything, marker

WIDTH = 1280
PHONE_WIDTH = 375
#: The pages with the most hostile text in lists, tables and forms.
PHONE_PAGES = {"home", "ticket", "queues", "queue", "profile", "mail", "quarantine entry"}

HOOK = """
window.__pwned = undefined;
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = () => { window.__pwned = name; };
}
"""

# The same rules as tests/payloads.py MarkupAudit, on the DOM the browser built.
AUDIT = """([forbidden, ourScripts]) => {
  const found = [];
  const scriptUrl = /^\\s*(javascript|vbscript)\\s*:/i;
  const dataUrl = /^\\s*data\\s*:/i;
  const urls = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"];
  const ownText = (element) => [...element.childNodes]
    .filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join("");
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    const source = element.getAttribute("src") || "";
    if (tag === "script" && !ourScripts.some((start) => source.startsWith(start)))
      found.push(`<script> not ours: ${element.outerHTML.slice(0, 120)}`);
    // The toolbar's icons (tests/payloads.py ICON_ATTRIBUTES) are the templates' own.
    const icon = tag === "svg" && element.closest('header.toolbar nav[aria-label="Agent panel"]')
      && element.getAttribute("class") === "icon" && element.getAttribute("aria-hidden") === "true";
    if (forbidden.includes(tag) && !icon)
      found.push(`<${tag}> ${element.outerHTML.slice(0, 120)}`);
    if (tag === "meta" && (element.getAttribute("http-equiv") || "").toLowerCase() === "refresh")
      found.push("<meta> refresh");
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(`<${tag}> handler ${name}=${attribute.value}`);
      // Django's admin scripts set styles through the DOM (no policy stops that): only a
      // style on an element that holds a payload's marker is a payload's.
      else if (name === "style" && ownText(element).includes("hx-"))
        found.push(`<${tag}> style=${attribute.value}`);
      else if (urls.includes(name) && scriptUrl.test(attribute.value))
        found.push(`<${tag}> ${name}=${attribute.value}`);
      else if (urls.includes(name) && !["img", "link"].includes(tag)
               && dataUrl.test(attribute.value))
        found.push(`<${tag}> ${name}=${attribute.value.slice(0, 60)}`);
    }
  }
  return found;
}"""

# Everything a person reads on the page: the text (with every <details> open), what
# fields hold, the choices of lists, the title.
TEXT = """() => {
  for (const details of document.querySelectorAll("details")) details.open = true;
  const values = [...document.querySelectorAll("input, textarea")].map((field) => field.value);
  const options = [...document.querySelectorAll("option")].map((option) => option.text);
  return [document.title, document.body.innerText, ...values, ...options].join("\\n");
}"""

ROWS = """() => Object.fromEntries([...document.querySelectorAll("tr[id^=row-]")].map(
  (row) => [row.id.split("-").pop(), row.querySelector("td.title")?.innerText || ""]))"""

# What runs off the side: the page itself, a region that scrolls sideways, or text
# whose box ends beyond the window without anything clipping it, but in the boxes
# ``scrolls`` names, made to scroll sideways (the ticket tables on a phone).
LAYOUT = """(scrolls) => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width + 1)
    found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  const where = (element) => element.localName + (element.id ? `#${element.id}` : "") +
    (element.className ? `.${element.className}` : "");
  const clipped = (node) => {
    for (let element = node.parentElement; element; element = element.parentElement) {
      const style = getComputedStyle(element);
      if (["hidden", "clip"].includes(style.overflowX)) return true;
      if (scrolls.some((selector) => element.matches(selector))) return true;
    }
    return false;
  };
  for (const element of document.querySelectorAll("body *")) {
    if (["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName)) continue;
    const style = getComputedStyle(element);
    if (scrolls.some((selector) => element.matches(selector))) continue;
    const scroller = ["auto", "scroll"].includes(style.overflowX);
    if (scroller && element.scrollWidth > element.clientWidth + 1)
      found.push(`${where(element)} scrolls sideways: ` +
                 `${element.scrollWidth} > ${element.clientWidth}`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    const at = text.indexOf("hx-");
    if (at < 0 || clipped(node)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1))
      found.push(`${text.slice(at, at + 30)}… in ${where(node.parentElement)} runs off the ` +
                 `page: ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  return found;
}"""

# However long a message, the thread, the properties and the answer form stay in reach:
# no message is taller than the window.
TALL_MESSAGES = """() => [...document.querySelectorAll(".message .body")]
  .filter((body) => body.getBoundingClientRect().height > window.innerHeight)
  .map((body) => `${body.closest(".message").id} is ` +
                 `${Math.round(body.getBoundingClientRect().height)} px tall`)"""

#: What must be on every page: the page's frame (panel, admin, the customers' list).
REGIONS = {
    "panel": ["header.toolbar", "nav[aria-label='Agent panel']", "main#main"],
    "admin": ["#header", "#content"],
    "customer": ["header.site", "main#main"],
}
#: Parts of a page that must stay on screen next to the text, whatever its length.
PARTS = {
    "ticket": ["#properties", "#thread", "#answer-form", "#history"],
    "queue": ["#queue-form"],
    "profile": ["#profile-form"],
    "settings": ["#settings-form"],
}

Browse = Callable[..., Page]


@pytest.fixture
def browse(chromium: Browser, live_server, media_root) -> Iterator[Browse]:
    """``browse(person, csp=False)``: a page of its own with the hook, signed in."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []
    violations: list[str] = []

    def browse(person: User | None, *, csp: bool = False) -> Page:
        context = chromium.new_context(
            base_url=live_server.url,
            viewport={"width": WIDTH, "height": 900},
            locale="en-GB",
            bypass_csp=not csp,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(HOOK)
        contexts.append(context)
        if person is not None:
            client = Client()
            client.force_login(person)
            name = django_settings.SESSION_COOKIE_NAME
            cookie = client.cookies[name].value
            context.add_cookies([{"name": name, "value": cookie, "url": live_server.url}])
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        report_csp_violations(page, violations)
        return page

    yield browse
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"
    assert violations == [], f"Content-Security-Policy violations: {violations}"


def forbidden(page: DeskPage) -> list[str]:
    return sorted(FORBIDDEN_ELEMENTS - page.allow)


def problems(desk: Desk, browser_page: Page, page: DeskPage) -> list[str]:
    """What is wrong with one page as Chromium shows it."""
    found = []
    pwned = browser_page.evaluate("window.__pwned")
    if pwned is not None:
        found.append(f"a payload ran: {pwned}")
    found += browser_page.evaluate(AUDIT, [forbidden(page), list(OUR_SCRIPTS)])
    text = browser_page.evaluate(TEXT)
    found += [
        f"not shown: {each}" for each in page.markers + chrome(desk, page) if each not in text
    ]
    if page.rows:
        rows = browser_page.evaluate(ROWS)
        found += [] if rows else ["no ticket rows"]
        for number, title in rows.items():
            wanted = title_marker(desk, int(number))
            if wanted is not None and wanted not in title:
                found.append(f"row of #{number} does not show {wanted}")
    frame = "admin" if page.url.startswith("/admin/") else "panel" if page.panel else "customer"
    for selector in REGIONS[frame] + PARTS.get(page.name, []):
        if not browser_page.locator(selector).first.is_visible():
            found.append(f"{selector} is not shown")
    found += browser_page.evaluate(LAYOUT, list(page.scrolls))
    if page.name == "ticket":
        found += browser_page.evaluate(TALL_MESSAGES)
    return [f"{page.name} ({page.url[:70]}): {each}" for each in found]


def test_no_hostile_text_runs_shows_as_markup_or_breaks_a_page(world, browse, tmp_path):
    desk = build_desk(world, Client())
    people: dict[str, Page] = {}
    found = []
    for page in pages(desk):
        if page.person not in people:
            people[page.person] = browse(getattr(world, page.person))
        browser_page = people[page.person]
        browser_page.goto(page.url)
        found += problems(desk, browser_page, page)
        if page.name == "ticket":
            # For a person to look at: a support lead would not ship what this shows wrong.
            browser_page.screenshot(path=tmp_path / "ticket.png")
    assert not found, "\n".join(found[:80])


def test_on_a_phone_hostile_text_wraps_too(world, browse):
    desk = build_desk(world, Client())
    admin = browse(world.admin)
    admin.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    found = []
    for page in pages(desk):
        if page.name in PHONE_PAGES:
            admin.goto(page.url)
            # Tables and the top bar's strip of links scroll in their own box on a phone.
            scrolling = [".table-scroll", ".toolbar ul"]
            found += [f"{page.name}: {each}" for each in admin.evaluate(LAYOUT, scrolling)]
    assert not found, "\n".join(found[:40])


def test_make_a_ticket_with_hostile_text_and_an_error_shows_it_all_as_text(world, browse):
    page = browse(world.admin, csp=True)
    page.goto("/panel/tickets/new/")
    page.get_by_label("Title").fill(PAYLOADS["dquote"](marker("make", "dquote")))
    page.get_by_label("Customer e-mail").fill("alice@a.example")
    page.get_by_label("Account").fill(PAYLOADS["squote"](marker("make", "squote")))
    page.get_by_label("Priority").fill("50")
    page.get_by_label("Message").fill(everything("make", long=20_000))
    page.get_by_role("button", name="Make the ticket").click()
    expect(
        page.get_by_text("No account has this name, external id or contact e-mail.")
    ).to_be_visible()
    form = DeskPage("make a ticket", "/panel/tickets/new/", "admin", panel=True)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate(AUDIT, [forbidden(form), list(OUR_SCRIPTS)]) == []
    text = page.evaluate(TEXT)
    for each in [marker("make", name) for name in PAYLOADS] + [marker("make", "long")]:
        assert each in text, each
    assert page.evaluate(LAYOUT, []) == []


def test_a_mass_delete_of_hostile_titles_asks_with_the_titles_as_text(world, browse):
    desk = build_desk(world, Client())
    page = browse(world.admin, csp=True)
    page.goto("/panel/tickets/unassigned/")
    for box in page.locator("#list-unassigned input[name=ticket]").all():
        box.check()
    page.locator("#mass-unassigned-delete").click()
    expect(page.get_by_role("heading", name="Delete these tickets permanently?")).to_be_visible()
    listed = page.locator("#delete-list").inner_text()
    shown = [each for each in desk.titles.values() if each in listed]
    assert len(shown) >= 10, listed[:2000]
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate(AUDIT, [sorted(FORBIDDEN_ELEMENTS), list(OUR_SCRIPTS)]) == []
    assert page.evaluate(LAYOUT, []) == []


def test_the_sanitised_html_of_a_mail_runs_nothing_even_without_a_policy(chromium):
    """The HTML parts the sanitiser keeps will be shown (portal, mail view) on pages of
    their own; here, in a blank page with no policy at all, they must still run nothing,
    while the same HTML unsanitised does (so the hook and the checks work)."""
    raw = everything("sanitised", html=True, long=1_000)
    sanitised = parse(mail(sender="alice@a.example", subject="Hi", html=raw)).html
    context = chromium.new_context(viewport={"width": WIDTH, "height": 900})
    context.add_init_script(HOOK)
    try:
        page = context.new_page()
        page.set_content(f"<!doctype html><body>{raw}</body>")
        page.wait_for_function("window.__pwned !== undefined")
        assert page.evaluate(AUDIT, [sorted(FORBIDDEN_ELEMENTS), []]) != []

        page = context.new_page()
        page.set_content(f"<!doctype html><body>{sanitised}</body>")
        page.wait_for_timeout(200)  # an onerror or onload would have fired by now
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate(AUDIT, [sorted(FORBIDDEN_ELEMENTS), []]) == []
        text = page.evaluate(TEXT)
        assert marker("sanitised", "script") in text and marker("sanitised", "long") in text
    finally:
        context.close()
