"""What a check leaves alone: quotes, addresses, ticket numbers, code (spelling/text.py)."""

from __future__ import annotations

import pytest

from spelling import checker, text


def misspelled(answer: str) -> list[str]:
    return [m.word for m in checker.check(answer, "en_US", budget=0.0)]


@pytest.mark.parametrize(
    "answer",
    [
        "> The custmer wrote thiss in the quoted line\nThanks.",
        "  > indentted quotte\nThanks.",
        "See https://exampel.org/dokumentz?quary=1 for more.",
        "See www.exampel.org/dokumentz for more.",
        "See exampel.org/dokumentz for more.",
        "Write to suport@exampel.com please.",
        "As in #12345 and #678, thanks.",
        "Set `confg_file = tru` and restart.",
        "Set `confgfile` and restart.",
        "Run this:\n\n    sudo systemctl restrat frontdeskd\n\nThanks.",
        "Run this:\n\n\tsudo restrat frontdeskd\n\nThanks.",
        "Run this:\n```\nsudo systemctl restrat frontdeskd\nmore cde\n```\nThanks.",
        "Run this:\n~~~sh\nrestrat frontdeskd\n~~~\nThanks.",
        "The HTTP and DNSSEC logs of iPhone and PostgreSQL, v2 and 3rd and file_name.",
    ],
)
def test_what_is_not_prose_is_not_checked(answer):
    assert misspelled(answer) == []


def test_the_prose_around_what_is_ignored_is_still_checked():
    answer = (
        "> custmer quote\n"
        "Pleese see https://exampel.org and #12 and `cde`.\n"
        "    indentted cde\n"
        "```\nfenced cde\n```\n"
        "Regrads, suport@exampel.com"
    )
    assert misspelled(answer) == ["Pleese", "Regrads"]


def test_an_unclosed_fence_leaves_the_rest_unchecked():
    assert misspelled("Thanks.\n```\nrestrat frontdeskd") == []


def test_blanking_keeps_every_place_and_line():
    original = "> quoted\nSee https://x.example/a and `code`.\n    indented"
    blanked = text.blank(original)
    assert len(blanked) == len(original)
    assert blanked.count("\n") == original.count("\n")
    assert blanked.split("\n")[1].startswith("See ")


def test_hyphenated_and_apostrophe_words_are_whole_words():
    assert misspelled("Don't worry about the e-mail or the follow-up.") == []
    assert misspelled("The folow-up is done.") == ["folow-up"]
