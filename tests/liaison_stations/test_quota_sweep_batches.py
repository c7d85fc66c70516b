"""The quarterly quota sweeps find who is behind in one aggregate and store the reminders in batches: their
statements do not grow with the deputies behind but with the batches, at most three per batch, and each deputy is
told once a quarter however often the sweep runs or wherever it died."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress import notifications
from congress.models import Notification
from liaison_stations import services

from .factories import stationed_deputy

pytestmark = pytest.mark.django_db
PER_BATCH = 3
# Transaction control is not counted: a transaction per batch is what the rule asks for.
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@pytest.fixture
def hundred(monkeypatch):
    """Batches of 100 notifications, so a few hundred deputies make several."""
    monkeypatch.setattr(notifications, "BATCH", 100)


def behind(station, count) -> list:
    """count deputies with no visit and no duty done: behind every quota."""
    return [stationed_deputy(station)[1] for _ in range(count)]


def statements(sweep) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        told = sweep()
    work = [query for query in captured.captured_queries if not query["sql"].lstrip().upper().startswith(CONTROL)]
    return len(work), told


def told_once(users, key) -> None:
    got = Notification.objects.filter(key=key).values_list("recipient_id", flat=True)
    assert sorted(got) == sorted(user.pk for user in users)


@pytest.mark.parametrize("sweep", [services.remind_visit_quota, services.remind_duty_quotas])
def test_each_further_batch_of_a_hundred_deputies_behind_costs_at_most_three_statements(
    station, time_machine, hundred, sweep
):
    time_machine.move_to("2026-06-15 09:00 +0800")
    first = behind(station, 50)
    one_batch, told = statements(sweep)
    assert told == 50
    second = behind(station, 200)
    time_machine.move_to("2026-09-15 09:00 +0800")  # the next quarter: all 250 are behind again
    three_batches, told = statements(sweep)
    assert told == 250
    assert three_batches - one_batch <= PER_BATCH * (3 - 1)
    assert len(first + second) == 250


@pytest.mark.parametrize(
    ("sweep", "key"),
    [(services.remind_visit_quota, "station-quota:2026-Q2"), (services.remind_duty_quotas, "duty-quota:2026-Q2")],
)
def test_a_sweep_that_dies_mid_batch_and_runs_again_tells_each_deputy_once(station, time_machine, hundred, sweep, key):
    time_machine.move_to("2026-06-15 09:00 +0800")
    users = behind(station, 250)
    store, calls = notifications.store, []

    def dies_in_the_second_batch(rows, channels=("email",)):
        calls.append(len(rows))
        stored = store(rows, channels)
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return stored

    with mock.patch.object(notifications, "store", dies_in_the_second_batch), pytest.raises(RuntimeError):
        sweep()
    assert Notification.objects.filter(key=key).count() == 100
    assert sweep() == 150
    assert sweep() == 0
    told_once(users, key)
