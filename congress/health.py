"""Probes of what the site depends on: the database, the broker, the background workers and, when one is configured,
the read replica. /readyz reports them; pages whose work waits for a worker (the roster import, its job page) warn
when none is running."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection

OK = "ok"
WORKERS_CACHE_KEY = "health:workers"
# A ping waits this long for any worker's answer; the answer is kept a little while so that pages showing the
# warning do not each wait for it.
PING_TIMEOUT = 1.0
WORKERS_CACHE_SECONDS = 30


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return OK
    except Exception as exc:  # report, never raise: this is a probe
        return f"error: {exc.__class__.__name__}"


def check_broker() -> str:
    from .celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return OK
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def check_workers() -> str:
    """Whether at least one Celery worker answers a ping; with tasks run in the web process nothing waits."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return OK
    from .celery import app

    # A ping through a broker that is down would wait for the broker's own retries, not for PING_TIMEOUT.
    broker = check_broker()
    if broker != OK:
        return broker
    try:
        replies = app.control.ping(timeout=PING_TIMEOUT)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return OK if replies else "error: no worker answered"


def workers_status() -> str:
    """The workers' probe as pages and /readyz read it: one ping per short while, shared by every page and
    process, so a frequent probe or a busy page never waits a ping each time."""
    status = cache.get(WORKERS_CACHE_KEY)
    if status is None:
        status = check_workers()
        cache.set(WORKERS_CACHE_KEY, status, WORKERS_CACHE_SECONDS)
    return status


def workers_running() -> bool:
    return workers_status() == OK


def replica_status() -> dict | None:
    """The read replica's state and replay lag, or None without one. A replica that is down never makes the site
    unready: heavy reads fall back to the primary (congress.replica)."""
    from . import replica

    return replica.status() if replica.configured() else None
