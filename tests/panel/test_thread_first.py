"""The ticket page puts the conversation first, the customer beside it."""

from __future__ import annotations

from accounts.models import Contact
from tests.conftest import SETUP
from tests.panel.helpers import queries_for, rendered_form
from tickets import actions


def positions(page: str, *texts: str) -> list[int]:
    return [page.index(text) for text in texts]


def side_panel(page: str) -> str:
    start = page.index('id="customer-panel"')
    return page[start : page.index("</aside>", start)]


def conversation(world):
    ticket = world.ticket(world.billing, text="First, from the customer.")
    actions.answer(actor=world.supervisor, ticket=ticket.number, text="Second, our answer.")
    actions.add_note(actor=world.supervisor, ticket=ticket.number, text="Third, a note.")
    return ticket


def test_the_thread_comes_first_with_the_newest_message_at_the_bottom(world, as_user):
    ticket = conversation(world)
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    first, second, third = positions(
        page, "First, from the customer.", "Second, our answer.", "Third, a note."
    )
    assert first < second < third < page.index('id="answer-heading"')
    # The conversation comes before the customer panel and the properties.
    assert third < page.index('id="customer-panel"') < page.index('id="properties"')
    assert "Newest at the bottom" in page


def test_a_person_who_chose_newest_first_reads_the_thread_the_other_way(world, as_user):
    ticket = conversation(world)
    client = as_user(world.supervisor)
    profile = client.get("/panel/profile/").content.decode()
    fields = {**rendered_form(profile, "reading-form"), "newest_first": "on"}
    assert client.post("/panel/profile/reading/", fields).status_code == 302
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    first, second, third = positions(
        page, "First, from the customer.", "Second, our answer.", "Third, a note."
    )
    assert third < second < first
    assert "Newest first" in page
    # Somebody else still reads it oldest first.
    other = as_user(world.admin).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert other.index("First, from the customer.") < other.index("Third, a note.")


def test_the_side_panel_shows_the_account_its_contacts_and_other_tickets(world, as_user):
    ticket = world.ticket(world.billing, title="This one")
    world.ticket(world.billing, title="An earlier one")
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    panel = side_panel(page)
    assert "Account A" in panel
    assert world.customer_a.email in panel
    assert "An earlier one" in panel and "This one" not in panel
    assert '<span class="label status-new">New</span>' in panel
    assert 'class="unanswered-dot"' in panel


def test_the_side_panel_shows_only_tickets_the_viewer_may_see(world, as_user):
    # The agent sees only tickets assigned to them: the customer's other tickets in
    # the agent's own queue are not theirs to see.
    mine = world.ticket(world.billing, title="Assigned to the agent")
    actions.assign(actor=SETUP, ticket=mine, assignee=world.agent)
    world.ticket(world.billing, title="Nobody has it yet")
    others = world.ticket(world.billing, title="The supervisor has it")
    actions.assign(actor=SETUP, ticket=others, assignee=world.supervisor)
    page = as_user(world.agent).get(f"/panel/tickets/{mine.number}/").content.decode()
    panel = side_panel(page)
    assert "Nobody has it yet" not in panel and "The supervisor has it" not in panel
    assert "None that you may see." in panel
    supervisor = as_user(world.supervisor).get(f"/panel/tickets/{mine.number}/").content.decode()
    assert "Nobody has it yet" in supervisor and "The supervisor has it" in supervisor


def test_the_side_panel_costs_the_same_queries_for_few_and_many_tickets_and_contacts(
    world, as_user
):
    ticket = world.ticket(world.billing)
    client = as_user(world.supervisor)
    url = f"/panel/tickets/{ticket.number}/"
    few = queries_for(client, url)
    for index in range(8):
        world.ticket(world.billing, title=f"More {index}")
        Contact.objects.create(account=world.account_a, email=f"c{index}@a.example")
    assert queries_for(client, url) == few
