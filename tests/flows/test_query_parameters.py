"""Every address that reads query parameters, sent values that are not what it reads: no answer is a 5xx.

The addresses are the permission matrix's GET rows (tests/flows/permission_matrix.py), each asked as a role the
matrix allows, over the matrix's world. The parameters of a row: for an API route, the query parameters its
published schema lists (docs/api/openapi-v1.json); for a page or a console list, every field of the page's own
GET forms and every parameter of its links back to itself, as it rendered for that role, plus the names its view's
module reads from the query string. Each parameter alone gets each of the garbage values below."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import resolve

from . import permission_matrix as pm
from . import test_permission_matrix as matrix

# The matrix's world, built once for this module too, and its per-request savepoint and cleared rate limits.
world = matrix.world
_django_db_helper = matrix._django_db_helper
cell = matrix.cell

ROOT = Path(__file__).resolve().parents[2]
GARBAGE = ["abc", "1.5", "99999999999999999999", "-1", "²"]
SCHEMA = json.loads((ROOT / "docs" / "api" / "openapi-v1.json").read_text())
# request.GET.get("x"), query_params.get("x"), and the shared readers: params.identifier(request.GET, "x").
READS = re.compile(r"(?:GET|query_params|POST|params)\.get\(\s*\"(\w+)\"|params\.\w+\([\w.]+, \"(\w+)\"")
# Who asks: the staff see the most of county A; the API through a client holding the row's scope.
PREFERRED = [
    pm.STAFF_A,
    pm.PROV,
    pm.SUP,
    pm.DEP_A,
    pm.UNIT_A,
    pm.MANAGER,
    pm.CITIZEN,
    pm.ANON,
    pm.STAFF_B,
    pm.DEP_B,
    pm.UNIT_B,
]
ROWS = [row for row in pm.table() if row.method == "GET" and (row.kind != "console" or row.key.endswith("_changelist"))]


def _role(row):
    if row.kind == "api":
        return pm.CLIENT
    # A row no one may read (a console list of records only the system writes) is still asked, as county A's staff.
    return next((role for role in PREFERRED if role in row.allow), pm.STAFF_A)


def _schema_parameters(path: str) -> set:
    for template, operations in SCHEMA["paths"].items():
        pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and "get" in operations:
            return {p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"}
    return set()


class _Offered(HTMLParser):
    """The names a page offers for its own query string: its GET forms' fields and its links' parameters."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.names = set()
        self.in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self.in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])
        elif tag == "a" and attrs.get("href"):
            link = urlsplit(attrs["href"])
            if link.path in ("", self.path):
                self.names |= {name for name, _value in parse_qsl(link.query, keep_blank_values=True)}

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def _module_reads(path: str) -> set:
    match = resolve(path)
    view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None) or match.func
    module = __import__(view.__module__, fromlist=["_"])
    source = Path(module.__file__).read_text()
    # params.year(request.GET) reads "year" by default.
    return {name for pair in READS.findall(source) for name in pair if name} | (
        {"year"} if "params.year(" in source else set()
    )


def _parameters(row, client, path, query) -> set:
    if row.kind == "api":
        return _schema_parameters(path)
    names = _module_reads(path)
    response = client.get(path, query)
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        offered = _Offered(path)
        offered.feed(response.content.decode("utf-8", "replace"))
        names |= offered.names
    return names - {"csrfmiddlewaretoken", "next"}


@pytest.mark.django_db
@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in ROWS])
def test_no_parameter_value_makes_an_address_fail(cell, row):
    world, _raised = cell
    role = _role(row)
    client = matrix._client(world, row, role)
    client.raise_request_exception = False
    path = matrix._url(row, world.o)
    query = dict(row.query(world.o)) if row.query else {}
    failures = []
    for name in sorted(_parameters(row, client, path, query)):
        for value in GARBAGE:
            response = client.get(path, {**query, name: value})
            if response.status_code >= 500:
                failures.append(f"{name}={value}: {response.status_code}")
    assert not failures, f"{path} as {role}: {failures}"


@pytest.mark.django_db
def test_a_year_that_is_not_one_is_named_in_the_api_error(cell):
    world, _raised = cell
    row = next(row for row in ROWS if row.key == "mandate-points")
    client = matrix._client(world, row, pm.CLIENT)
    response = client.get(matrix._url(row, world.o), {"year": "abc"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert list(response.json()["error"]["fields"]) == ["year"]
    assert client.get(matrix._url(row, world.o), {"year": "2026"}).status_code == 200


@pytest.mark.django_db
def test_a_year_that_is_not_one_is_a_400_page(cell):
    world, _raised = cell
    row = next(row for row in ROWS if row.key == "deputies:my_record")
    client = matrix._client(world, row, pm.DEP_A)
    assert client.get(matrix._url(row, world.o), {"year": "abc"}).status_code == 400
    assert client.get(matrix._url(row, world.o), {"year": "2026"}).status_code == 200
