"""Every address against every kind of user: allowed or denied, as tests/flows/permission_matrix.py says.

PM_LOG=<file> appends every cell's expected and actual outcome to the file (a readable table of the whole matrix).

The world is built once for the module inside a transaction that is rolled back at the end; each cell runs in a
savepoint of its own, so an action one cell takes is gone before the next."""

import json
import os
import time

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from congress.errors import DomainError, Forbidden
from liaison_stations import views as station_views

from . import permission_matrix as pm
from . import permission_world as pw

ROWS = pm.table()
CELLS = [pytest.param(row, role, id=f"{row.id}-{role}") for row in ROWS for role in row.roles]
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A console object page answers an object the user cannot see with a redirect to the console's index.
OBJECT_PAGES = ("_change", "_history", "_delete", "_auditlog")
DENY_PATHS = ("/accounts/login/", "/console/login/", "/accounts/two-factor/")


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    served = pm.patterns()
    rows = {row.key for row in ROWS}
    missing = sorted(set(served) - rows)
    stale = sorted(rows - set(served))
    assert not missing, f"URL patterns without a row in tests/flows/permission_matrix.py: {missing}"
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


def test_each_row_key_names_one_address():
    twice = {key: sorted(routes) for key, routes in pm.patterns().items() if len(set(map(pm.bare_route, routes))) > 1}
    assert not twice, f"one name for several addresses, so one row cannot stand for them: {twice}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        # Frozen: sessions never idle out however long the run, and nothing ticks between build and request.
        traveller = time_machine.travel(pw.NOW, tick=False)
        traveller.start()
        atomic = transaction.atomic()
        atomic.__enter__()
        # Like Django's TestCase: services that insist on an outermost transaction accept this one.
        connection.atomic_blocks[-1]._from_testcase = True
        try:
            with translation.override("en"), override_settings(PASSWORD_HASHERS=FAST_HASHER):
                world = pw.build()
            world.cookies = _sessions(world)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            traveller.stop()
            media.disable()


def _sessions(world) -> dict:
    cookies = {}
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies
    citizen = Client()
    session = citizen.session
    session["cases_phone"] = {"hash": _phone_hash(pw.PHONE), "until": time.time() + 24 * 3600}
    session.save()
    citizen.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    # The thanks page reads the code it gave from a signed cookie, as the opinion form sets it.
    signer = signing.get_cookie_signer(salt=station_views.CODE_COOKIE + station_views.CODE_SALT)
    citizen.cookies[station_views.CODE_COOKIE] = signer.sign(world.o.opinion.tracking_code)
    cookies[pm.CITIZEN] = citizen.cookies
    return cookies


def _phone_hash(phone):
    from cases import services

    return services.phone_hash(phone)


def _client(world, row, role) -> Client:
    client = Client()
    if role in world.cookies:
        for name, morsel in world.cookies[role].items():
            client.cookies[name] = morsel.value
    token = None
    if role == pm.TOKEN:
        token = world.clients["all"].token
    elif role in pm.CLIENTS:
        token = world.clients[_client_name(row, role)].token
    if token:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def _client_name(row, role) -> str:
    if role == pm.CLIENT_B:
        return "county b"
    if role == pm.CLIENT_NONE:
        return "none"
    if row.area is None:
        return "all" if role == pm.CLIENT else "none"
    needed = f"{row.area}:{'read' if row.method == 'GET' else 'write'}"
    return f"only {needed}" if role == pm.CLIENT else f"all but {needed}"


def _url(row, o) -> str:
    if row.path is not None:
        return row.path(o)
    return reverse(row.key, kwargs=row.kwargs(o) if row.kwargs else None)


@pytest.fixture
def _django_db_helper(world, django_db_blocker):
    """Each cell in a savepoint of the world's transaction, rolled back after it. This replaces pytest-django's
    per-test TestCase, whose set-up and deferred-constraint check would be a third of every cell's queries."""
    with django_db_blocker.unblock(), transaction.atomic():
        connection.atomic_blocks[-1]._from_testcase = True
        yield
        transaction.set_rollback(True)


@pytest.fixture
def cell(world, monkeypatch):
    """The rate-limit counters cleared, and a record of the domain errors raised."""
    raised = []
    original = DomainError.__init__

    def recording(self, *args, **kwargs):
        raised.append(type(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(DomainError, "__init__", recording)
    cache.clear()
    return world, raised


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CELLS)
def test_permission(cell, row, role):
    world, raised = cell
    o = world.o
    client = _client(world, row, role)
    url = _url(row, o)
    query = row.query(o) if row.query else None
    if row.method == "GET":
        response = client.get(url, query)
    elif row.kind == "api" and not row.multipart:
        send = getattr(client, row.method.lower())
        response = send(url, json.dumps(row.data(o) if row.data else {}), content_type="application/json")
    else:
        response = client.post(url, row.data(o) if row.data else {})
    outcome, why = verdict(row, response, raised, o)
    expected = "allow" if role in row.allow else "deny"
    if os.environ.get("PM_LOG"):
        with open(os.environ["PM_LOG"], "a") as log:
            log.write(f"{row.id}\t{role}\t{expected}\t{outcome}\t{why[:200]!r}\n")
    assert outcome == expected, (
        f"{row.id} as {role}: expected {expected}, got {outcome} ({why}){_note(row)}: {_body(response)}"
    )


def _note(row):
    return f" — {row.note}" if row.note else ""


def verdict(row, response, raised, o) -> tuple[str, str]:
    status = response.status_code
    if status in (401, 403, 404):
        return "deny", str(status)
    if status in (301, 302, 303, 307, 308) and not row.redirects:
        location = response["Location"]
        if location.startswith(DENY_PATHS):
            return "deny", f"redirect to {location}"
        if row.key.endswith(OBJECT_PAGES) and location == reverse("admin:index"):
            return "deny", "redirect to the console index (no such object for this user)"
    if any(issubclass(kind, Forbidden) for kind in raised):
        return "deny", f"{status} after Forbidden"
    if row.method == "GET":
        if not (200 <= status < 400 or status in row.statuses):
            return f"error {status}", _body(response)
        if row.sees is not None and 200 <= status < 300 and not _sees(row, response, o):
            return "deny", f"{status} without the marked object"
        return "allow", str(status)
    ruled = any(not issubclass(kind, Forbidden) for kind in raised)
    if status in (400, 409, 422) or 200 <= status < 400:
        if row.validation_denies and not ruled and _refused_by_validation(response):
            return "deny", f"{status} refused by validation"
        return "allow", f"{status}{' after a rule' if ruled else ''}"
    return f"error {status}", _body(response)


def _sees(row, response, o) -> bool:
    marker = row.sees(o)
    if row.kind == "api":
        data = response.json()
        items = data.get("results", data) if isinstance(data, dict) else data
        return any(isinstance(item, dict) and item.get(row.sees_key) == marker for item in items)
    return str(marker) in response.content.decode("utf-8", "replace")


def _refused_by_validation(response) -> bool:
    if response.status_code == 400:
        return True
    request = response.wsgi_request
    storage = getattr(request, "_messages", None)
    if storage is not None:
        kept = [*getattr(storage, "_loaded_messages", []), *getattr(storage, "_queued_messages", [])]
        if any(message.level >= 40 for message in kept):
            return True
    for context in response.context or []:
        for value in context.flatten().values():
            if getattr(value, "is_bound", False) and getattr(value, "errors", None):
                return True
    return False


def _body(response) -> str:
    content = getattr(response, "content", b"")[:300]
    return content.decode("utf-8", "replace")
