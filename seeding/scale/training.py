"""Training's part of `manage.py seed_scale`: per congress with deputies, a five-year and an annual plan with
goals, and courses in proportion to its deputies (half already held, half to come) with enrolments in every
state, the roll of past sittings and the credit hours in the duty record, written with batched inserts."""

import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from congress import bulk
from seeding.scale.deputies import active_by_congress
from training.models import Attendance, Course, Enrolment, Goal, Plan, Sitting, new_checkin_code

KINDS = ["duty", "duty", "thematic", "induction"]
CAPACITY = 50
LEVEL_DAY = {"provincial": 0, "municipal": 1, "county": 2}
HOURS = Decimal("3.0")


def add_arguments(parser) -> None:
    parser.add_argument(
        "--training-per-100", type=int, default=1,
        help="Training courses per 100 active deputies of a congress (at least one per congress with deputies)",
    )  # fmt: skip


def seed(context) -> None:
    code = context.province.code
    existing = Course.objects.filter(region_code__startswith=code).count()
    per_100 = context.options["training_per_100"]
    if existing or not per_100:
        context.report.append(("training courses (kept)", existing, 0.0))
        return
    started = time.perf_counter()
    rng = context.rng
    today = timezone.localdate()
    by_congress = active_by_congress(code)
    congresses = {c.pk: c for level in ("provincial", "municipal", "county") for c in context.congresses.get(level, [])}
    with transaction.atomic():
        plans = _plans(context, [congresses[pk] for pk in by_congress if pk in congresses], today)
        courses, sittings = _courses(context, by_congress, congresses, plans, today, per_100)
        enrolments = _enrolments(rng, courses, by_congress, today)
        attended = _attendance(rng, courses, sittings, enrolments, today)
        duty = _duty_entries(code)
    context.timed("training courses", len(courses), started)
    context.report.append(("training enrolments", len(enrolments), 0.0))
    context.report.append(("training attendance", attended, 0.0))
    context.report.append(("training duty entries", duty, 0.0))


def _plans(context, congresses, today) -> dict[int, Plan]:
    """A five-year plan per congress and this year's annual plan under it (the one courses belong to)."""
    five = Plan.objects.bulk_create([
        Plan(congress=c, term=context.terms[c.pk], kind="five_year", title=f"{c.name}代表学习培训五年规划",
             start_date=context.terms[c.pk].start_date, end_date=context.terms[c.pk].end_date)
        for c in congresses if c.pk in context.terms
    ])  # fmt: skip
    annual = Plan.objects.bulk_create([
        Plan(congress_id=p.congress_id, term_id=p.term_id, kind="annual", parent=p, year=today.year,
             title=f"{today.year}年代表学习培训计划", start_date=max(date(today.year, 1, 1), p.start_date),
             end_date=min(date(today.year, 12, 31), p.end_date))
        for p in five
    ])  # fmt: skip
    Goal.objects.bulk_create(
        [Goal(plan=p, kind="induction", title="新任代表第一年参加初任培训", target_percent=100) for p in five]
        + [Goal(plan=p, kind="trained", title="每位代表全年至少参加1次学习培训", target_percent=90) for p in annual]
        + [
            Goal(
                plan=p,
                kind="trained",
                title="基层代表全年参加履职学习",
                target_percent=100,
                grassroots_only=True,
                course_kind="duty",
            )
            for p in annual
        ]  # fmt: skip
    )
    return {p.congress_id: p for p in annual}


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))


def _courses(context, by_congress, congresses, plans, today, per_100):
    rows, days = [], []
    for congress_id, mandates in by_congress.items():
        congress = congresses.get(congress_id)
        if congress is None:
            continue
        for index in range(max(1, len(mandates) * per_100 // 100)):
            # Half held earlier this year, half still to come; each on its own day so no deputy is double-booked.
            # A person sitting at two levels never has two courses on one day: each level has its weekday.
            offset = -(index // 2 + 1) * 7 if index % 2 == 0 else (index // 2 + 1) * 7
            day = today + timedelta(days=offset + LEVEL_DAY[congress.level])
            kind = KINDS[index % len(KINDS)]
            name = "初任培训" if kind == "induction" else "履职学习"
            rows.append(Course(
                congress=congress, region_code=congress.region.code, plan=plans.get(congress_id),
                title=f"{congress.region.name}代表{name}班（第{index + 1}期）",
                kind=kind, mode="offline", place=f"{congress.region.name}代表培训中心", capacity=CAPACITY,
                hours_per_sitting=HOURS, status="published", starts_on=day, ends_on=day,
                published_at=timezone.now(),
            ))  # fmt: skip
            days.append(day)
    courses = Course.objects.bulk_create(rows, batch_size=2000)
    sittings = Sitting.objects.bulk_create(
        [Sitting(course=course, number=number, starts_at=_at(day, start), ends_at=_at(day, start + 3),
                 checkin_code=f"{new_checkin_code()[:4]}{course.pk:07d}{number}")
         for course, day in zip(courses, days, strict=True) for number, start in ((1, 9), (2, 14))],
        batch_size=5000,
    )  # fmt: skip
    by_course: dict[int, list[Sitting]] = {}
    for sitting in sittings:
        by_course.setdefault(sitting.course_id, []).append(sitting)
    return courses, by_course


def _enrolments(rng, courses, by_congress, today) -> list[Enrolment]:
    rows, taken = [], {}
    cursor = dict.fromkeys(by_congress, 0)
    now = timezone.now()
    for course in courses:
        pool = by_congress[course.congress_id]
        past = course.starts_on < today
        size = min(len(pool), CAPACITY + (0 if past else 5))
        start = cursor[course.congress_id]
        cursor[course.congress_id] = (start + size) % len(pool)
        holding = 0
        for n in range(size):
            mandate_id = pool[(start + n) % len(pool)]
            if past:
                status = rng.choices(["confirmed", "declined", "cancelled"], [90, 5, 5])[0]
            elif holding >= CAPACITY:
                status = "waitlisted"
            else:
                status = rng.choices(["confirmed", "nominated", "signed_up", "refused"], [60, 15, 20, 5])[0]
            origin = "self" if status in ("signed_up", "refused") or (status == "waitlisted" and n % 2) else "nominated"
            holding += status in ("confirmed", "nominated", "signed_up")
            rows.append(Enrolment(course=course, mandate_id=mandate_id, origin=origin, status=status,
                                  waitlisted_at=now if status == "waitlisted" else None))  # fmt: skip
        taken[course.pk] = holding
    enrolments = Enrolment.objects.bulk_create(rows, batch_size=5000)
    Course.objects.bulk_update([Course(pk=pk, taken=n) for pk, n in taken.items()], ["taken"], batch_size=5000)
    return enrolments


def _attendance(rng, courses, sittings, enrolments, today) -> int:
    """The roll of past courses' sittings; each present mark earns the course's hours."""
    past = {course.pk for course in courses if course.starts_on < today}
    rows, hours = [], {}
    for enrolment in enrolments:
        if enrolment.course_id not in past or enrolment.status != "confirmed":
            continue
        for sitting in sittings[enrolment.course_id]:
            status = rng.choices(["present", "leave", "absent"], [90, 6, 4])[0]
            credit = HOURS if status == "present" else Decimal(0)
            rows.append((sitting.pk, enrolment.pk, status, "staff" if status != "present" or rng.random() < 0.3 else
                         "code", sitting.starts_at if status == "present" else None, credit))  # fmt: skip
            hours[enrolment.pk] = hours.get(enrolment.pk, Decimal(0)) + credit
    bulk.copy_insert(Attendance, ["sitting_id", "enrolment_id", "status", "channel", "checked_in_at", "hours"], rows)
    Enrolment.objects.bulk_update([Enrolment(pk=pk, hours=h) for pk, h in hours.items() if h], ["hours"],
                                  batch_size=5000)  # fmt: skip
    return len(rows)


def _duty_entries(code: str) -> int:
    """Credit hours land in the duty record, one entry per present mark (the same source as the service's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO deputies_dutyentry (created_at, updated_at, mandate_id, kind_id, date, year, title, quantity, "
            "source, recorded_by_id) "
            "SELECT now(), now(), e.mandate_id, 'training', (s.starts_at AT TIME ZONE %s)::date, "
            "EXTRACT(YEAR FROM s.starts_at AT TIME ZONE %s), c.title || '，第' || s.number || '次', a.hours, "
            "'training:attendance:' || a.id, NULL "
            "FROM training_attendance a JOIN training_enrolment e ON e.id = a.enrolment_id "
            "JOIN training_sitting s ON s.id = a.sitting_id JOIN training_course c ON c.id = s.course_id "
            "WHERE a.status = 'present' AND c.region_code LIKE %s "
            "ON CONFLICT DO NOTHING",
            [timezone.get_current_timezone_name(), timezone.get_current_timezone_name(), code + "%"],
        )
        return cursor.rowcount
