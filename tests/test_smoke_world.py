from tickets.models import Status


def test_a_new_ticket_is_new_unassigned_and_unanswered(world):
    ticket = world.ticket()
    assert (ticket.status, ticket.assignee, ticket.is_answered) == (Status.NEW, None, False)
    assert ticket.account == world.account_a
    assert ticket.messages.get().text == "Please help."
