"""The demo has a plan with courses in the past and in the future, and seeding again adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from deputies.models import DutyEntry
from training.models import Attendance, Course, Enrolment, Plan

pytestmark = pytest.mark.django_db


def test_demo_plan_has_past_and_future_courses_with_attendance_and_a_waiting_list():
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    today = timezone.localdate()
    plan = Plan.objects.get(kind="five_year", congress__region__code="44")
    courses = Course.objects.filter(plan__in=[plan, *plan.annual_plans.all()])
    assert courses.filter(ends_on__lt=today).exists() and courses.filter(starts_on__gt=today).exists()
    assert Attendance.objects.filter(status="present").exists()
    assert DutyEntry.objects.filter(kind="training").count() == Attendance.objects.filter(status="present").count()
    assert Enrolment.objects.filter(status="waitlisted").exists()
    assert Enrolment.objects.filter(status="nominated", mandate__person__user__username="deputy").exists()
    counts = (Course.objects.count(), Enrolment.objects.count(), Attendance.objects.count())
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    assert (Course.objects.count(), Enrolment.objects.count(), Attendance.objects.count()) == counts
