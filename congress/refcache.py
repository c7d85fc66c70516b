"""Per-process copies of reference data that changes rarely but is read by every write: the holiday calendar
(every deadline opened) and a congress's policy overrides (every clock, every public vote). Reading them costs
two or three statements per request; a copy costs one look-up of its version in the shared cache.

Correctness rests on a version per name, kept in the shared cache (Redis as deployed):
- a copy is used only while its version is the current one; the version is read before the rows, so a copy
  built while another process commits a change is stale at once and rebuilt on the next use;
- saving or deleting a row (signals, `changed`) sets a new version once the writing transaction commits;
  until then the writer's own reads skip the copy, and a rollback leaves the old copy valid;
- writes that send no signals (bulk_create, queryset.update) call `changed` themselves, and `manage.py flush`
  (the test suite's transactional tests) drops every copy through post_migrate.
Without a shared cache (zero-setup mode's per-process LocMemCache, where the web process and the worker could
not tell each other of a change), or with it unreachable, every read goes to the database, as before."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

log = logging.getLogger(__name__)

PREFIX = "refcache:"
_copies: dict[str, tuple[str, object]] = {}


class _Bump:
    """The on-commit callback that publishes a new version of `name`; while it waits, `name` is being changed
    by the current transaction."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self):
        _copies.pop(self.name, None)
        try:
            cache.set(PREFIX + self.name, uuid.uuid4().hex, timeout=None)
        except Exception:  # the shared cache is down: other processes cannot be told; log it loudly
            log.exception("reference copy %s changed but its version could not be renewed", self.name)


def _changing(name: str) -> bool:
    return any(isinstance(func, _Bump) and func.name == name for _ids, func, _robust in connection.run_on_commit)


def get(name: str, build):
    """The value build() returns, from this process's copy while that is current."""
    if not settings.REFCACHE_ENABLED or (connection.in_atomic_block and _changing(name)):
        return build()
    key = PREFIX + name
    try:
        version = cache.get(key)
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(key, version, timeout=None):
                version = cache.get(key)
    except Exception:
        log.warning("shared cache unavailable: %s read from the database", name, exc_info=True)
        return build()
    held = _copies.get(name)
    if held is not None and held[0] == version:
        return held[1]
    value = build()
    if version is not None:
        _copies[name] = (version, value)
    return value


def changed(name: str) -> None:
    """The rows behind `name` change in the current transaction: every process reads them afresh after it
    commits (at once outside a transaction)."""
    _copies.pop(name, None)
    transaction.on_commit(_Bump(name))


def forget_all(**_kwargs) -> None:
    """Drop this process's copies (after `flush`, whose truncation sends no signals) and renew their versions."""
    names = list(_copies)
    _copies.clear()
    for name in names:
        _Bump(name)()


def connect() -> None:
    """Renew the copies' versions whenever their rows are saved or deleted (AppConfig.ready)."""
    from django.db.models.signals import post_delete, post_migrate, post_save

    from . import policies, workdays
    from .models import CalendarDay, CalendarYear, PolicyValue

    def calendar_changed(**_kwargs):
        changed(workdays.CACHE_NAME)

    def policy_changed(instance, **_kwargs):
        changed(policies.cache_name(instance.congress_id))

    for signal in (post_save, post_delete):
        for model in (CalendarDay, CalendarYear):
            signal.connect(calendar_changed, sender=model, weak=False, dispatch_uid=f"refcache-{model.__name__}")
        signal.connect(policy_changed, sender=PolicyValue, weak=False, dispatch_uid="refcache-PolicyValue")
    post_migrate.connect(forget_all, weak=False, dispatch_uid="refcache-flush")
