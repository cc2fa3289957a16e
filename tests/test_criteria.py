"""Advanced search criteria (S22): read from a query string, written back to the same
one, and ``find_tickets`` giving each person the tickets they meet, as they see them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from tests.panel.search_helpers import SEEN_BY, WORKING, make_desk, names
from tickets.criteria import Criteria, CriteriaForm, form_for, from_querystring
from tickets.queries import find_tickets


@pytest.fixture
def desk(world):
    return make_desk(world)


def found(user, query: str, desk) -> set[str]:
    return names(desk, [ticket.number for ticket in find_tickets(user, from_querystring(query))])


EVERY_CRITERION = Criteria(
    number=42,
    text='invoice "double charge" -spam',
    email="ann@acme.example",
    account="Account A",
    queues=(2, 3),
    statuses=("new", "on_hold"),
    include_closed=True,
    types=("email", "portal"),
    priority_min=10,
    priority_max=80,
    assignee="me",
    answered=False,
    sticky=True,
    created_from=date(2025, 1, 1),
    created_to=date(2025, 1, 31),
    modified_from=date(2025, 2, 1),
    modified_to=date(2025, 2, 28),
    sort="-priority",
)


def test_every_criterion_survives_the_round_trip_through_its_query_string(world):
    criteria = EVERY_CRITERION
    criteria = Criteria(**{**criteria.__dict__, "queues": (world.billing.pk, world.sales.pk)})
    query = criteria.to_querystring()
    assert from_querystring(query) == criteria
    assert from_querystring(query).to_querystring() == query


def test_nothing_asked_is_an_empty_query_string_and_every_working_ticket(desk, world):
    assert Criteria().to_querystring() == ""
    assert from_querystring("") == Criteria()
    assert found(world.admin, "", desk) == WORKING


def test_the_query_string_is_the_same_whatever_order_the_form_sent(world):
    one = from_querystring(
        f"status=open&status=new&queue={world.sales.pk}&queue={world.billing.pk}"
    )
    other = from_querystring(
        f"queue={world.billing.pk}&status=new&queue={world.sales.pk}&status=open"
    )
    assert one == other
    assert one.to_querystring() == other.to_querystring()
    # Empty fields, as a GET form sends them, are nothing asked.
    assert from_querystring("number=&text=&status=&priority_min=&sort=") == Criteria()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("text=invoice", {"invoice"}),  # a title word
        ("text=forty+seats", {"quote"}),  # words only in a message
        ("text=refund+way", {"refund"}),  # a word of the title and one of the answer
        ("text=quote&closed=1", {"quote", "old_quote"}),
        ("email=ann@acme.example", {"invoice", "refund"}),
        ("email=CFO@acme.example", {"refund"}),  # copied on it
        ("email=@acme.example", {"invoice", "refund"}),  # a domain: requesters only
        ("email=@other.example&closed=1", {"quote", "old_quote"}),
        ("account=account+a", {"invoice", "refund", "password"}),
        ("account=B-1", {"outage"}),  # the external id
        ("status=on_hold", {"outage"}),
        ("status=closed", {"old_quote"}),  # a status asked for is found, closed or not
        ("closed=1", WORKING | {"old_quote"}),
        ("type=api&type=system", {"quote", "password"}),
        ("priority_min=60", {"invoice", "outage", "password"}),
        ("priority_max=40", {"refund", "quote"}),
        ("priority_min=40&priority_max=60", {"refund", "password"}),
        ("assignee=nobody", {"invoice", "outage", "quote"}),
        ("assignee=me", set()),  # the administrator has nothing
        ("answered=yes", {"refund", "password"}),
        ("answered=no", {"invoice", "outage", "quote"}),
        ("sticky=yes", {"refund"}),
        ("sticky=no", WORKING - {"refund"}),
        ("created_from=2025-02-20", {"outage", "quote", "password"}),
        ("created_to=2025-02-20", {"invoice", "refund", "outage"}),  # the whole last day
        ("created_from=2025-02-01&created_to=2025-02-28", {"refund", "outage"}),
        ("modified_from=2025-03-06", {"outage"}),
        ("modified_to=2025-03-09", WORKING - {"outage"}),
        ("created_to=2024-12-31&closed=1", {"old_quote"}),
    ],
)
def test_each_criterion_finds_exactly_its_tickets(desk, world, query, expected):
    assert found(world.admin, query, desk) == expected


def test_criteria_combine(desk, world):
    query = f"queue={world.billing.pk}&answered=no&priority_min=50"
    assert found(world.admin, query, desk) == {"invoice"}
    assert found(world.admin, f"number={desk['quote'].number}&text=seats", desk) == {"quote"}
    assert found(world.admin, f"number={desk['quote'].number}&text=invoice", desk) == set()


def test_a_queue_criterion_finds_the_queues_tickets(desk, world):
    assert found(world.admin, f"queue={world.billing.pk}", desk) == {"invoice", "refund"}
    both = f"queue={world.billing.pk}&queue={world.sales.pk}"
    assert found(world.admin, both, desk) == {"invoice", "refund", "quote"}


def test_me_and_a_named_assignee_are_whoever_they_name(desk, world):
    assert found(world.agent, "assignee=me", desk) == {"refund"}
    assert found(world.supervisor, "assignee=me", desk) == {"password"}
    assert found(world.admin, f"assignee={world.supervisor.pk}", desk) == {"password"}


@pytest.mark.parametrize("role", sorted(SEEN_BY))
@pytest.mark.parametrize("query", ["closed=1", "text=quote&closed=1", "email=@acme.example"])
def test_each_person_finds_only_what_they_may_see(desk, world, role, query):
    everything = found(world.admin, query, desk)
    assert found(getattr(world, role), query, desk) == everything & SEEN_BY[role]


def test_a_customer_finds_nothing_not_even_their_own(desk, world):
    assert list(find_tickets(world.customer_a, Criteria(include_closed=True))) == []


def test_words_only_in_an_internal_note_are_found_by_staff(world):
    from tests.panel.search_helpers import opened
    from tickets import actions

    ticket = opened(world.support, "Question")
    actions.add_note(actor=world.admin, ticket=ticket, text="Known bug: aardvark.")
    assert [each.number for each in find_tickets(world.admin, Criteria(text="aardvark"))] == [
        ticket.number
    ]


def test_days_are_the_persons_own(desk, world):
    # Noon UTC on 10 January is 1 a.m. on 11 January in Auckland.
    User.objects.filter(pk=world.admin.pk).update(time_zone="Pacific/Auckland")
    world.admin.refresh_from_db()
    assert "invoice" in found(world.admin, "created_from=2025-01-11&created_to=2025-01-11", desk)
    assert found(world.supervisor, "created_from=2025-01-11&created_to=2025-01-11", desk) == set()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("priority_min=high", "priority_min", "Enter a whole number."),
        ("priority_max=100", "priority_max", "less than or equal to 99"),
        ("priority_min=0", "priority_min", "greater than or equal to 1"),
        ("priority_min=60&priority_max=50", "priority_max", "The lowest priority is above"),
        ("queue=999999", "queue", "Select a valid choice."),
        ("queue=billing", "queue", "Select a valid choice."),
        ("status=lost", "status", "Select a valid choice."),
        ("type=pigeon", "type", "Select a valid choice."),
        ("assignee=999999", "assignee", "Select a valid choice."),
        ("answered=maybe", "answered", "Select a valid choice."),
        ("created_from=2025-02-30", "created_from", "Enter a valid date."),
        ("created_from=99999-01-01", "created_from", "Enter a valid date."),
        ("created_to=0001-01-01", "created_to", "greater than or equal to 1900-01-01"),
        ("modified_from=2025-03-02&modified_to=2025-03-01", "modified_to", "first day is after"),
        ("number=12abc", "number", "Enter a whole number."),
        ("number=99999999999999999999", "number", "less than or equal to"),
        ("number=%00", "number", "Enter a whole number."),
        ("email=not-an-address", "email", "Type an e-mail address, or @ and a domain"),
        ("email=@", "email", "Type an e-mail address, or @ and a domain"),
        ("account=Nobody+Ltd", "account", "No account has the name or external id"),
        ("text=-spam", "text", "Nothing to search for"),
        ("text=" + "x" * 10_000, "text", "at most 500 characters (it has 10000)"),
        ("sort=password", "sort", "Select a valid choice."),
    ],
)
def test_bad_values_get_a_message_on_their_field(world, query, field, message):
    form = form_for(query)
    assert not form.is_valid()
    assert message in " ".join(str(error) for error in form.errors[field])


def test_control_characters_are_left_out_of_what_is_searched(world):
    form = form_for("text=inv%00oice&email=ann%00@acme.example&account=Account%01 A")
    assert form.is_valid(), form.errors
    assert (form.criteria.text, form.criteria.email) == ("invoice", "ann@acme.example")
    assert form.criteria.account == "Account A"


def test_a_stored_query_that_no_longer_reads_raises_with_the_reasons(world):
    with pytest.raises(ValidationError) as raised:
        from_querystring("priority_min=high&queue=999999")
    assert len(raised.value.messages) == 2


def test_an_unknown_account_in_a_stored_query_finds_nothing_rather_than_failing(desk, world):
    assert found(world.admin, "account=Renamed+Ltd", desk) == set()


def test_the_form_reads_the_queues_and_people_only_when_asked(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert CriteriaForm({"text": "invoice", "assignee": "nobody", "sort": "title"}).is_valid()
    with django_assert_num_queries(1):
        assert CriteriaForm({"queue": [str(world.billing.pk)]}).is_valid()


def test_a_search_for_a_person_who_left_still_reads_and_finds_their_tickets(desk, world):
    User.objects.filter(pk=world.agent.pk).update(is_active=False)
    assert found(world.admin, f"assignee={world.agent.pk}", desk) == {"refund"}
    offered = dict(CriteriaForm().fields["assignee"].choices)  # type: ignore[attr-defined]
    assert str(world.agent.pk) not in offered
    assert str(world.supervisor.pk) in offered
