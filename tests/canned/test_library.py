"""Who sees and changes which canned reply and macro."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canned import library
from canned.models import Assignment, CannedReply


def reply(owner, title="Thanks", *, shared=False, queue=None, text="Thank you!") -> CannedReply:
    return library.save_reply(
        user=owner, reply=None, title=title, text=text, shared=shared, queue=queue
    )


def test_each_person_sees_their_own_and_the_teams_never_anothers(world):
    mine = reply(world.agent, "Mine")
    team = reply(world.supervisor, "Team", shared=True)
    reply(world.other_agent, "Theirs")
    assert list(library.replies_for(world.agent)) == [team, mine]
    with pytest.raises(CannedReply.DoesNotExist):
        library.reply_for(world.agent, reply(world.supervisor, "Private").pk)


def test_only_supervisors_and_administrators_share_or_change_shared_ones(world):
    with pytest.raises(PermissionDenied):
        reply(world.agent, shared=True)
    team = reply(world.supervisor, shared=True)
    assert not library.may_change(world.agent, team)
    assert library.may_change(world.other_supervisor, team)
    with pytest.raises(PermissionDenied):
        library.save_reply(
            user=world.agent, reply=team, title="Mine now", text="x", shared=False, queue=None
        )
    with pytest.raises(PermissionDenied):
        library.delete(user=world.agent, kept=team)
    library.delete(user=world.admin, kept=team)
    assert not CannedReply.objects.exists()


def test_a_persons_own_is_changed_by_them_alone(world):
    mine = reply(world.agent)
    assert not library.may_change(world.supervisor, mine)
    with pytest.raises(PermissionDenied):
        library.delete(user=world.admin, kept=mine)


def test_the_picker_offers_replies_of_the_tickets_queue_and_finds_words(world):
    ticket = world.ticket(world.billing)
    refund = reply(world.agent, "Refund", text="Your refund is on its way.", queue=world.billing)
    reply(world.agent, "Sales offer", text="Buy more.", queue=world.sales)
    hello = reply(world.agent, "Hello", text="Hello {{ customer.name }}")
    assert library.offered_replies(world.agent, ticket) == [hello, refund]
    assert library.offered_replies(world.agent, ticket, "REFUND way") == [refund]
    assert library.offered_replies(world.agent, ticket, "100%_\x00") == []


def test_titles_and_texts_are_checked(world):
    with pytest.raises(ValidationError):
        reply(world.agent, "  \n ")
    with pytest.raises(ValidationError):
        reply(world.agent, text="   ")
    saved = reply(world.agent, "A\u202eB\nC", text="Hi\x00 there")
    assert (saved.title, saved.text) == ("A\u202eB C", "Hi there")


def test_a_macro_needs_something_to_do_and_a_person_to_assign_to(world):
    with pytest.raises(ValidationError):
        library.save_macro(user=world.agent, macro=None, name="Nothing", shared=False)
    with pytest.raises(ValidationError):
        library.save_macro(
            user=world.supervisor,
            macro=None,
            name="To whom?",
            shared=False,
            assignment=Assignment.PERSON,
        )
