"""seed_scale's training part hangs together: places within capacity, hours equal to the roll and to the
duty record, no deputy at two sittings at once, and coverage computes on it."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from deputies.models import DutyEntry
from training import selectors
from training.models import HOLDING, Attendance, Course, Enrolment, Plan, Sitting

pytestmark = pytest.mark.django_db

ARGS = ["--province", "62", "--townships-per-county", "1", "--villages-per-township", "1", "--deputies", "600",
        "--stations", "0", "--opinions", "0", "--suggestions", "0", "--training-per-100", "2"]  # fmt: skip


def test_seed_scale_writes_consistent_training():
    call_command("seed_scale", *ARGS)
    assert Course.objects.count() > 20
    for course in Course.objects.annotate(holding=Count("enrolments", filter=Q(enrolments__status__in=HOLDING))):
        assert course.taken == course.holding <= course.capacity
    hours = dict(Attendance.objects.values_list("enrolment_id").annotate(h=Sum("hours")).order_by())
    assert all(e.hours == hours.get(e.pk, 0) for e in Enrolment.objects.all())
    present = Attendance.objects.filter(status="present")
    assert DutyEntry.objects.filter(kind="training").count() == present.count() > 0
    busy = (
        Sitting.objects.filter(course__enrolments__status__in=HOLDING)
        .values("course__enrolments__mandate__person_id", "starts_at")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not busy.exists()
    plan = Plan.objects.filter(kind="annual").first()
    assert [row.population > 0 for row in selectors.coverage(plan)] == [True, True]


def test_seed_scale_training_runs_again_without_duplicating():
    call_command("seed_scale", *ARGS)
    counts = (Course.objects.count(), Enrolment.objects.count(), Attendance.objects.count())
    call_command("seed_scale", *ARGS)
    assert (Course.objects.count(), Enrolment.objects.count(), Attendance.objects.count()) == counts
