"""The transactional outbox: messages stored with the change, published after commit, swept when the broker was
down. The fault tests in tests/flows/test_faults.py run the same path against a real Redis and worker."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db.transaction import atomic
from django.utils import timezone

from congress import notifications, outbox, tasks
from congress.celery import app as celery_app
from congress.models import Delivery, OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_broker():
    """A broker address nothing listens on, with tasks really sent (not run in-process)."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    _forget_connections()
    yield
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
    _forget_connections()


def _forget_connections():
    # Celery keeps its connection pool for the broker address it first saw.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_enqueued_task_runs_after_commit_and_is_marked_sent(django_capture_on_commit_callbacks):
    user = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_once("outbox:1", [user], "标题")
        message = OutboxMessage.objects.get()
        assert (message.task, message.args, message.sent_at) == ("congress.tasks.deliver_notifications", [
            [Delivery.objects.get().pk]], None)  # fmt: skip
    assert OutboxMessage.objects.get().sent_at is not None
    assert len(mail.outbox) == 1


def test_rolled_back_change_leaves_no_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), atomic():
        outbox.enqueue(tasks.sweep_deadlines)
        raise RuntimeError
    assert callbacks == [] and not OutboxMessage.objects.exists()


def test_unreachable_broker_does_not_fail_the_caller(unreachable_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(tasks.sweep_deadlines)
    assert OutboxMessage.objects.get().sent_at is None


def test_sweep_publishes_unsent_messages_once_they_are_old_enough():
    outbox.enqueue(tasks.sweep_deadlines)
    assert outbox.sweep() == 0
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert outbox.sweep() == 1
    assert outbox.sweep() == 0


def test_a_message_that_cannot_be_published_does_not_hold_up_the_others():
    old = timezone.now() - timedelta(minutes=1)
    OutboxMessage.objects.create(task="congress.tasks.no_such_task")
    outbox.enqueue(tasks.sweep_deadlines)
    OutboxMessage.objects.update(created_at=old)
    assert outbox.sweep() == 1
    broken = OutboxMessage.objects.get(task="congress.tasks.no_such_task")
    assert (broken.sent_at, broken.attempts) == (None, 1) and "no_such_task" in broken.last_error


def test_sweep_forgets_messages_sent_more_than_a_week_ago():
    OutboxMessage.objects.create(task="t", sent_at=timezone.now() - timedelta(days=8))
    kept = OutboxMessage.objects.create(task="t", sent_at=timezone.now() - timedelta(days=1))
    outbox.sweep()
    assert list(OutboxMessage.objects.all()) == [kept]
