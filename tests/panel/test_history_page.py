"""The History section of the ticket page names queues, people and accounts as
they are called now, and as they were called once the row is gone."""

from __future__ import annotations

import re
from html import unescape

from tickets import actions


def history_on_page(client, number: int) -> list[str]:
    page = client.get(f"/panel/tickets/{number}/").content.decode()
    section = page.split('id="history"')[1].split("</ol>")[0]
    return [unescape(text).strip() for text in re.findall(r"</time>([^<]*)</li>", section)]


def test_the_page_names_a_renamed_queue_person_and_account_as_they_are_called_now(world, as_user):
    ticket = world.ticket(world.support)
    actions.move(actor=world.admin, ticket=ticket, queue=world.billing)
    actions.assign(actor=world.admin, ticket=ticket, assignee=world.agent)
    actions.change_account(actor=world.admin, ticket=ticket, account=world.account_b)
    world.billing.name = "Invoices"
    world.billing.save()
    world.agent.full_name = "Ann Lee"
    world.agent.save()
    world.account_b.name = "Bee Hosting"
    world.account_b.save()
    lines = history_on_page(as_user(world.supervisor), ticket.number)
    assert "admin moved the ticket to another queue: Support → Invoices" in lines
    assert "admin changed the assignee: — → Ann Lee" in lines
    assert "admin changed the account: Account A → Bee Hosting" in lines
    assert not any("Billing" in line or "Account B" in line for line in lines)


def test_the_page_names_a_deleted_queue_and_account_with_the_words_of_the_time(world, as_user):
    ticket = world.ticket(world.billing, account=world.account_b)
    actions.change_account(actor=world.admin, ticket=ticket, account=world.account_a)
    actions.move(actor=world.admin, ticket=ticket, queue=world.support)
    world.billing.delete()  # the move emptied it
    world.account_b.delete()
    lines = history_on_page(as_user(world.supervisor), ticket.number)
    assert lines == [
        "The mail gateway opened the ticket: Billing",
        "admin changed the account: Account B → Account A",
        "admin moved the ticket to another queue: Billing → Support",
    ]
