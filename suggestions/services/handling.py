"""The units' side: receipt, the re-assignment request and the staff's decision on it, contacts with the deputy,
the handling plan, co-handlers' opinions, the reply, and extensions of the reply period."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, personal_data, policies, scope, uploads, webhooks
from congress.errors import Forbidden, RuleViolation
from congress.models import Deadline
from congress.workdays import Calendar
from deputies import idnumbers

from .. import signals, workflow
from ..models import (
    Assignment,
    AssignmentStatus,
    ContactLog,
    ContactMode,
    ExtensionRequest,
    ReassignmentRequest,
    Reply,
    RequestStatus,
    Result,
    UnitRole,
)
from .common import follow_units, handling_units, lock_assignment
from .review import new_assignment


def confirm_receipt(*, actor, assignment_id: int) -> Assignment:
    """The unit's officer confirms the assignment arrived; handling starts."""
    with transaction.atomic(), audit.acting_as(actor):
        assignment = lock_assignment(assignment_id)
        move = workflow.ASSIGNMENT.allow(actor, assignment, "confirm_receipt")
        assignment.received_at = timezone.now()
        move.apply(fields=["received_at"])
        follow_units(actor, assignment.suggestion_id, "confirm_receipt")
    return assignment


def reassign_window_ends(assignments) -> dict[int, date]:
    """The day each assignment's re-assignment window closes, as stored when the window opened: a later change of
    the policy must not move a window already open (one query for all)."""
    ids = [assignment.pk for assignment in assignments]
    stored = (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Assignment),
            object_id__in=ids,
            kind=workflow.REASSIGN_WINDOW,
        )
        .order_by("object_id", "id")
        .values_list("object_id", "due_date")
    )
    # The newest record of each assignment's window is the last of its rows, so it is the one dict() keeps
    # (portable: SQLite, the zero-setup demo's database, has no DISTINCT ON).
    return dict(stored)


def reassign_window_end(assignment: Assignment, calendar: Calendar | None = None, ends: dict | None = None) -> date:
    """The stored closing day; only an assignment older than its window's record is counted with today's policy."""
    ends = reassign_window_ends([assignment]) if ends is None else ends
    if assignment.pk in ends:
        return ends[assignment.pk]
    period = policies.policy(assignment.congress, "suggestion.reassign_window")
    return (calendar or Calendar.load()).add_workdays(assignment.assigned_on, period).date


def request_reassignment(*, actor, assignment_id: int, reason: str, suggested_unit_id=None) -> ReassignmentRequest:
    """A unit asks to be released within the window; after it the system refuses. It never forwards itself."""
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Say why the suggestion is not your unit's remit.")]})
    with transaction.atomic(), audit.acting_as(actor):
        assignment = lock_assignment(assignment_id)
        move = workflow.ASSIGNMENT.allow(actor, assignment, "request_reassignment")
        closes = reassign_window_end(assignment)
        if timezone.localdate() > closes:
            raise RuleViolation(
                _("The window to ask for re-assignment closed on %(date)s; the unit must handle the suggestion.")
                % {"date": closes.isoformat()}
            )
        suggested = None
        if suggested_unit_id:
            suggested = handling_units([suggested_unit_id], assignment.suggestion, "suggested_unit")[0]
        request = ReassignmentRequest.objects.create(
            assignment=assignment, reason=reason, suggested_unit=suggested, previous_status=assignment.status,
            requested_by=actor,
        )  # fmt: skip
        move.apply(fields=[], about=request, reason=reason)
    return request


def decide_reassignment(*, actor, request_id: int, approve: bool, note: str = "", new_unit_id=None) -> Assignment:
    """Staff release the unit (and name who handles instead) or refuse, and the unit goes on."""
    with transaction.atomic(), audit.acting_as(actor):
        request = ReassignmentRequest.objects.select_for_update().get(pk=request_id)
        assignment = lock_assignment(request.assignment_id)
        move = workflow.ASSIGNMENT.allow(
            actor, assignment, "approve_reassignment" if approve else "refuse_reassignment"
        )
        if request.status != RequestStatus.PENDING:
            raise RuleViolation(_("The request has already been decided."))
        suggestion = assignment.suggestion
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
        if approve:
            others_answer = (
                Assignment.objects.filter(suggestion=suggestion, status__in=workflow.LIVE, role__in=[UnitRole.LEAD,
                                          UnitRole.SEPARATE]).exclude(pk=assignment.pk).exists()
            )  # fmt: skip
            if assignment.answers and not others_answer and not new_unit_id:
                raise RuleViolation(fields={"new_unit": [_("Name the unit that replies instead.")]})
            request.status = RequestStatus.APPROVED
            assignment.ended_at = timezone.now()
            move.apply(fields=["ended_at"], about=request, approved=approve, note=note)
            if new_unit_id:
                [unit] = handling_units([new_unit_id], suggestion, "new_unit")
                new_assignment(actor, suggestion, unit, assignment.role, timezone.localdate(), Calendar.load())
        else:
            request.status = RequestStatus.REFUSED
            move.apply(target=request.previous_status, fields=[], about=request, approved=approve, note=note)
        request.save()
        follow_units(actor, suggestion.pk, "decide_reassignment")
    return assignment


def save_plan(*, actor, assignment_id: int, plan: str) -> Assignment:
    with transaction.atomic(), audit.acting_as(actor):
        assignment = lock_assignment(assignment_id)
        workflow.ASSIGNMENT.allow(actor, assignment, "save_plan")
        assignment.handling_plan = plan
        assignment.save(update_fields=["handling_plan", "updated_at"])
    return assignment


def may_contact_deputy(actor, assignment: Assignment) -> bool:
    """Officers of a unit assigned to the suggestion, and not released from it, may reach its lead deputy."""
    return assignment.status != AssignmentStatus.RELEASED and scope.can(actor, "suggestions.handle", assignment)


def contact_card(person) -> dict:
    """How a unit reaches a deputy: name, phone masked, preferred channel; the full number only by reveal."""
    return {
        "name": person.name,
        "masked_phone": idnumbers.mask_phone(person.phone),
        "has_phone": bool(person.phone),
        "preferred": person.get_preferred_contact_display() if person.preferred_contact else "",
        "note": person.contact_note,
    }


def deputy_to_contact(*, actor, assignment_id: int) -> dict:
    """The contact card of the suggestion's lead deputy, for an officer who may reach them."""
    return contact_card(_contactable(actor, assignment_id).suggestion.lead.person)


def reveal_deputy_phone(*, actor, assignment_id: int) -> str:
    """The full phone number of the suggestion's lead deputy, for the assigned unit's officer to call; every reveal
    leaves a personal-data access record on the deputy."""
    person = _contactable(actor, assignment_id).suggestion.lead.person
    if not person.phone:
        raise RuleViolation(_("The deputy's phone number is not on the roster; contact them through the office."))
    personal_data.seen(actor, person, "page")
    return person.phone


def _contactable(actor, assignment_id: int) -> Assignment:
    assignment = Assignment.objects.select_related("suggestion__lead__person").get(pk=assignment_id)
    scope.require(actor, "suggestions.handle", assignment)
    if not may_contact_deputy(actor, assignment):
        raise Forbidden(_("Your unit was released from this suggestion."))
    return assignment


def record_contact(*, actor, assignment_id: int, on: date, mode: str, summary: str) -> ContactLog:
    """Log a contact with the deputy (face-to-face contacts are a statistic)."""
    with transaction.atomic(), audit.acting_as(actor):
        assignment = lock_assignment(assignment_id)
        workflow.ASSIGNMENT.allow(actor, assignment, "record_contact")
        errors = {}
        if mode not in ContactMode.values:
            errors["mode"] = [_("Choose how the contact took place.")]
        if on > timezone.localdate():
            errors["date"] = [_("The date cannot be in the future.")]
        elif on < assignment.assigned_on:
            errors["date"] = [_("The date is before the suggestion was assigned.")]
        if not summary.strip():
            errors["summary"] = [_("Write what was said.")]
        if errors:
            raise RuleViolation(fields=errors)
        if mode == ContactMode.FACE_TO_FACE and not assignment.met_face_to_face:
            assignment.met_face_to_face = True
            assignment.save(update_fields=["met_face_to_face", "updated_at"])
        return ContactLog.objects.create(assignment=assignment, date=on, mode=mode, summary=summary, recorded_by=actor)


def send_co_opinion(*, actor, assignment_id: int, opinion: str) -> Assignment:
    """A co-handling unit sends its opinion to the lead unit; its part is then done."""
    if not opinion.strip():
        raise RuleViolation(fields={"opinion": [_("Write the opinion for the lead unit.")]})
    with transaction.atomic(), audit.acting_as(actor):
        assignment = lock_assignment(assignment_id)
        move = workflow.ASSIGNMENT.allow(actor, assignment, "co_opinion")
        if assignment.answers:
            raise RuleViolation(_("Only a co-handling unit sends an opinion to the lead unit; yours replies."))
        assignment.co_opinion, assignment.co_opinion_at = opinion, timezone.now()
        move.apply(fields=["co_opinion", "co_opinion_at"])
    return assignment


def allowed_results(congress) -> list[str]:
    return Result.values[: int(policies.policy(congress, "suggestion.result_categories"))]


def awaited_co_opinions(assignment: Assignment) -> list[Assignment]:
    """The co-handlers of the lead unit's suggestion that have not sent their opinion yet."""
    if assignment.role != UnitRole.LEAD:
        return []
    return list(
        Assignment.objects.filter(suggestion_id=assignment.suggestion_id, role=UnitRole.CO)
        .exclude(status__in=[AssignmentStatus.DONE, AssignmentStatus.RELEASED])
        .select_related("unit")
        .order_by("id")
    )


def _check_co_opinions(assignment: Assignment) -> None:
    """Where the congress's policy says so, the lead unit replies only once every co-handler's opinion is in."""
    if policies.policy(assignment.congress, "suggestion.reply_before_co_opinions"):
        return
    awaited = awaited_co_opinions(assignment)
    if awaited:
        raise RuleViolation(
            _("The co-handling units %(units)s have not sent their opinions yet; reply once they have.")
            % {"units": "、".join(str(a.unit) for a in awaited)}
        )


def check_reply(congress, *, text: str, result: str, follow_up_plan: str) -> None:
    """What a reply must hold, for the reply itself and for its letter's draft alike."""
    errors = {}
    if not text.strip():
        errors["text"] = [_("Write the reply.")]
    if result not in allowed_results(congress):
        errors["result"] = [_("Choose one of the result categories %(c)s.") % {
            "c": ", ".join(allowed_results(congress))}]  # fmt: skip
    elif result in (Result.B, Result.C) and not follow_up_plan.strip():
        errors["follow_up_plan"] = [_("For category B or C, state the follow-up the unit promises.")]
    if errors:
        raise RuleViolation(fields=errors)


def reply(*, actor, assignment_id: int, text: str, result: str, follow_up_plan: str = "", letter=None,
          contact_person: str = "", contact_phone: str = "") -> Reply:  # fmt: skip
    """The lead (or a separately assigned) unit replies with a signed letter and a result category."""
    with transaction.atomic(), audit.acting_as(actor):
        assignment = lock_assignment(assignment_id)
        move = workflow.ASSIGNMENT.allow(actor, assignment, "reply")
        if not assignment.answers:
            raise RuleViolation(_("A co-handling unit sends its opinion to the lead unit; the lead unit replies."))
        _check_co_opinions(assignment)
        check_reply(assignment.congress, text=text, result=result, follow_up_plan=follow_up_plan)
        uploads.check_pdf(letter)
        today = timezone.localdate()
        rehandling = assignment.status == AssignmentStatus.REHANDLING
        round_number = assignment.replies.count() + 1
        answer = Reply.objects.create(
            assignment=assignment, round=round_number, text=text, result=result, follow_up_plan=follow_up_plan,
            letter=letter, replied_on=today, replied_by=actor, contact_person=contact_person.strip(),
            contact_phone=contact_phone.strip(),
        )  # fmt: skip
        if not rehandling:
            assignment.replied_on = today
            assignment.replied_on_time = assignment.reply_due is None or today <= assignment.reply_due
        # A reply answers the question an extension request asked; it no longer waits for a decision.
        assignment.extension_requests.filter(status=RequestStatus.PENDING).update(
            status=RequestStatus.REFUSED,
            decided_at=timezone.now(),
            decision_note=_("The unit replied before a decision."),
        )
        move.apply(fields=["replied_on", "replied_on_time"], related={"reply": answer}, about=answer, today=today,
                   result=result, round=round_number)  # fmt: skip
        suggestion = assignment.suggestion
        webhooks.emit(
            "suggestion.replied",
            {"suggestion": suggestion.pk, "number": suggestion.number_label, "assignment": assignment.pk,
             "unit": assignment.unit_id, "reply": answer.pk, "round": round_number, "result": result,
             "replied_on": today, "congress": suggestion.congress_id},
            region_code=suggestion.region_code,
        )  # fmt: skip
        follow_units(actor, assignment.suggestion_id, "reply")
        signals.replied.send(sender=Reply, reply=answer)
    return answer


def request_extension(*, actor, assignment_id: int, months: int, reason: str) -> ExtensionRequest:
    """Ask for more time to reply; the total never passes the policy's longest period."""
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Say why the unit needs more time.")]})
    with transaction.atomic(), audit.acting_as(actor):
        assignment = lock_assignment(assignment_id)
        move = workflow.ASSIGNMENT.allow(actor, assignment, "request_extension")
        if not assignment.answers:
            raise RuleViolation(_("Only the unit that replies can ask for more time to reply."))
        _check_extension(assignment, months)
        if assignment.extension_requests.filter(status=RequestStatus.PENDING).exists():
            raise RuleViolation(_("An extension request of this unit is already waiting for a decision."))
        request = ExtensionRequest.objects.create(
            assignment=assignment, months=months, reason=reason, requested_by=actor
        )
        move.apply(fields=[], about=request, months=months, reason=reason)
    return request


def extension_room(assignment: Assignment) -> int:
    """Months an assignment's reply may still be extended by before the congress's longest reply period."""
    base = int(policies.policy(assignment.congress, "suggestion.reply_period"))
    longest = int(policies.policy(assignment.congress, "suggestion.reply_max_period"))
    return max(longest - base - assignment.extension_months, 0)


def _check_extension(assignment: Assignment, months: int) -> None:
    room = extension_room(assignment)
    if months < 1 or months > room:
        longest = int(policies.policy(assignment.congress, "suggestion.reply_max_period"))
        raise RuleViolation(
            fields={
                "months": [
                    _(
                        "A reply is due at most %(max)s months after assignment; at most %(room)s more month(s) can be given."  # noqa: E501
                    )
                    % {"max": longest, "room": max(room, 0)}
                ]
            }
        )


def decide_extension(*, actor, request_id: int, approve: bool, note: str = "") -> ExtensionRequest:
    """Staff grant (the reply deadline and its reminders move) or refuse an extension."""
    with transaction.atomic(), audit.acting_as(actor):
        request = ExtensionRequest.objects.select_for_update().get(pk=request_id)
        assignment = lock_assignment(request.assignment_id)
        move = workflow.ASSIGNMENT.allow(actor, assignment, "grant_extension" if approve else "refuse_extension")
        if request.status != RequestStatus.PENDING:
            raise RuleViolation(_("The request has already been decided."))
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
        if approve:
            _check_extension(assignment, request.months)
            request.status = RequestStatus.APPROVED
            assignment.extension_months += request.months
            # The reply clock is counted again from the assignment with the months granted (its `extra`).
            move.apply(fields=["extension_months"], about=request, approved=True)
        else:
            request.status = RequestStatus.REFUSED
            move.apply(fields=[], about=request, approved=False, note=note)
        request.save()
    return request
