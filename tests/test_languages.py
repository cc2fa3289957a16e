"""The portal, the knowledge base, the sign-in pages and mail to customers speak
German and Russian besides English (frontdesk/languages.py, accounts/preferences.py);
the panel stays English; times are the reader's.

The catalogues are checked too: complete, nothing fuzzy, every placeholder of
the English in the translation, and the compiled ``.mo`` files what their
``.po`` files say (a ``.po`` edited and not compiled changes nothing on screen).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from mail.models import OutgoingKind, OutgoingMail
from tests.conftest import set_helpdesk
from tests.panel.helpers import rendered_form
from tickets.models import Ticket

ROOT = Path(__file__).resolve().parents[1]
#: The apps customers read, translated in full.
TRANSLATED_APPS = ("portal", "kb", "frontdesk", "mail")
#: Apps whose strings are marked and whose catalogues wait for translators.
MARKED_APPS = ("panel", "tickets")
LANGUAGES = ("de", "ru")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def html_lang(response) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert found, response.content[:300]
    return found.group(1)


def save_choice(user: User, *, language: str = "", time_zone: str = "") -> None:
    User.objects.filter(pk=user.pk).update(language=language, time_zone=time_zone)


# Which language a page speaks -----------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "lang", "words"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", "de", "Hilfe-Center"),
        ("ru,en;q=0.3", "ru", "Справочный центр"),
        ("fr-FR,fr;q=0.9", "en", "Help Centre"),
    ],
)
def test_the_knowledge_base_speaks_the_browsers_language(world, client, accept, lang, words):
    response = client.get("/kb/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert html_lang(response) == lang
    assert words in response.content.decode()


def test_the_sign_in_page_speaks_the_browsers_language(world, client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert html_lang(page) == "de"
    assert "Anmelden" in page.content.decode()


def test_a_customers_saved_language_beats_the_browsers(world, client):
    save_choice(world.customer_a, language="ru")
    client.force_login(world.customer_a)
    home = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="de")
    assert html_lang(home) == "ru"
    assert "Мои обращения" in home.content.decode()
    assert "Meine Tickets" not in home.content.decode()


def test_the_panel_stays_english_whatever_the_browser_or_the_agent_chose(world, client):
    save_choice(world.agent, language="de")
    client.force_login(world.agent)
    page = client.get("/panel/", HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    assert html_lang(page) == "en"
    # The next request in the same process is the portal: no German left over.
    client.logout()
    assert html_lang(client.get("/kb/", HTTP_ACCEPT_LANGUAGE="en")) == "en"


def test_the_switcher_keeps_a_visitors_choice_in_a_cookie(world, client):
    page = client.get("/kb/", HTTP_ACCEPT_LANGUAGE="en")
    form = rendered_form(page.content.decode(), "language-switcher")
    assert form["next"] == "/kb/"
    answer = client.post("/portal/language/", {**form, "language": "de"})
    assert (answer.status_code, answer["Location"]) == (302, "/kb/")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert html_lang(client.get("/kb/", HTTP_ACCEPT_LANGUAGE="en")) == "de"


def test_the_switcher_names_each_language_in_its_own_words(world, client):
    page = client.get("/kb/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    names = re.findall(r'id="language-(\w+)"[^>]*>([^<]+)</button>', page)
    assert names == [("en", "English"), ("de", "Deutsch"), ("ru", "Русский")]


def test_the_switcher_saves_a_signed_in_customers_choice(world, client):
    client.force_login(world.customer_a)
    page = client.get("/portal/")
    form = rendered_form(page.content.decode(), "language-switcher")
    client.post("/portal/language/", {**form, "language": "ru"})
    world.customer_a.refresh_from_db()
    assert world.customer_a.language == "ru"
    # On another browser, with no cookie, the saved choice still holds.
    elsewhere = Client()
    elsewhere.force_login(world.customer_a)
    assert html_lang(elsewhere.get("/portal/", HTTP_ACCEPT_LANGUAGE="de")) == "ru"


@pytest.mark.parametrize("language", ["fr", "", "de'><script>"])
def test_the_switcher_ignores_a_language_not_offered(world, client, language):
    client.force_login(world.customer_a)
    form = rendered_form(client.get("/portal/").content.decode(), "language-switcher")
    client.post("/portal/language/", {**form, "language": language})
    world.customer_a.refresh_from_db()
    assert world.customer_a.language == ""


def test_the_switcher_never_sends_anybody_elsewhere(world, client):
    form = rendered_form(client.get("/kb/").content.decode(), "language-switcher")
    answer = client.post("/portal/language/", {**form, "next": "https://evil.example/"})
    assert answer["Location"] == "/"


# My settings ------------------------------------------------------------------------


def settings_form(client: Client, **typed: str) -> dict[str, object]:
    page = client.get("/portal/settings/")
    assert page.status_code == 200
    return {**rendered_form(page.content.decode(), "settings-form"), **typed}


def test_my_settings_saves_language_and_time_zone_and_says_so_in_the_new_language(world, client):
    client.force_login(world.customer_a)
    data = settings_form(client, language="de", time_zone="Europe/Berlin")
    answer = client.post("/portal/settings/", data, follow=True)
    world.customer_a.refresh_from_db()
    assert (world.customer_a.language, world.customer_a.time_zone) == ("de", "Europe/Berlin")
    assert "Ihre Einstellungen sind gespeichert." in answer.content.decode()
    assert settings_form(client)["time_zone"] == "Europe/Berlin"


def test_my_settings_refuses_a_time_zone_not_offered_and_keeps_the_old_one(world, client):
    save_choice(world.customer_a, language="ru", time_zone="Asia/Tokyo")
    client.force_login(world.customer_a)
    answer = client.post("/portal/settings/", settings_form(client, time_zone="Mars/Olympus"))
    assert answer.status_code == 422
    assert 'id="id_time_zone_error"' in answer.content.decode() or "errorlist" in (
        answer.content.decode()
    )
    world.customer_a.refresh_from_db()
    assert world.customer_a.time_zone == "Asia/Tokyo"


def test_my_settings_empty_means_as_the_browser_says(world, client):
    save_choice(world.customer_a, language="ru", time_zone="Asia/Tokyo")
    client.force_login(world.customer_a)
    client.post("/portal/settings/", settings_form(client, language="", time_zone=""))
    world.customer_a.refresh_from_db()
    assert (world.customer_a.language, world.customer_a.time_zone) == ("", "")
    assert html_lang(client.get("/portal/", HTTP_ACCEPT_LANGUAGE="de")) == "de"


# Times ------------------------------------------------------------------------------


def test_the_ticket_page_shows_times_in_the_customers_time_zone(world, client):
    ticket = world.ticket(title="Printer on fire")
    opened = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=opened)
    ticket.messages.update(created_at=opened)
    client.force_login(world.customer_a)
    url = f"/portal/tickets/{ticket.number}/"

    save_choice(world.customer_a, time_zone="Asia/Tokyo")
    tokyo = client.get(url).content.decode()
    assert 'datetime="2026-03-02T07:30:00+09:00"' in tokyo

    save_choice(world.customer_a, time_zone="America/New_York")
    new_york = client.get(url).content.decode()
    assert 'datetime="2026-03-01T17:30:00-05:00"' in new_york
    assert "+09:00" not in new_york


def test_a_time_zone_does_not_leak_to_the_next_visitor(world, client):
    save_choice(world.customer_a, time_zone="Asia/Tokyo")
    client.force_login(world.customer_a)
    client.get("/portal/")
    ticket = world.ticket()
    other = Client()
    other.force_login(world.customer_b)
    save_choice(world.customer_b)
    Ticket.objects.filter(pk=ticket.pk).update(account=world.account_b)
    page = other.get(f"/portal/tickets/{ticket.number}/").content.decode()
    assert "+09:00" not in page
    assert "+00:00" in page  # the help desk's zone, UTC in the tests


# Mail to customers --------------------------------------------------------------------


def test_mail_to_a_customer_is_written_in_their_language(world):
    world.support.new_ticket_response = "Thanks."
    world.support.save()
    save_choice(world.customer_a, language="de")
    save_choice(world.customer_b, language="ru")

    german = world.ticket(title="Drucker")
    russian = world.ticket(title="Принтер", account=world.account_b)

    rows = {row.ticket_id: row for row in OutgoingMail.objects.filter(kind=OutgoingKind.NEW_TICKET)}
    assert rows[german.pk].subject == f"[#{german.number}] Eingegangen: Drucker"
    assert "Im Browser ansehen oder antworten:" in rows[german.pk].text
    assert rows[russian.pk].subject.startswith(f"[#{russian.number}] ")
    assert "Принтер" in rows[russian.pk].subject
    assert not re.search(r"Received|Eingegangen", rows[russian.pk].subject)


def test_mail_to_somebody_who_chose_nothing_is_english(world):
    world.support.new_ticket_response = "Thanks."
    world.support.save()
    ticket = world.ticket(title="Printer")
    row = OutgoingMail.objects.get(kind=OutgoingKind.NEW_TICKET)
    assert row.subject == f"[#{ticket.number}] Received: Printer"


# The catalogues ------------------------------------------------------------------------


def catalogue(app: str, language: str) -> Path:
    return ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("app", TRANSLATED_APPS)
def test_a_customers_catalogue_is_complete_and_nothing_in_it_is_fuzzy(app, language):
    po = polib.pofile(str(catalogue(app, language)))
    assert len(po) > 10
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("app", TRANSLATED_APPS + MARKED_APPS)
def test_a_translation_keeps_every_placeholder_of_the_english(app, language):
    po = polib.pofile(str(catalogue(app, language)))
    wrong = []
    for entry in po.translated_entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if entry.msgid_plural:
            wanted |= set(PLACEHOLDER.findall(entry.msgid_plural))
        for form in forms:
            if set(PLACEHOLDER.findall(form)) - wanted or (
                not entry.msgid_plural and set(PLACEHOLDER.findall(form)) != wanted
            ):
                wrong.append((entry.msgid, form))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("app", TRANSLATED_APPS)
def test_the_compiled_catalogue_says_what_its_source_says(app, language):
    po = polib.pofile(str(catalogue(app, language)))
    mo = polib.mofile(str(catalogue(app, language).with_suffix(".mo")))

    def pairs(entries) -> set[tuple[str, str, str]]:
        found = set()
        for entry in entries:
            fuzzy = getattr(entry, "fuzzy", False)  # a .mo keeps no fuzzy entry
            if entry.obsolete or fuzzy or not (entry.msgstr or entry.msgstr_plural):
                continue
            text = entry.msgstr or repr(sorted(entry.msgstr_plural.items()))
            found.add((entry.msgctxt or "", entry.msgid, text))
        return found

    assert pairs(po) == pairs(mo)


def test_every_language_offered_has_its_catalogues():
    offered = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert offered == set(LANGUAGES)
    for app in TRANSLATED_APPS + MARKED_APPS:
        for language in LANGUAGES:
            assert catalogue(app, language).is_file(), (app, language)


def test_a_registration_in_russian_is_answered_in_russian_and_keeps_the_language(
    world, client, django_capture_on_commit_callbacks, mailoutbox
):
    set_helpdesk(portal_registration=True, company_name="Northwind")
    page = client.get("/portal/register/", HTTP_ACCEPT_LANGUAGE="ru")
    form = {
        **rendered_form(page.content.decode(), "register-form"),
        "email": "nina@new.example",
        "full_name": "Нина",
        "password": "a good long password 7",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/register/", form, HTTP_ACCEPT_LANGUAGE="ru")
    (mail,) = [sent for sent in mailoutbox if sent.to == ["nina@new.example"]]
    assert mail.subject == "Подтвердите адрес для поддержки Northwind"
    link = re.search(r"http://\S+/portal/register/verify/\S+/", mail.body)
    assert link
    path = link.group(0).split("8000", 1)[1]
    confirm = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    client.post(path, rendered_form(confirm.content.decode(), "register-verify-form"))
    assert User.objects.get(email="nina@new.example").language == "ru"
