from accounts.models import StaffProfile, User
from tests.panel.helpers import rendered_form


def test_my_profile_shows_my_details(world, as_user):
    page = as_user(world.agent).get("/panel/profile/").content.decode()
    assert 'value="agent@frontdesk.example"' in page


def test_staff_change_name_description_e_mail_and_signature(world, as_user):
    response = as_user(world.agent).post(
        "/panel/profile/",
        {
            "full_name": "Ann Lee",
            "description": "billing specialist",
            "email": "Ann@Frontdesk.example",
            "current_password": "secret",
            "signature": "Ann\nProfessional Hosting",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=world.agent.pk)
    profile = StaffProfile.objects.get(user=user)
    assert (user.full_name, user.email) == ("Ann Lee", "ann@frontdesk.example")
    assert (profile.full_name, profile.description) == ("Ann Lee", "billing specialist")
    assert profile.signature == "Ann\nProfessional Hosting"


def test_an_address_somebody_else_signs_in_with_is_refused(world, as_user):
    response = as_user(world.agent).post(
        "/panel/profile/",
        {"full_name": "A", "description": "", "email": "SUPER@frontdesk.example", "signature": ""},
    )
    assert response.status_code == 422
    assert "Somebody else signs in with this address." in response.content.decode()
    assert User.objects.get(pk=world.agent.pk).email == "agent@frontdesk.example"


def test_a_customer_has_no_panel_profile(world, as_user):
    response = as_user(world.customer_a).post(
        "/panel/profile/",
        {"full_name": "Hacker", "description": "", "email": "x@x.example", "signature": ""},
    )
    assert response.status_code == 403
    assert User.objects.get(pk=world.customer_a.pk).full_name != "Hacker"


def password_form(client, **typed: str) -> dict[str, object]:
    """The panel's password form as the page renders it, with ``typed`` over it."""
    page = client.get("/panel/profile/password/").content.decode()
    return {**rendered_form(page, "password-form"), **typed}


def test_staff_change_their_password_in_the_panel_and_stay_signed_in(world, as_user):
    client = as_user(world.agent)
    assert 'href="/panel/profile/password/"' in client.get("/panel/profile/").content.decode()
    page = client.get("/panel/profile/password/").content.decode()
    # The panel's own page, not the Django admin's.
    assert 'id="password-form"' in page and "panel.css" in page
    assert "Django administration" not in page
    form = password_form(
        client,
        old_password="secret",
        new_password1="a-much-Longer-pass-42",
        new_password2="a-much-Longer-pass-42",
    )
    response = client.post("/panel/profile/password/", form)
    assert response.status_code == 302
    assert response["Location"] == "/panel/profile/"
    assert User.objects.get(pk=world.agent.pk).check_password("a-much-Longer-pass-42")
    # update_session_auth_hash: the session that changed it is still signed in.
    assert client.get("/panel/profile/").status_code == 200


def test_the_panel_password_page_keeps_djangos_validators(world, as_user):
    client = as_user(world.agent)
    form = password_form(
        client, old_password="secret", new_password1="password", new_password2="password"
    )
    response = client.post("/panel/profile/password/", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert "This password is too common." in page
    assert User.objects.get(pk=world.agent.pk).check_password("secret")


def test_the_panel_password_page_takes_the_old_password(world, as_user):
    client = as_user(world.agent)
    form = password_form(
        client,
        old_password="guess",
        new_password1="a-much-Longer-pass-42",
        new_password2="a-much-Longer-pass-42",
    )
    response = client.post("/panel/profile/password/", form)
    assert response.status_code == 422
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert User.objects.get(pk=world.agent.pk).check_password("secret")


def test_a_customer_has_no_panel_password_page(world, as_user):
    response = as_user(world.customer_a).post(
        "/panel/profile/password/",
        {
            "old_password": "secret",
            "new_password1": "x-Long-pass-42",
            "new_password2": "x-Long-pass-42",
        },
    )
    assert response.status_code == 403
    assert User.objects.get(pk=world.customer_a.pk).check_password("secret")


def profile_form(client, **typed: str) -> dict[str, object]:
    """My Profile's form as the page renders it, with ``typed`` over it."""
    page = client.get("/panel/profile/").content.decode()
    return {**rendered_form(page, "profile-form"), **typed}


def test_changing_the_e_mail_takes_the_current_password(world, as_user):
    client = as_user(world.agent)
    form = profile_form(client, email="ann@frontdesk.example", current_password="secret")
    assert client.post("/panel/profile/", form).status_code == 302
    assert User.objects.get(pk=world.agent.pk).email == "ann@frontdesk.example"


def test_a_wrong_password_changes_nothing_and_says_so(world, as_user):
    client = as_user(world.agent)
    form = profile_form(
        client, email="thief@evil.example", full_name="Thief", current_password="guess"
    )
    response = client.post("/panel/profile/", form)
    assert response.status_code == 422
    assert "This is not your current password." in response.content.decode()
    user = User.objects.get(pk=world.agent.pk)
    assert (user.email, user.full_name) == ("agent@frontdesk.example", "agent")


def test_the_e_mail_cannot_change_without_the_password(world, as_user):
    client = as_user(world.agent)
    response = client.post("/panel/profile/", profile_form(client, email="thief@evil.example"))
    assert response.status_code == 422
    assert "Type your current password to change your e-mail address." in response.content.decode()
    assert User.objects.get(pk=world.agent.pk).email == "agent@frontdesk.example"


def test_the_rest_of_the_profile_changes_without_the_password(world, as_user):
    client = as_user(world.agent)
    form = profile_form(client, description="night shift")
    assert form["current_password"] == ""
    assert client.post("/panel/profile/", form).status_code == 302
    assert StaffProfile.objects.get(user=world.agent).description == "night shift"


def test_the_old_password_page_takes_the_old_password_of_customers(world, as_user):
    # Staff are sent to the panel's page (tests/panel/test_staff.py).
    client = as_user(world.customer_a)
    response = client.post(
        "/password/",
        {
            "old_password": "guess",
            "new_password1": "a-much-Longer-pass-42",
            "new_password2": "a-much-Longer-pass-42",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert User.objects.get(pk=world.customer_a.pk).check_password("secret")
