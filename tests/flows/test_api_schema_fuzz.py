"""Schemathesis against the live schema: every operation gets two generated requests (fixed seed, bounded),
sent by an integration client holding every scope; no answer is a 5xx and every answer matches the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from congress import services
from tests import factories
from tests.deputies.factories import MandateFactory, current_term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connection_outlives_requests():
    """As Django's test client does: the test's transaction must outlive each request the app serves."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db):
    congress = factories.CongressFactory()
    current_term(congress)
    MandateFactory(congress=congress)
    scopes = [value for value, _label in services.api_scopes()]
    _client, token = services.create_api_client(actor=None, name="fuzz", congress=congress, scopes=scopes,
                                                rate_per_minute=100_000, owner=factories.UserFactory())  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


def _load():
    from congress.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = _load()


@schema.parametrize()
@settings(max_examples=2, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(case, bearer):
    response = case.call(headers=bearer)
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                             response_schema_conformance])  # fmt: skip
