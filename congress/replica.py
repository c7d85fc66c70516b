"""Heavy reads on a streaming read replica (DATABASE_REPLICA_URL), chosen explicitly, never by guess.

Only code inside `reads()` (a context manager and a view decorator) may read from the replica: the statistics,
the dashboards, the coverage pages, the exports and the API's sync pages. Everything else, every write, and every
read that must see a write stays on the primary:

- reads while the primary is inside a transaction (a service reading what it is about to change);
- reads after this request or task wrote anything on the primary, for the rest of it: the replica replays the
  primary's changes a moment later, so a page that wrote and then reads from it could miss its own change. A write
  is any statement other than a SELECT that the primary's connection runs (seen by an execute wrapper), whether
  the ORM or raw SQL sent it;
- reads while the replica does not answer: `reads()` probes it once when entered, logs a warning and keeps the
  block on the primary.

Writes the unit's reads never read back (an API client's last use, a job's progress) say so with
`not_read_back()`, so that they do not pin the rest of the unit to the primary.

Without DATABASE_REPLICA_URL the router is not installed, `reads()` changes nothing and there is one database."""

import functools
import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

ALIAS = "replica"
# After a failed probe the replica is not tried again for this long by this process: a replica that is down then
# costs the pages a connection timeout once in a while, not on every request.
RETRY_AFTER = 30.0

_target: ContextVar[str | None] = ContextVar("replica_target", default=None)
_wrote: ContextVar[bool] = ContextVar("replica_wrote", default=False)
_unread_writes: ContextVar[bool] = ContextVar("replica_unread_writes", default=False)
_down_until = 0.0
# Who may see what is decided on current rows: a membership revoked or a token withdrawn a moment ago must not
# still open a page because the replica has not replayed it yet.
PRIMARY_ONLY = {"congress.user", "congress.rolemembership", "congress.apiclient", "sessions.session"}


def configured() -> bool:
    return ALIAS in connections.settings


def _replica_answers() -> bool:
    """One round trip to the replica; a failure marks it down for RETRY_AFTER seconds."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    replica = connections[ALIAS]
    try:
        # A kept connection broken since its last use fails its health check here and is replaced.
        replica.close_if_health_check_failed()
        with replica.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception as exc:  # any failure to answer means: read from the primary
        _down_until = time.monotonic() + RETRY_AFTER
        replica.close()
        log.warning("read replica unavailable (%s: %s); heavy reads use the primary", exc.__class__.__name__, exc)
        return False


@contextmanager
def reads():
    """Reads inside go to the replica, when one is configured and answers (see the module's rules)."""
    if not configured() or _target.get() is not None:
        # No replica, or already inside a block that chose: the outer block's choice holds.
        yield
        return
    token = _target.set(ALIAS if _replica_answers() else DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        _target.reset(token)


def heavy_reads(view):
    """View decorator: the whole view, rendering included, runs inside `reads()`."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with reads():
            return view(*args, **kwargs)

    return wrapper


@contextmanager
def not_read_back():
    """Writes inside are bookkeeping that no later read of this unit depends on: they leave the replica usable."""
    token = _unread_writes.set(True)
    try:
        yield
    finally:
        _unread_writes.reset(token)


def new_unit() -> None:
    """A request or a task begins: what an earlier one wrote in this thread no longer pins its reads."""
    _wrote.set(False)


# Statements that change nothing: transaction control inside atomic blocks (reads there use the primary anyway).
_NOT_WRITES = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET ", "SHOW", "EXPLAIN")


def _watch_writes(execute, sql, params, many, context):
    if not _unread_writes.get() and not sql.lstrip().upper().startswith(_NOT_WRITES):
        _wrote.set(True)
    return execute(sql, params, many, context)


def _watch_connection(sender, connection, **kwargs):
    if connection.alias == DEFAULT_DB_ALIAS and _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def read_alias() -> str:
    """Where a read made now goes."""
    if _target.get() != ALIAS or _wrote.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return ALIAS


class Router:
    """Installed only with a replica. Answers for every model, so objects read from the replica are written to the
    primary and their relations outside `reads()` are read there too. It does not note writes: Django asks it for a
    write's database also when an unsaved object is given a related one, which writes nothing."""

    def db_for_read(self, model, **hints):
        return DEFAULT_DB_ALIAS if model._meta.label_lower in PRIMARY_ONLY else read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica replays the primary's schema changes; nothing is migrated on it directly.
        return db == DEFAULT_DB_ALIAS


def status() -> dict:
    """The replica's state for /readyz: whether it answers as a standby, and how far its replay is behind the
    primary (bytes of WAL not yet replayed, and the age of the last replayed change while any are waiting)."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (primary_lsn,) = cursor.fetchone()
    except Exception as exc:
        return {"status": f"error: primary {exc.__class__.__name__}"}
    replica = connections[ALIAS]
    try:
        replica.close_if_health_check_failed()
        with replica.cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())::bigint,"
                " extract(epoch FROM now() - pg_last_xact_replay_timestamp())",
                [primary_lsn],
            )
            in_recovery, behind, age = cursor.fetchone()
    except Exception as exc:
        replica.close()
        return {"status": f"error: {exc.__class__.__name__}"}
    if not in_recovery:
        return {"status": "error: not a standby (promoted?)"}
    behind = max(int(behind or 0), 0)
    # With nothing left to replay the replica is current, however long ago the primary last changed.
    seconds = round(float(age), 1) if behind and age is not None else 0.0
    return {"status": "ok", "lag_bytes": behind, "lag_seconds": seconds}


_task_tokens: dict[str, object] = {}


def connect_signals() -> None:
    """Each request and each task is a unit of its own (CongressConfig.ready)."""
    from celery.signals import task_postrun, task_prerun
    from django.core.signals import request_started
    from django.db.backends.signals import connection_created

    if not configured():
        return
    connection_created.connect(_watch_connection, dispatch_uid="congress.replica.connection_created")
    request_started.connect(_request_started, dispatch_uid="congress.replica.request_started")
    task_prerun.connect(_task_started, dispatch_uid="congress.replica.task_prerun")
    task_postrun.connect(_task_ended, dispatch_uid="congress.replica.task_postrun")


def _request_started(**kwargs) -> None:
    new_unit()


def _task_started(task_id=None, **kwargs) -> None:
    # Restored when the task ends: a task run eagerly inside a request must not clear what the request wrote.
    _task_tokens[task_id] = _wrote.set(False)


def _task_ended(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _wrote.reset(token)
