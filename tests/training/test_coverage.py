"""Coverage of a plan's goals against a hand-computed fixture, attendance rates and hours per deputy.

The province's term runs from 12 January 2023. Five deputies A–E sit from its start; D also sat in the
previous term (so is not new); B and C are grassroots deputies.

Induction (five-year plan, within 12 months of taking the seat, i.e. by 12 January 2024):
  A attends on 1 March 2023 (met), E on 12 January 2024 (the last day: met), B on 1 February 2024 (too late),
  C never; D is not new.                                    → 2 of 4 = 50.0 %
At least two courses in 2026 (annual plan):
  A: X and Y (met); B: X only; C: Y, and Z in December 2025 (outside the year); D: X (one sitting) and Y (met);
  E: none.                                                  → 2 of 5 = 40.0 %
Grassroots deputies with one duty course in 2026: B attends X (met); C's duty course Z is in 2025.
                                                            → 1 of 2 = 50.0 %"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from tests import factories as core
from tests.deputies.factories import MandateFactory
from training import selectors, services

from . import factories as f

pytestmark = pytest.mark.django_db


def _course(staff, congress, title, kind, *days, hours=3):
    return f.course(staff, congress, title=title, kind=kind, capacity=10, hours_per_sitting=hours,
                    sittings=[(f"{day} 09:00", f"{day} 12:00") for day in days])  # fmt: skip


def _attend(staff, course, marks):
    """marks: {mandate: [sitting numbers present]}; everyone else on the course absent."""
    result = services.nominate(actor=staff, course_id=course.pk, mandate_ids=[m.pk for m in marks])
    for enrolment in result.nominated:
        services.confirm(actor=staff, enrolment_id=enrolment.pk)  # answered by phone
    enrolments = {e.mandate_id: e.pk for e in result.nominated}
    return course, enrolments, marks


@pytest.fixture
def world(staff, congress):
    earlier = core.TermFactory(congress=congress, number=13, start_date=date(2018, 1, 12), end_date=date(2023, 1, 11))
    a, b, c, d, e = (f.deputy(congress, name=name, grassroots=name in "BC") for name in "ABCDE")
    MandateFactory(person=d.person, congress=congress, term=earlier, start_date=date(2018, 1, 12))
    with time_machine.travel("2023-02-01 10:00 +0800", tick=False):
        rolls = [
            _attend(staff, _course(staff, congress, "初任培训一期", "induction", "2023-03-01"), {a: [1], d: [1]}),
            _attend(staff, _course(staff, congress, "初任培训二期", "induction", "2024-01-12"), {e: [1]}),
            _attend(staff, _course(staff, congress, "初任培训三期", "induction", "2024-02-01"), {b: [1]}),
            _attend(staff, _course(staff, congress, "Z", "duty", "2025-12-20"), {c: [1]}),
            _attend(staff, _course(staff, congress, "X", "duty", "2026-03-02", "2026-03-03"), {a: [1, 2], b: [1, 2],
                                                                                                d: [1]}),
            _attend(staff, _course(staff, congress, "Y", "thematic", "2026-09-01", hours=2), {a: [1], c: [1], d: [1]}),
        ]  # fmt: skip
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        for course, enrolments, marks in rolls:
            for sitting in course.sittings.order_by("number"):
                roll = {enrolments[m.pk]: "present" if sitting.number in present else "absent"
                        for m, present in marks.items()}  # fmt: skip
                services.record_attendance(actor=staff, sitting_id=sitting.pk, marks=roll)
        five_year = f.plan(staff, congress)
        annual = f.plan(staff, congress, kind="annual", year=2026, title="2026年学习培训计划", parent=five_year)
        courses = {course.title: course for course, _e, _m in rolls}
        for title in ("X", "Y"):
            courses[title].plan = annual
            services.save_course(actor=staff, course=courses[title])
    return {"five_year": five_year, "annual": annual, "deputies": (a, b, c, d, e), "courses": courses}


def test_induction_goal_counts_new_deputies_within_their_first_year(staff, world):
    a, b, c, d, e = world["deputies"]
    result = selectors.goal_coverage(f.goal(staff, world["five_year"], kind="induction", target_percent=100))
    assert (result.population, result.met, result.percent) == (4, 2, Decimal("50.0"))
    assert result.missing_ids == sorted([b.pk, c.pk])
    assert not result.reached


def test_trained_goal_counts_distinct_courses_in_the_plan_year(staff, world):
    a, b, c, d, e = world["deputies"]
    result = selectors.goal_coverage(f.goal(staff, world["annual"], min_courses=2, target_percent=40))
    assert (result.population, result.met, result.percent, result.reached) == (5, 2, Decimal("40.0"), True)
    assert result.missing_ids == sorted([b.pk, c.pk, e.pk])


def test_grassroots_goal_counts_only_courses_of_its_kind(staff, world):
    a, b, c, d, e = world["deputies"]
    goal = f.goal(staff, world["annual"], grassroots_only=True, course_kind="duty", target_percent=100)
    result = selectors.goal_coverage(goal)
    assert (result.population, result.met, result.missing_ids) == (2, 1, [c.pk])


def test_level_goal_counts_the_deputies_of_that_level_in_the_region(staff, congress, world):
    county = core.CongressFactory(region=core.county())
    f.deputy(county)
    result = selectors.goal_coverage(f.goal(staff, world["annual"], level="county"))
    assert (result.population, result.met) == (1, 0)


def test_attendance_rate_per_course(world):
    rows = {course.title: course for course in selectors.plan_courses(world["annual"])}
    x = rows["X"]
    assert (x.held, x.enrolled, x.present, x.rate) == (2, 3, 5, Decimal("83.3"))
    assert (rows["Y"].present, rows["Y"].rate) == (3, Decimal("100.0"))


def test_hours_per_deputy_in_the_plan_year(world):
    a, b, c, d, e = world["deputies"]
    hours = {row["enrolment__mandate_id"]: row["hours"] for row in selectors.hours_per_deputy(world["annual"])}
    assert hours == {a.pk: Decimal("8.0"), b.pk: Decimal("6.0"), c.pk: Decimal("2.0"), d.pk: Decimal("5.0")}


def test_coverage_runs_in_two_queries_per_goal(staff, world, django_assert_num_queries):
    goal = f.goal(staff, world["annual"], min_courses=2)
    goal = type(goal).objects.select_related("plan__congress__region").get(pk=goal.pk)
    with django_assert_num_queries(2):
        selectors.goal_coverage(goal)
