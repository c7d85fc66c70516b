"""Who is told what after each training action, the day-before reminder and the induction reminder.

A service stores the notice in the outbox inside its transaction (enqueue); tasks.tell then writes the messages.
Every message has a key naming its event and enrolment (or sitting, or goal), so a retried task or a repeated
sweep never sends it twice."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import notifications, outbox
from congress.models import Deadline, Role, RoleMembership, User

from . import workflow
from .models import Enrolment, EnrolmentStatus


def enqueue(event: str, ids) -> None:
    """Store the notice of event on these enrolments in the outbox, in the caller's transaction: it is sent once
    that commits, and lost with it if it rolls back."""
    from . import tasks

    ids = list(ids)
    if ids:
        outbox.enqueue(tasks.tell, event, ids)


def _users(ids):
    return User.objects.filter(pk__in=[pk for pk in ids if pk], is_active=True)


def _staff(congress_id):
    return _users(
        RoleMembership.objects.filter(role=Role.STAFF, congress_id=congress_id).values_list("user_id", flat=True)
    )


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def course_details(course, sittings) -> str:
    """The dates, place or link and hours of a course, as told to deputies."""
    lines = []
    for sitting in sittings:
        end = timezone.localtime(sitting.ends_at).strftime("%H:%M")
        line = _("Sitting %(n)s: %(start)s to %(end)s") % {"n": sitting.number, "start": _when(sitting.starts_at),
                                                          "end": end}  # fmt: skip
        if sitting.topic:
            line += f" · {sitting.topic}"
        lines.append(line)
    if course.place:
        lines.append(_("Place: %(place)s") % {"place": course.place})
    if course.link:
        lines.append(_("Online: %(link)s") % {"link": course.link})
    lines.append(_("%(hours)s credit hours per sitting.") % {"hours": course.hours_per_sitting})
    return "\n".join(lines)


def _confirm_by(enrolment) -> str:
    due = (
        Deadline.objects.open()
        .filter(kind=workflow.CONFIRM, object_id=enrolment.pk, content_type__model="enrolment")
        .values_list("due_date", flat=True)
        .first()
    )
    return _("Please confirm or decline by %(date)s.") % {"date": due.isoformat()} if due else ""


def _message(event: str, enrolment: Enrolment):
    """(recipients, title, body) of one event on one enrolment, or None when nobody needs telling."""
    course = enrolment.course
    deputy = _users([enrolment.mandate.person.user_id])
    details = course_details(course, course.sittings.order_by("starts_at"))
    if event == "nominated":
        title = _("You are nominated for the training course %(course)s") % {"course": course}
        return deputy, title, f"{details}\n{_confirm_by(enrolment)}"
    if event == "signed_up":
        title = _("Your sign-up for %(course)s is received; the office confirms it") % {"course": course}
        return deputy, title, details
    if event == "waitlisted":
        from .selectors import waitlist_position

        title = _("You are on the waiting list for %(course)s (number %(n)s)") % {
            "course": course, "n": waitlist_position(enrolment)}  # fmt: skip
        return deputy, title, _("You are told as soon as a place is free.")
    if event == "promoted":
        title = _("A place is free for you on %(course)s") % {"course": course}
        if enrolment.status == EnrolmentStatus.NOMINATED:
            return deputy, title, f"{details}\n{_confirm_by(enrolment)}"
        return deputy, title, f"{details}\n" + _("The office confirms your place.")
    if event == "approve":
        return deputy, _("Your place on %(course)s is confirmed") % {"course": course}, details
    if event == "refuse":
        return deputy, _("Your sign-up for %(course)s was not accepted") % {"course": course}, enrolment.note
    if event == "decline":
        title = _("%(name)s declined the nomination for %(course)s") % {
            "name": enrolment.mandate.person.name, "course": course}  # fmt: skip
        return _staff(course.congress_id), title, enrolment.note
    if event == "gave_up":
        title = _("%(name)s gave up their place on %(course)s") % {
            "name": enrolment.mandate.person.name, "course": course}  # fmt: skip
        return _staff(course.congress_id), title, enrolment.note
    if event == "cancel":
        return deputy, _("Your place on %(course)s was cancelled by the office") % {"course": course}, enrolment.note
    if event == "course_cancelled":
        return deputy, _("The training course %(course)s is cancelled") % {"course": course}, course.cancel_reason
    raise ValueError(f"unknown event {event!r}")


# A nomination (or a place offered from the waiting list) is an invitation the deputy answers by a deadline: texted
# too, their preference permitting.
TEXTED = {"nominated", "promoted"}


def tell(event: str, ids) -> int:
    sent = 0
    rows = Enrolment.objects.filter(pk__in=ids).select_related("course", "mandate__person").order_by("pk")
    link = reverse("training:mine")
    for enrolment in rows:
        recipients, title, body = _message(event, enrolment)
        key = f"training:{event}:{enrolment.pk}:{enrolment.updated_at.isoformat()}"
        target = enrolment.course.get_absolute_url() if event in ("decline", "gave_up") else link
        channels = ("email", "sms") if event in TEXTED else ("email",)
        sent += notifications.send_once(key, recipients, title, body or "", target, channels=channels)
    return sent


def sitting_tomorrow(sitting, user_ids) -> int:
    course = sitting.course
    starts = timezone.localtime(sitting.starts_at).strftime("%H:%M")
    title = _("Tomorrow: %(course)s, sitting %(n)s at %(time)s") % {
        "course": course, "n": sitting.number, "time": starts}  # fmt: skip
    body = course_details(course, [sitting]) + "\n" + _("Check in at the sitting with its code or QR code.")
    return notifications.send_once(f"training:tomorrow:{sitting.pk}", _users(user_ids), title, body,
                                   reverse("training:check_in"))  # fmt: skip


def induction_missing(goal, result) -> int:
    """Staff get the count and a link to the list; each deputy concerned gets a message of their own."""
    from .selectors import missing_mandates

    plan = goal.plan
    key = f"training:induction-missing:{goal.pk}"
    title = _("%(n)s new deputies have not attended induction; %(plan)s ends on %(date)s") % {
        "n": len(result.missing_ids), "plan": plan, "date": plan.end_date.isoformat()}  # fmt: skip
    sent = notifications.send_once(key, _staff(plan.congress_id), title, "", plan.get_absolute_url())
    deputies = [
        (m.person.user_id, _("Please attend an induction course before %(date)s") % {"date": plan.end_date.isoformat()},
         _("As a new deputy you attend induction training in your first year; see the open courses."),
         reverse("training:courses"))
        for m in missing_mandates(result.missing_ids)
        if m.person.user_id
    ]  # fmt: skip
    return sent + notifications.send_each(key, deputies)
