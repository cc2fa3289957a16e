import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import SETUP, set_helpdesk
from tests.panel.helpers import refreshed
from tickets import actions
from tickets.models import MessageKind, Status


@pytest.fixture
def assigned(world):
    ticket = world.ticket(queue=world.billing)
    return actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)


def reply(client, ticket, **fields):
    # As the page sends it: the assignee the select showed travels along.
    shown = ticket.assignee_id or ""
    data = {
        "expected_version": ticket.version,
        "assignee_shown": shown,
        "cc": "",
        "answer": "",
        "note": "",
        **fields,
    }
    return client.post(f"/panel/tickets/{ticket.number}/reply/", data)


def test_an_answer_is_added_and_makes_the_ticket_answered(world, as_user, assigned):
    response = reply(as_user(world.agent), assigned, answer="Restart the router.")
    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{assigned.number}/"
    ticket = refreshed(assigned)
    assert ticket.is_answered
    answer = ticket.messages.get(kind=MessageKind.ANSWER)
    assert (answer.text, answer.author) == ("Restart the router.", world.agent)


def test_a_note_alone_is_kept_inside_and_leaves_the_ticket_unanswered(world, as_user, assigned):
    reply(as_user(world.agent), assigned, note="Customer sounds angry.")
    ticket = refreshed(assigned)
    assert not ticket.is_answered
    assert ticket.status == Status.OPEN
    assert ticket.messages.filter(kind=MessageKind.NOTE).get().text == "Customer sounds angry."
    assert not ticket.messages.filter(kind=MessageKind.ANSWER).exists()


def test_an_answer_and_a_note_are_both_kept(world, as_user, assigned):
    reply(as_user(world.agent), assigned, answer="Done.", note="Took an hour.")
    kinds = list(refreshed(assigned).messages.values_list("kind", flat=True))
    # The note first: a reassignment travels with the answer and may take the
    # ticket out of the writer's view.
    assert kinds == [MessageKind.CUSTOMER, MessageKind.NOTE, MessageKind.ANSWER]


def test_cc_addresses_go_with_the_answer(world, as_user, assigned):
    reply(as_user(world.agent), assigned, answer="Hi", cc="boss@a.example, it@a.example")
    assert refreshed(assigned).cc == ["boss@a.example", "it@a.example"]


def test_a_bad_cc_address_is_shown_on_its_field_and_nothing_is_sent(world, as_user, assigned):
    response = reply(as_user(world.agent), assigned, answer="Hi there", cc="boss@, it@a.example")
    page = response.content.decode()
    assert response.status_code == 422
    assert "Not an e-mail address: boss@." in page
    assert "Hi there</textarea>" in page
    assert not refreshed(assigned).messages.filter(kind=MessageKind.ANSWER).exists()


def test_an_empty_submission_asks_for_an_answer_or_a_note(world, as_user, assigned):
    response = reply(as_user(world.agent), assigned, answer="   ")
    assert response.status_code == 422
    assert "Write an answer or an internal note." in response.content.decode()
    assert refreshed(assigned).version == assigned.version


def test_several_attachments_go_with_the_answer(world, as_user, assigned):
    files = [
        SimpleUploadedFile("one.txt", b"1", "text/plain"),
        SimpleUploadedFile("zwei-ü.png", b"\x89PNG", "image/png"),
    ]
    reply(as_user(world.agent), assigned, answer="See attached.", attachments=files)
    answer = refreshed(assigned).messages.get(kind=MessageKind.ANSWER)
    assert sorted(answer.attachments.values_list("filename", flat=True)) == [
        "one.txt",
        "zwei-ü.png",
    ]


def test_an_attachment_over_the_size_limit_is_refused_with_a_clear_error(world, as_user, assigned):
    set_helpdesk(max_attachment_size=1024)
    big = SimpleUploadedFile("huge.log", b"x" * 2048, "text/plain")
    response = reply(as_user(world.agent), assigned, answer="Here it is", attachments=[big])
    page = response.content.decode()
    assert response.status_code == 422
    assert "huge.log is 2.0\xa0KB; the largest attachment accepted is 1.0\xa0KB." in page
    assert "Here it is</textarea>" in page
    assert not refreshed(assigned).messages.filter(kind=MessageKind.ANSWER).exists()


def test_a_supervisor_assigns_with_the_answer(world, as_user):
    ticket = world.ticket(queue=world.billing)
    reply(as_user(world.supervisor), ticket, answer="Passing this on.", assignee=world.agent.pk)
    ticket = refreshed(ticket)
    assert ticket.assignee == world.agent
    assert ticket.messages.filter(kind=MessageKind.ANSWER, author=world.supervisor).exists()


def test_a_supervisor_may_assign_from_the_answer_form_without_text(world, as_user):
    ticket = world.ticket(queue=world.billing)
    response = reply(as_user(world.supervisor), ticket, assignee=world.agent.pk)
    assert response.status_code == 302
    assert refreshed(ticket).assignee == world.agent


def test_an_agent_cannot_assign_from_the_answer_form(world, as_user, assigned):
    reply(as_user(world.agent), assigned, answer="Mine.", assignee=world.other_agent.pk)
    assert refreshed(assigned).assignee == world.agent


def test_a_stale_answer_shows_what_changed_and_keeps_the_typed_text(world, as_user, assigned):
    seen = assigned.version
    actions.change(actor=world.supervisor, ticket=assigned, priority=90)
    response = reply(
        as_user(world.agent),
        assigned,
        expected_version=seen,
        answer="Typed <carefully> over ten minutes",
        note="and a note",
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "was changed while you were working on it" in page
    assert "super changed the priority: 50 → 90" in page
    assert "Typed &lt;carefully&gt; over ten minutes</textarea>" in page
    assert "and a note</textarea>" in page
    ticket = refreshed(assigned)
    assert not ticket.messages.filter(kind__in=[MessageKind.ANSWER, MessageKind.NOTE]).exists()
    assert f'name="expected_version" value="{ticket.version}"' in page


def test_sending_again_after_a_conflict_works(world, as_user, assigned):
    seen = assigned.version
    actions.change(actor=world.supervisor, ticket=assigned, priority=90)
    client = as_user(world.agent)
    assert reply(client, assigned, expected_version=seen, answer="Hello").status_code == 409
    assert reply(client, refreshed(assigned), answer="Hello").status_code == 302
    assert refreshed(assigned).is_answered


def test_a_stale_answer_with_files_asks_for_them_again(world, as_user, assigned):
    seen = assigned.version
    actions.change(actor=world.supervisor, ticket=assigned, priority=90)
    upload = SimpleUploadedFile("a.txt", b"a", "text/plain")
    response = reply(
        as_user(world.agent), assigned, expected_version=seen, answer="Hi", attachments=[upload]
    )
    assert "choose the files again" in response.content.decode()


def test_an_answer_that_assigns_the_ticket_away_tells_the_supervisor_they_no_longer_see_it(
    world, as_user
):
    ticket = world.ticket(queue=world.sales)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.supervisor)
    response = reply(
        as_user(world.supervisor),
        refreshed(ticket),
        answer="Over to sales.",
        assignee=world.other_agent.pk,
    )
    assert response.status_code == 302 and response["Location"] == "/panel/"
    assert refreshed(ticket).assignee == world.other_agent


def test_an_agent_may_not_answer_a_ticket_not_assigned_to_them(world, as_user):
    ticket = world.ticket(queue=world.billing)
    response = reply(as_user(world.agent), ticket, answer="Hi")
    assert response.status_code == 404
    assert not refreshed(ticket).messages.filter(kind=MessageKind.ANSWER).exists()


def test_a_customer_may_not_use_the_staff_answer_form(world, as_user):
    ticket = world.ticket()
    response = reply(as_user(world.customer_a), ticket, answer="I am staff now")
    assert response.status_code == 403
    assert not refreshed(ticket).messages.filter(kind=MessageKind.ANSWER).exists()


def test_a_note_sends_no_mail(world, as_user, assigned):
    reply(as_user(world.agent), assigned, note="Internal only")
    assert all("Internal only" not in message.body for message in mail.outbox)


def test_a_ticket_of_a_deactivated_assignee_can_still_be_answered(world, as_user):
    ticket = world.ticket(queue=world.billing)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    type(world.agent).objects.filter(pk=world.agent.pk).update(is_active=False)
    ticket = refreshed(ticket)
    response = reply(
        as_user(world.supervisor),
        ticket,
        answer="Agent left; I take over.",
        assignee=world.agent.pk,
    )
    assert response.status_code == 302
    assert refreshed(ticket).messages.filter(kind=MessageKind.ANSWER).exists()


def test_an_answer_that_reassigns_names_the_new_assignee_in_its_history(world, as_user, assigned):
    client = as_user(world.supervisor)
    reply(client, assigned, answer="Handing this to billing.", assignee=world.other_agent.pk)
    ticket = refreshed(assigned)
    assert ticket.assignee == world.other_agent and ticket.is_answered
    # One change, one version: the assignment came with the answer.
    last = set(ticket.events.filter(version=ticket.version).values_list("code", flat=True))
    assert {"answer", "assignee"} <= last


def test_an_answer_sent_after_the_same_person_reassigned_does_not_hand_the_ticket_back(
    world, as_user, assigned
):
    # The page showed the agent; the supervisor then reassigned through the
    # property panel, which refreshed only the answer form's version.
    client = as_user(world.supervisor)
    shown_version = assigned.version
    actions.assign(
        actor=world.supervisor,
        ticket=assigned,
        assignee=world.other_agent,
        expected_version=shown_version,
    )
    moved = refreshed(assigned)
    response = reply(
        client,
        moved,
        answer="Sent from the page opened earlier.",
        assignee=world.agent.pk,
        assignee_shown=world.agent.pk,
    )
    assert response.status_code == 302
    ticket = refreshed(assigned)
    assert ticket.assignee == world.other_agent
    assert ticket.messages.filter(kind=MessageKind.ANSWER).exists()
