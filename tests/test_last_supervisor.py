"""S1: there is always an active supervisor (role supervisor or admin), however
one tries to remove, deactivate or demote the last one."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from accounts import staff
from accounts.models import SUPERVISING_ROLES, Role, StaffProfile, User
from accounts.staff import LastSupervisorError
from tests.conftest import SETUP

WHY = "there must always be one who can assign tickets"


def supervising() -> set[str]:
    return set(
        StaffProfile.objects.filter(role__in=SUPERVISING_ROLES, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


@pytest.fixture(params=[Role.SUPERVISOR, Role.ADMIN])
def last(request, world) -> User:
    """The one active supervising person left; both roles count."""
    keep = world.supervisor if request.param == Role.SUPERVISOR else world.admin
    for user in (world.supervisor, world.other_supervisor, world.admin):
        if user != keep:
            staff.change_role(actor=SETUP, profile=user.staff, role=Role.AGENT)
    assert supervising() == {keep.email}
    return User.objects.get(pk=keep.pk)


def assert_refused_because_last(error: LastSupervisorError) -> None:
    assert "last active supervisor" in error.messages[0]
    assert WHY in error.messages[0]


class TestThroughStaffFunctions:
    def test_the_last_supervisor_cannot_be_demoted(self, last):
        with pytest.raises(LastSupervisorError) as refused:
            staff.change_role(actor=SETUP, profile=last.staff, role=Role.AGENT)
        assert_refused_because_last(refused.value)
        assert StaffProfile.objects.get(user=last).role in SUPERVISING_ROLES

    def test_the_last_supervisor_cannot_be_deactivated(self, last):
        with pytest.raises(LastSupervisorError) as refused:
            staff.deactivate(actor=SETUP, user=last)
        assert_refused_because_last(refused.value)
        assert User.objects.get(pk=last.pk).is_active

    def test_the_last_supervisor_cannot_be_removed_from_staff(self, last):
        with pytest.raises(LastSupervisorError) as refused:
            staff.remove_staff(actor=SETUP, user=last)
        assert_refused_because_last(refused.value)
        assert StaffProfile.objects.filter(user=last).exists()

    def test_an_administrator_may_become_a_supervisor_even_when_last(self, world):
        for user in (world.supervisor, world.other_supervisor):
            staff.change_role(actor=world.admin, profile=user.staff, role=Role.AGENT)
        staff.change_role(actor=SETUP, profile=world.admin.staff, role=Role.SUPERVISOR)
        assert supervising() == {world.admin.email}

    def test_with_two_supervisors_one_may_go(self, world):
        staff.change_role(actor=world.admin, profile=world.other_supervisor.staff, role=Role.AGENT)
        staff.deactivate(actor=world.admin, user=world.supervisor)
        assert supervising() == {world.admin.email}

    def test_with_two_supervisors_one_may_be_removed_and_loses_the_admin_site(self, world):
        second_admin = User.objects.create_superuser("root2@frontdesk.example", "secret")
        staff.remove_staff(actor=world.admin, user=second_admin)
        second_admin.refresh_from_db()
        assert second_admin.staff is None
        assert (second_admin.is_staff, second_admin.is_superuser) == (False, False)

    def test_deactivated_supervisors_do_not_count(self, world):
        staff.deactivate(actor=world.admin, user=world.other_supervisor)
        staff.change_role(actor=world.admin, profile=world.supervisor.staff, role=Role.AGENT)
        with pytest.raises(LastSupervisorError):
            staff.change_role(actor=SETUP, profile=world.admin.staff, role=Role.AGENT)

    def test_promoting_somebody_first_lets_the_last_supervisor_step_down(self, last, world):
        staff.change_role(actor=SETUP, profile=world.agent.staff, role=Role.SUPERVISOR)
        staff.change_role(actor=SETUP, profile=last.staff, role=Role.AGENT)
        assert supervising() == {world.agent.email}

    @pytest.mark.parametrize("role", ["supervisor", "agent", "customer_a"])
    def test_only_administrators_change_staff_accounts(self, world, role):
        actor = getattr(world, role)
        with pytest.raises(PermissionDenied):
            staff.change_role(actor=actor, profile=world.agent.staff, role=Role.SUPERVISOR)
        with pytest.raises(PermissionDenied):
            staff.deactivate(actor=actor, user=world.other_agent)
        with pytest.raises(PermissionDenied):
            staff.remove_staff(actor=actor, user=world.other_agent)
        assert StaffProfile.objects.get(user=world.agent).role == Role.AGENT
        assert User.objects.get(pk=world.other_agent.pk).is_active


class TestThroughTheModels:
    """Model signals guard the shell and any code that skips accounts/staff.py."""

    def test_saving_a_demoted_profile_is_refused(self, last):
        profile = StaffProfile.objects.get(user=last)
        profile.role = Role.AGENT
        with pytest.raises(LastSupervisorError):
            profile.save()
        assert StaffProfile.objects.get(user=last).role in SUPERVISING_ROLES

    def test_saving_a_deactivated_user_is_refused(self, last):
        last.is_active = False
        with pytest.raises(LastSupervisorError):
            last.save()
        assert User.objects.get(pk=last.pk).is_active

    @pytest.mark.parametrize("what", ["user", "profile"])
    def test_deleting_the_last_supervisor_is_refused(self, last, what):
        doomed = last if what == "user" else StaffProfile.objects.get(user=last)
        with pytest.raises(LastSupervisorError), transaction.atomic():
            doomed.delete()
        assert StaffProfile.objects.filter(user=last).exists()

    @pytest.mark.parametrize("model", [User, StaffProfile])
    def test_deleting_all_supervisors_at_once_is_refused(self, world, model):
        # Each row alone still sees the others: the whole set must be counted.
        field = "staff_profile__role__in" if model is User else "role__in"
        with pytest.raises(LastSupervisorError), transaction.atomic():
            model.objects.filter(**{field: SUPERVISING_ROLES}).delete()
        assert len(supervising()) == 3

    def test_deleting_all_but_one_at_once_is_allowed(self, world):
        User.objects.filter(pk__in=[world.supervisor.pk, world.other_supervisor.pk]).delete()
        assert supervising() == {world.admin.email}

    def test_saving_a_former_supervisor_who_is_inactive_is_allowed(self, last, world):
        staff.change_role(actor=SETUP, profile=world.agent.staff, role=Role.SUPERVISOR)
        staff.deactivate(actor=SETUP, user=world.agent)
        agent = User.objects.get(pk=world.agent.pk)
        agent.full_name = "Former Agent"
        agent.save()
        StaffProfile.objects.get(user=agent).delete()
        assert supervising() == {last.email}


def admin_form_data(response) -> dict:
    """The POST data the admin page would send back unchanged."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.extend(formset.forms)
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = value
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def admin_client_as_last(client, world):
    """The administrator is signed in and is the last supervising person."""
    for user in (world.supervisor, world.other_supervisor):
        staff.change_role(actor=world.admin, profile=user.staff, role=Role.AGENT)
    client.force_login(world.admin)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:accounts_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(obj) -> str:
    return reverse(f"admin:accounts_{obj._meta.model_name}_delete", args=[obj.pk])


class TestThroughTheDjangoAdmin:
    def test_the_user_form_refuses_to_deactivate_the_last_supervisor(
        self, admin_client_as_last, world
    ):
        url = change_url(world.admin)
        data = admin_form_data(admin_client_as_last.get(url))
        del data["is_active"]
        response = admin_client_as_last.post(url, data)
        assert response.status_code == 200
        assert WHY in response.content.decode()
        assert User.objects.get(pk=world.admin.pk).is_active

    def test_the_user_form_refuses_to_demote_the_last_supervisor(self, admin_client_as_last, world):
        url = change_url(world.admin)
        data = admin_form_data(admin_client_as_last.get(url))
        data["staff_profile-0-role"] = Role.AGENT
        response = admin_client_as_last.post(url, data)
        assert response.status_code == 200
        assert WHY in response.content.decode()
        assert StaffProfile.objects.get(user=world.admin).role == Role.ADMIN

    def test_the_user_form_never_shows_the_password_hash(self, admin_client_as_last, world):
        page = admin_client_as_last.get(change_url(world.admin)).content.decode()
        assert world.admin.password not in page
        assert 'href="../password/"' in page

    def test_the_staff_profile_form_refuses_to_demote_the_last_supervisor(
        self, admin_client_as_last, world
    ):
        url = change_url(world.admin.staff)
        data = admin_form_data(admin_client_as_last.get(url))
        data["role"] = Role.AGENT
        response = admin_client_as_last.post(url, data)
        assert response.status_code == 200
        assert WHY in response.content.decode()
        assert StaffProfile.objects.get(user=world.admin).role == Role.ADMIN

    @pytest.mark.parametrize("what", ["user", "profile"])
    def test_the_delete_view_says_why_and_deletes_nothing(self, admin_client_as_last, world, what):
        obj = world.admin if what == "user" else world.admin.staff
        asked = admin_client_as_last.get(delete_url(obj), follow=True)
        assert asked.redirect_chain[-1][0] == change_url(obj)
        assert WHY in asked.content.decode()
        confirmed = admin_client_as_last.post(delete_url(obj), {"post": "yes"})
        assert confirmed.status_code == 302
        assert any(WHY in message for message in messages_of(confirmed))
        assert StaffProfile.objects.filter(user=world.admin, role=Role.ADMIN).exists()

    @pytest.mark.parametrize("what", ["user", "staffprofile"])
    def test_the_bulk_delete_action_says_why_and_deletes_nothing(
        self, admin_client_as_last, world, what
    ):
        model = User if what == "user" else StaffProfile
        ids = list(model.objects.values_list("pk", flat=True))
        response = admin_client_as_last.post(
            reverse(f"admin:accounts_{what}_changelist"),
            {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        )
        assert response.status_code == 302
        shown = messages_of(response)
        assert any(WHY in message for message in shown)
        assert not any("Successfully deleted" in message for message in shown)
        assert model.objects.count() == len(ids)

    def test_with_two_supervisors_the_admin_deletes_and_deactivates_one(self, client, world):
        client.force_login(world.admin)
        response = client.post(delete_url(world.other_supervisor), {"post": "yes"})
        assert response.status_code == 302
        assert not User.objects.filter(pk=world.other_supervisor.pk).exists()

        url = change_url(world.supervisor)
        data = admin_form_data(client.get(url))
        del data["is_active"]
        assert client.post(url, data).status_code == 302
        assert not User.objects.get(pk=world.supervisor.pk).is_active
        assert supervising() == {world.admin.email}

    def test_a_deleted_admin_profile_takes_the_admin_site_with_it(self, client, world):
        second_admin = User.objects.create_superuser("root2@frontdesk.example", "secret")
        client.force_login(world.admin)
        client.post(delete_url(second_admin.staff), {"post": "yes"})
        second_admin.refresh_from_db()
        assert second_admin.staff is None
        assert (second_admin.is_staff, second_admin.is_superuser) == (False, False)


LAST_ADMIN = "This is the last active administrator"


class TestTheLastAdministratorThroughTheDjangoAdmin:
    """Supervisors remain, but the one administrator may not go: the panel's Staff page
    refuses it (tests/panel/test_staff.py), and so does Django's admin."""

    def test_the_user_form_refuses_to_deactivate_them(self, the_only_admin, world):
        url = change_url(world.admin)
        data = admin_form_data(the_only_admin.get(url))
        del data["is_active"]
        response = the_only_admin.post(url, data)
        assert response.status_code == 200
        assert LAST_ADMIN in response.content.decode()
        assert User.objects.get(pk=world.admin.pk).is_active

    @pytest.mark.parametrize("what", ["user", "profile"])
    def test_the_forms_refuse_to_make_them_a_supervisor(self, the_only_admin, world, what):
        url = change_url(world.admin if what == "user" else world.admin.staff)
        data = admin_form_data(the_only_admin.get(url))
        data["staff_profile-0-role" if what == "user" else "role"] = Role.SUPERVISOR
        response = the_only_admin.post(url, data)
        assert response.status_code == 200
        assert LAST_ADMIN in response.content.decode()
        assert StaffProfile.objects.get(user=world.admin).role == Role.ADMIN

    def test_the_delete_view_says_why_and_deletes_nothing(self, the_only_admin, world):
        confirmed = the_only_admin.post(delete_url(world.admin), {"post": "yes"})
        assert any(LAST_ADMIN in message for message in messages_of(confirmed))
        assert User.objects.filter(pk=world.admin.pk, is_active=True).exists()

    def test_with_a_second_administrator_the_first_may_step_down(self, the_only_admin, world):
        staff.change_role(actor=world.admin, profile=world.supervisor.staff, role=Role.ADMIN)
        url = change_url(world.admin.staff)
        data = admin_form_data(the_only_admin.get(url))
        data["role"] = Role.SUPERVISOR
        assert the_only_admin.post(url, data).status_code == 302
        assert StaffProfile.objects.get(user=world.admin).role == Role.SUPERVISOR


@pytest.fixture
def the_only_admin(client, world):
    """The one administrator, signed in; two supervisors remain."""
    client.force_login(world.admin)
    return client
