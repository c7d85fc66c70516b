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
def back_to_the_latest_migrations():
    """For a test that migrates an app back and forth: afterwards every app is at its latest migration again.
    Migrating back unapplies the other apps' migrations that depend on the one left, and migrating forward to a
    named migration does not reapply them, so the tests after it would meet a schema without their columns."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


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
# The same rows as COPY data per table, taken once the test database is migrated: a transactional test puts them
# back with one COPY per table instead of Django's object-by-object deserialisation (about 2 s a test, over the
# several hundred browser, concurrency and fault tests).
_SNAPSHOT: dict[str, list[tuple[str, bytes]]] = {}


def _snapshot(connection) -> list[tuple[str, bytes]]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    connection.ensure_connection()
    rows = []
    with connection.connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
            if cursor.fetchone()[0]:
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    rows.append((table, b"".join(bytes(chunk) for chunk in copy)))
    return rows


def _restore_by_copy(original):
    """DatabaseCreation.deserialize_db_from_string for a database whose snapshot was taken: the flushed tables get
    their migrated rows back by COPY, in one transaction (the foreign keys are deferred to its end)."""
    from django.db import transaction

    def restore(self, data):
        snapshot = _SNAPSHOT.get(self.connection.alias)
        if snapshot is None:
            return original(self, data)
        with transaction.atomic(using=self.connection.alias), self.connection.connection.cursor() as cursor:
            # Only flushed tables take a COPY; the first transactional test finds the migrated rows still
            # there, and Django's own loading (which saves over existing rows) handles that case.
            cursor.execute("SELECT " + " OR ".join(f'EXISTS (SELECT 1 FROM "{table}")' for table, _ in snapshot))
            if cursor.fetchone()[0]:
                return original(self, data)
            for table, rows in snapshot:
                with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(rows)

    return restore


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the migration-seeded rows Django serialised at setup (the country, code lists, policies), for the
    transactional tests that put them back with serialized_rollback."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            _SERIALIZED[alias] = contents
            if connections[alias].vendor == "postgresql":
                with django_db_blocker.unblock():
                    _SNAPSHOT[alias] = _snapshot(connections[alias])
    creation = type(connections["default"].creation)
    original = creation.deserialize_db_from_string
    creation.deserialize_db_from_string = _restore_by_copy(original)
    yield
    creation.deserialize_db_from_string = original


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
