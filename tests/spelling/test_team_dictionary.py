"""The team's dictionary: a word one person adds, every check accepts (spelling/team.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from spelling.models import TeamWord
from spelling.team import add_team_word, team_words
from tests.spelling.conftest import post_json


def test_a_word_added_by_one_person_is_accepted_in_everybodys_check(world, as_user):
    client = as_user(world.agent)
    text = {"text": "Frontdesk answers Helpdeskly users.", "language": "en_US"}
    before = post_json(client, "/panel/spelling/check/", text).json()
    assert [m["word"] for m in before["misspellings"]] == ["Frontdesk", "Helpdeskly"]

    response = post_json(client, "/panel/spelling/team-words/", {"word": "Helpdeskly"})
    assert (response.status_code, response.json()) == (201, {"word": "Helpdeskly"})

    other = as_user(world.other_supervisor)
    after = post_json(other, "/panel/spelling/check/", {**text, "language": "de_DE"}).json()
    assert "Helpdeskly" not in [m["word"] for m in after["misspellings"]]
    assert TeamWord.objects.get().added_by == world.agent


def test_a_word_is_kept_once_whatever_its_case(world):
    first = add_team_word(actor=world.agent, word="Helpdeskly")
    again = add_team_word(actor=world.supervisor, word="helpdeskly")
    assert again.pk == first.pk
    assert TeamWord.objects.count() == 1
    assert team_words() == {"helpdeskly"}


@pytest.mark.parametrize("word", ["", "two words", "x" * 61, "#123", "https://x.example"])
def test_only_a_single_word_is_added(world, word):
    with pytest.raises(ValidationError):
        add_team_word(actor=world.agent, word=word)
    assert not TeamWord.objects.exists()


def test_customers_add_no_words(world):
    with pytest.raises(PermissionDenied):
        add_team_word(actor=world.customer_a, word="Helpdeskly")
