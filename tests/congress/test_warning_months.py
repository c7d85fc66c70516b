"""'Warn from October' is a policy: the missing-holiday-schedule warning starts in the congress's month."""

from datetime import date

import pytest
import time_machine

from congress import tasks, workdays
from congress.models import Notification, PolicyValue
from tests import factories as core

pytestmark = pytest.mark.django_db


def test_calendar_warning_starts_in_october_by_default():
    congress = core.CongressFactory()
    assert workdays.missing_next_year(date(2026, 9, 30), congress) is None
    assert workdays.missing_next_year(date(2026, 10, 1), congress) == 2027


def test_calendar_warning_month_follows_the_congress_policy():
    congress = core.CongressFactory()
    PolicyValue.objects.create(congress=congress, key="calendar.warn_from_month", value=9)
    assert workdays.missing_next_year(date(2026, 8, 31), congress) is None
    assert workdays.missing_next_year(date(2026, 9, 1), congress) == 2027


def test_keepers_are_warned_from_their_congress_month():
    congress = core.CongressFactory()
    keeper = core.staff_of(congress)
    PolicyValue.objects.create(congress=congress, key="calendar.warn_from_month", value=11)
    with time_machine.travel("2026-10-15 10:00 +0800", tick=False):
        assert tasks.warn_missing_calendar() == 0
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        assert tasks.warn_missing_calendar() == 1
    assert Notification.objects.get().recipient == keeper
