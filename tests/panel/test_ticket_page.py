import re

import pytest

from accounts.actors import MAIL_GATEWAY
from tests.conftest import SETUP, set_helpdesk, upload
from tests.panel.helpers import duplicate_ids, open_tickets, queries_for, unlabelled_controls
from tickets import actions


def test_the_ticket_page_shows_every_property(world, as_user):
    ticket = world.ticket(queue=world.billing, title="Invoice 42 is wrong")
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    actions.change(actor=SETUP, ticket=ticket, priority=77, is_sticky=True)
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    for expected in (
        f"#{ticket.number}",
        "Invoice 42 is wrong",
        'id="fact-status"><span class="label status-open">Open</span><',
        'id="fact-type">E-mail<',
        'id="fact-priority"><span class="label priority-high">77 <span class="band">high<',
        'id="fact-queue">Billing<',
        'id="fact-assignee">agent<',
        'id="fact-sticky">yes<',
        "Account A (A-1)",
        "View as customer",
        'id="fact-requester">alice@a.example<',
    ):
        assert expected in page, expected


def test_edit_customer_leads_to_the_account_page_in_the_panel(world, as_user):
    ticket = world.ticket()
    account_page = f"/panel/customers/{world.account_a.pk}/"
    for person in (world.admin, world.supervisor):
        page = as_user(person).get(f"/panel/tickets/{ticket.number}/").content.decode()
        assert f'href="{account_page}" id="edit-customer">Edit customer<' in page
        assert "/admin/accounts/account/" not in page


def test_the_thread_tells_customer_messages_answers_and_notes_apart(world, as_user, settings):
    ticket = world.ticket(text="My site is down")
    actions.add_note(actor=world.supervisor, ticket=ticket, text="Probably DNS")
    actions.answer(actor=world.supervisor, ticket=ticket, text="Fixed the DNS")
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    kinds = re.findall(r'class="message message-(\w+)"', page)
    assert kinds == ["customer", "note", "answer"]
    assert "Customer message</strong>" in page
    assert "Internal note</strong>" in page
    assert "not visible to the customer" in page
    assert "Answer</strong>" in page


def test_text_is_shown_exactly_as_written_never_as_html(world, as_user):
    ticket = world.ticket(title="<i>title</i>", text="<script>alert(1)</script> Привет 你好")
    page = as_user(world.admin).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Привет 你好" in page
    assert "&lt;i&gt;title&lt;/i&gt;" in page


def test_attachments_are_listed_with_their_message(world, as_user):
    ticket = world.ticket(
        attachments=[upload("отчёт.pdf", b"%PDF-1.4", content_type="application/pdf")]
    )
    attachment = ticket.messages.get().attachments.get()
    page = as_user(world.admin).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert f'href="/panel/attachments/{attachment.pk}/" download>отчёт.pdf</a>' in page


def test_the_latest_tickets_of_the_same_requester_or_account_are_listed(world, as_user):
    set_helpdesk(latest_tickets_count=3)
    same_requester = open_tickets(4, world.support, account=None)
    same_account = open_tickets(
        1, world.support, requester_email="carol@a.example", account=world.account_a
    )
    stranger = open_tickets(1, world.support, requester_email="zed@z.example", account=None)[0]
    ticket = same_requester[0]
    page = as_user(world.admin).get(f"/panel/tickets/{ticket.number}/").content.decode()
    latest = page.split('id="latest-tickets"')[1].split("</ul>")[0]
    listed = [int(n) for n in re.findall(r'href="/panel/tickets/(\d+)/"', latest)]
    assert listed == [same_account[0].number, same_requester[3].number, same_requester[2].number]
    assert stranger.number not in listed and ticket.number not in listed


def test_the_latest_tickets_hold_only_tickets_the_person_may_see(world, as_user):
    ticket = world.ticket(queue=world.billing)
    hidden = world.ticket(queue=world.sales, title="Sales secret")
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "Sales secret" not in page
    assert f"/panel/tickets/{hidden.number}/" not in page


def test_latest_tickets_can_be_switched_off(world, as_user):
    set_helpdesk(latest_tickets_count=0)
    ticket, _ = open_tickets(2, world.support)
    page = as_user(world.admin).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert 'id="latest-tickets"' not in page


def test_the_history_lists_every_change(world, as_user):
    ticket = world.ticket()
    actions.change(actor=world.admin, ticket=ticket, priority=80)
    page = as_user(world.admin).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "admin changed the priority: 50 → 80" in page


@pytest.mark.parametrize("person", ["supervisor", "admin"])
def test_supervisors_and_admins_open_tickets_of_their_queues(world, as_user, person):
    ticket = world.ticket(queue=world.billing)
    assert (
        as_user(getattr(world, person)).get(f"/panel/tickets/{ticket.number}/").status_code == 200
    )


def test_an_agent_opens_a_ticket_assigned_to_them_and_no_other(world, as_user):
    mine = world.ticket(queue=world.billing)
    actions.assign(actor=SETUP, ticket=mine, assignee=world.agent)
    other = world.ticket(queue=world.billing)
    client = as_user(world.agent)
    assert client.get(f"/panel/tickets/{mine.number}/").status_code == 200
    assert client.get(f"/panel/tickets/{other.number}/").status_code == 404


def test_a_ticket_of_another_queue_is_not_found(world, as_user):
    ticket = world.ticket(queue=world.sales)
    assert as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").status_code == 404
    assert as_user(world.supervisor).get("/panel/tickets/999999/").status_code == 404


def test_a_customer_may_not_open_the_panels_ticket_page(world, as_user):
    ticket = world.ticket()
    assert as_user(world.customer_a).get(f"/panel/tickets/{ticket.number}/").status_code == 403


def test_an_agent_sees_no_assign_to_and_no_delete(world, as_user):
    ticket = world.ticket(queue=world.billing)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    page = as_user(world.agent).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert 'id="answer-assignee"' not in page
    assert 'id="change-assignee"' not in page
    assert 'id="delete-link"' not in page
    assert 'id="release-button"' in page


@pytest.mark.parametrize("person", ["agent", "supervisor", "admin"])
def test_every_control_of_the_ticket_page_is_labelled_and_every_id_unique(world, as_user, person):
    ticket = world.ticket(queue=world.billing)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    page = as_user(getattr(world, person)).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert unlabelled_controls(page) == []
    assert duplicate_ids(page) == set()


def test_the_ticket_page_costs_the_same_queries_for_10_and_200_messages_and_tickets(world, as_user):
    ticket = world.ticket()
    client = as_user(world.supervisor)
    url = f"/panel/tickets/{ticket.number}/"

    def grow(count: int) -> None:
        for index in range(count):
            attached = upload(f"log-{index}.txt", b"log", content_type="text/plain")
            actions.customer_reply(
                actor=MAIL_GATEWAY, ticket=ticket, text=f"More {index}", attachments=[attached]
            )
            actions.add_note(actor=world.supervisor, ticket=ticket, text=f"Note {index}")
        open_tickets(count, world.support)

    grow(5)
    few = queries_for(client, url)
    grow(95)
    many = queries_for(client, url)
    # session, user, staff profile, ticket, latest tickets, messages, their
    # attachments, history and the current names of the queues it names, staff to
    # assign to (twice: two forms), queues to move to, failed mail, the person's
    # draft, our own addresses for the answer's "Goes to" line (queue addresses,
    # mailboxes); the settings row (read fresh for the measurement); whether the
    # person has two-factor sign-in; whether they see every ticket of the account and
    # its contacts (view as customer); the spellcheck's languages offered and the
    # person's own (one query); the customer's ratings of the ticket; the toolbar's
    # count of unread notifications; the person's and the team's macros; the
    # person's panel preferences, theme and thread order (panel/preferences.py);
    # the tickets merged into it (S43)
    assert few == many == 26


def test_an_absurdly_long_ticket_number_is_not_found(world, as_user):
    response = as_user(world.admin).get("/panel/tickets/" + "9" * 40 + "/")
    assert response.status_code == 404
