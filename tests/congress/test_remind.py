"""Reminders sent on a staff member's request (the console's Remind actions) and the overdue list filter, both
read from the one deadline table."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from django.utils.translation import gettext

from congress import deadlines
from congress.models import Deadline, Notification, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress():
    return factories.CongressFactory()


@pytest.fixture
def unit():
    return factories.OrganisationFactory(name="广东省教育厅")


@pytest.fixture
def officer(unit):
    return factories.officer_of(unit)


@pytest.fixture
def staff(congress):
    return factories.staff_of(congress)


def _deadline(subject, congress, unit, kind="test.reply", due=None):
    deadline = deadlines.open_deadline(
        subject=subject, kind=kind, start=date(2026, 6, 1), value=5, unit="workdays", congress=congress,
        responsible_org=unit,
    )  # fmt: skip
    if due is not None:
        Deadline.objects.filter(pk=deadline.pk).update(due_date=due)
    return deadline


def test_reminder_reaches_the_officers_of_the_responsible_unit(congress, unit, officer, staff):
    _deadline(unit, congress, unit)
    deadlines.remind_now(actor=staff, subjects=[unit])
    assert Notification.objects.filter(recipient=officer).count() == 1


def test_asking_twice_the_same_day_reminds_once(congress, unit, officer, staff):
    _deadline(unit, congress, unit)
    deadlines.remind_now(actor=staff, subjects=[unit])
    assert deadlines.remind_now(actor=staff, subjects=[unit]) == 0


def test_asking_again_the_next_day_reminds_again(congress, unit, officer, staff):
    _deadline(unit, congress, unit)
    today = timezone.localdate()
    deadlines.remind_now(actor=staff, subjects=[unit], today=today)
    assert deadlines.remind_now(actor=staff, subjects=[unit], today=today + timedelta(days=1)) == 1


def test_a_met_deadline_is_not_reminded(congress, unit, officer, staff):
    _deadline(unit, congress, unit)
    deadlines.close_deadline(unit, "test.reply")
    assert deadlines.remind_now(actor=staff, subjects=[unit]) == 0


def test_a_window_is_not_reminded(congress, unit, officer, staff):
    deadlines.register_kind("test.window", "申请调整窗口", window=True)
    _deadline(unit, congress, unit, kind="test.window")
    assert deadlines.remind_now(actor=staff, subjects=[unit]) == 0


def test_an_overdue_reminder_says_so(congress, unit, officer, staff):
    _deadline(unit, congress, unit, due=timezone.localdate() - timedelta(days=3))
    deadlines.remind_now(actor=staff, subjects=[unit])
    notice = Notification.objects.get(recipient=officer)
    assert gettext("It is overdue.") in notice.body


def test_a_reminder_is_recorded_on_its_subject(congress, unit, officer, staff):
    _deadline(unit, congress, unit)
    deadlines.remind_now(actor=staff, subjects=[unit])
    entry = LogEntry.objects.get_for_object(unit).filter(additional_data__action="remind").get()
    assert (entry.actor, entry.additional_data["told"]) == (staff, 1)


def test_overdue_rows_are_those_with_an_open_deadline_past_due(congress, unit):
    late, on_time = unit, factories.OrganisationFactory(name="广东省财政厅")
    _deadline(late, congress, unit, due=timezone.localdate() - timedelta(days=1))
    _deadline(on_time, congress, unit, due=timezone.localdate() + timedelta(days=1))
    found = Organisation.objects.filter(deadlines.overdue_q(Organisation, timezone.localdate()))
    assert list(found) == [late]


def test_a_met_deadline_past_due_is_not_overdue(congress, unit):
    _deadline(unit, congress, unit, due=timezone.localdate() - timedelta(days=1))
    deadlines.close_deadline(unit, "test.reply")
    assert not Organisation.objects.filter(deadlines.overdue_q(Organisation, timezone.localdate())).exists()
