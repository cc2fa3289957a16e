"""Words in every language the desk meets, found alike on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.search.conftest import found


@pytest.fixture
def desk(world):
    def ticket(title: str, text: str = "Please help."):
        return world.ticket(world.support, title=title, text=text).number

    return ticket


def test_every_word_must_match(world, desk):
    both = desk("Mail server down", "The mail server rejects everything.")
    one = desk("Mail client", "Outlook shows an error.")
    assert set(found(world.admin, "mail server")) == {both}
    assert set(found(world.admin, "mail")) == {both, one}


def test_a_word_is_found_in_the_title_the_messages_and_the_people(world, desk):
    title = desk("Refund wanted", "Hello.")
    body = desk("Question", "I want a refund for March.")
    assert set(found(world.admin, "refund")) == {title, body}
    # The requester's address, the contact's name and the account's name are words too.
    assert title in found(world.admin, "alice@a.example")
    assert title in found(world.admin, "Account A")


def test_a_word_matches_as_the_start_of_a_longer_one(world, desk):
    compound = desk("Rechnungsadresse ändern", "Bitte die Rechnungsadresse ändern.")
    assert found(world.admin, "rechnung") == [compound]
    # The end of a compound is not a word of its own.
    assert found(world.admin, "adresse") == []


def test_short_words_and_numbers_match_only_themselves(world, desk):
    error = desk("Error 404 on the shop", "It says 404.")
    other = desk("Error 4040 on the shop", "It says 4040.")
    assert found(world.admin, "404") == [error]
    assert set(found(world.admin, "404*")) == {error, other}
    on = desk("on", "Status on.")
    assert on in found(world.admin, "on")
    assert desk("Once more", "x") not in found(world.admin, "on")


def test_a_prefix_with_a_star(world, desk):
    invoice = desk("Invoice 17 missing", "x")
    inventory = desk("Inventory list", "x")
    desk("Nothing here", "x")
    assert set(found(world.admin, "inv*")) == {invoice, inventory}
    assert set(found(world.admin, "in*")) == {invoice, inventory}


def test_a_phrase_needs_its_words_in_order(world, desk):
    phrase = desk("Billing", "There was a double charge on my card.")
    apart = desk("Billing", "The charge was double what we agreed.")
    assert found(world.admin, '"double charge"') == [phrase]
    assert set(found(world.admin, "double charge")) == {phrase, apart}
    # Typographic quotes are quotes too.
    assert found(world.admin, "„double charge“") == [phrase]


def test_an_unbalanced_quote_runs_to_the_end(world, desk):
    phrase = desk("Billing", "There was a double charge on my card.")
    assert found(world.admin, '"double charge') == [phrase]


def test_exclusion_leaves_tickets_out(world, desk):
    kept = desk("Mail problem", "Our mail is slow.")
    left_out = desk("Mail problem", "Spam everywhere in our mail.")
    assert found(world.admin, "mail -spam") == [kept]
    assert found(world.admin, 'mail -"spam everywhere"') == [kept]
    assert set(found(world.admin, "mail")) == {kept, left_out}


def test_only_exclusions_find_nothing(world, desk):
    desk("Mail problem", "Our mail is slow.")
    assert found(world.admin, "-spam") == []


def test_german_umlauts_and_sharp_s(world, desk):
    ticket = desk("Größe der Mailbox", "Die Straße ist gesperrt, sagt Müller.")
    for typed in ("größe", "GRÖSSE", "grosse", "strasse", "Straße", "müller", "muller", "MÜLLER"):
        assert found(world.admin, typed) == [ticket], typed


def test_russian(world, desk):
    ticket = desk("Не работает почта", "Письма не доходят до адресатов с утра. Ёлка и йогурт.")
    assert found(world.admin, "почта") == [ticket]
    assert found(world.admin, "ПИСЬМА") == [ticket]
    assert found(world.admin, "адресат") == [ticket]  # the start of адресатов
    assert found(world.admin, "елка") == [ticket]  # ё is е with two dots
    assert found(world.admin, "йогурт") == [ticket]
    assert found(world.admin, '"не доходят"') == [ticket]


def test_chinese(world, desk):
    ticket = desk("请求退款", "我们的发票金额不正确，请尽快处理。")
    other = desk("服务器问题", "邮件服务器无法连接。")
    assert found(world.admin, "退款") == [ticket]
    assert found(world.admin, "发票金额") == [ticket]
    assert found(world.admin, "服务器") == [other]
    # One character finds it wherever it stands, the end of a run included.
    assert found(world.admin, "款") == [ticket]
    assert found(world.admin, "理") == [ticket]
    assert found(world.admin, "金票") == []


def test_japanese(world, desk):
    ticket = desk("請求書が届きません", "先月の請求書をメールで送ってください。東京Towerより")
    assert found(world.admin, "請求書") == [ticket]
    assert found(world.admin, "メール") == [ticket]
    assert found(world.admin, "送って") == [ticket]
    assert found(world.admin, "東京tower") == [ticket]
    # Half-width katakana are the same letters.
    assert found(world.admin, "ﾒｰﾙ") == [ticket]


def test_accents_are_folded_both_ways(world, desk):
    accented = desk("Crème brûlée", "Café in São Paulo, Łódź and Øresund.")
    plain = desk("Creme brulee", "Cafe")
    assert set(found(world.admin, "creme")) == {accented, plain}
    assert set(found(world.admin, "CRÈME")) == {accented, plain}
    assert found(world.admin, "sao paulo") == [accented]
    assert found(world.admin, "lodz") == [accented]
    assert found(world.admin, "oresund") == [accented]


def test_addresses_and_codes_are_phrases_of_their_words(world, desk):
    ticket = desk("Order INV-2024-17", "Write to billing@shop.example please.")
    assert found(world.admin, "inv-2024-17") == [ticket]
    assert found(world.admin, "billing@shop.example") == [ticket]
    assert found(world.admin, "INV-2024-18") == []


def test_full_width_and_ligatures_are_plain_letters(world, desk):
    ticket = desk("ＡＢＣ ﬁle", "x")
    assert found(world.admin, "abc file") == [ticket]
