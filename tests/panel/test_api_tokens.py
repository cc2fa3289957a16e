"""API tokens in the panel: staff make and revoke their own, administrators an
integration's; a secret is shown once."""

from __future__ import annotations

from accounts import tokens
from accounts.models import ApiToken, TokenKind
from tests.panel.helpers import duplicate_ids, rendered_form, unlabelled_controls

PAGE = "/panel/profile/api-tokens/"


def test_my_profile_links_to_the_tokens(world, as_user):
    page = as_user(world.agent).get("/panel/profile/").content.decode()
    assert f'href="{PAGE}"' in page


def test_staff_make_a_token_and_see_its_secret_once(world, as_user):
    client = as_user(world.agent)
    form = rendered_form(client.get(PAGE).content.decode(), "personal-token-form")
    response = client.post(f"{PAGE}new/", {**form, "personal-name": "laptop scripts"})
    assert response.status_code == 201
    page = response.content.decode()
    token = ApiToken.objects.get(owner=world.agent)
    secret = page.split('id="new-token-secret">', 1)[1].split("<", 1)[0]
    assert tokens.authenticate(secret) == token
    again = client.get(PAGE).content.decode()
    assert secret not in again
    assert "laptop scripts" in again


def test_an_expiry_day_is_kept_and_a_past_one_refused(world, as_user):
    client = as_user(world.agent)
    form = rendered_form(client.get(PAGE).content.decode(), "personal-token-form")
    refused = client.post(
        f"{PAGE}new/", {**form, "personal-name": "old", "personal-expires_on": "2001-01-01"}
    )
    assert refused.status_code == 422
    assert "The expiry must lie in the future." in refused.content.decode()
    made = client.post(
        f"{PAGE}new/", {**form, "personal-name": "x", "personal-expires_on": "2999-01-01"}
    )
    assert made.status_code == 201
    expires_at = ApiToken.objects.get(owner=world.agent).expires_at
    assert expires_at is not None
    assert expires_at.year == 2999


def test_staff_revoke_their_own_token_but_not_somebody_elses(world, as_user):
    mine = tokens.create_personal(actor=world.agent, name="mine").token
    theirs = tokens.create_personal(actor=world.supervisor, name="theirs").token
    client = as_user(world.agent)
    assert client.post(f"{PAGE}{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"{PAGE}{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_the_page_has_no_duplicate_ids_or_unlabelled_controls(world, as_user):
    page = as_user(world.admin).get(PAGE).content.decode()
    assert duplicate_ids(page) == set()
    assert unlabelled_controls(page) == []


def test_only_administrators_see_and_make_integration_tokens(world, as_user):
    assert 'id="integration-token-form"' not in as_user(world.supervisor).get(PAGE).content.decode()
    client = as_user(world.admin)
    form = rendered_form(client.get(PAGE).content.decode(), "integration-token-form")
    response = client.post(
        f"{PAGE}integration/new/",
        {
            **form,
            "integration-name": "billing",
            "integration-queues": [str(world.billing.pk)],
            "integration-can_write": "on",
        },
    )
    assert response.status_code == 201
    token = ApiToken.objects.get(kind=TokenKind.INTEGRATION)
    assert (token.name, token.can_write) == ("billing", True)
    assert list(token.queues.all()) == [world.billing]
    page = client.get(PAGE).content.decode()
    assert "read and change" in page


def test_an_integration_name_with_a_colon_is_refused_on_its_field(world, as_user):
    client = as_user(world.admin)
    form = rendered_form(client.get(PAGE).content.decode(), "integration-token-form")
    response = client.post(
        f"{PAGE}integration/new/",
        {**form, "integration-name": "a:b", "integration-queues": [str(world.billing.pk)]},
    )
    assert response.status_code == 422
    assert "cannot hold a colon" in response.content.decode()


def test_a_supervisor_cannot_post_an_integration_token(world, as_user):
    response = as_user(world.supervisor).post(
        f"{PAGE}integration/new/",
        {"integration-name": "x", "integration-queues": [str(world.billing.pk)]},
    )
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_personal_token_expires_in_ninety_days_unless_its_maker_changes_it(world, as_user):
    from datetime import timedelta

    from django.utils import timezone

    client = as_user(world.supervisor)
    page = client.get(PAGE).content.decode()
    form = rendered_form(page, "personal-token-form")
    in_ninety_days = timezone.localdate() + timedelta(days=90)
    assert form["personal-expires_on"] == in_ninety_days.isoformat()
    assert client.post(f"{PAGE}new/", {**form, "personal-name": "ci"}).status_code == 201
    expires_at = ApiToken.objects.get(owner=world.supervisor).expires_at
    assert expires_at is not None and expires_at.date() >= in_ninety_days
    # Cleared, it does not expire.
    cleared = {**form, "personal-name": "forever", "personal-expires_on": ""}
    assert client.post(f"{PAGE}new/", cleared).status_code == 201
    assert ApiToken.objects.get(owner=world.supervisor, name="forever").expires_at is None


def test_an_integrations_token_has_no_expiry_unless_chosen(world, as_user):
    page = as_user(world.admin).get(PAGE).content.decode()
    assert rendered_form(page, "integration-token-form").get("integration-expires_on", "") == ""
