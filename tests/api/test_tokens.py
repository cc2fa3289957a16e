"""API tokens: hashed, shown once, last used, expiring, revocable; who may make which."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken, AuditCode, AuditEvent
from tests.api.conftest import Api


def test_the_secret_is_stored_only_as_its_hash(world):
    issued = tokens.create_personal(actor=world.agent, name="laptop")
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret.startswith("fd_")
    assert issued.secret not in (row.digest, row.prefix, row.name)
    assert len(row.digest) == 64
    assert tokens.authenticate(issued.secret) == row


def test_a_token_that_differs_in_one_character_is_refused(world, client):
    secret = tokens.create_personal(actor=world.agent, name="laptop").secret
    forged = secret[:-1] + ("a" if secret[-1] != "a" else "b")
    assert tokens.authenticate(forged) is None
    response = Api(client, forged).get("/tickets")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_using_a_token_records_when(world, client):
    issued = tokens.create_personal(actor=world.agent, name="laptop")
    assert issued.token.last_used_at is None
    assert Api(client, issued.secret).get("/tickets").status_code == 200
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_an_expired_token_is_refused(world, client):
    soon = timezone.now() + timedelta(hours=1)
    secret = tokens.create_personal(actor=world.agent, name="day", expires_at=soon).secret
    assert Api(client, secret).get("/tickets").status_code == 200
    with time_machine.travel(soon + timedelta(seconds=1)):
        assert Api(client, secret).get("/tickets").status_code == 401


def test_an_expiry_in_the_past_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        tokens.create_personal(
            actor=world.agent, name="x", expires_at=timezone.now() - timedelta(days=1)
        )
    assert "expires_at" in refused.value.message_dict


def test_a_revoked_token_is_refused_and_audited(world, client):
    issued = tokens.create_personal(actor=world.agent, name="laptop")
    tokens.revoke(actor=world.agent, token=issued.token)
    assert Api(client, issued.secret).get("/tickets").status_code == 401
    assert AuditEvent.objects.filter(code=AuditCode.API_TOKEN_REVOKED, actor=world.agent).exists()


def test_a_deactivated_owner_token_is_refused(world, client):
    secret = tokens.create_personal(actor=world.agent, name="laptop").secret
    world.agent.is_active = False
    world.agent.save()
    assert Api(client, secret).get("/tickets").status_code == 401


def test_customers_have_no_tokens(world):
    with pytest.raises(PermissionDenied):
        tokens.create_personal(actor=world.customer_a, name="mine")


def test_only_administrators_make_integration_tokens(world):
    with pytest.raises(PermissionDenied):
        tokens.create_integration(
            actor=world.supervisor, name="billing", queues=[world.billing], can_write=True
        )
    issued = tokens.create_integration(
        actor=world.admin, name="billing", queues=[world.billing], can_write=True
    )
    assert AuditEvent.objects.filter(code=AuditCode.API_TOKEN_CREATED, actor=world.admin).exists()
    assert issued.token.owner is None


def test_an_integration_needs_a_queue_and_a_name_without_colon(world):
    with pytest.raises(ValidationError):
        tokens.create_integration(actor=world.admin, name="x", queues=[], can_write=True)
    with pytest.raises(ValidationError):
        tokens.create_integration(
            actor=world.admin, name="a:b", queues=[world.billing], can_write=True
        )


def test_nobody_revokes_somebody_elses_personal_token_but_an_administrator(world):
    issued = tokens.create_personal(actor=world.agent, name="laptop")
    with pytest.raises(PermissionDenied):
        tokens.revoke(actor=world.supervisor, token=issued.token)
    tokens.revoke(actor=world.admin, token=issued.token)
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
