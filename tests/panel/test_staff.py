"""Staff in the panel: administrators invite people by mail and change their role,
queues and sign-in, guarded by the last administrator and stale forms; supervisors
look."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from accounts import staff, two_factor
from accounts.models import AuditCode, AuditEvent, Role, StaffProfile, User
from mail.models import OutgoingKind, OutgoingMail
from tests.conftest import SETUP, set_helpdesk
from tests.panel.helpers import open_tickets, refreshed, rendered_form, unlabelled_controls
from tests.two_factor_helpers import sign_in, signed_in_as, turn_on
from tickets import actions

NEW_PASSWORD = "a long new password 42"


def invite_page(client: Client) -> dict[str, object]:
    page = client.get("/panel/staff/invite/")
    assert page.status_code == 200
    return rendered_form(page.content.decode(), "staff-invite-form")


def invite(client: Client, **typed: object):
    return client.post("/panel/staff/invite/", {**invite_page(client), **typed})


def edit_form(client: Client, person: User) -> dict[str, object]:
    page = client.get(f"/panel/staff/{person.pk}/")
    assert page.status_code == 200
    return rendered_form(page.content.decode(), "staff-form")


def save(client: Client, person: User, form: dict[str, object], **chosen: object):
    return client.post(f"/panel/staff/{person.pk}/", {**form, **chosen})


def invitation_link(email: str) -> str:
    """The path of the link in the newest invitation to ``email``, from the outbox."""
    mail = OutgoingMail.objects.filter(kind=OutgoingKind.INVITATION, to=[email]).latest("pk")
    found = re.search(r"https?://\S+/welcome/\S+/", mail.text)
    assert found, mail.text
    assert found.group(0) in mail.html
    return urlsplit(found.group(0)).path


def choose_password(client: Client, link: str, password: str = NEW_PASSWORD):
    """Open the link as a browser does (Django moves the token out of the address)
    and post the form it shows."""
    page = client.get(link, follow=True)
    form = rendered_form(page.content.decode(), "welcome-form")
    assert form, "the link shows no password form"
    url = page.redirect_chain[-1][0] if page.redirect_chain else link
    return client.post(url, {**form, "new_password1": password, "new_password2": password})


def codes(code: AuditCode) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(code=code).order_by("pk"))


# The list


def test_administrators_see_each_persons_role_queues_last_sign_in_two_factor_and_state(
    world, as_user
):
    turn_on(world.supervisor)
    User.objects.filter(pk=world.agent.pk).update(last_login=timezone.now())
    User.objects.filter(pk=world.other_agent.pk).update(is_active=False)
    page = as_user(world.admin).get("/panel/staff/").content.decode()
    row = re.search(rf'<tr id="staff-{world.supervisor.pk}">(.*?)</tr>', page, re.S)
    assert row is not None
    assert "Supervisor" in row.group(1) and "Billing" in row.group(1)
    assert "<td>on</td>" in row.group(1)
    agent_row = re.search(rf'<tr id="staff-{world.agent.pk}">(.*?)</tr>', page, re.S)
    assert agent_row is not None and "<time datetime=" in agent_row.group(1)
    other_row = re.search(rf'<tr id="staff-{world.other_agent.pk}">(.*?)</tr>', page, re.S)
    assert other_row is not None and "deactivated" in other_row.group(1)
    assert 'id="staff-invite"' in page
    assert f'href="/panel/staff/{world.agent.pk}/"' in page
    assert 'id="nav-staff"' in page


def test_supervisors_look_without_changing_and_agents_are_refused(world, as_user):
    client = as_user(world.supervisor)
    page = client.get("/panel/staff/").content.decode()
    assert world.other_agent.email in page
    assert 'id="staff-invite"' not in page
    assert f'href="/panel/staff/{world.agent.pk}/"' not in page
    assert "Two-factor sign-in" not in page
    assert client.get(f"/panel/staff/{world.agent.pk}/").status_code == 403
    agent = as_user(world.agent)
    assert agent.get("/panel/staff/").status_code == 403
    assert 'id="nav-staff"' not in agent.get("/panel/").content.decode()


# Inviting


def test_an_invited_person_chooses_a_password_with_the_mailed_link_and_signs_in(world, as_user):
    client = as_user(world.admin)
    response = invite(
        client,
        full_name="Nina New",
        email="Nina@Frontdesk.example",
        role=Role.SUPERVISOR,
        queues=[str(world.sales.pk)],
    )
    assert response.status_code == 302 and response["Location"] == "/panel/staff/"
    nina = User.objects.get(email="nina@frontdesk.example")
    assert not nina.has_usable_password()
    assert nina.staff is not None and nina.staff.role == Role.SUPERVISOR
    assert list(nina.staff.queues.all()) == [world.sales]
    [added] = codes(AuditCode.STAFF_ADDED)
    assert (added.actor_id, added.person_id) == (world.admin.pk, nina.pk)
    assert "Sales" in added.detail

    mail = OutgoingMail.objects.get(kind=OutgoingKind.INVITATION, to=[nina.email])
    assert "Nina New" in mail.text and "invites you to join the support team" in mail.text
    link = invitation_link(nina.email)

    visitor = Client()
    chosen = choose_password(visitor, link)
    assert chosen.status_code == 302 and chosen["Location"] == "/login/"
    assert "Your password is saved" in visitor.get("/login/").content.decode()
    assert signed_in_as(visitor) is None  # choosing a password signs nobody in
    assert sign_in(visitor, nina.email, NEW_PASSWORD)["Location"] == "/"
    assert signed_in_as(visitor) == nina.pk
    assert visitor.get("/panel/").status_code == 200
    [chose] = codes(AuditCode.PASSWORD_RESET)
    assert chose.person_id == nina.pk and "invitation" in chose.detail


def test_a_used_link_is_refused(world, as_user):
    invite(as_user(world.admin), full_name="Nina", email="nina@frontdesk.example")
    link = invitation_link("nina@frontdesk.example")
    choose_password(Client(), link)
    again = Client().get(link, follow=True).content.decode()
    assert 'id="welcome-link-invalid"' in again and 'id="welcome-form"' not in again
    assert User.objects.get(email="nina@frontdesk.example").check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(world, as_user, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    invite(as_user(world.admin), full_name="Nina", email="nina@frontdesk.example")
    link = invitation_link("nina@frontdesk.example")
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        page = Client().get(link, follow=True).content.decode()
    assert 'id="welcome-link-invalid"' in page
    assert not User.objects.get(email="nina@frontdesk.example").has_usable_password()


def test_the_link_of_a_deactivated_person_is_refused(world, as_user):
    invite(as_user(world.admin), full_name="Nina", email="nina@frontdesk.example")
    link = invitation_link("nina@frontdesk.example")
    User.objects.filter(email="nina@frontdesk.example").update(is_active=False)
    assert 'id="welcome-link-invalid"' in Client().get(link, follow=True).content.decode()


@pytest.mark.parametrize("who", ["agent", "customer_a"])
def test_inviting_an_address_that_signs_in_already_is_a_form_error(world, as_user, who):
    taken = getattr(world, who).email.upper()
    response = invite(as_user(world.admin), full_name="Twin", email=taken)
    assert response.status_code == 422
    assert "Somebody signs in with this address already." in response.content.decode()
    assert not OutgoingMail.objects.filter(kind=OutgoingKind.INVITATION).exists()
    assert User.objects.filter(email__same=taken).count() == 1


def test_the_invitation_remembers_the_language_it_was_written_in(world, as_user):
    invite(as_user(world.admin), full_name="Nina", email="nina@frontdesk.example", language="de")
    assert User.objects.get(email="nina@frontdesk.example").language == "de"


def test_somebody_without_a_password_yet_is_invited_again(world, as_user):
    client = as_user(world.admin)
    invite(client, full_name="Nina", email="nina@frontdesk.example")
    nina = User.objects.get(email="nina@frontdesk.example")
    assert 'id="staff-invite-again"' in client.get(f"/panel/staff/{nina.pk}/").content.decode()
    client.post(f"/panel/staff/{nina.pk}/invite-again/")
    assert OutgoingMail.objects.filter(kind=OutgoingKind.INVITATION, to=[nina.email]).count() == 2
    # Somebody with a password resets it themselves: no invitation.
    response = client.post(f"/panel/staff/{world.agent.pk}/invite-again/", follow=True)
    assert "without a password is invited again" in response.content.decode()
    assert not OutgoingMail.objects.filter(to=[world.agent.email]).exists()


# Changing role and queues


def test_a_queue_given_to_a_supervisor_shows_its_unassigned_tickets_and_taking_it_hides_them(
    world, as_user
):
    [ticket] = open_tickets(1, world.sales, title="Quote wanted")
    supervisor = Client()
    supervisor.force_login(world.supervisor)
    url = f"/panel/tickets/{ticket.number}/"
    assert supervisor.get(url).status_code == 404

    admin = as_user(world.admin)
    form = edit_form(admin, world.supervisor)
    given = save(admin, world.supervisor, form, queues=[str(world.billing.pk), str(world.sales.pk)])
    assert given.status_code == 302
    assert supervisor.get(url).status_code == 200
    assert "Quote wanted" in supervisor.get("/panel/tickets/unassigned/").content.decode()

    form = edit_form(admin, world.supervisor)
    save(admin, world.supervisor, form, queues=[str(world.billing.pk)])
    assert supervisor.get(url).status_code == 404
    assert "Quote wanted" not in supervisor.get("/panel/tickets/unassigned/").content.decode()
    changed = codes(AuditCode.STAFF_CHANGED)
    assert [event.detail for event in changed] == [
        "queues: Billing → Billing, Sales",
        "queues: Billing, Sales → Billing",
    ]


def test_an_agent_made_supervisor_picks_up_and_made_agent_again_sees_only_their_own(world, as_user):
    [ticket] = open_tickets(1, world.billing, title="Invoice twice")
    agent = Client()
    agent.force_login(world.agent)
    url = f"/panel/tickets/{ticket.number}/"
    assert agent.get(url).status_code == 404
    admin = as_user(world.admin)
    save(admin, world.agent, edit_form(admin, world.agent), role=Role.SUPERVISOR)
    assert agent.get(url).status_code == 200
    save(admin, world.agent, edit_form(admin, world.agent), role=Role.AGENT)
    assert agent.get(url).status_code == 404
    assert [event.detail for event in codes(AuditCode.ROLE_CHANGED)] == [
        "Agent → Supervisor",
        "Supervisor → Agent",
    ]


def test_saving_the_form_unchanged_changes_and_records_nothing(world, as_user):
    admin = as_user(world.admin)
    before = AuditEvent.objects.count()
    assert save(admin, world.supervisor, edit_form(admin, world.supervisor)).status_code == 302
    assert AuditEvent.objects.count() == before
    assert list(StaffProfile.objects.get(user=world.supervisor).queues.all()) == [world.billing]


# Deactivating


def test_a_deactivated_person_cannot_sign_in_and_keeps_their_tickets(world, as_user):
    tickets = open_tickets(2, world.billing, assignee=world.agent)
    actions.close(actor=SETUP, ticket=tickets[1])
    open_tickets(1, world.billing, assignee=world.agent)
    working = Client()
    working.force_login(world.agent)

    admin = as_user(world.admin)
    page = admin.get(f"/panel/staff/{world.agent.pk}/").content.decode()
    assert "2 working tickets are assigned to this person." in page
    link = re.search(r'href="([^"]+)" id="working-tickets-link"', page)
    assert link is not None
    listed = admin.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert tickets[0].title in listed and tickets[1].title not in listed

    form = edit_form(admin, world.agent)
    del form["is_active"]
    assert save(admin, world.agent, form).status_code == 302
    assert not User.objects.get(pk=world.agent.pk).is_active
    assert sign_in(Client(), world.agent.email).status_code == 200  # the form again
    assert working.get("/panel/").status_code == 302  # their session is over
    assert all(refreshed(ticket).assignee_id == world.agent.pk for ticket in tickets)
    [event] = codes(AuditCode.USER_DEACTIVATED)
    assert (event.actor_id, event.person_id) == (world.admin.pk, world.agent.pk)

    form = edit_form(admin, world.agent)
    save(admin, world.agent, {**form, "is_active": "on"})
    assert sign_in(Client(), world.agent.email)["Location"] == "/"
    assert len(codes(AuditCode.USER_ACTIVATED)) == 1


# Two-factor sign-in


def test_an_administrator_resets_two_factor_sign_in_from_the_persons_page(world, as_user):
    set_helpdesk(two_factor_agents=True)
    turn_on(world.agent)
    admin = as_user(world.admin)
    page = admin.get(f"/panel/staff/{world.agent.pk}/").content.decode()
    assert 'id="staff-reset-two-factor"' in page
    response = admin.post(f"/panel/staff/{world.agent.pk}/two-factor/reset/")
    assert response["Location"] == f"/panel/staff/{world.agent.pk}/"
    assert not two_factor.has_two_factor(world.agent)
    [event] = codes(AuditCode.TWO_FACTOR_RESET)
    assert (event.actor_id, event.person_id) == (world.admin.pk, world.agent.pk)
    # The role requires it: after the password, the panel sends them to set it up.
    agent = Client()
    sign_in(agent, world.agent.email)
    assert agent.get("/panel/")["Location"] == "/panel/profile/two-factor/set-up/"


def test_administrators_do_not_reset_their_own_here(world, as_user):
    turn_on(world.admin)
    admin = as_user(world.admin)
    page = admin.get(f"/panel/staff/{world.admin.pk}/").content.decode()
    assert 'id="staff-reset-two-factor"' not in page
    admin.post(f"/panel/staff/{world.admin.pk}/two-factor/reset/")
    assert two_factor.has_two_factor(world.admin)


# Guard rails


LAST_ADMIN = "This is the last active administrator"


def test_the_last_administrator_can_neither_step_down_nor_deactivate_themselves(world, as_user):
    admin = as_user(world.admin)
    demoted = save(admin, world.admin, edit_form(admin, world.admin), role=Role.SUPERVISOR)
    assert demoted.status_code == 422 and LAST_ADMIN in demoted.content.decode()
    form = edit_form(admin, world.admin)
    del form["is_active"]
    deactivated = save(admin, world.admin, form)
    assert deactivated.status_code == 422 and LAST_ADMIN in deactivated.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.is_active and world.admin.staff.role == Role.ADMIN
    assert not codes(AuditCode.ROLE_CHANGED) and not codes(AuditCode.USER_DEACTIVATED)


def test_with_a_second_administrator_one_may_step_down(world, as_user):
    second = User.objects.create_user("root2@frontdesk.example", "secret")
    StaffProfile.objects.create(user=second, role=Role.ADMIN)
    admin = as_user(world.admin)
    assert (
        save(admin, world.admin, edit_form(admin, world.admin), role=Role.AGENT).status_code == 302
    )
    assert StaffProfile.objects.get(user=world.admin).role == Role.AGENT
    with pytest.raises(staff.LastAdministratorError):
        staff.change_staff(
            actor=second,
            user=second,
            role=Role.AGENT,
            queues=[],
            is_active=True,
            seen=staff.fingerprint(StaffProfile.objects.get(user=second)),
        )


def test_a_form_made_before_somebody_else_changed_the_person_is_a_conflict(world, as_user):
    admin = as_user(world.admin)
    stale_form = edit_form(admin, world.supervisor)
    # Another administrator gives the supervisor Sales meanwhile.
    staff.change_staff(
        actor=world.admin,
        user=world.supervisor,
        role=Role.SUPERVISOR,
        queues=[world.billing, world.sales],
        is_active=True,
        seen=staff.fingerprint(world.supervisor.staff),
    )
    response = save(admin, world.supervisor, stale_form, role=Role.AGENT)
    page = response.content.decode()
    assert response.status_code == 409
    assert 'id="staff-conflict"' in page and "Billing, Sales" in page
    profile = StaffProfile.objects.get(user=world.supervisor)
    assert profile.role == Role.SUPERVISOR
    assert set(profile.queues.all()) == {world.billing, world.sales}
    # The choices stay on the page; sending them again, knowing, saves them.
    again = rendered_form(page, "staff-form")
    assert again["role"] == Role.AGENT
    assert save(admin, world.supervisor, again).status_code == 302
    profile = StaffProfile.objects.get(user=world.supervisor)
    assert profile.role == Role.AGENT and list(profile.queues.all()) == [world.billing]


def test_only_administrators_change_staff(world):
    for actor in (world.supervisor, world.agent, world.customer_a):
        with pytest.raises(PermissionDenied, match="Only administrators"):
            staff.change_staff(
                actor=actor,
                user=world.other_agent,
                role=Role.ADMIN,
                queues=[],
                is_active=True,
                seen=staff.fingerprint(world.other_agent.staff),
            )
    assert StaffProfile.objects.get(user=world.other_agent).role == Role.AGENT


def test_every_control_of_the_staff_pages_is_labelled(world, as_user):
    admin = as_user(world.admin)
    for url in ("/panel/staff/", "/panel/staff/invite/", f"/panel/staff/{world.agent.pk}/"):
        assert unlabelled_controls(admin.get(url).content.decode()) == [], url


# The old password page


def test_the_old_password_page_sends_staff_to_the_panels(world, as_user):
    response = as_user(world.agent).get("/password/")
    assert response.status_code == 302 and response["Location"] == "/panel/profile/password/"


def test_customers_still_change_their_password_on_the_old_page(world, client: Client):
    client.force_login(world.customer_a)
    response = client.get("/password/")
    assert response.status_code == 200 and 'name="old_password"' in response.content.decode()


def test_the_welcome_page_is_for_staff_only(world):
    """A customer's token (made the same way) does not open the staff page."""
    from frontdesk.welcome import link_for

    path = urlsplit(link_for(world.customer_a)).path
    assert 'id="welcome-link-invalid"' in Client().get(path, follow=True).content.decode()
