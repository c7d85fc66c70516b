"""Who sees which training records and who may act on them: registered with congress.scope."""

from django.db.models import Q

from congress import scope
from congress.models import Role
from deputies.models import Mandate, MandateStatus

from .models import Attendance, Course, CourseStatus, Enrolment, Goal, Material, Plan, Sitting

CODE_LENGTHS = (0, 2, 4, 6, 9, 12)


def ancestors(code: str) -> set[str]:
    """A division code and the codes of every region above it (the country's is empty)."""
    return {code[:n] for n in CODE_LENGTHS if n <= len(code)}


def course_visibility(user) -> Q:
    """Staff read the courses of their region tree; a deputy reads the published courses of the congresses
    above (or of) their own, and every course they were ever enrolled in."""
    q = scope.prefix_q("region_code", scope.region_prefixes(user))
    if scope.has_role(user, Role.DEPUTY):
        codes = set()
        for code in (
            Mandate.objects.filter(person__user_id=user.pk)
            .exclude(status=MandateStatus.ENDED)
            .values_list("region_code", flat=True)
        ):
            codes |= ancestors(code)
        if codes:
            q |= Q(status=CourseStatus.PUBLISHED, region_code__in=codes)
        q |= Q(pk__in=Enrolment.objects.filter(mandate__person__user_id=user.pk).values("course_id"))
    return q


def _through_course(user) -> Q:
    return Q(course_id__in=scope.visible(user, Course).values("pk"))


scope.register(Plan, scope.ScopeSpec(region="congress__region__code"))
scope.register(Goal, scope.ScopeSpec(region="plan__congress__region__code"))
scope.register(Course, scope.ScopeSpec(custom=course_visibility))
scope.register(Sitting, scope.ScopeSpec(custom=_through_course))
scope.register(Material, scope.ScopeSpec(custom=_through_course))
scope.register(Enrolment, scope.ScopeSpec(region="course__region_code", deputy_user="mandate__person__user_id"))
scope.register(
    Attendance,
    scope.ScopeSpec(region="enrolment__course__region_code", deputy_user="enrolment__mandate__person__user_id"),
)


def congress_id_of(obj) -> int | None:
    if isinstance(obj, Course | Plan):
        return obj.congress_id
    if isinstance(obj, Goal):
        return obj.plan.congress_id if obj.plan_id else None
    if isinstance(obj, Sitting | Material | Enrolment):
        return obj.course.congress_id if obj.course_id else None
    return None


@scope.rule("training.manage")
def manage(user, obj) -> bool:
    """Plans, courses, sittings, nominations, decisions and attendance: staff of the organising congress."""
    return congress_id_of(obj) in scope.congress_ids(user, (Role.STAFF,))


@scope.rule("training.respond")
def respond(user, obj: Enrolment) -> bool:
    """The deputy answers their own nomination and checks in for themselves."""
    return obj.mandate.person.user_id == user.pk


@scope.rule("training.answer")
def answer(user, obj: Enrolment) -> bool:
    """The deputy answers a nomination; the office may record an answer given by phone."""
    return respond(user, obj) or manage(user, obj)


@scope.rule("training.cancel")
def cancel(user, obj: Enrolment) -> bool:
    return respond(user, obj) or manage(user, obj)


@scope.rule("training.view_coverage")
def view_coverage(user, obj: Plan) -> bool:
    return obj.congress_id in scope.congress_ids(user, (Role.STAFF, Role.SUPERVISOR))


def _register_writes():
    from congress.rules import WRITE_ACTIONS

    WRITE_ACTIONS.update(dict.fromkeys((Plan, Goal, Course, Sitting, Material), "training.manage"))


_register_writes()
