"""The audit log (S47): sign-ins, failures and sign-outs from Django's signals, what
administrators change in the panel and in the Django admin, and the page that
shows it to administrators."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from accounts import audit, staff
from accounts.models import AuditCode, AuditEvent, Role, StaffProfile, User
from mail.models import Mailbox
from tests.panel.helpers import rendered_form
from tests.two_factor_helpers import sign_in, turn_on, type_code
from tickets.models import Queue

WRONG = "hunter2-not-the-password"


def entries(code: AuditCode) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(code=code).order_by("id"))


def every_value_of(event: AuditEvent) -> str:
    return " ".join(str(getattr(event, field.attname)) for field in AuditEvent._meta.fields)


def admin_form(client: Client, url: str, form_id: str, **typed: object) -> dict[str, object]:
    """A Django admin form as its page renders it, with ``typed`` over it."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return {**rendered_form(page.content.decode(), form_id), **typed}


# Signing in and out


def test_a_sign_in_is_recorded_with_the_client_address(world, client: Client):
    page = client.get("/login/").content.decode()
    form = {**rendered_form(page, "sign-in-form"), "username": world.agent.email}
    client.post("/login/", {**form, "password": "secret"}, REMOTE_ADDR="203.0.113.7")
    [event] = entries(AuditCode.SIGN_IN)
    assert (event.actor_id, event.person_id) == (world.agent.pk, world.agent.pk)
    assert (event.actor_name, event.client_address) == (world.agent.email, "203.0.113.7")
    assert event.detail == "password"


def test_a_failed_sign_in_keeps_the_address_typed_and_never_the_password(world, client: Client):
    page = client.get("/login/").content.decode()
    form = rendered_form(page, "sign-in-form")
    for typed in ("Agent@Frontdesk.example", "nobody@example.com"):
        client.post(
            "/login/", {**form, "username": typed, "password": WRONG}, REMOTE_ADDR="2001:db8::5"
        )
    known, unknown = entries(AuditCode.SIGN_IN_FAILED)
    assert (known.person_id, known.person_email) == (world.agent.pk, "agent@frontdesk.example")
    assert known.detail == "wrong password" and known.actor_id is None
    assert (unknown.person_id, unknown.person_email) == (None, "nobody@example.com")
    assert unknown.detail == "nobody signs in with this address"
    # The whole address, not the /64 network the sign-in limit counts.
    assert known.client_address == "2001:db8::5"
    for event in AuditEvent.objects.all():
        assert WRONG not in every_value_of(event)
        assert "secret" not in every_value_of(event)


def test_a_failed_admin_sign_in_is_recorded_too(world, client: Client):
    sign_in(client, world.admin.email, WRONG, path="/admin/login/")
    [event] = entries(AuditCode.SIGN_IN_FAILED)
    assert event.person_id == world.admin.pk


def test_signing_out_is_recorded(world, client: Client):
    client.force_login(world.supervisor)
    client.post("/logout/")
    [event] = entries(AuditCode.SIGN_OUT)
    assert event.actor_id == world.supervisor.pk


def test_a_wrong_second_step_code_is_recorded_without_the_code(world, client: Client):
    turn_on(world.agent)
    sign_in(client, world.agent.email)
    type_code(client, "987654")
    [event] = entries(AuditCode.SECOND_STEP_FAILED)
    assert event.person_id == world.agent.pk
    assert "987654" not in every_value_of(event)
    assert not entries(AuditCode.SIGN_IN)


# Changes administrators make


def test_role_changes_and_deactivation_through_the_write_functions_are_recorded(world):
    staff.change_role(actor=world.admin, profile=world.agent.staff, role=Role.SUPERVISOR)
    staff.deactivate(actor=world.admin, user=world.other_agent)
    [role] = entries(AuditCode.ROLE_CHANGED)
    assert (role.actor_id, role.person_id, role.detail) == (
        world.admin.pk,
        world.agent.pk,
        "Agent → Supervisor",
    )
    [off] = entries(AuditCode.USER_DEACTIVATED)
    assert (off.actor_id, off.person_id) == (world.admin.pk, world.other_agent.pk)


def test_a_role_changed_in_the_django_admin_is_recorded(world, client: Client):
    client.force_login(world.admin)
    profile = StaffProfile.objects.get(user=world.agent)
    url = f"/admin/accounts/staffprofile/{profile.pk}/change/"
    form = admin_form(client, url, "staffprofile_form", role="admin")
    assert client.post(url, form, REMOTE_ADDR="198.51.100.2").status_code == 302
    [role] = entries(AuditCode.ROLE_CHANGED)
    assert (role.actor_id, role.person_id) == (world.admin.pk, world.agent.pk)
    assert (role.detail, role.client_address) == ("Agent → Administrator", "198.51.100.2")
    [changed] = entries(AuditCode.STAFF_CHANGED)
    assert changed.detail == "Changed Role."


def test_deactivating_and_a_role_on_the_user_page_of_the_django_admin_are_recorded(
    world, client: Client
):
    client.force_login(world.admin)
    url = f"/admin/accounts/user/{world.other_agent.pk}/change/"
    form = admin_form(client, url, "user_form", **{"staff_profile-0-role": "supervisor"})
    del form["is_active"]
    assert client.post(url, form).status_code == 302
    assert not User.objects.get(pk=world.other_agent.pk).is_active
    [off] = entries(AuditCode.USER_DEACTIVATED)
    [role] = entries(AuditCode.ROLE_CHANGED)
    [changed] = entries(AuditCode.USER_CHANGED)
    assert off.person_id == role.person_id == changed.person_id == world.other_agent.pk
    assert role.detail == "Agent → Supervisor"
    assert "Changed Is active." in changed.detail


def test_people_added_and_deleted_in_the_django_admin_are_recorded(world, client: Client):
    client.force_login(world.admin)
    form = admin_form(
        client,
        "/admin/accounts/user/add/",
        "user_form",
        email="new@frontdesk.example",
        password1="a-Long-pass-4711",
        password2="a-Long-pass-4711",
    )
    assert client.post("/admin/accounts/user/add/", form).status_code == 302
    newcomer = User.objects.get(email="new@frontdesk.example")
    client.post(f"/admin/accounts/user/{newcomer.pk}/delete/", {"post": "yes"})
    [added] = entries(AuditCode.USER_ADDED)
    [deleted] = entries(AuditCode.USER_DELETED)
    assert added.person_email == deleted.person_email == "new@frontdesk.example"
    # The entry outlives the person.
    assert deleted.person_id is None and not User.objects.filter(pk=newcomer.pk).exists()


def test_mailbox_changes_in_the_django_admin_are_recorded(world, client: Client):
    client.force_login(world.admin)
    form = admin_form(
        client,
        "/admin/mail/mailbox/add/",
        "mailbox_form",
        name="Support",
        host="imap.example.com",
        username="support",
        password="mailbox-password",
    )
    assert client.post("/admin/mail/mailbox/add/", form).status_code == 302
    mailbox = Mailbox.objects.get(name="Support")
    url = f"/admin/mail/mailbox/{mailbox.pk}/change/"
    client.post(url, admin_form(client, url, "mailbox_form", host="mail.example.com"))
    client.post(f"/admin/mail/mailbox/{mailbox.pk}/delete/", {"post": "yes"})
    added, changed, deleted = (
        entries(AuditCode.MAILBOX_ADDED)
        + entries(AuditCode.MAILBOX_CHANGED)
        + entries(AuditCode.MAILBOX_DELETED)
    )
    assert added.target == changed.target == deleted.target == "mailbox “Support”"
    assert changed.detail == "Changed Host."
    assert all(event.actor_id == world.admin.pk for event in (added, changed, deleted))
    for event in AuditEvent.objects.all():
        assert "mailbox-password" not in every_value_of(event)


def test_queue_configuration_in_the_panel_is_recorded(world, client: Client):
    client.force_login(world.admin)
    page = client.get("/panel/queues/new/").content.decode()
    form = {**rendered_form(page, "queue-form"), "name": "Refunds", "addresses": "r@x.example"}
    assert client.post("/panel/queues/new/", form).status_code == 302
    queue = Queue.objects.get(name="Refunds")
    url = f"/panel/queues/{queue.pk}/"
    page = client.get(url).content.decode()
    client.post(url, {**rendered_form(page, "queue-form"), "name": "Refunds and credits"})
    url = f"/panel/queues/{queue.pk}/delete/"
    page = client.get(url).content.decode()
    client.post(url, {**rendered_form(page, "queue-delete-form"), "tickets": "delete"})
    [added] = entries(AuditCode.QUEUE_ADDED)
    [changed] = entries(AuditCode.QUEUE_CHANGED)
    [deleted] = entries(AuditCode.QUEUE_DELETED)
    assert added.target == "queue “Refunds”"
    assert changed.detail == "Name: Refunds → Refunds and credits"
    assert (deleted.target, deleted.detail) == ("queue “Refunds and credits”", "0 tickets deleted")


def test_saving_the_settings_unchanged_records_nothing(world, client: Client):
    client.force_login(world.admin)
    page = client.get("/panel/settings/").content.decode()
    assert client.post("/panel/settings/", rendered_form(page, "settings-form")).status_code == 302
    assert not entries(AuditCode.SETTINGS_CHANGED)


def test_the_code_is_constrained_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(code="made_up")


# The page


def test_administrators_read_the_log_newest_first(world, client: Client):
    audit.record(AuditCode.SIGN_IN_FAILED, actor=None, person_email="first@example.com")
    audit.record(AuditCode.SIGN_IN_FAILED, actor=None, person_email="second@example.com")
    client.force_login(world.admin)
    page = client.get("/panel/audit/").content.decode()
    assert page.index("second@example.com") < page.index("first@example.com")
    assert 'id="nav-audit-log"' in page


def test_the_log_is_filtered_by_what_and_by_person(world, client: Client):
    audit.record(AuditCode.SIGN_OUT, actor=world.agent, person=world.agent)
    audit.record(AuditCode.ROLE_CHANGED, actor=world.admin, person=world.supervisor)
    audit.record(AuditCode.SIGN_OUT, actor=world.supervisor, person=world.supervisor)
    client.force_login(world.admin)
    page = client.get("/panel/audit/", {"code": "sign_out"}).content.decode()
    assert page.count('class="audit-sign_out"') == 2
    assert 'class="audit-role_changed"' not in page
    page = client.get("/panel/audit/", {"person": "SUPER@"}).content.decode()
    assert page.count('class="audit-') == 2
    page = client.get("/panel/audit/", {"code": "sign_out", "person": "super@"}).content.decode()
    assert page.count('class="audit-') == 1


def test_the_log_is_paged_and_the_pages_keep_the_filter(world, client: Client):
    for number in range(60):
        audit.record(AuditCode.SIGN_IN_FAILED, actor=None, person_email=f"n{number}@example.com")
    client.force_login(world.admin)
    page = client.get("/panel/audit/", {"code": "sign_in_failed"}).content.decode()
    assert page.count('class="audit-sign_in_failed"') == 50
    assert 'href="?code=sign_in_failed&amp;page=2"' in page
    second = client.get("/panel/audit/?code=sign_in_failed&page=2").content.decode()
    assert second.count('class="audit-sign_in_failed"') == 10
    assert "n0@example.com" in second


def test_what_a_client_typed_is_shown_as_text(world, client: Client):
    audit.record(
        AuditCode.SIGN_IN_FAILED,
        actor=None,
        person_email="<script>alert(1)</script>\u202egpj.exe\x00@example.com",
    )
    client.force_login(world.admin)
    page = client.get("/panel/audit/").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;⟨U+202E⟩gpj.exe@example.com" in page


@pytest.mark.parametrize("person", ["agent", "supervisor", "customer_a"])
def test_only_administrators_read_the_log(world, client: Client, person):
    client.force_login(getattr(world, person))
    assert client.get("/panel/audit/").status_code == 403
