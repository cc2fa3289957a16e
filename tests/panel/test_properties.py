import pytest

from tests.conftest import SETUP
from tests.panel.helpers import htmx, refreshed, whole_form
from tickets import actions
from tickets.models import Status


@pytest.fixture
def ticket(world):
    return world.ticket(queue=world.billing)


def change(client, ticket, headers=None, expected_version=None, **fields):
    """The Change box as the person's page renders it, with ``fields`` chosen in it."""
    data = whole_form(client, ticket, **{f"change-{name}": value for name, value in fields.items()})
    if expected_version is not None:
        data["properties_version"] = expected_version
    return client.post(f"/panel/tickets/{ticket.number}/change/", data, headers=headers or {})


def test_changing_the_priority_by_htmx_returns_only_the_property_panel(world, as_user, ticket):
    response = change(as_user(world.supervisor), ticket, htmx(), priority=80)
    page = response.content.decode()
    assert response.status_code == 200
    assert refreshed(ticket).priority == 80
    assert page.lstrip().startswith('<section id="properties"')
    assert 'id="fact-priority"><span class="label priority-high">80 ' in page
    assert "Changes saved." in page
    # The answer form stays as it is in the browser; only its version follows.
    assert 'id="answer-form"' not in page
    assert (
        f'id="answer-expected_version" value="{refreshed(ticket).version}" hx-swap-oob="true"'
        in page
    )


def test_without_htmx_a_change_goes_back_to_the_ticket_page(world, as_user, ticket):
    response = change(as_user(world.supervisor), ticket, priority=80)
    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{ticket.number}/"


@pytest.mark.parametrize("priority", ["0", "100", "high"])
def test_a_priority_outside_1_to_99_is_refused_on_its_field(world, as_user, ticket, priority):
    response = change(as_user(world.supervisor), ticket, htmx(), priority=priority)
    assert response.status_code == 422
    assert 'class="errorlist"' in response.content.decode()
    assert refreshed(ticket).priority == 50


def test_status_and_sticky_change_together(world, as_user, ticket):
    change(as_user(world.supervisor), ticket, status=Status.ON_HOLD, is_sticky="on")
    ticket = refreshed(ticket)
    assert (ticket.status, ticket.is_sticky) == (Status.ON_HOLD, True)


def test_a_supervisor_reassigns_with_the_change_form(world, as_user, ticket):
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    change(as_user(world.supervisor), refreshed(ticket), assignee=world.supervisor.pk)
    assert refreshed(ticket).assignee == world.supervisor


def test_an_agent_changes_priority_but_cannot_reassign(world, as_user, ticket):
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    ticket = refreshed(ticket)
    change(as_user(world.agent), ticket, priority=70, assignee=world.other_agent.pk)
    ticket = refreshed(ticket)
    assert (ticket.priority, ticket.assignee) == (70, world.agent)


def test_a_stale_change_names_what_changed_and_keeps_the_chosen_values(world, as_user, ticket):
    seen = ticket.version
    actions.change(actor=world.admin, ticket=ticket, status=Status.ON_HOLD)
    response = change(as_user(world.supervisor), ticket, htmx(), expected_version=seen, priority=33)
    page = response.content.decode()
    assert response.status_code == 409
    assert "admin changed the status: New → On hold" in page
    assert 'value="33"' in page
    assert refreshed(ticket).priority == 50
    # The answer form is not brought up to date: the person has not seen the change yet.
    assert "hx-swap-oob" not in page


def test_a_change_without_the_version_it_was_made_on_is_refused(world, as_user, ticket):
    client = as_user(world.supervisor)
    response = client.post(f"/panel/tickets/{ticket.number}/release/", {})
    assert response.status_code == 400


def test_release_returns_the_ticket_to_the_unassigned_list(world, as_user, ticket):
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    ticket = refreshed(ticket)
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/release/",
        {"properties_version": ticket.version},
        headers=htmx(),
    )
    assert response.status_code == 200
    assert refreshed(ticket).assignee is None
    assert 'id="fact-assignee">nobody<' in response.content.decode()


def test_an_agent_gives_back_their_own_ticket_and_then_no_longer_sees_it(world, as_user, ticket):
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    ticket = refreshed(ticket)
    response = as_user(world.agent).post(
        f"/panel/tickets/{ticket.number}/release/",
        {"properties_version": ticket.version},
        headers=htmx(),
    )
    assert response["HX-Redirect"] == "/panel/"
    assert refreshed(ticket).assignee is None


def test_close_closes_the_ticket(world, as_user, ticket):
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/close/", {"properties_version": ticket.version}
    )
    assert response.status_code == 302
    assert refreshed(ticket).status == Status.CLOSED


def test_a_stale_close_is_refused_with_the_reason(world, as_user, ticket):
    seen = ticket.version
    actions.change(actor=world.admin, ticket=ticket, priority=60)
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/close/", {"properties_version": seen}, headers=htmx()
    )
    assert response.status_code == 409
    assert "admin changed the priority: 50 → 60" in response.content.decode()
    assert refreshed(ticket).status == Status.NEW


def test_additional_changes_title_and_requester_e_mail(world, as_user, ticket):
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/details/",
        {
            "properties_version": ticket.version,
            "details-title": "Новый заголовок",
            "details-requester_email": "x@y.example",
        },
        headers=htmx(),
    )
    assert response.status_code == 200
    ticket = refreshed(ticket)
    assert (ticket.title, ticket.requester_email) == ("Новый заголовок", "x@y.example")


def test_a_stale_additional_change_keeps_the_typed_title(world, as_user, ticket):
    seen = ticket.version
    actions.change(actor=world.admin, ticket=ticket, priority=60)
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/details/",
        {
            "properties_version": seen,
            "details-title": "My careful title",
            "details-requester_email": "a@b.example",
        },
        headers=htmx(),
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert 'value="My careful title"' in page
    assert '<details id="details-section" open>' in page
    assert refreshed(ticket).title == "Cannot log in"


def test_a_bad_requester_address_is_shown_on_its_field(world, as_user, ticket):
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/details/",
        {
            "properties_version": ticket.version,
            "details-title": "T",
            "details-requester_email": "nope",
        },
        headers=htmx(),
    )
    assert response.status_code == 422
    assert "Enter a valid email address." in response.content.decode()


@pytest.mark.parametrize("query", ["Account B", "b-1", "bob@b.example", "account b"])
def test_accounts_are_found_by_name_external_id_or_contact_e_mail(world, as_user, ticket, query):
    response = as_user(world.supervisor).get(
        f"/panel/tickets/{ticket.number}/account/", {"q": query}, headers=htmx()
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="account-results">')
    assert f'id="choose-account-{world.account_b.pk}"' in page
    assert f'id="choose-account-{world.account_a.pk}"' not in page


def test_choosing_an_account_changes_it(world, as_user, ticket):
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/account/choose/",
        {"expected_version": ticket.version, "account": world.account_b.pk},
        headers=htmx(),
    )
    assert response.status_code == 200
    assert refreshed(ticket).account == world.account_b
    assert "Account B (B-1)" in response.content.decode()


def test_the_account_search_page_has_a_back_link_that_changes_nothing(world, as_user, ticket):
    page = (
        as_user(world.supervisor)
        .get(f"/panel/tickets/{ticket.number}/account/", {"q": "Account"})
        .content.decode()
    )
    assert f'href="/panel/tickets/{ticket.number}/" id="account-back"' in page
    assert refreshed(ticket).account == world.account_a


def test_choosing_an_account_that_does_not_exist_changes_nothing(world, as_user, ticket):
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/account/choose/",
        {"expected_version": ticket.version, "account": 999999},
    )
    assert response.status_code == 302
    assert refreshed(ticket).account == world.account_a


PROPERTY_ACTIONS = ["change", "details", "release", "close", "account/choose"]


def everything_changed(ticket, account):
    """A post that every property action would act on, were it allowed."""
    return {
        "properties_version": ticket.version,
        "expected_version": ticket.version,
        "change-priority": 99,
        "change-status": "closed",
        "details-title": "x",
        "details-requester_email": "x@x.example",
        "account": account.pk,
    }


@pytest.mark.parametrize("action", PROPERTY_ACTIONS)
def test_a_customer_may_change_nothing_through_the_panel(world, as_user, ticket, action):
    seen = ticket.version
    response = as_user(world.customer_a).post(
        f"/panel/tickets/{ticket.number}/{action}/",
        everything_changed(ticket, world.account_b),
    )
    assert response.status_code == 403
    assert refreshed(ticket).version == seen


@pytest.mark.parametrize("action", PROPERTY_ACTIONS)
def test_staff_who_may_not_see_the_ticket_get_not_found(world, as_user, ticket, action):
    seen = ticket.version
    for person in (world.agent, world.other_supervisor):
        response = as_user(person).post(
            f"/panel/tickets/{ticket.number}/{action}/",
            everything_changed(ticket, world.account_b),
        )
        assert response.status_code == 404
    assert refreshed(ticket).version == seen


def test_the_account_search_is_not_found_for_staff_who_may_not_see_the_ticket(
    world, as_user, ticket
):
    response = as_user(world.agent).get(f"/panel/tickets/{ticket.number}/account/", {"q": "A"})
    assert response.status_code == 404
