"""A result's excerpt: the text around the first match, escaped, the words marked."""

from __future__ import annotations

from search.api import parse, snippets
from tickets import actions
from tickets.visibility import visible_tickets


def excerpt(ticket, text: str, *, notes: bool = True, within=None) -> str:
    return str(snippets([ticket.number], parse(text), notes=notes, within=within)[ticket.number])


def test_the_words_are_marked_where_they_were_found(world):
    ticket = world.ticket(
        world.support, title="Question", text="We were charged twice: a double charge."
    )
    assert (
        excerpt(ticket, '"double charge"') == "We were charged twice: a <mark>double charge</mark>."
    )
    assert excerpt(ticket, "charge") == (
        "We were <mark>charged</mark> twice: a double <mark>charge</mark>."
    )


def test_text_is_escaped_before_it_is_marked(world):
    ticket = world.ticket(
        world.support,
        title="Question",
        text='<script>alert("mark")</script> <mark>fake</mark> & the invoice',
    )
    html = excerpt(ticket, "invoice")
    assert "<script>" not in html
    assert html == (
        "&lt;script&gt;alert(&quot;mark&quot;)&lt;/script&gt; "
        "&lt;mark&gt;fake&lt;/mark&gt; &amp; the <mark>invoice</mark>"
    )


def test_folded_words_are_marked_as_written(world):
    ticket = world.ticket(world.support, title="Frage", text="Herr Müller wohnt in der Straße.")
    assert excerpt(ticket, "muller strasse") == (
        "Herr <mark>Müller</mark> wohnt in der <mark>Straße</mark>."
    )


def test_chinese_words_are_marked(world):
    ticket = world.ticket(world.support, title="退款", text="我们的发票金额不正确")
    assert excerpt(ticket, "发票") == "我们的<mark>发票</mark>金额不正确"


def test_a_long_text_is_cut_around_the_first_match(world):
    before = " ".join(f"before{n}" for n in range(100))
    after = " ".join(f"after{n}" for n in range(100))
    ticket = world.ticket(world.support, title="Long", text=f"{before} needle {after}")
    html = excerpt(ticket, "needle")
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>needle</mark>" in html
    assert len(html) < 300
    assert "before0 " not in html and "after99" not in html


def test_notes_are_cut_from_only_for_staff(world):
    ticket = world.ticket(world.support, title="Question", text="Hello there.")
    actions.add_note(actor=world.admin, ticket=ticket, text="Internal: the customer is a reseller.")
    assert "<mark>reseller</mark>" in excerpt(ticket, "reseller", notes=True)
    public = excerpt(ticket, "reseller", notes=False)
    assert "reseller" not in public
    assert public == "Hello there."


def test_a_match_in_the_title_only_shows_the_title(world):
    ticket = world.ticket(world.support, title="Printer offline", text="Nothing works.")
    assert excerpt(ticket, "printer") == "<mark>Printer</mark> offline"


def test_tickets_outside_within_get_no_snippet(world):
    mine = world.ticket(world.support, title="Secret plan", text="x")
    theirs = world.ticket(world.support, account=world.account_b, title="Secret plan", text="x")
    marked = snippets(
        [mine.number, theirs.number],
        parse("secret"),
        notes=False,
        within=visible_tickets(world.customer_a),
    )
    assert set(marked) == {mine.number}
