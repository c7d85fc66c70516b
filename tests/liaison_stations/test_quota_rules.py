"""The quarterly reminder asks for a share of the yearly quota: at least 4 visits a year means 1 by the end of
March, 2 by June, 3 by September and all 4 by December; the shares are policies."""

from datetime import datetime

import pytest
from django.utils import timezone

from congress import services as core_services
from liaison_stations import services
from liaison_stations.models import Visit

from .factories import stationed_deputy

pytestmark = pytest.mark.django_db


def with_visits(station, count, year=2026):
    mandate, user = stationed_deputy(station)
    for day in range(1, count + 1):
        Visit.objects.create(mandate=mandate, station=station, activity="research", channel="portal",
                             visited_at=timezone.make_aware(datetime(year, 1, day, 10)))  # fmt: skip
    return user


@pytest.mark.parametrize(("month", "done", "reminded"), [
    (3, 0, True), (3, 1, False), (6, 1, True), (6, 2, False), (9, 2, True), (9, 3, False), (12, 3, True),
    (12, 4, False),
])  # fmt: skip
def test_visits_expected_by_each_quarter_of_four_a_year(station, time_machine, month, done, reminded):
    time_machine.move_to(f"2026-{month:02d}-15 09:00 +0800")
    with_visits(station, done)
    assert services.remind_visit_quota() == (1 if reminded else 0)


def test_quarter_share_follows_the_congress_policy(station, staff, time_machine):
    core_services.set_policy(actor=staff, congress=station.congress, key="station.quota_share_q1", value=50)
    time_machine.move_to("2026-03-15 09:00 +0800")
    with_visits(station, 1)
    assert services.remind_visit_quota() == 1
