"""Training benchmark cases: coverage of a goal over every county deputy of a province, against the one
aggregate query that answers the same count."""

import io
from datetime import datetime, time, timedelta

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from congress.models import Congress
from training import selectors
from training.models import Course, Goal, Plan

from .harness import Result, count_queries, median_ms, scaled

PROVINCE = "64"  # Ningxia: its own province, so the other cases' data stay apart


def _data() -> Goal:
    deputies = scaled(full=110_000, small=11_000, tiny=300)
    if not Course.objects.filter(region_code__startswith=PROVINCE).exists():
        call_command(
            "seed_scale", "--province", PROVINCE, "--deputies", str(deputies), "--stations", "0", "--opinions", "0",
            "--suggestions", "0", "--duty-entries", "0", "--training-per-100", "2", stdout=io.StringIO(),
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE training_attendance, training_enrolment, training_sitting, training_course")
    congress = Congress.objects.get(region__code=PROVINCE)
    plan = Plan.objects.get(congress=congress, kind="annual")
    goal, _ = Goal.objects.get_or_create(
        plan=plan, kind="trained", level="county", defaults={"title": "县级代表全年至少参加1次学习培训"}
    )
    return Goal.objects.select_related("plan__congress__region").get(pk=goal.pk)


def goal_coverage() -> Result:
    """How many county deputies of the province attended at least one course this year (the coverage page's
    figure for one goal), against the single aggregate query of the same count."""
    goal = _data()
    plan = goal.plan
    sql = (
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM training_attendance a "
        "JOIN training_enrolment e ON e.id = a.enrolment_id JOIN training_sitting s ON s.id = a.sitting_id "
        "WHERE e.mandate_id = m.id AND a.status = 'present' AND s.starts_at >= %s AND s.starts_at < %s)) "
        "FROM deputies_mandate m JOIN congress_congress c ON c.id = m.congress_id "
        "JOIN congress_region r ON r.id = c.region_id "
        "WHERE r.code LIKE %s AND m.level = 'county' AND m.start_date <= %s "
        "AND (m.end_date IS NULL OR m.end_date >= %s)"
    )
    first = timezone.make_aware(datetime.combine(plan.start_date, time.min))
    after = timezone.make_aware(datetime.combine(plan.end_date + timedelta(days=1), time.min))
    params = [first, after, PROVINCE + "%", plan.end_date, plan.start_date]

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchone()

    result = selectors.goal_coverage(goal)
    app_ms = median_ms(lambda: selectors.goal_coverage(goal), runs=7, warmup=2)
    ref_ms = median_ms(reference, runs=7, warmup=2)
    return Result(
        name=f"training goal coverage {result.population // 1000}k",
        app="training",
        size=result.population,
        figure_ms=app_ms,
        reference="raw SQL: one aggregate of the same count",
        reference_ms=ref_ms,
        ratio=app_ms / ref_ms,
        queries=count_queries(lambda: selectors.goal_coverage(goal)),
        target_max=5.0,
        notes={"met": result.met, "percent": str(result.percent)},
    )


CASES = [goal_coverage]
