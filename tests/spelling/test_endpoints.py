"""The spellcheck's JSON endpoints: who may use them, what they answer, bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from spelling import choices
from tests.spelling.conftest import post_json

CHECK = "/panel/spelling/check/"
SUGGEST = "/panel/spelling/suggest/"
ADD = "/panel/spelling/team-words/"
ANSWER = "Dear Alice,\n\nwe will recieve the logs tomorow.\n> your mesage\nRegards"


def test_a_check_answers_each_misspelling_with_its_place_and_suggestions(world, as_user):
    response = post_json(as_user(world.agent), CHECK, {"text": ANSWER, "language": "en_US"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    result = response.json()
    assert result["language"] == "en_US"
    assert [(m["word"], ANSWER[m["start"] : m["end"]]) for m in result["misspellings"]] == [
        ("recieve", "recieve"),
        ("tomorow", "tomorow"),
    ]
    first = result["misspellings"][0]["suggestions"]
    assert first is not None and first[0] == "receive"


def test_a_words_suggestions_are_asked_for_one_at_a_time(world, as_user):
    response = post_json(as_user(world.agent), SUGGEST, {"word": "Vorschlagg", "language": "de_DE"})
    assert response.status_code == 200
    assert response.json()["suggestions"][0] == "Vorschlag"


@pytest.mark.parametrize("url", [CHECK, SUGGEST, ADD])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("customer_a", 403),
        ("agent", 200),
        ("other_agent", 200),
        ("supervisor", 200),
        ("admin", 200),
    ],
)
def test_staff_use_the_spellcheck_and_nobody_else(world, client, url, role, status):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    body = {"text": "Helo", "word": "Helo", "language": "en_US"}
    response = post_json(client, url, body)
    expected = 201 if (url == ADD and status == 200) else status
    assert response.status_code == expected
    if status == 302:
        assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", [CHECK, SUGGEST, ADD])
def test_the_endpoints_take_only_posts(world, as_user, url):
    assert as_user(world.agent).get(url).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.agent)
    assert post_json(client, CHECK, {"text": "Helo", "language": "en_US"}).status_code == 403
    client.get("/panel/profile/")  # sets the CSRF cookie, as the page does
    token = client.cookies["csrftoken"].value
    response = post_json(
        client, CHECK, {"text": "Helo", "language": "en_US"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url", "body", "status", "error"),
    [
        (CHECK, "not json", 400, "Send a JSON object."),
        (CHECK, "[1, 2]", 400, "Send a JSON object."),
        (CHECK, '"text"', 400, "Send a JSON object."),
        (CHECK, '{"text": "Helo"}', 400, "Missing text fields: language."),
        (CHECK, '{"text": 5, "language": "en_US"}', 400, "Missing text fields: text."),
        (CHECK, '{"text": "Helo", "language": "xx_XX"}', 400, "This language is not offered."),
        (CHECK, '{"text": "Helo", "language": ["en_US"]}', 400, "Missing text fields: language."),
        (SUGGEST, '{"word": "two words", "language": "en_US"}', 400, "Send a single word."),
        (SUGGEST, '{"word": "", "language": "en_US"}', 400, "Send a single word."),
        (SUGGEST, '{"word": "' + "a" * 61 + '", "language": "en_US"}', 400, "Send a single word."),
        (ADD, '{"word": "two words"}', 400, "Only a single word can be added to the dictionary."),
        (ADD, '{"word": null}', 400, "Missing text fields: word."),
    ],
)
def test_bad_input_gets_a_4xx_that_says_why(world, as_user, url, body, status, error):
    response = as_user(world.agent).post(url, body, content_type="application/json")
    assert (response.status_code, response.json()) == (status, {"error": error})


def test_invalid_utf8_is_a_bad_request(world, as_user):
    response = as_user(world.agent).post(CHECK, b"\xff\xfe{}", content_type="application/json")
    assert response.status_code == 400


def test_a_text_longer_than_an_answer_may_be_is_refused(world, as_user):
    client = as_user(world.agent)
    response = post_json(client, CHECK, {"text": "a " * 50_001, "language": "en_US"})
    assert response.status_code == 413
    assert response.json() == {"error": "The text is too long to check at once."}


def test_a_huge_body_is_refused_before_it_is_read(world, as_user):
    client = as_user(world.agent)
    body = '{"text": "' + "a" * 700_000 + '", "language": "en_US"}'
    response = client.post(CHECK, body, content_type="application/json")
    assert response.status_code == 413


def test_the_longest_answer_allowed_is_checked(world, as_user):
    text = ("Thanks for the mesage. " * 5_000)[:100_000]
    response = post_json(as_user(world.agent), CHECK, {"text": text, "language": "en_US"})
    assert response.status_code == 200
    assert len(response.json()["misspellings"]) == text.count("mesage")


def test_a_language_turned_off_is_not_checked(world, as_user):
    choices.set_offered_languages(actor=world.admin, codes=["de_DE"])
    response = post_json(as_user(world.agent), CHECK, {"text": "Helo", "language": "en_US"})
    assert response.status_code == 400


def test_hostile_text_comes_back_as_json_data_only(world, as_user):
    text = '<script>alert(1)</script> "quoted" \u202e reversd'
    response = post_json(as_user(world.agent), CHECK, {"text": text, "language": "en_US"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert [m["word"] for m in response.json()["misspellings"]] == ["reversd"]
