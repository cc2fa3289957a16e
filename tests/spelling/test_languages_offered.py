"""The languages administrators offer, each person's default, and the one an answer
starts in (spelling/choices.py, the Settings page and My Profile)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from spelling import choices
from spelling.languages import LANGUAGES
from tests.panel.helpers import rendered_form

GERMAN = "Guten Tag, mein Drucker druckt seit gestern nicht mehr. Können Sie helfen?"


def test_a_new_installation_offers_every_language(db):
    assert choices.offered_languages() == list(LANGUAGES)


def test_an_administrator_chooses_the_languages_offered_on_the_settings_page(world, as_user):
    client = as_user(world.admin)
    form = rendered_form(client.get("/panel/settings/").content.decode(), "spelling-languages-form")
    assert form["spelling-languages"] == list(LANGUAGES)
    form["spelling-languages"] = ["de_DE", "ru_RU"]
    response = client.post("/panel/settings/spelling/", form)
    assert response.status_code == 302
    assert choices.offered_languages() == ["de_DE", "ru_RU"]
    entry = AuditEvent.objects.get(target="spelling languages")
    assert entry.actor == world.admin
    assert entry.detail.endswith("→ de_DE, ru_RU")
    page = client.get(f"/panel/tickets/{world.ticket().number}/").content.decode()
    menu = page.split('id="spelling-language"')[1].split("</select>")[0]
    assert "Deutsch" in menu and "Русский" in menu and "Français" not in menu


def test_offering_no_language_is_refused_with_the_reason(world, as_user):
    client = as_user(world.admin)
    form = rendered_form(client.get("/panel/settings/").content.decode(), "spelling-languages-form")
    del form["spelling-languages"]
    response = client.post("/panel/settings/spelling/", form)
    assert response.status_code == 422
    assert "Offer at least one language." in response.content.decode()
    assert choices.offered_languages() == list(LANGUAGES)


def test_only_administrators_choose_the_languages(world, as_user):
    with pytest.raises(PermissionDenied):
        choices.set_offered_languages(actor=world.supervisor, codes=["en_US"])
    response = as_user(world.supervisor).post(
        "/panel/settings/spelling/", {"spelling-languages": "en_US"}
    )
    assert response.status_code == 403
    assert choices.offered_languages() == list(LANGUAGES)


def test_each_person_picks_a_default_language_in_my_profile(world, as_user):
    client = as_user(world.agent)
    form = rendered_form(client.get("/panel/profile/").content.decode(), "spelling-language-form")
    assert form["spelling-language"] == "en_US"
    form["spelling-language"] = "fr_FR"
    assert client.post("/panel/profile/spelling/", form).status_code == 302
    assert choices.default_language(world.agent) == "fr_FR"
    # Somebody else's stays theirs.
    assert choices.default_language(world.supervisor) == "en_US"
    page = client.get("/panel/profile/").content.decode()
    assert rendered_form(page, "spelling-language-form")["spelling-language"] == "fr_FR"


def test_a_language_no_longer_offered_falls_back_to_the_first_offered(world):
    choices.set_default_language(user=world.agent, code="es_ES")
    choices.set_offered_languages(actor=world.admin, codes=["ru_RU", "de_DE"])
    assert choices.default_language(world.agent) == "de_DE"
    with pytest.raises(ValidationError):
        choices.set_default_language(user=world.agent, code="es_ES")


def test_a_language_not_offered_cannot_be_made_ones_default(world, as_user):
    choices.set_offered_languages(actor=world.admin, codes=["en_US", "de_DE"])
    client = as_user(world.agent)
    response = client.post("/panel/profile/spelling/", {"spelling-language": "fr_FR"}, follow=True)
    assert "This language is not offered." in response.content.decode()
    assert choices.default_language(world.agent) == "en_US"


def test_a_customer_has_no_spellcheck_language(world):
    with pytest.raises(PermissionDenied):
        choices.set_default_language(user=world.customer_a, code="en_US")


def selected_language(page: str) -> str:
    menu = page.split('id="spelling-language"')[1].split("</select>")[0]
    return menu.split(" selected>")[0].rsplit('value="', 1)[1].split('"')[0]


def test_the_answer_starts_in_the_language_of_the_customers_last_message(world, as_user):
    choices.set_default_language(user=world.supervisor, code="fr_FR")
    ticket = world.ticket(world.billing, text=GERMAN)
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert selected_language(page) == "de_DE"
    assert "Deutsch · the customer's language" in page


def test_without_a_hint_from_the_customer_the_answer_starts_in_ones_own_language(world, as_user):
    choices.set_default_language(user=world.supervisor, code="fr_FR")
    ticket = world.ticket(world.billing, text="Ok")
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert selected_language(page) == "fr_FR"
    assert "the customer's language" not in page


def test_the_customers_language_is_suggested_only_when_offered(world, as_user):
    choices.set_offered_languages(actor=world.admin, codes=["en_US", "ru_RU"])
    ticket = world.ticket(world.billing, text=GERMAN)
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert selected_language(page) == "en_US"


def test_without_dictionaries_the_ticket_page_works_without_the_spellcheck(
    world, as_user, monkeypatch
):
    monkeypatch.setattr(choices, "installed", lambda: frozenset())
    ticket = world.ticket(world.billing, text=GERMAN)
    response = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/")
    assert response.status_code == 200
    assert 'id="spelling"' not in response.content.decode()
    assert 'id="answer-answer"' in response.content.decode()


def test_guessing_the_customers_language_opens_no_dictionary(world, as_user, monkeypatch):
    # Each dictionary costs a web worker 8 to 16 MB: the ticket page guesses by the
    # languages' common words, and only a check opens the one dictionary it needs.
    from spelling import dictionaries

    monkeypatch.setattr(dictionaries, "_open", {})
    ticket = world.ticket(world.billing, text=GERMAN)
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert selected_language(page) == "de_DE"
    assert dictionaries._open == {}
