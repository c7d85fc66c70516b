"""What the API sends is what its published schema says, for real records: every GET operation is asked of the
permission matrix's world (a province with a record in every area and state) by a provincial client holding every
scope, the records' own ids filling the path, and each answer is checked against the schema (status, content
type, body). Generated requests (test_api_schema_fuzz.py) rarely hit a record; this reads every one of them."""

import re

import pytest
import schemathesis
from django.core.cache import cache
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from . import test_permission_matrix as matrix

# The matrix's world, built once for the module, each test in a savepoint of its transaction.
world = matrix.world
_django_db_helper = matrix._django_db_helper

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _load():
    from congress.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


SCHEMA = _load()
READS = sorted(
    (operation for operation in (result.ok() for result in SCHEMA.get_all_operations()) if operation.method == "get"),
    key=lambda operation: operation.path,
)


@pytest.fixture(autouse=True)
def _connection_outlives_requests():
    """The world's transaction must outlive each request the app serves (as Django's test client arranges)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()  # the clients' rate counters
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _headers(world) -> dict:
    return {"Authorization": f"Bearer {world.clients['all'].token}"}


def _ids(world, list_path: str) -> list:
    """The ids the list at list_path shows (its first page), for the record operations under it. Asked through the
    same WSGI call as the operations: Django's test client would reconnect the signal that closes connections."""
    [listing] = [operation for operation in READS if operation.path == list_path]
    answer = listing.Case().call(headers=_headers(world))
    assert answer.status_code == 200, f"{list_path} answered {answer.status_code}"
    body = answer.json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    return [row["id"] for row in rows if isinstance(row, dict) and "id" in row][:3]


@pytest.mark.django_db
@pytest.mark.parametrize("operation", READS, ids=lambda operation: operation.path)
def test_every_read_sends_what_the_schema_says(world, operation):
    parameters = re.findall(r"{(\w+)}", operation.path)
    if not parameters:
        cases = [operation.Case()]
    else:
        assert parameters == ["id"], f"{operation.path}: a path parameter this test cannot fill"
        ids = _ids(world, operation.path.split("{id}")[0])
        assert ids, f"the world has no record to read under {operation.path}: give it one"
        cases = [operation.Case(path_parameters={"id": pk}) for pk in ids]
    for case in cases:
        response = case.call(headers=_headers(world))
        case.validate_response(response, checks=CHECKS)
