"""Builders for training: deputies with logins, plans with goals, and courses with sittings brought to any state
through the real services."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from congress.models import Role, RoleMembership
from deputies.models import GroupMembership
from tests import factories as core
from tests.deputies.factories import MandateFactory, PersonFactory, current_term
from training import services
from training.models import Course, Goal, Plan, Sitting

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """A local (Beijing) time, e.g. at("2026-05-20 09:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def deputy(congress, **kwargs):
    """An active mandate whose person has a login with the deputy role."""
    user = core.UserFactory()
    RoleMembership.objects.get_or_create(user=user, role=Role.DEPUTY, congress=congress)
    mandate_fields = {k: kwargs.pop(k) for k in ("start_date", "term") if k in kwargs}
    groups = kwargs.pop("groups", ())
    mandate = MandateFactory(congress=congress, person=PersonFactory(user=user, **kwargs), **mandate_fields)
    for group in groups:
        GroupMembership.objects.create(group=group, mandate=mandate)
    return mandate


def course(staff, congress, *, sittings=(("2026-06-01 09:00", "2026-06-01 12:00"),), publish=True, **fields):
    """A course with its sittings (local times), published unless told otherwise."""
    values = {"title": "代表履职学习班", "kind": "duty", "mode": "offline", "place": "代表培训中心", "capacity": 2,
              "hours_per_sitting": 3, **fields}  # fmt: skip
    course = services.save_course(actor=staff, course=Course(congress=congress, **values))
    for number, (start, end) in enumerate(sittings, start=1):
        services.save_sitting(actor=staff, sitting=Sitting(course=course, number=number, starts_at=at(start),
                                                           ends_at=at(end)))  # fmt: skip
    if publish:
        services.publish_course(actor=staff, course_id=course.pk)
    course.refresh_from_db()
    return course


def sign_up(mandate, course):
    return services.sign_up(actor=mandate.person.user, course_id=course.pk, mandate_id=mandate.pk)


def confirmed(mandate, course, staff):
    enrolment = sign_up(mandate, course)
    return services.approve(actor=staff, enrolment_id=enrolment.pk)


def plan(staff, congress, kind="five_year", **fields):
    term = current_term(congress)
    values = {"title": "学习培训五年规划", **fields}
    if kind == "annual":
        values.setdefault("parent", plan(staff, congress))
    existing = Plan.objects.filter(term=term, kind=kind, year=values.get("year")).first()
    if existing:
        return existing
    return services.save_plan(actor=staff, plan=Plan(congress=congress, term=term, kind=kind, **values))


def goal(staff, plan, kind="trained", **fields):
    return services.save_goal(actor=staff, goal=Goal(plan=plan, kind=kind, **fields))


def later(value: datetime, **kwargs) -> datetime:
    return value + timedelta(**kwargs)
