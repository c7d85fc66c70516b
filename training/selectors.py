"""Reads of training for the pages, the exports, the API and the reminders: a fixed number of queries each."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from congress import scope
from deputies.models import GroupMembership, Mandate, MandateStatus

from .models import (
    HOLDING,
    LIVE,
    Attendance,
    AttendanceStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Goal,
    GoalKind,
    Plan,
    Sitting,
)


def earlier_mandate(outer: str = "") -> Exists:
    """A mandate of the same person in the same congress in an earlier term: the deputy is not new."""
    return Exists(
        Mandate.objects.filter(
            person_id=OuterRef(f"{outer}person_id"),
            congress_id=OuterRef(f"{outer}congress_id"),
            term__start_date__lt=OuterRef(f"{outer}term__start_date"),
        )
    )


def new_deputies(mandates):
    """Mandates of deputies serving their first term in that congress (新任代表)."""
    return mandates.filter(~earlier_mandate())


def eligible_mandates(course: Course):
    """Active mandates in the course's audience: its congress's region and below, narrowed by levels, regions,
    groups and new deputies only."""
    queryset = Mandate.objects.filter(
        status=MandateStatus.ACTIVE, congress__region__code__startswith=course.region_code
    )
    if course.audience_levels:
        queryset = queryset.filter(level__in=course.audience_levels)
    if course.audience_regions:
        regions = Q(pk__in=[])
        for code in course.audience_regions:
            regions |= Q(congress__region__code__startswith=code)
        queryset = queryset.filter(regions)
    group_ids = [group.pk for group in course.audience_groups.all()]
    if group_ids:
        # In the audience through any of the deputy's groups; a subquery, so each mandate comes once.
        queryset = queryset.filter(
            Exists(GroupMembership.objects.filter(mandate_id=OuterRef("pk"), group_id__in=group_ids))
        )
    if course.new_deputies_only:
        queryset = new_deputies(queryset)
    return queryset


def in_audience(course: Course, mandate: Mandate, *, is_new: bool, group_ids: set[int]) -> bool:
    """The same test as eligible_mandates for one mandate already loaded (the course list of a deputy), its
    memberships prefetched (my_mandates)."""
    code = mandate.congress.region.code
    return (
        mandate.status == MandateStatus.ACTIVE
        and code.startswith(course.region_code)
        and (not course.audience_levels or mandate.level in course.audience_levels)
        and (not course.audience_regions or any(code.startswith(r) for r in course.audience_regions))
        and (not group_ids or any(m.group_id in group_ids for m in mandate.memberships.all()))
        and (not course.new_deputies_only or is_new)
    )


def overlapping(course: Course, person_ids) -> dict[int, Course]:
    """For each of the persons, another course they are enrolled in (live) with a sitting at the same time as a
    sitting of this course."""
    sittings = list(course.sittings.values_list("starts_at", "ends_at"))
    if not sittings or not person_ids:
        return {}
    clash = Q(pk__in=[])
    for starts_at, ends_at in sittings:
        clash |= Q(starts_at__lt=ends_at, ends_at__gt=starts_at)
    busy = Sitting.objects.filter(clash).exclude(course_id=course.pk).values("course_id")
    rows = (
        Enrolment.objects.filter(mandate__person_id__in=person_ids, status__in=LIVE, course_id__in=busy)
        .exclude(course__status=CourseStatus.CANCELLED)
        .select_related("course", "mandate")
        .order_by("id")
    )
    found = {}
    for enrolment in rows:
        found.setdefault(enrolment.mandate.person_id, enrolment.course)
    return found


def waitlist_position(enrolment: Enrolment) -> int:
    return (
        Enrolment.objects.filter(course_id=enrolment.course_id, status=EnrolmentStatus.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=enrolment.waitlisted_at) | Q(waitlisted_at=enrolment.waitlisted_at, id__lt=enrolment.pk)
        )
        .count()
        + 1
    )


# The deputy's pages


def my_mandates(user) -> list[Mandate]:
    """The user's active mandates, each marked new or not, with its congress's region."""
    return list(
        Mandate.objects.filter(person__user=user, status=MandateStatus.ACTIVE)
        .select_related("congress__region", "term")
        .prefetch_related("memberships")
        .annotate(is_new=~earlier_mandate())
        .order_by("-term__start_date", "pk")
    )


def open_courses(user, today: date | None = None):
    """Published courses not yet over that the user can see, with their sittings and audience groups."""
    today = today or timezone.localdate()
    return (
        scope.visible(user, Course)
        .filter(status=CourseStatus.PUBLISHED)
        .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True))
        .select_related("congress", "organiser")
        .prefetch_related("audience_groups", Prefetch("sittings", queryset=Sitting.objects.order_by("starts_at")))
        .order_by("starts_on", "id")
    )


def courses_for_deputy(user, mandates=None) -> list[Course]:
    """The open courses a deputy may sign up for (one of their mandates is in the audience: `eligible`) or is
    enrolled in (`enrolment`): their course list, and the count on their home page."""
    mandates = my_mandates(user) if mandates is None else mandates
    mine = {e.course_id: e for e in Enrolment.objects.filter(mandate__in=mandates, status__in=LIVE).order_by("id")}
    rows = []
    for course in open_courses(user):
        group_ids = {g.pk for g in course.audience_groups.all()}
        course.eligible = [m for m in mandates if in_audience(course, m, is_new=m.is_new, group_ids=group_ids)]
        course.enrolment = mine.get(course.pk)
        if course.eligible or course.enrolment:
            rows.append(course)
    return rows


def my_enrolments(user):
    return (
        Enrolment.objects.filter(mandate__person__user=user)
        .select_related("course__congress", "mandate__congress")
        .prefetch_related(
            Prefetch("course__sittings", queryset=Sitting.objects.order_by("starts_at")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("sitting")),
        )
        .order_by("-course__starts_on", "-id")
    )


def hours_by_year(user) -> list[dict]:
    """The deputy's credit hours per year (present sittings), newest year first."""
    rows = (
        Attendance.objects.filter(enrolment__mandate__person__user=user, status=AttendanceStatus.PRESENT)
        .values("sitting__starts_at__year")
        .annotate(hours=Sum("hours"), sittings=Count("id"), courses=Count("enrolment__course", distinct=True))
        .order_by("-sitting__starts_at__year")
    )
    return [{"year": r["sitting__starts_at__year"], "hours": r["hours"], "sittings": r["sittings"],
             "courses": r["courses"]} for r in rows]  # fmt: skip


# Staff


def courses_for_staff(user):
    return (
        scope.visible(user, Course)
        .select_related("congress", "plan")
        .annotate(
            waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
            to_decide=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.SIGNED_UP)),
        )
        .order_by("-starts_on", "-id")
    )


def course_enrolments(course: Course):
    return (
        Enrolment.objects.filter(course=course)
        .select_related("mandate__person", "mandate__congress")
        .order_by("status", "waitlisted_at", "id")
    )


def sitting_roll(sitting: Sitting) -> list[Enrolment]:
    """The confirmed deputies of a sitting's course, each with `mark` (their attendance, or None)."""
    marks = {a.enrolment_id: a for a in Attendance.objects.filter(sitting=sitting)}
    rows = list(
        Enrolment.objects.filter(course_id=sitting.course_id, status=EnrolmentStatus.CONFIRMED)
        .select_related("mandate__person")
        .order_by("mandate__person__name", "id")
    )
    for enrolment in rows:
        enrolment.mark = marks.get(enrolment.pk)
    return rows


def sittings_tomorrow(today: date):
    """Sittings of published courses that start the day after today (local time)."""
    tz = timezone.get_current_timezone()
    day = date.fromordinal(today.toordinal() + 1)
    first = timezone.make_aware(datetime.combine(day, time.min), tz)
    last = timezone.make_aware(datetime.combine(date.fromordinal(day.toordinal() + 1), time.min), tz)
    return (
        Sitting.objects.filter(starts_at__gte=first, starts_at__lt=last, course__status=CourseStatus.PUBLISHED)
        .select_related("course")
        .order_by("starts_at", "id")
    )


# Coverage


@dataclass
class GoalCoverage:
    goal: Goal
    population: int
    met: int
    missing_ids: list = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        if not self.population:
            return None
        return (Decimal(100 * self.met) / self.population).quantize(Decimal("0.1"))

    @property
    def reached(self) -> bool:
        return self.percent is not None and self.percent >= self.goal.target_percent


def goal_population(goal: Goal):
    """The mandates a goal counts: the plan congress's deputies (or a level's in its region), serving during
    the plan; for induction, the new deputies who took their seat in the plan period."""
    plan = goal.plan
    queryset = Mandate.objects.filter(start_date__lte=plan.end_date).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=plan.start_date)
    )
    if goal.level:
        queryset = queryset.filter(congress__region__code__startswith=plan.congress.region.code, level=goal.level)
    else:
        queryset = queryset.filter(congress_id=plan.congress_id, term_id=plan.term_id)
    if goal.grassroots_only:
        queryset = queryset.filter(person__grassroots=True)
    if goal.kind == GoalKind.INDUCTION:
        queryset = new_deputies(queryset.filter(start_date__gte=plan.start_date))
    return queryset


def _local(value: datetime) -> date:
    return timezone.localtime(value).date()


def goal_coverage(goal: Goal) -> GoalCoverage:
    """How many deputies of the goal's population reached it: two queries (population, attended sittings)."""
    plan = goal.plan
    population = dict(goal_population(goal).values_list("pk", "start_date"))
    present = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT, enrolment__mandate_id__in=goal_population(goal).values("pk")
    )
    if goal.counted_kind:
        present = present.filter(enrolment__course__kind=goal.counted_kind)
    if goal.kind == GoalKind.TRAINED:
        tz = timezone.get_current_timezone()
        present = present.filter(
            sitting__starts_at__gte=timezone.make_aware(datetime.combine(plan.start_date, time.min), tz),
            sitting__starts_at__lt=timezone.make_aware(
                datetime.combine(date.fromordinal(plan.end_date.toordinal() + 1), time.min), tz
            ),
        )
    courses = defaultdict(set)
    ends = {}
    for mandate_id, course_id, starts_at in present.values_list(
        "enrolment__mandate_id", "enrolment__course_id", "sitting__starts_at"
    ):
        day = _local(starts_at)
        if goal.kind == GoalKind.INDUCTION:
            start = population[mandate_id]
            if mandate_id not in ends:
                ends[mandate_id] = _add_months(start, goal.within_months)
            if not (start <= day <= ends[mandate_id]):
                continue
        courses[mandate_id].add(course_id)
    met = {pk for pk, attended in courses.items() if len(attended) >= goal.min_courses}
    missing = sorted(pk for pk in population if pk not in met)
    return GoalCoverage(goal=goal, population=len(population), met=len(population) - len(missing),
                        missing_ids=missing)  # fmt: skip


def _add_months(start: date, months: int) -> date:
    """The same day `months` later (or that month's last day): the first year ends on its anniversary."""
    import calendar as pycalendar

    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, pycalendar.monthrange(year, month)[1]))


def coverage(plan: Plan) -> list[GoalCoverage]:
    return [
        goal_coverage(goal) for goal in plan.goals.select_related("plan__congress__region").order_by("position", "id")
    ]


def missing_mandates(ids):
    return Mandate.objects.filter(pk__in=ids).select_related("person", "congress").order_by("person__name", "id")


def plan_courses(plan: Plan, now: datetime | None = None):
    """The plan's courses (an annual plan's, or a five-year plan's with its annual plans') with attendance:
    sittings held, confirmed deputies, present marks, and the rate present / (confirmed × held)."""
    now = now or timezone.now()
    held = Sitting.objects.filter(course_id=OuterRef("pk"), starts_at__lte=now).values("course_id")
    held = held.annotate(n=Count("id")).values("n")
    enrolled = Enrolment.objects.filter(course_id=OuterRef("pk"), status=EnrolmentStatus.CONFIRMED).values("course_id")
    enrolled = enrolled.annotate(n=Count("id")).values("n")
    present = Attendance.objects.filter(enrolment__course_id=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    present = present.values("enrolment__course_id").annotate(n=Count("id")).values("n")
    zero = Value(0, output_field=IntegerField())
    rows = list(
        Course.objects.filter(Q(plan=plan) | Q(plan__parent=plan))
        .exclude(status=CourseStatus.CANCELLED)
        .annotate(
            held=Coalesce(Subquery(held, output_field=IntegerField()), zero),
            enrolled=Coalesce(Subquery(enrolled, output_field=IntegerField()), zero),
            present=Coalesce(Subquery(present, output_field=IntegerField()), zero),
        )
        .order_by("starts_on", "id")
    )
    for course in rows:
        expected = course.enrolled * course.held
        course.rate = (Decimal(100 * course.present) / expected).quantize(Decimal("0.1")) if expected else None
    return rows


def hours_per_deputy(plan: Plan):
    """Credit hours each deputy earned in the plan period on the plan congress's courses and any other."""
    tz = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.combine(plan.start_date, time.min), tz)
    after = timezone.make_aware(datetime.combine(date.fromordinal(plan.end_date.toordinal() + 1), time.min), tz)
    return (
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            sitting__starts_at__gte=first,
            sitting__starts_at__lt=after,
            enrolment__mandate__congress_id=plan.congress_id,
        )
        .values("enrolment__mandate_id", "enrolment__mandate__person__name")
        .annotate(hours=Sum("hours"), sittings=Count("id"), courses=Count("enrolment__course_id", distinct=True))
        .order_by("-hours", "enrolment__mandate__person__name", "enrolment__mandate_id")
    )


def mandate_hours(mandates, year: int | None = None):
    """Mandates annotated with their credit hours (all years, or one), for the API's hours list."""
    attended = Q(training_enrolments__attendance__status=AttendanceStatus.PRESENT)
    if year:
        attended &= Q(training_enrolments__attendance__sitting__starts_at__year=year)
    return mandates.filter(Exists(Enrolment.objects.filter(mandate_id=OuterRef("pk"), hours__gt=0))).annotate(
        training_hours=Coalesce(Sum("training_enrolments__attendance__hours", filter=attended), Decimal(0)),
        training_courses=Count("training_enrolments", filter=Q(training_enrolments__hours__gt=0), distinct=True),
    )


def holding_count(course_id: int) -> int:
    return Enrolment.objects.filter(course_id=course_id, status__in=HOLDING).count()
