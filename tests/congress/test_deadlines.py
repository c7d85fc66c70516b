from datetime import date

import pytest
import time_machine
from django.core import mail

from congress import deadlines, services
from congress.models import CalendarDay, CalendarYear, Deadline, Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return factories.OrganisationFactory(name="广东省教育厅")


@pytest.fixture
def congress():
    return factories.CongressFactory()


def open_reply_deadline(subject, congress, unit, start=date(2026, 11, 23)):
    return deadlines.open_deadline(
        subject=subject, kind="test.reply", start=start, value=3, unit="months", congress=congress, responsible_org=unit
    )


def test_deadline_into_unknown_year_is_stored_provisional(congress, unit):
    deadline = open_reply_deadline(unit, congress, unit)
    assert (deadline.due_date, deadline.provisional) == (date(2027, 2, 23), True)


def test_entering_the_year_recomputes_provisional_deadlines(congress, unit, django_capture_on_commit_callbacks):
    deadline = open_reply_deadline(unit, congress, unit)
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    CalendarDay.objects.create(date=date(2027, 2, 23), is_workday=False, name="春节")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_calendar_year(actor=admin, year=CalendarYear(year=2027, complete=True, source="国务院办公厅通知"))
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional) == (date(2027, 2, 24), False)


def test_correcting_a_known_day_recomputes_open_deadlines_spanning_it(
    congress, unit, django_capture_on_commit_callbacks
):
    deadline = deadlines.open_deadline(
        subject=unit, kind="test.assign", start=date(2026, 6, 1), value=5, unit="workdays", congress=congress
    )
    assert deadline.due_date == date(2026, 6, 8)
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_calendar_day(actor=admin, day=CalendarDay(date=date(2026, 6, 3), is_workday=False, name="test"))
    deadline.refresh_from_db()
    assert deadline.due_date == date(2026, 6, 9)


def test_opening_again_replaces_the_open_deadline(congress, unit):
    first = open_reply_deadline(unit, congress, unit)
    second = open_reply_deadline(unit, congress, unit, start=date(2026, 12, 1))
    first.refresh_from_db()
    assert first.cancelled_at is not None
    assert Deadline.objects.open().get() == second


def test_close_marks_met(congress, unit):
    open_reply_deadline(unit, congress, unit)
    assert deadlines.close_deadline(unit, "test.reply") == 1
    assert not Deadline.objects.open().exists()


@time_machine.travel("2026-11-23 09:00 +0800", tick=False)
def test_sweep_sends_the_early_reminder_once_to_the_unit(congress, unit, django_capture_on_commit_callbacks):
    officer = factories.officer_of(unit)
    deadlines.open_deadline(
        subject=unit,
        kind="test.assign",
        start=date(2026, 11, 23),
        value=5,
        unit="workdays",
        congress=congress,
        responsible_org=unit,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.sweep() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.sweep() == 0
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert len(mail.outbox) == 1


def test_sweep_escalates_overdue_to_congress_staff(congress, unit, django_capture_on_commit_callbacks):
    officer = factories.officer_of(unit)
    staff = factories.staff_of(congress)
    deadlines.open_deadline(
        subject=unit,
        kind="test.assign",
        start=date(2026, 11, 2),
        value=5,
        unit="workdays",
        congress=congress,
        responsible_org=unit,
    )
    with django_capture_on_commit_callbacks(execute=True):
        deadlines.sweep(today=date(2026, 11, 23))
    assert Notification.objects.filter(recipient__in=[officer, staff]).count() == 2
    assert Deadline.objects.get().reminded_stage == Deadline.Stage.OVERDUE


def test_sweep_skips_deadlines_beyond_the_horizon(congress, unit):
    open_reply_deadline(unit, congress, unit)
    assert deadlines.sweep(today=date(2026, 11, 23)) == 0
    assert not Notification.objects.exists()


def test_sweep_reads_only_due_deadlines(congress, unit, django_assert_max_num_queries):
    for _index in range(30):
        deadlines.open_deadline(
            subject=factories.OrganisationFactory(),
            kind="test.far",
            start=date(2026, 11, 23),
            value=3,
            unit="months",
            congress=congress,
        )
    with django_assert_max_num_queries(5):
        deadlines.sweep(today=date(2026, 11, 23))


def test_every_clock_that_copies_its_due_date_is_kept_in_step_by_the_recompute():
    """A clock whose subject holds a copy of the due date (`keep`) is registered with that field, so a calendar
    correction moves the copy with the deadline (the two tests `..._follows_a_...` show it end to end)."""
    import importlib

    from django.apps import apps as installed

    from congress.transitions import Machine

    copies = {}
    for config in installed.get_app_configs():
        try:
            workflow = importlib.import_module(f"{config.name}.workflow")
        except ModuleNotFoundError:
            continue
        for machine in (value for value in vars(workflow).values() if isinstance(value, Machine)):
            copies.update({clock.kind: clock.keep for clock in machine.clocks.values() if clock.keep})
    assert copies, "no clock keeps a copy: this test has nothing to hold"
    assert {kind: deadlines.COPY_FIELDS.get(kind) for kind in copies} == copies
