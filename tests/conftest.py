import pytest
from django.conf import settings as django_settings

from congress.celery import app as celery_app
from congress.notifications import LocmemSmsBackend


@pytest.fixture(autouse=True)
def _no_quiet_hours(monkeypatch):
    """A test run may fall at any hour, so texts are not held at night unless a test asks for the quiet hours
    (the `quiet_hours` fixture of tests/congress/test_sms_limits.py puts the registry's defaults back)."""
    from dataclasses import replace

    from congress import policies

    start = policies.REGISTRY["sms.quiet_from_hour"]
    monkeypatch.setitem(policies.REGISTRY, "sms.quiet_until_hour", replace(start, key="sms.quiet_until_hour"))


@pytest.fixture(autouse=True)
def _fast_and_local(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "tests.sms.DeliveringSmsBackend"
    settings.SECURE_SSL_REDIRECT = False
    # Staff log in with a password alone; tests/congress/test_two_factor.py turns the second factor on.
    settings.STAFF_TWO_FACTOR = False
    LocmemSmsBackend.outbox = []
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def as_user(api_client):
    """The API client signed in as a user: `as_user(user).get(...)`."""

    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def pytest_report_header(config):
    return (
        f"database: {django_settings.DATABASES['default']['ENGINE']} {django_settings.DATABASES['default'].get('NAME')}"
    )


_SERIALIZED: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the migration-seeded rows Django serialised at setup (the country, code lists, policies), for the
    transactional tests that put them back with serialized_rollback."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            _SERIALIZED[alias] = contents
    yield


def give_serialized_rows_to_connections():
    """Once Playwright runs its event loop in this thread, Django hands the tests a new connection object, which
    lacks the serialised rows; without them the next transactional test would start from empty tables."""
    if _SERIALIZED:
        from django.db import connections

        for alias, contents in _SERIALIZED.items():
            if not hasattr(connections[alias], "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _serialized_rows_on_every_connection():
    give_serialized_rows_to_connections()


def _flushes_without_restoring(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return "transactional_db" in item.fixturenames or "live_server" in item.fixturenames
    transactional = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    return bool(transactional) and not marker.kwargs.get("serialized_rollback", False)


def pytest_collection_modifyitems(config, items):
    """A transactional test ends with a flush. Without serialized_rollback the flush loses the migration-seeded
    rows and recreates the content types under new ids, so whichever test runs next, in random order, fails at
    setup. Refuse such a test at collection, where it is plain which one it is."""
    offenders = [item.nodeid for item in items if _flushes_without_restoring(item)]
    if offenders:
        raise pytest.UsageError(
            "transactional tests must also set serialized_rollback=True:\n  " + "\n  ".join(offenders)
        )
