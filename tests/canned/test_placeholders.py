"""Placeholders are filled by our code as plain text, never by the template engine."""

import pytest

from accounts.models import Contact
from canned.placeholders import fill, unknown_in
from tests.conftest import make_staff


@pytest.fixture
def ticket(world):
    return world.ticket(world.billing, title="Invoice {{ agent.email }} <b>late</b>")


@pytest.fixture
def named(world):
    Contact.objects.filter(email=world.customer_a.email).update(name="Alice Alder")


def test_it_fills_the_customer_the_ticket_and_the_agent(world, ticket, named):
    agent = make_staff("ann@frontdesk.example", "agent", world.billing, full_name="Ann Lee")
    filled = fill(
        "Hello {{ customer.first_name }} ({{customer.name}}, {{ customer.email }}),\n"
        "about #{{ ticket.number }} in {{ ticket.queue }} for {{ customer.account }}.\n"
        "{{ agent.name }}",
        ticket=ticket,
        agent=agent,
    )
    assert filled.text == (
        "Hello Alice (Alice Alder, alice@a.example),\n"
        f"about #{ticket.number} in Billing for Account A.\n"
        "Ann Lee"
    )
    assert filled.unknown == []


def test_a_customer_without_a_name_is_called_by_their_address(world, ticket):
    Contact.objects.filter(email=world.customer_a.email).update(name="")
    filled = fill("Hello {{ customer.name }}", ticket=ticket, agent=world.agent)
    assert filled.text == "Hello alice@a.example"


def test_customer_text_is_inserted_as_plain_text_and_never_filled_again(world, ticket):
    Contact.objects.filter(email=world.customer_a.email).update(
        name="{{ agent.email }}\n{% debug %}<script>x</script>\u0007"
    )
    filled = fill("{{ customer.name }} / {{ ticket.title }}", ticket=ticket, agent=world.agent)
    # One pass: a value that looks like a placeholder stays as it is; one line, no controls.
    assert filled.text == (
        "{{ agent.email }} {% debug %}<script>x</script> / Invoice {{ agent.email }} <b>late</b>"
    )
    assert "agent@frontdesk.example" not in filled.text


def test_template_syntax_in_the_reply_is_only_text(world, ticket):
    text = "{% load static %}{% now 'Y' %} {{ ticket.number|add:1 }} {{ settings.SECRET_KEY }}"
    filled = fill(text, ticket=ticket, agent=world.agent)
    assert filled.text == text
    # Filters and tags are no placeholders; a name we do not know is only named.
    assert filled.unknown == ["{{ settings.SECRET_KEY }}"]


def test_unknown_placeholders_stay_visible_and_are_named_once(world, ticket):
    filled = fill(
        "Hi {{ customer.nickname }}, {{customer.nickname}} {{ ticket.number }} {{ Nope }}",
        ticket=ticket,
        agent=world.agent,
    )
    assert filled.text == (
        f"Hi {{{{ customer.nickname }}}}, {{{{customer.nickname}}}} {ticket.number} {{{{ Nope }}}}"
    )
    assert filled.unknown == ["{{ customer.nickname }}", "{{customer.nickname}}", "{{ Nope }}"]
    assert unknown_in("{{ agent.name }} {{ agent.phone }} {{ agent.phone }}") == [
        "{{ agent.phone }}"
    ]


def test_broken_braces_are_left_alone(world, ticket):
    text = "{{ customer.name } {customer.name}} {{ }} {{{ ticket.number }}}"
    filled = fill(text, ticket=ticket, agent=world.agent)
    number = str(ticket.number)
    assert filled.text == "{{ customer.name } {customer.name}} {{ }} {" + number + "}"
    assert filled.unknown == []
