"""What a typed query becomes: folded terms, never syntax."""

from __future__ import annotations

from search.query import MAX_TERM_LENGTH, SearchQuery, Term, parse


def test_words_prefixes_phrases_and_exclusions():
    query = parse('Rechnung inv* "Double Charge" -spam -"bad word" 404 ab')
    assert query.terms == (
        Term(("rechnung",), prefix=True),
        Term(("inv",), prefix=True),
        Term(("double", "charge")),
        Term(("404",)),
        Term(("ab",)),
    )
    assert query.excluded == (Term(("spam",), prefix=True), Term(("bad", "word")))


def test_an_address_is_a_phrase_whose_last_word_may_go_on():
    assert parse("anna@exa").terms == (Term(("anna", "exa"), prefix=True),)


def test_chinese_is_pairs_of_characters_and_a_lone_character_a_prefix():
    assert parse("退款申请").terms == (Term(("退款", "款申", "申请")),)
    assert parse("款").terms == (Term(("款",), prefix=True),)
    assert parse("東京tower").terms == (Term(("東京",)), Term(("tower",), prefix=True))


def test_nothing_to_look_for_is_empty():
    for text in ("", "   ", "-spam", '""', "*", "%_\\", "\x00", "-", "!?"):
        assert not parse(text), text
    assert parse("-spam").excluded == (Term(("spam",), prefix=True),)
    assert not SearchQuery()


def test_a_one_letter_prefix_is_the_letter():
    assert parse("a*").terms == (Term(("a",)),)


def test_a_long_term_is_cut():
    query = parse("x" * 500)
    assert query.truncated
    assert len(query.terms[0].tokens[0]) <= MAX_TERM_LENGTH


def test_the_same_term_twice_counts_once():
    assert parse("mail MAIL Mail").terms == (Term(("mail",), prefix=True),)
