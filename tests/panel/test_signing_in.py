from django.test import Client

from accounts.models import User


def test_the_front_page_sends_a_visitor_to_sign_in(client: Client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_the_sign_in_page_asks_for_an_e_mail_address_and_a_password(client: Client, db):
    page = client.get("/login/").content.decode()
    assert "E-mail address" in page and "Password" in page


def test_staff_who_sign_in_land_in_the_panel(client: Client, world):
    response = client.post(
        "/login/", {"username": world.agent.email, "password": "secret"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/panel/"
    assert "Statistics" in response.content.decode()


def test_the_e_mail_address_may_be_typed_in_any_case(client: Client, world):
    response = client.post(
        "/login/", {"username": f"  {world.agent.email.upper()} ", "password": "secret"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.agent.pk)


def test_a_customer_who_signs_in_sees_only_the_tickets_of_their_account(client: Client, world):
    world.ticket(title="Alice's own problem")
    world.ticket(account=world.account_b, title="Bob's secret problem")
    response = client.post(
        "/login/", {"username": world.customer_a.email, "password": "secret"}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "Alice&#x27;s own problem" in page
    assert "Bob" not in page


def test_a_wrong_password_does_not_sign_in(client: Client, world):
    response = client.post("/login/", {"username": world.agent.email, "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_deactivated_person_cannot_sign_in(client: Client, world):
    User.objects.filter(pk=world.other_agent.pk).update(is_active=False)
    client.post("/login/", {"username": world.other_agent.email, "password": "secret"})
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session(client: Client, world):
    client.force_login(world.supervisor)
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/panel/").status_code == 302


def test_the_panel_sends_a_visitor_to_sign_in(client: Client, db):
    response = client.get("/panel/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/panel/")


def test_the_panel_refuses_a_customer(client: Client, world):
    client.force_login(world.customer_a)
    assert client.get("/panel/").status_code == 403


def test_an_htmx_request_without_a_session_is_sent_to_sign_in_as_a_whole_page(client: Client, db):
    response = client.get("/panel/tickets/mine/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/")
