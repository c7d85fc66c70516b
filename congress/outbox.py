"""Transactional outbox: work that follows a write is stored as a row in the same transaction and handed to the
broker once that transaction commits.

A broker that is down when a user acts, or a process that dies between the commit and the hand-over, delays the
message but never loses it: `sweep` (beat every minute, and every worker as it starts) publishes what is still
unsent. The user's request never fails because the broker did. A message may reach the broker twice (its
publisher died after the broker took it, before marking it sent), so the tasks enqueued here are idempotent:
notifications are stored once per key, deliveries and jobs are claimed with a conditional update."""

import logging
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from .celery import app
from .models import OutboxMessage

log = logging.getLogger(__name__)

# Younger unsent rows are presumably being published by the process that committed them.
RETRY_AFTER = timedelta(seconds=5)
KEEP_SENT = timedelta(days=7)
# A message that fails this often by itself (not because of the broker) waits for someone to look at it.
MAX_ATTEMPTS = 20
BROKER_ERRORS = (OperationalError, ConnectionError, OSError, TimeoutError)


def enqueue(task, *args, **kwargs) -> None:
    """Run task(*args, **kwargs) in a worker once the current transaction commits (at once outside one)."""
    _store([OutboxMessage(task=task.name, args=list(args), kwargs=kwargs)])


def enqueue_each(task, calls) -> None:
    """enqueue once per tuple of arguments, stored in one insert (a delivery for each of many recipients)."""
    _store([OutboxMessage(task=task.name, args=list(args)) for args in calls])


def _store(messages) -> None:
    if not messages:
        return
    stored = OutboxMessage.objects.bulk_create(messages)
    transaction.on_commit(lambda: publish(stored))


def publish(messages) -> int:
    """Hand messages to the broker in order and mark those it took; returns how many it took.

    Stops at the first broker error (the rest would fail the same way, each after a timeout) and never raises
    one: the sweep sends the rest later."""
    sent, ran = [], 0
    try:
        for position, message in enumerate(messages):
            try:
                task = app.tasks[message.task]
            except KeyError as exc:  # renamed or removed since the message was stored
                log.error("outbox message %s names an unknown task %s", message.pk, message.task)
                _record_failure(message.pk, exc)
                continue
            if app.conf.task_always_eager:
                # In-process (tests, a demo without a worker): the task runs here, and its own errors are
                # the caller's to see, as they would be with a direct call.
                _mark_sent([message.pk])
                ran += 1
                task.apply_async(message.args, message.kwargs)
                continue
            try:
                task.apply_async(message.args, message.kwargs, retry=False)
            except BROKER_ERRORS as exc:
                log.warning("broker unavailable, %s outbox messages wait for the sweep: %r",
                            len(messages) - position, exc)  # fmt: skip
                break
            except Exception as exc:  # this message's own fault: record it, go on with the others
                log.exception("outbox message %s (%s) cannot be published", message.pk, message.task)
                _record_failure(message.pk, exc)
                continue
            sent.append(message.pk)
    finally:
        _mark_sent(sent)
    return len(sent) + ran


def _mark_sent(ids) -> None:
    if not ids:
        return
    try:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # A mark lost in a crash only publishes the message again, which every task allows: so this commit
            # need not wait for the disk. Waiting for it was the second flush of every request that enqueues,
            # after the user's own write had been flushed. One round trip: the two statements run as one implicit
            # transaction, to which SET LOCAL applies (the cursor binds parameters client-side).
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SET LOCAL synchronous_commit = off; UPDATE {OutboxMessage._meta.db_table} SET sent_at = %s "
                    "WHERE id = ANY(%s) AND sent_at IS NULL",
                    [timezone.now(), list(ids)],
                )
        else:  # the sweep's transaction, or SQLite
            OutboxMessage.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=timezone.now())
    except Exception:  # published already; an unmarked row is only sent again, which the tasks allow
        log.exception("outbox messages %s published but not marked sent", ids)


def _record_failure(pk: int, exc: Exception) -> None:
    try:
        OutboxMessage.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=repr(exc)[:2000])
    except Exception:
        log.exception("outbox message %s: failure not recorded", pk)


def sweep(older_than: timedelta = RETRY_AFTER, limit: int = 1000) -> int:
    """Publish unsent messages older than older_than; forget sent ones after a week. Returns how many were sent."""
    now = timezone.now()
    with transaction.atomic():
        # Two sweeps (beat and a starting worker) take different rows instead of sending the same ones twice.
        waiting = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, created_at__lt=now - older_than, attempts__lt=MAX_ATTEMPTS)
            .order_by("id")[:limit]
        )
        sent = publish(waiting)
    stale = OutboxMessage.objects.filter(sent_at__lt=now - KEEP_SENT).order_by("id").values_list("pk", flat=True)
    OutboxMessage.objects.filter(pk__in=list(stale[:limit])).delete()
    return sent
