"""Two-factor sign-in for staff (S47): set up with an authenticator app, a second step
after the password that nothing gets past, recovery codes, roles that must have it,
and an administrator's reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import AuditCode, AuditEvent
from tests.conftest import set_helpdesk
from tests.panel.helpers import rendered_form
from tests.two_factor_helpers import (
    STEP,
    code_now,
    recovery_codes_on,
    secret_on,
    sign_in,
    signed_in_as,
    turn_on,
    type_code,
)
from tickets.models import HelpdeskSettings


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def codes_of(code: AuditCode) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(code=code).order_by("id"))


# Setting it up


def test_staff_set_it_up_with_the_secret_the_page_shows_and_get_ten_recovery_codes(
    world, client: Client, clock
):
    client.force_login(world.agent)
    page = client.get("/panel/profile/two-factor/set-up/").content.decode()
    assert '<img src="data:image/svg+xml' in page
    secret = secret_on(page)
    form = rendered_form(page, "two-factor-set-up-form")
    response = client.post("/panel/profile/two-factor/set-up/", {**form, "code": code_now(secret)})
    assert response.status_code == 200
    codes = recovery_codes_on(response.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert two_factor.has_two_factor(world.agent)
    [event] = codes_of(AuditCode.TWO_FACTOR_SET_UP)
    assert (event.actor_id, event.person_id) == (world.agent.pk, world.agent.pk)
    # This session showed the code: it goes on working, and My Profile says so.
    profile = client.get("/panel/profile/").content.decode()
    assert "Recovery codes left: 10." in profile


def test_reloading_the_set_up_page_shows_the_same_secret(world, client: Client):
    client.force_login(world.agent)
    first = secret_on(client.get("/panel/profile/two-factor/set-up/").content.decode())
    again = secret_on(client.get("/panel/profile/two-factor/set-up/").content.decode())
    assert first == again


def test_a_wrong_code_does_not_turn_it_on(world, client: Client, clock):
    client.force_login(world.agent)
    page = client.get("/panel/profile/two-factor/set-up/").content.decode()
    wrong = f"{(int(code_now(secret_on(page))) + 1) % 1_000_000:06d}"
    response = client.post(
        "/panel/profile/two-factor/set-up/",
        {**rendered_form(page, "two-factor-set-up-form"), "code": wrong},
    )
    assert response.status_code == 422
    assert "This is not the code your app shows now." in response.content.decode()
    assert not two_factor.has_two_factor(world.agent)
    assert not codes_of(AuditCode.TWO_FACTOR_SET_UP)


# Signing in


def test_the_password_alone_gives_no_session(world, client: Client, clock):
    turn_on(world.agent)
    response = sign_in(client, world.agent.email)
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    assert signed_in_as(client) is None
    assert client.get("/panel/")["Location"].startswith("/login/")
    assert client.get("/password/")["Location"].startswith("/login/")


def test_the_apps_code_signs_in_and_lands_where_the_person_was_going(world, client: Client, clock):
    secret, _ = turn_on(world.agent)
    clock.shift(STEP)
    sign_in(client, world.agent.email, path="/login/?next=/panel/tickets/mine/")
    response = type_code(client, code_now(secret))
    assert response.status_code == 302 and response["Location"] == "/panel/tickets/mine/"
    assert signed_in_as(client) == world.agent.pk
    assert client.get("/panel/tickets/mine/").status_code == 200
    [event] = codes_of(AuditCode.SIGN_IN)
    assert event.detail == "password and authenticator code"


def test_a_code_is_good_only_once(world, client: Client, clock):
    secret, _ = turn_on(world.agent)
    clock.shift(STEP)
    sign_in(client, world.agent.email)
    code = code_now(secret)
    type_code(client, code)
    client.post("/logout/")
    sign_in(client, world.agent.email)
    response = type_code(client, code)
    assert response.status_code == 422
    assert "This code is not right." in response.content.decode()
    assert signed_in_as(client) is None
    [failure] = codes_of(AuditCode.SECOND_STEP_FAILED)
    assert failure.person_id == world.agent.pk and failure.client_address == "127.0.0.1"


def test_a_recovery_code_signs_in_once(world, client: Client, clock):
    _, codes = turn_on(world.agent)
    sign_in(client, world.agent.email)
    response = type_code(client, f"  {codes[3].upper()} ")
    assert response.status_code == 302
    assert signed_in_as(client) == world.agent.pk
    assert two_factor.recovery_codes_left(world.agent) == 9
    assert "9 are left" in client.get("/panel/").content.decode()
    client.post("/logout/")
    sign_in(client, world.agent.email)
    assert type_code(client, codes[3]).status_code == 422
    assert signed_in_as(client) is None


def test_wrong_codes_are_limited_and_the_password_does_not_forgive_them(
    world, client: Client, clock
):
    secret, _ = turn_on(world.agent)
    clock.shift(STEP)
    sign_in(client, world.agent.email)
    for _ in range(3):
        type_code(client, "000000" if code_now(secret) != "000000" else "111111")
    # Typing the password again starts a new second step, with the old failures counted.
    sign_in(client, world.agent.email)
    for _ in range(2):
        type_code(client, "abcdefgh")
    page = type_code(client, code_now(secret)).content.decode()
    assert "Too many wrong codes for this account. Try again in 15 minutes." in page
    assert signed_in_as(client) is None
    clock.shift(timedelta(minutes=15, seconds=1))
    sign_in(client, world.agent.email)
    assert type_code(client, code_now(secret)).status_code == 302


def test_the_second_step_waits_ten_minutes_at_most(world, client: Client, clock):
    secret, _ = turn_on(world.agent)
    sign_in(client, world.agent.email)
    clock.shift(timedelta(minutes=10, seconds=1))
    response = type_code(client, code_now(secret))
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert signed_in_as(client) is None


def test_the_second_step_cannot_be_reached_without_the_password(world, client: Client):
    turn_on(world.agent)
    response = client.post("/login/code/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert signed_in_as(client) is None


def test_the_admin_site_takes_the_same_second_step(world, client: Client, clock):
    secret, _ = turn_on(world.admin)
    clock.shift(STEP)
    response = sign_in(client, world.admin.email, path="/admin/login/?next=/admin/")
    assert response["Location"] == "/login/code/"
    assert signed_in_as(client) is None
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    response = type_code(client, code_now(secret))
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_session_signed_in_without_the_second_step_is_signed_out(world, client: Client):
    turn_on(world.supervisor)
    # As a session from before the set-up (or any way in but the second step).
    client.force_login(world.supervisor)
    response = client.get("/panel/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/panel/")
    assert signed_in_as(client) is None
    client.force_login(world.supervisor)
    assert client.get("/admin/")["Location"].startswith("/login/")
    client.force_login(world.supervisor)
    response = client.get("/panel/tickets/mine/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/login/")


def test_customers_are_never_asked(world, client: Client):
    set_helpdesk(two_factor_agents=True, two_factor_supervisors=True, two_factor_admins=True)
    response = sign_in(client, world.customer_a.email)
    assert response["Location"] == "/"
    assert client.get("/portal/").status_code == 200


# Roles that must have it


def test_staff_whose_role_requires_it_set_it_up_before_anything_else(world, client: Client, clock):
    set_helpdesk(two_factor_agents=True)
    response = sign_in(client, world.agent.email)
    assert response.status_code == 302
    set_up = "/panel/profile/two-factor/set-up/"
    for path in ("/panel/", "/panel/tickets/mine/", "/password/", "/"):
        assert client.get(path, follow=False)["Location"] == set_up, path
    assert client.get("/panel/", headers={"HX-Request": "true"})["HX-Redirect"] == set_up
    page = client.get(set_up).content.decode()
    assert "Your role signs in with two factors" in page
    form = rendered_form(page, "two-factor-set-up-form")
    client.post(set_up, {**form, "code": code_now(secret_on(page))})
    assert client.get("/panel/").status_code == 200
    # Supervisors are not required: theirs goes on as before.
    other = Client()
    other.force_login(world.supervisor)
    assert other.get("/panel/").status_code == 200


def test_signing_out_stays_possible_before_the_set_up(world, client: Client):
    set_helpdesk(two_factor_agents=True)
    client.force_login(world.agent)
    client.post("/logout/")
    assert signed_in_as(client) is None


def test_administrators_choose_the_roles_on_the_settings_page(world, client: Client):
    client.force_login(world.admin)
    page = client.get("/panel/settings/").content.decode()
    form = {**rendered_form(page, "settings-form"), "two_factor_supervisors": "on"}
    assert client.post("/panel/settings/", form).status_code == 302
    row = HelpdeskSettings.load()
    assert (row.two_factor_agents, row.two_factor_supervisors, row.two_factor_admins) == (
        False,
        True,
        False,
    )
    assert two_factor.is_required(world.supervisor)
    assert not two_factor.is_required(world.agent)
    [event] = codes_of(AuditCode.SETTINGS_CHANGED)
    assert event.detail == "Supervisors must sign in with two factors: no → yes"


# My Profile: new recovery codes, turning it off


def test_new_recovery_codes_take_the_password_and_replace_the_old_ones(
    world, client: Client, clock
):
    _, old_codes = turn_on(world.agent)
    client.force_login(world.agent)
    # force_login passed no second step: sign in properly.
    client.logout()
    sign_in(client, world.agent.email)
    type_code(client, old_codes[0])
    url = "/panel/profile/two-factor/recovery-codes/"
    form = rendered_form(client.get(url).content.decode(), "recovery-codes-form")
    refused = client.post(url, {**form, "codes-password": "guess"})
    assert refused.status_code == 422
    assert "This is not your current password." in refused.content.decode()
    assert two_factor.recovery_codes_left(world.agent) == 9
    response = client.post(url, {**form, "codes-password": "secret"})
    new_codes = recovery_codes_on(response.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert two_factor.verify(world.agent, old_codes[1]) is None
    assert two_factor.verify(world.agent, new_codes[1]) is not None
    assert len(codes_of(AuditCode.RECOVERY_CODES_RENEWED)) == 1


def test_turning_it_off_takes_the_password(world, client: Client):
    _, codes = turn_on(world.agent)
    sign_in(client, world.agent.email)
    type_code(client, codes[0])
    url = "/panel/profile/two-factor/remove/"
    form = rendered_form(client.get(url).content.decode(), "two-factor-remove-form")
    assert client.post(url, {**form, "remove-password": "guess"}).status_code == 422
    assert two_factor.has_two_factor(world.agent)
    response = client.post(url, {**form, "remove-password": "secret"})
    assert response.status_code == 302
    assert not two_factor.has_two_factor(world.agent)
    assert two_factor.recovery_codes_left(world.agent) == 0
    assert len(codes_of(AuditCode.TWO_FACTOR_REMOVED)) == 1
    # The session goes on; the next sign-in takes the password alone.
    assert client.get("/panel/").status_code == 200
    client.post("/logout/")
    assert sign_in(client, world.agent.email)["Location"] == "/"


def test_it_cannot_be_turned_off_while_the_role_requires_it(world, client: Client):
    _, codes = turn_on(world.agent)
    set_helpdesk(two_factor_agents=True)
    sign_in(client, world.agent.email)
    type_code(client, codes[0])
    assert "Turn two-factor sign-in off" not in client.get("/panel/profile/").content.decode()
    response = client.post("/panel/profile/two-factor/remove/", {"remove-password": "secret"})
    assert response.status_code == 422
    assert "Your role must sign in with two factors" in response.content.decode()
    assert two_factor.has_two_factor(world.agent)


# An administrator's reset


def test_an_administrator_resets_the_two_factor_sign_in_of_someone_who_lost_their_phone(
    world, client: Client
):
    turn_on(world.agent)
    client.force_login(world.admin)
    page = client.get("/panel/two-factor/").content.decode()
    assert f'id="reset-{world.agent.pk}"' in page
    response = client.post(f"/panel/two-factor/{world.agent.pk}/reset/")
    assert response.status_code == 302
    assert not two_factor.has_two_factor(world.agent)
    [event] = codes_of(AuditCode.TWO_FACTOR_RESET)
    assert (event.actor_id, event.person_id) == (world.admin.pk, world.agent.pk)
    # The agent signs in with the password alone until they set it up again.
    other = Client()
    assert sign_in(other, world.agent.email)["Location"] == "/"


def test_only_administrators_reset_and_not_their_own(world, client: Client):
    turn_on(world.agent)
    turn_on(world.admin)
    client.force_login(world.supervisor)
    assert client.post(f"/panel/two-factor/{world.agent.pk}/reset/").status_code == 403
    assert two_factor.has_two_factor(world.agent)
    with pytest.raises(Exception, match="under My Profile"):
        two_factor.reset(actor=world.admin, user=world.admin)
    assert two_factor.has_two_factor(world.admin)


def test_a_reset_leaves_a_required_person_to_set_it_up_again(world, client: Client):
    set_helpdesk(two_factor_agents=True)
    _, codes = turn_on(world.agent)
    sign_in(client, world.agent.email)
    type_code(client, codes[0])
    assert client.get("/panel/").status_code == 200
    two_factor.reset(actor=world.admin, user=world.agent)
    assert client.get("/panel/")["Location"] == "/panel/profile/two-factor/set-up/"
    assert not TOTPDevice.objects.filter(user=world.agent).exists()
