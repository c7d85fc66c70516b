"""The day-before reminder, the confirmation deadline's reminders and the induction reminder: each sent once."""

from datetime import date

import pytest

from congress import deadlines
from congress.models import Notification
from training import services

from . import factories as f

pytestmark = pytest.mark.django_db


def test_day_before_reminder_goes_once_to_deputies_holding_a_place(staff, congress, course, may):
    holder, waiting = f.confirmed(f.deputy(congress), course, staff), None
    f.sign_up(f.deputy(congress), course)
    waiting = f.sign_up(f.deputy(congress), course)
    assert waiting.status == "waitlisted"
    may.move_to("2026-05-31 17:00 +0800")
    assert services.remind_sittings() == 2
    assert services.remind_sittings() == 0
    note = Notification.objects.get(recipient=holder.mandate.person.user, key__startswith="training:tomorrow")
    assert "09:00" in note.title and "代表培训中心" in note.body
    assert not Notification.objects.filter(recipient=waiting.mandate.person.user, key__startswith="training:tomorrow")


def test_no_reminder_two_days_before(staff, mandate, course, may):
    f.confirmed(mandate, course, staff)
    may.move_to("2026-05-30 17:00 +0800")
    assert services.remind_sittings() == 0


def test_unconfirmed_nomination_is_reminded_and_escalated_to_staff_when_overdue(staff, mandate, course, may):
    services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk])
    deadlines.sweep(today=date(2026, 5, 18))  # the due date
    assert Notification.objects.filter(recipient=mandate.person.user, title__contains="confirming a training place")
    deadlines.sweep(today=date(2026, 5, 19))
    assert Notification.objects.filter(recipient=staff, title__contains="confirming a training place").exists()


def test_new_deputies_without_induction_are_reminded_as_the_plan_year_ends(staff, congress, may):
    plan = f.plan(staff, congress, kind="annual", year=2026, title="2026年计划")
    # A deputy seated in 2026 (a by-election) who has not attended induction.
    late = f.deputy(congress, start_date=date(2026, 3, 1))
    f.goal(staff, plan, kind="induction")
    may.move_to("2026-11-15 09:00 +0800")
    assert services.remind_induction() == 0  # more than 30 days before the year ends
    may.move_to("2026-12-02 09:00 +0800")
    assert services.remind_induction() == 2  # the staff member and the deputy
    assert services.remind_induction() == 0
    assert Notification.objects.filter(recipient=late.person.user, key__startswith="training:induction-missing")
