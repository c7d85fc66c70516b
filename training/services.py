"""Every write on training: the console, the staff and deputy pages and the API call these.

Each action locks its rows (the course first, then its enrolments in primary-key order), checks who may act
(rules.py) and the state, and moves an enrolment through the table in workflow.py, which opens and closes the
confirmation deadline and writes the audit log; its notices are stored in the same transaction and sent after
commit. A course's places are counted in `Course.taken`, changed only under the course's row lock, and a database
constraint keeps it within the capacity: two deputies racing for the last place get it one after the other, the
second onto the waiting list."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, deadlines, policies, scope, uploads
from congress.errors import Forbidden, RuleViolation
from congress.workdays import Calendar
from deputies.models import DeputyGroup, Mandate
from deputies.services import acting_mandates, record_duty

from . import notices, selectors, workflow
from .models import (
    HOLDING,
    LIVE,
    Attendance,
    AttendanceStatus,
    Channel,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Goal,
    Material,
    Origin,
    Plan,
    Sitting,
)


def _lock_course(course_id: int) -> Course:
    course = (
        Course.objects.select_for_update(of=("self",)).select_related("congress__region").filter(pk=course_id).first()
    )
    if course is None:
        raise RuleViolation(_("The course does not exist."))
    return course


def _set_course_status(actor, course: Course, action: str, target: str, **extra) -> None:
    # A course's few states have no table: a wrong one is refused by the service's own checks (400).
    before = course.status
    course.status = target
    audit.record(actor, course, action, {"status": (before, target)}, **extra)


# Plans and goals


def save_plan(*, actor, plan: Plan) -> Plan:
    """Create or change a five-year or annual plan of a congress's term."""
    with transaction.atomic(), audit.acting_as(actor):
        if plan.pk:
            current = Plan.objects.select_for_update().get(pk=plan.pk)
            scope.require(actor, "training.manage", current)
        plan.full_clean()
        scope.require(actor, "training.manage", plan)
        plan.save()
    return plan


def save_goal(*, actor, goal: Goal) -> Goal:
    """Create or change a plan's coverage target."""
    with transaction.atomic(), audit.acting_as(actor):
        Plan.objects.select_for_update().filter(pk=goal.plan_id).first()
        goal.full_clean()
        scope.require(actor, "training.manage", goal)
        goal.save()
    return goal


# Courses, sittings and materials


def save_course(*, actor, course: Course, groups=None) -> Course:
    """Create or change a course; a larger capacity gives freed places to the waiting list at once."""
    with transaction.atomic(), audit.acting_as(actor):
        current = _lock_course(course.pk) if course.pk else None
        if current is not None:
            scope.require(actor, "training.manage", current)
            course.taken = current.taken
            if current.status == CourseStatus.CANCELLED:
                raise RuleViolation(_("The course is cancelled; it cannot be changed."))
            if course.congress_id != current.congress_id:
                raise RuleViolation(fields={"congress": [_("A course stays with the congress that organises it.")]})
        if course.capacity is not None and course.capacity < course.taken:
            raise RuleViolation(
                fields={
                    "capacity": [
                        _("%(n)s places are already taken; cancel enrolments before reducing the places below that.")
                        % {"n": course.taken}
                    ]
                }  # fmt: skip
            )
        course.full_clean()
        scope.require(actor, "training.manage", course)
        if groups is not None:
            # A course's audience is among its own congress's deputy groups, never another county's.
            groups = scope.referenced(
                DeputyGroup.objects.filter(congress_id=course.congress_id), [getattr(g, "pk", g) for g in groups],
                field="audience_groups", message=_("Choose deputy groups of the course's congress."),
            )  # fmt: skip
        course.save()
        if groups is not None:
            course.audience_groups.set(groups)
        if current is not None and course.status == CourseStatus.PUBLISHED and course.capacity > current.capacity:
            _promote(actor, course)
    return course


def publish_course(*, actor, course_id: int) -> Course:
    """Open a course to sign-up and nomination; it needs its sittings first."""
    with transaction.atomic(), audit.acting_as(actor):
        course = _lock_course(course_id)
        scope.require(actor, "training.manage", course)
        if course.status != CourseStatus.DRAFT:
            raise RuleViolation(_("Only a draft course can be published."))
        if not course.sittings.exists():
            raise RuleViolation(_("Add the course's sittings before publishing it."))
        course.published_at = timezone.now()
        _set_course_status(actor, course, "publish", CourseStatus.PUBLISHED)
        course.save()
    return course


def cancel_course(*, actor, course_id: int, reason: str) -> Course:
    """Call a course off: every live enrolment is cancelled and its deputy told."""
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Say why the course is cancelled.")]})
    with transaction.atomic(), audit.acting_as(actor):
        course = _lock_course(course_id)
        scope.require(actor, "training.manage", course)
        if course.status == CourseStatus.CANCELLED:
            raise RuleViolation(_("The course is already cancelled."))
        if Attendance.objects.filter(sitting__course=course).exists():
            raise RuleViolation(_("Attendance is recorded for this course; it can no longer be cancelled."))
        live = list(Enrolment.objects.select_for_update().filter(course=course, status__in=LIVE).order_by("pk"))
        for enrolment in live:
            enrolment.course, enrolment.note = course, reason[:500]
            # The places go with the course: who may cancel it was asked above, not again for each place.
            workflow.ENROLMENT.apply(actor, enrolment, "cancel", by_system=True, fields=["note"], reason=reason)
        course.taken = 0
        course.cancelled_at, course.cancel_reason = timezone.now(), reason[:500]
        _set_course_status(actor, course, "cancel", CourseStatus.CANCELLED, reason=reason)
        course.save()
        notices.enqueue("course_cancelled", [e.pk for e in live])
    return course


def save_sitting(*, actor, sitting: Sitting) -> Sitting:
    """Add or move a sitting; no deputy enrolled in the course may have another course's sitting at that time."""
    with transaction.atomic(), audit.acting_as(actor):
        course = _lock_course(sitting.course_id)
        scope.require(actor, "training.manage", course)
        if course.status == CourseStatus.CANCELLED:
            raise RuleViolation(_("The course is cancelled; it cannot be changed."))
        if not sitting.number:
            sitting.number = (course.sittings.aggregate(n=Max("number"))["n"] or 0) + 1
        sitting.full_clean()
        same_time = Sitting.objects.filter(starts_at__lt=sitting.ends_at, ends_at__gt=sitting.starts_at)
        if same_time.filter(course=course).exclude(pk=sitting.pk).exists():
            raise RuleViolation(fields={"starts_at": [_("Another sitting of this course is at that time.")]})
        elsewhere = same_time.exclude(course=course).values("course_id")
        busy = (
            Enrolment.objects.filter(status__in=LIVE, course_id__in=elsewhere)
            .exclude(course__status=CourseStatus.CANCELLED)
            .filter(mandate__person_id__in=Enrolment.objects.filter(course=course, status__in=LIVE).values(
                "mandate__person_id"))
            .select_related("mandate__person", "course")
            .first()
        )  # fmt: skip
        if busy is not None:
            raise RuleViolation(
                fields={"starts_at": [_("%(name)s, enrolled in this course, has a sitting of %(other)s at that "
                                        "time.") % {"name": busy.mandate.person.name, "other": busy.course}]}
            )  # fmt: skip
        sitting.save()
        _refresh_days(course)
    return sitting


def _refresh_days(course: Course) -> None:
    span = course.sittings.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    course.starts_on = timezone.localtime(span["first"]).date() if span["first"] else None
    course.ends_on = timezone.localtime(span["last"]).date() if span["last"] else None
    course.save(update_fields=["starts_on", "ends_on", "updated_at"])


def add_material(*, actor, course_id: int, title: str, file=None, url: str = "") -> Material:
    """Hand out a file (PDF or image, checked by content) or a link for a course."""
    if not title.strip():
        raise RuleViolation(fields={"title": [_("Give the material a title.")]})
    if bool(file) == bool(url):
        raise RuleViolation(fields={"file": [_("Give either a file or a link.")]})
    if file:
        uploads.check(file, kind="document", field="file")
    with transaction.atomic(), audit.acting_as(actor):
        course = _lock_course(course_id)
        scope.require(actor, "training.manage", course)
        material = Material(course=course, title=title[:200], file=file or "", url=url)
        material.full_clean()
        material.save()
    return material


def save_material(*, actor, material: Material) -> Material:
    """The console's material form: the same checks as add_material."""
    uploads.check_new(material.file, kind="document", field="file")
    with transaction.atomic(), audit.acting_as(actor):
        course = _lock_course(material.course_id)
        scope.require(actor, "training.manage", course)
        material.full_clean()
        material.save()
    return material


# Enrolment


@dataclass
class Nomination:
    """What a nomination did: who got a place, who went onto the waiting list, who was left out and why."""

    nominated: list = field(default_factory=list)
    waitlisted: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (name, reason)


def _check_open(course: Course) -> None:
    if course.status != CourseStatus.PUBLISHED:
        raise RuleViolation(_("The course is not published; publish it before enrolling deputies."))
    if course.ends_on and course.ends_on < timezone.localdate():
        raise RuleViolation(_("The course is over."))


def nominate(*, actor, course_id: int, mandate_ids) -> Nomination:
    """Staff name deputies for a course (点名): each gets a place while places last, then the waiting list.
    Deputies outside the audience, already enrolled or busy at a sitting's time are left out and named."""
    wanted = sorted({int(pk) for pk in mandate_ids})
    if not wanted:
        raise RuleViolation(fields={"mandates": [_("Choose at least one deputy.")]})
    result = Nomination()
    with transaction.atomic(), audit.acting_as(actor):
        course = _lock_course(course_id)
        scope.require(actor, "training.manage", course)
        _check_open(course)
        candidates = {m.pk: m for m in Mandate.objects.filter(pk__in=wanted).select_related("person__user")}
        eligible = set(selectors.eligible_mandates(course).filter(pk__in=wanted).values_list("pk", flat=True))
        enrolled = set(
            Enrolment.objects.filter(course=course, status__in=LIVE, mandate_id__in=wanted).values_list(
                "mandate_id", flat=True
            )
        )
        clashes = selectors.overlapping(course, {m.person_id for m in candidates.values()})
        calendar = Calendar.load()
        now = timezone.now()
        for pk in wanted:
            mandate = candidates.get(pk)
            if mandate is None:
                result.skipped.append((str(pk), _("no such deputy")))
            elif pk not in eligible:
                result.skipped.append((mandate.person.name, _("not in the course's audience")))
            elif pk in enrolled:
                result.skipped.append((mandate.person.name, _("already enrolled")))
            elif mandate.person_id in clashes:
                result.skipped.append(
                    (
                        mandate.person.name,
                        _("busy at that time with %(course)s") % {"course": clashes[mandate.person_id]},
                    )
                )
            else:
                full = course.taken >= course.capacity
                enrolment = Enrolment.objects.create(
                    course=course, mandate=mandate, origin=Origin.NOMINATED, nominated_by=actor,
                    status=EnrolmentStatus.WAITLISTED if full else EnrolmentStatus.NOMINATED,
                    waitlisted_at=now if full else None,
                )  # fmt: skip
                if full:
                    result.waitlisted.append(enrolment)
                else:
                    course.taken += 1
                    workflow.start_confirm_clock(enrolment, calendar)
                    result.nominated.append(enrolment)
        if not result.nominated and not result.waitlisted:
            reasons = "; ".join(f"{name}: {reason}" for name, reason in result.skipped)
            raise RuleViolation(
                fields={"mandates": [_("Nobody could be nominated (%(reasons)s).") % {"reasons": reasons}]}
            )
        course.save(update_fields=["taken", "updated_at"])
        audit.record(actor, course, "nominate", nominated=len(result.nominated), waitlisted=len(result.waitlisted),
                     skipped=len(result.skipped))  # fmt: skip
        notices.enqueue("nominated", [e.pk for e in result.nominated])
        notices.enqueue("waitlisted", [e.pk for e in result.waitlisted])
    return result


def nominate_new_deputies(*, actor, course_id: int) -> Nomination:
    """Nominate every new deputy of the organising congress's current term in the course's audience."""
    course = Course.objects.select_related("congress__region").filter(pk=course_id).first()
    if course is None:
        raise RuleViolation(_("The course does not exist."))
    scope.require(actor, "training.manage", course)
    term = course.plan.term if course.plan_id else course.congress.terms.order_by("-number").first()
    ids = list(
        selectors.new_deputies(selectors.eligible_mandates(course))
        .filter(congress_id=course.congress_id, term=term)
        .exclude(training_enrolments__course=course, training_enrolments__status__in=LIVE)
        .values_list("pk", flat=True)
    )
    if not ids:
        raise RuleViolation(_("Every new deputy of the term in the course's audience is already enrolled."))
    return nominate(actor=actor, course_id=course_id, mandate_ids=ids)


def sign_up(*, actor, course_id: int, mandate_id: int) -> Enrolment:
    """A deputy signs up (报名) under one of their mandates: a place while places last, else the waiting list."""
    mandate = acting_mandates(actor).select_related("person__user").filter(pk=mandate_id).first()
    if mandate is None:
        raise Forbidden(_("Only a deputy with an active mandate may sign up under it."))
    with transaction.atomic(), audit.acting_as(actor):
        course = _lock_course(course_id)
        if not scope.visible(actor, Course).filter(pk=course.pk).exists():
            raise RuleViolation(_("The course does not exist."))
        _check_open(course)
        if not course.self_enrolment:
            raise RuleViolation(_("Places on this course are given by nomination only."))
        today = timezone.localdate()
        if course.sign_up_until and course.sign_up_until < today:
            raise RuleViolation(_("Sign-up closed on %(date)s.") % {"date": course.sign_up_until.isoformat()})
        if course.sittings.filter(starts_at__lte=timezone.now()).exists():
            raise RuleViolation(_("The course has already started; sign-up is closed."))
        if not selectors.eligible_mandates(course).filter(pk=mandate.pk).exists():
            raise RuleViolation(_("The course is meant for other deputies (see its audience)."))
        if Enrolment.objects.filter(course=course, mandate__person_id=mandate.person_id, status__in=LIVE).exists():
            raise RuleViolation(_("You are already enrolled in this course."))
        clash = selectors.overlapping(course, [mandate.person_id]).get(mandate.person_id)
        if clash is not None:
            raise RuleViolation(
                _("You are enrolled in %(course)s, which has a sitting at the same time.") % {"course": clash}
            )
        full = course.taken >= course.capacity
        enrolment = Enrolment.objects.create(
            course=course, mandate=mandate, origin=Origin.SELF,
            status=EnrolmentStatus.WAITLISTED if full else EnrolmentStatus.SIGNED_UP,
            waitlisted_at=timezone.now() if full else None,
        )  # fmt: skip
        if not full:
            course.taken += 1
            course.save(update_fields=["taken", "updated_at"])
        audit.record(actor, enrolment, "sign_up", {"status": ("", enrolment.status)})
        notices.enqueue("waitlisted" if full else "signed_up", [enrolment.pk])
    return enrolment


def _lock_enrolment(enrolment_id: int) -> tuple[Course, Enrolment]:
    """The course first, then the enrolment: the same order as every other training write."""
    course_id = Enrolment.objects.filter(pk=enrolment_id).values_list("course_id", flat=True).first()
    if course_id is None:
        raise RuleViolation(_("The enrolment does not exist."))
    course = _lock_course(course_id)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",)).select_related("mandate__person__user").get(pk=enrolment_id)
    )
    enrolment.course = course
    return course, enrolment


def _answer(*, actor, enrolment_id: int, action: str, note: str = "") -> Enrolment:
    with transaction.atomic(), audit.acting_as(actor):
        course, enrolment = _lock_enrolment(enrolment_id)
        # Who may act first: the state of someone else's place is not told to those who may not act on it.
        move = workflow.ENROLMENT.allow(actor, enrolment, action)
        if action == "cancel" and enrolment.attendance.exists():
            raise RuleViolation(_("Attendance is already recorded for this place; it can no longer be cancelled."))
        freed = enrolment.holds_place and move.target not in HOLDING
        by_office = actor.pk != enrolment.mandate.person.user_id
        if action in ("confirm", "decline"):
            enrolment.responded_at = timezone.now()
        if by_office:
            enrolment.decided_by = actor
        if note:
            enrolment.note = note[:500]
        move.apply(note=note)
        if action == "cancel":
            notices.enqueue("cancel" if by_office else "gave_up", [enrolment.pk])
        elif action == "confirm" and by_office:
            notices.enqueue("approve", [enrolment.pk])  # an answer given by phone: the deputy gets the confirmation
        if freed:
            course.taken -= 1
            course.save(update_fields=["taken", "updated_at"])
            _promote(actor, course)
    return enrolment


def confirm(*, actor, enrolment_id: int) -> Enrolment:
    """The nominated deputy takes the place."""
    return _answer(actor=actor, enrolment_id=enrolment_id, action="confirm")


def decline(*, actor, enrolment_id: int, note: str = "") -> Enrolment:
    """The nominated deputy cannot come; the place goes to the waiting list."""
    return _answer(actor=actor, enrolment_id=enrolment_id, action="decline", note=note)


def approve(*, actor, enrolment_id: int) -> Enrolment:
    """Staff confirm a deputy's sign-up."""
    return _answer(actor=actor, enrolment_id=enrolment_id, action="approve")


def refuse(*, actor, enrolment_id: int, note: str) -> Enrolment:
    """Staff refuse a sign-up, saying why; the place goes to the waiting list."""
    if not note.strip():
        raise RuleViolation(fields={"note": [_("Tell the deputy why the sign-up is refused.")]})
    return _answer(actor=actor, enrolment_id=enrolment_id, action="refuse", note=note)


def cancel(*, actor, enrolment_id: int, note: str = "") -> Enrolment:
    """The deputy (or staff) gives up a place or a waiting-list spot before attending."""
    return _answer(actor=actor, enrolment_id=enrolment_id, action="cancel", note=note)


def _promote(actor, course: Course) -> list[Enrolment]:
    """Fill free places from the waiting list in order (the course row is locked by the caller)."""
    promoted = []
    calendar = None
    while course.taken < course.capacity:
        waiting = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("mandate__person__user")
            .filter(course=course, status=EnrolmentStatus.WAITLISTED)
            .order_by("waitlisted_at", "id")
            .first()
        )
        if waiting is None:
            break
        waiting.course = course
        target = EnrolmentStatus.NOMINATED if waiting.origin == Origin.NOMINATED else EnrolmentStatus.SIGNED_UP
        waiting.waitlisted_at = None
        if target == EnrolmentStatus.NOMINATED:
            calendar = calendar or Calendar.load()  # once for every promotion
        # The freed place goes to the next in line whoever freed it: no one's permission is asked.
        workflow.ENROLMENT.apply(actor, waiting, "promote", by_system=True, target=target, calendar=calendar)
        course.taken += 1
        promoted.append(waiting)
    if promoted:
        course.save(update_fields=["taken", "updated_at"])
        notices.enqueue("promoted", [e.pk for e in promoted])
    return promoted


# Attendance


def _credit(attendance: Attendance, enrolment: Enrolment, sitting: Sitting, course: Course) -> None:
    """A present deputy earns the course's hours, in the enrolment and once in their duty record."""
    attendance.hours = course.hours_per_sitting
    attendance.save()
    enrolment.hours += attendance.hours
    enrolment.save(update_fields=["hours", "updated_at"])
    title = _("%(course)s, sitting %(number)s") % {"course": course.title, "number": sitting.number}
    record_duty(
        mandate=enrolment.mandate, kind_code="training", on=timezone.localtime(sitting.starts_at).date(),
        title=title, quantity=attendance.hours, source=f"training:attendance:{attendance.pk}",
    )  # fmt: skip


def _margin(course: Course) -> timedelta:
    return timedelta(minutes=int(policies.policy(course.congress, "training.checkin_margin_minutes")))


def record_attendance(*, actor, sitting_id: int, marks: dict) -> int:
    """Staff take the roll of a sitting: {enrolment id: present | leave | absent}; returns marks changed.

    A mark for anyone without a confirmed place on the course is refused; a deputy recorded present stays
    present (their hours are in the duty record)."""
    sitting = Sitting.objects.filter(pk=sitting_id).first()
    if sitting is None:
        raise RuleViolation(_("The sitting does not exist."))
    marks = {int(pk): status for pk, status in marks.items()}
    bad = sorted({status for status in marks.values() if status not in AttendanceStatus.values})
    if bad:
        raise RuleViolation(fields={"marks": [_("Unknown attendance mark: %(marks)s.") % {"marks": ", ".join(bad)}]})
    changed = 0
    with transaction.atomic(), audit.acting_as(actor):
        course = _lock_course(sitting.course_id)
        scope.require(actor, "training.manage", course)
        if course.status == CourseStatus.CANCELLED:
            raise RuleViolation(_("The course is cancelled."))
        if timezone.now() < sitting.starts_at - _margin(course):
            raise RuleViolation(
                _("The roll opens when the sitting starts (%(time)s).")
                % {"time": timezone.localtime(sitting.starts_at).strftime("%Y-%m-%d %H:%M")}
            )
        enrolments = {
            e.pk: e
            for e in Enrolment.objects.select_for_update(of=("self",))
            .select_related("mandate__person")
            .filter(pk__in=list(marks))
            .order_by("pk")
        }
        for pk in sorted(marks):
            enrolment = enrolments.get(pk)
            if enrolment is None or enrolment.course_id != course.pk:
                raise RuleViolation(_("Enrolment %(id)s is not an enrolment in this course.") % {"id": pk})
            if enrolment.status != EnrolmentStatus.CONFIRMED:
                raise RuleViolation(
                    _("%(name)s has no confirmed place on this course (%(state)s).")
                    % {"name": enrolment.mandate.person.name, "state": EnrolmentStatus(enrolment.status).label}
                )
        existing = {a.enrolment_id: a for a in Attendance.objects.filter(sitting=sitting, enrolment_id__in=list(marks))}
        now = timezone.now()
        for pk in sorted(marks):
            status, enrolment = marks[pk], enrolments[pk]
            attendance = existing.get(pk)
            if attendance is not None and attendance.status == status:
                continue
            if attendance is not None and attendance.status == AttendanceStatus.PRESENT:
                raise RuleViolation(
                    _("%(name)s is already recorded present at this sitting; that stays.")
                    % {"name": enrolment.mandate.person.name}
                )
            if attendance is None:
                attendance = Attendance(sitting=sitting, enrolment=enrolment)
            attendance.status, attendance.channel, attendance.recorded_by = status, Channel.STAFF, actor
            if status == AttendanceStatus.PRESENT:
                attendance.checked_in_at = now
                _credit(attendance, enrolment, sitting, course)
            else:
                attendance.hours = 0
                attendance.save()
            changed += 1
        audit.record(actor, sitting, "attendance", changed=changed)
    return changed


def check_in(*, actor, code: str, channel: str = Channel.CODE) -> Attendance:
    """A deputy checks in at a sitting with its code or link, only while check-in is open; once is enough."""
    code = (code or "").strip().upper()
    sitting = Sitting.objects.select_related("course__congress").filter(checkin_code=code).first() if code else None
    if sitting is None:
        raise RuleViolation(fields={"code": [_("No sitting has this check-in code.")]})
    course = sitting.course
    if course.status != CourseStatus.PUBLISHED:
        raise RuleViolation(_("The course is not running."))
    now, margin = timezone.now(), _margin(course)
    opens, closes = sitting.starts_at - margin, sitting.ends_at + margin
    if not opens <= now <= closes:
        raise RuleViolation(
            fields={"code": [_("Check-in for this sitting is open from %(opens)s to %(closes)s.") % {
                "opens": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(closes).strftime("%Y-%m-%d %H:%M")}]}
        )  # fmt: skip
    found = (
        Enrolment.objects.filter(course=course, mandate__person__user_id=actor.pk, status__in=LIVE)
        .values_list("pk", "status")
        .first()
    )
    if found is None:
        raise RuleViolation(fields={"code": [_("You are not enrolled in this course.")]})
    if found[1] != EnrolmentStatus.CONFIRMED:
        raise RuleViolation(
            fields={"code": [_("Your place on this course is not confirmed (%(state)s).")
                             % {"state": EnrolmentStatus(found[1]).label}]}
        )  # fmt: skip
    with transaction.atomic(), audit.acting_as(actor):
        enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("mandate__person").get(pk=found[0])
        scope.require(actor, "training.respond", enrolment)
        attendance = Attendance.objects.filter(sitting=sitting, enrolment=enrolment).first()
        if attendance is not None and attendance.status == AttendanceStatus.PRESENT:
            return attendance
        attendance = attendance or Attendance(sitting=sitting, enrolment=enrolment)
        attendance.status, attendance.channel = AttendanceStatus.PRESENT, channel
        attendance.checked_in_at, attendance.recorded_by = now, actor
        _credit(attendance, enrolment, sitting, course)
    return attendance


# Reminders (Celery beat, daily)


def remind_sittings(today=None) -> int:
    """The day before a sitting, every deputy holding a place is told when and where (once per sitting)."""
    from . import notices

    today = today or timezone.localdate()
    sent = 0
    sittings = list(selectors.sittings_tomorrow(today))
    holders = {}
    for course_id, user_id in (
        Enrolment.objects.filter(course_id__in={s.course_id for s in sittings}, status__in=HOLDING)
        .exclude(mandate__person__user__isnull=True)
        .values_list("course_id", "mandate__person__user_id")
    ):
        holders.setdefault(course_id, []).append(user_id)
    for sitting in sittings:
        sent += notices.sitting_tomorrow(sitting, holders.get(sitting.course_id, []))
    return sent


def remind_induction(today=None) -> int:
    """As an annual plan's year ends, staff and the new deputies still without induction are told (once)."""
    from . import notices
    from .models import GoalKind, PlanKind

    today = today or timezone.localdate()
    sent = 0
    goals = Goal.objects.filter(
        kind=GoalKind.INDUCTION, plan__kind=PlanKind.ANNUAL, plan__end_date__gte=today,
        plan__end_date__lte=today + timedelta(days=366),
    ).select_related("plan__congress__region")  # fmt: skip
    for goal in goals:
        days = int(policies.policy(goal.plan.congress, "training.induction_warning_days"))
        if (goal.plan.end_date - today).days > days:
            continue
        result = selectors.goal_coverage(goal)
        if result.missing_ids:
            sent += notices.induction_missing(goal, result)
    return sent


def remind_nominees(*, actor, enrolment_ids) -> int:
    """Remind now the deputies nominated to these courses who have not yet confirmed their place; returns how
    many reminders were stored."""
    with transaction.atomic():
        enrolments = list(Enrolment.objects.filter(pk__in=enrolment_ids).select_related("course").order_by("pk"))
        for enrolment in enrolments:
            scope.require(actor, "training.manage", enrolment)
        return deadlines.remind_now(actor=actor, subjects=enrolments)
