"""schemathesis (PyPI) tries every operation of the OpenAPI schema with generated
requests, valid and invalid, through the WSGI application: none may answer 500
and every answer must fit the schema it documents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from accounts import tokens
from tests.conftest import upload

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(world, media_root, settings) -> Iterator[schemathesis.BaseSchema]:
    settings.API_RATE_LIMIT = 0
    # The WSGI handler closes the connection after each request, as in production;
    # inside a test's transaction it must stay open (Django's test client does this).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    world.ticket(world.billing, attachments=[upload("a.txt", b"hello")])
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(world) -> str:
    return tokens.create_personal(actor=world.admin, name="fuzz").secret


@pytest.fixture
def integration_token(world) -> str:
    issued = tokens.create_integration(
        actor=world.admin, name="fuzz", queues=[world.billing], can_write=True
    )
    return issued.secret


CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
# A few examples per operation and token keep the run under a minute.
FEW = settings(
    max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@schema.parametrize()
@FEW
def test_no_operation_fails_or_breaks_its_schema_for_staff(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)


@schema.parametrize()
@settings(FEW, max_examples=4)
def test_no_operation_fails_or_breaks_its_schema_for_an_integration(case, integration_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {integration_token}"}, checks=CHECKS)
