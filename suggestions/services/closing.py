"""After the reply: the deputy's feedback and how it settles each unit (re-handling, dispute, follow-up or done),
feedback that lapses, staff closing a dispute, a follow-up reported solved, and publication (公开) with the
deputy's objection."""

import re
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, deadlines, policies, scope, webhooks
from congress.errors import InvalidTransition, RuleViolation
from congress.models import Deadline

from .. import workflow
from ..models import (
    NO_RESPONSE,
    Assignment,
    AssignmentStatus,
    Feedback,
    Reply,
    Result,
    Satisfaction,
    Status,
    Suggestion,
)
from .common import current_reply, follow_units, lock_assignment, lock_suggestion


def give_feedback(*, actor, suggestion_id: int, reply_id: int, on_result: str, on_attitude: str,
                  comment: str = "") -> Feedback:  # fmt: skip
    """The deputy rates a reply; dissatisfied sends it back for re-handling, a second time to staff."""
    errors = {}
    for name, value in (("on_result", on_result), ("on_attitude", on_attitude)):
        if value not in Satisfaction.values:
            errors[name] = [_("Choose satisfied, basically satisfied or dissatisfied.")]
    if Satisfaction.DISSATISFIED in (on_result, on_attitude) and not comment.strip():
        errors["comment"] = [_("Say what leaves you dissatisfied, so the unit can handle it again.")]
    if errors:
        raise RuleViolation(fields=errors)
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        scope.require(actor, "suggestions.author", suggestion)
        answer = Reply.objects.select_related("assignment").filter(pk=reply_id).first()
        primary_id = suggestion.merged_into_id or suggestion.pk
        if answer is None or answer.assignment.suggestion_id != primary_id:
            raise RuleViolation(fields={"reply": [_("Choose a reply to this suggestion.")]})
        assignment = lock_assignment(answer.assignment_id)
        workflow.ASSIGNMENT.allow(actor, assignment, "feedback", rule_on=suggestion)
        if answer.pk != current_reply(assignment).pk:
            raise RuleViolation(_("This reply has been superseded by a newer one."))
        if Feedback.objects.filter(reply=answer, suggestion=suggestion).exists():
            raise RuleViolation(_("You have already given feedback on this reply."))
        feedback = Feedback.objects.create(reply=answer, suggestion=suggestion, congress_id=assignment.congress_id,
                                           unit_id=assignment.unit_id, on_result=on_result, on_attitude=on_attitude,
                                           comment=comment, given_by=actor)  # fmt: skip
        audit.record(actor, suggestion, "feedback", {}, result=on_result, attitude=on_attitude)
        _settle(actor, assignment, answer)
    return feedback


def _settle(actor, assignment: Assignment, answer: Reply) -> None:
    """Once every deputy of the group has rated the reply, the unit re-handles, goes to staff or is done."""
    primary_id = assignment.suggestion_id
    members = list(Suggestion.objects.filter(Q(pk=primary_id) | Q(merged_into_id=primary_id)))
    ratings = list(answer.feedback.all())
    if len(ratings) < len(members):
        return
    if any(f.dissatisfied for f in ratings):
        # Reply round r answers after r - 1 re-handlings; once the congress's rounds are used up, staff decide.
        rounds = int(policies.policy(assignment.congress, "suggestion.rehandle_rounds"))
        action = "rehandle" if answer.round <= rounds else "dispute"
    elif answer.result in (Result.B, Result.C):
        action = "follow_up"
    else:
        action = "settle"
    workflow.ASSIGNMENT.allow(actor, assignment, action).apply(fields=[], related={"reply": answer})
    follow_units(actor, assignment.suggestion_id, "feedback")


def lapse_feedback(today: date | None = None) -> int:
    """Replies whose feedback period passed are recorded as no response and settled as not dissatisfied (the
    statistics count them apart); returns replies settled."""
    today = today or timezone.localdate()
    due = Deadline.objects.open().filter(
        kind=workflow.FEEDBACK, content_type=ContentType.objects.get_for_model(Reply), due_date__lt=today
    )
    settled = 0
    for reply_id in due.values_list("object_id", flat=True).iterator(chunk_size=500):
        with transaction.atomic():
            answer = Reply.objects.filter(pk=reply_id).first()
            if answer is None:
                continue
            assignment = lock_assignment(answer.assignment_id)
            if assignment.status != AssignmentStatus.REPLIED or current_reply(assignment).pk != answer.pk:
                deadlines.close_deadline(answer, workflow.FEEDBACK, cancelled=True)
                continue
            members = Suggestion.objects.filter(
                Q(pk=assignment.suggestion_id) | Q(merged_into_id=assignment.suggestion_id)
            ).exclude(feedback__reply=answer)
            Feedback.objects.bulk_create(
                [Feedback(reply=answer, suggestion=member, congress_id=assignment.congress_id,
                          unit_id=assignment.unit_id, on_result=NO_RESPONSE, on_attitude=NO_RESPONSE,
                          deemed=True) for member in members],
                ignore_conflicts=True,
            )  # fmt: skip
            _settle(None, assignment, answer)
            settled += 1
    return settled


def close(*, actor, suggestion_id: int, decision: str) -> Suggestion:
    """After a second dissatisfaction, staff decide and close the suggestion."""
    if not decision.strip():
        raise RuleViolation(fields={"decision": [_("Record the decision that closes the suggestion.")]})
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        primary_id = suggestion.merged_into_id or suggestion.pk
        scope.require(actor, "suggestions.review", suggestion)
        disputed = list(
            Assignment.objects.select_for_update()
            .filter(suggestion_id=primary_id, status=AssignmentStatus.DISPUTED)
            .order_by("pk")
        )
        if not disputed:
            raise InvalidTransition(
                _("The suggestion is %(state)s: only a reply rated dissatisfied twice is closed by decision.")
                % {"state": Status(suggestion.status).label}
            )
        for assignment in disputed:
            workflow.ASSIGNMENT.allow(actor, assignment, "close", rule_on=suggestion).apply(fields=[])
        Suggestion.objects.filter(Q(pk=primary_id) | Q(merged_into_id=primary_id)).update(closing_note=decision)
        follow_units(actor, primary_id, "close")
        suggestion.refresh_from_db()
    return suggestion


def report_solved(*, actor, assignment_id: int, note: str) -> Assignment:
    """A B or C item under follow-up is reported solved by its unit."""
    if not note.strip():
        raise RuleViolation(fields={"note": [_("Say how the matter was solved.")]})
    with transaction.atomic(), audit.acting_as(actor):
        assignment = lock_assignment(assignment_id)
        move = workflow.ASSIGNMENT.allow(actor, assignment, "report_solved")
        answer = current_reply(assignment)
        answer.solved_on, answer.solved_note = timezone.localdate(), note
        answer.save(update_fields=["solved_on", "solved_note", "updated_at"])
        move.apply(fields=[])
        follow_units(actor, assignment.suggestion_id, "report_solved")
    return assignment


PERSONAL_DATA = [
    re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),  # ID numbers
    re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"),  # mobile phones
    re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"),  # landlines
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
]


def scrub(text: str) -> str:
    """Remove contact details and ID numbers from text to be published."""
    for pattern in PERSONAL_DATA:
        text = pattern.sub("[已删除]", text)
    return text


def object_to_disclosure(*, actor, suggestion_id: int, reason: str) -> Suggestion:
    """The deputy objects to publication before it happens; staff see the objection when publishing."""
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Say why the suggestion should not be published.")]})
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        move = workflow.SUGGESTION.allow(actor, suggestion, "object")
        if suggestion.published_at:
            raise RuleViolation(_("The suggestion has already been published."))
        suggestion.disclosure_objection = reason
        move.apply(fields=["disclosure_objection"], reason=reason)
    return suggestion


def publish(*, actor, suggestion_id: int, override_objection: bool = False, note: str = "") -> Suggestion:
    """Publish a replied suggestion with its replies, personal data removed; an objection needs a decision."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        move = workflow.SUGGESTION.allow(actor, suggestion, "publish")
        if suggestion.published_at:
            raise RuleViolation(_("The suggestion has already been published."))
        if suggestion.disclosure_objection and not (override_objection and note.strip()):
            raise RuleViolation(
                fields={
                    "override_objection": [_("The deputy objected to publication: record why it is published anyway.")]
                }  # noqa: E501
            )
        primary_id = suggestion.merged_into_id or suggestion.pk
        for answer in Reply.objects.filter(assignment__suggestion_id=primary_id):
            answer.public_text = scrub(answer.text)
            answer.save(update_fields=["public_text", "updated_at"])
        suggestion.public_title = scrub(suggestion.title)
        suggestion.public_content = scrub(suggestion.content)
        suggestion.published_at = timezone.now()
        move.apply(fields=["public_title", "public_content", "published_at"], note=note,
                   over_objection=bool(suggestion.disclosure_objection))  # fmt: skip
        webhooks.emit(
            "suggestion.published",
            {"suggestion": suggestion.pk, "number": suggestion.number_label, "published_at": suggestion.published_at,
             "congress": suggestion.congress_id},
            region_code=suggestion.region_code,
        )  # fmt: skip
    return suggestion
