"""The reminder sweep claims and stores its reminders in batches: at most three statements per batch of a hundred
(the claim; the notifications with their deliveries and outbox message; the outbox message marked sent once the
batch committed), and every person is told once, however often, concurrently or interrupted the sweep runs."""

import threading
from contextlib import contextmanager
from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress import deadlines, notifications, tasks
from congress.models import Deadline, Delivery, Notification, OutboxMessage, User

TODAY = date(2026, 11, 23)
PER_BATCH = 3  # statements a further batch of 100 reminders may add
# Transaction control is not counted: a transaction per batch is what the rule asks for.
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(captured) -> int:
    return sum(not query["sql"].lstrip().upper().startswith(CONTROL) for query in captured.captured_queries)


def overdue(count: int, start: int = 0) -> list[User]:
    """count open deadlines long overdue, each with a person of its own to remind (no congress, so no staff)."""
    numbers = range(start, start + count)
    users = User.objects.bulk_create(
        [User(username=f"sweep{n}", email=f"sweep{n}@example.cn", name=f"承办人{n}") for n in numbers]
    )
    user_type = ContentType.objects.get_for_model(User)
    due = TODAY - timedelta(days=30)
    Deadline.objects.bulk_create(
        [Deadline(content_type=user_type, object_id=user.pk, kind="test.reply", responsible_user=user,
                  start_date=due - timedelta(days=7), period_value=5, period_unit="workdays", due_date=due)
         for user in users]
    )  # fmt: skip
    return users


@contextmanager
def counted():
    """The statements the sweeping process makes: the deliveries are the worker's, so handing a batch to the broker
    is replaced by a stand-in (the outbox still marks the message sent, which is counted)."""
    with (
        mock.patch.object(tasks.deliver_notifications, "apply_async") as handed_over,
        CaptureQueriesContext(connection) as captured,
    ):
        captured.handed_over = handed_over
        yield captured


def told_once(users) -> None:
    """Each person once, by e-mail and by SMS (each is the person their deadline names)."""
    wanted = sorted(user.pk for user in users)
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == wanted
    for channel in ("email", "sms"):
        deliveries = Delivery.objects.filter(channel=channel)
        assert sorted(deliveries.values_list("notification__recipient_id", flat=True)) == wanted


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_further_batch_of_a_hundred_reminders_costs_at_most_three_statements():
    first = overdue(50)
    with counted() as one_batch:
        assert deadlines.sweep(today=TODAY) == 50
    second = overdue(250, start=50)
    with counted() as three_batches:
        assert deadlines.sweep(today=TODAY) == 250
    assert statements(three_batches) - statements(one_batch) <= PER_BATCH * (3 - 1)
    # One outbox message per batch, handed to the broker once its transaction committed, and marked sent.
    assert three_batches.handed_over.call_count == 3
    # Each message lists its batch's deliveries: an e-mail and a text for each person.
    assert [len(message.args[0]) for message in OutboxMessage.objects.order_by("pk")] == [100, 200, 200, 100]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    told_once(first + second)


@pytest.mark.django_db
def test_a_second_sweep_tells_nobody_again(django_capture_on_commit_callbacks):
    users = overdue(250)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.sweep(today=TODAY) == 250
        assert deadlines.sweep(today=TODAY) == 0
    told_once(users)
    assert set(Deadline.objects.values_list("reminded_stage", flat=True)) == {Deadline.Stage.OVERDUE}


@pytest.mark.django_db
def test_a_sweep_that_dies_mid_batch_keeps_the_batches_before_and_the_next_sweep_sends_the_rest_once():
    users = overdue(250)
    store = notifications.store
    calls = []

    def dies_in_the_second_batch(rows, channels=("email",)):
        calls.append(len(rows))
        stored = store(rows, channels)
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return stored

    with mock.patch.object(notifications, "store", dies_in_the_second_batch), pytest.raises(RuntimeError):
        deadlines.sweep(today=TODAY)
    # The first batch committed with its claims; the second rolled back whole, its claims with it.
    assert Notification.objects.count() == 100
    assert Deadline.objects.filter(reminded_stage=Deadline.Stage.OVERDUE).count() == 100
    assert deadlines.sweep(today=TODAY) == 150
    told_once(users)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_tell_each_person_once():
    users = overdue(300)
    start = threading.Barrier(2)
    claimed, errors = [], []

    def sweep():
        try:
            start.wait()
            claimed.append(deadlines.sweep(today=TODAY, batch_size=20))
        except Exception as exc:  # reported below: an exception in a thread would pass unnoticed
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch.object(tasks.deliver_notifications, "apply_async"):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sum(claimed) == 300
    told_once(users)
