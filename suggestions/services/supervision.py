"""Key supervision (重点督办): items with their leader, progress notes and notices to units, the closing report; and
reminders staff send now to whoever owes the next step."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, deadlines, scope
from congress.errors import RuleViolation
from congress.models import Organisation, OrganisationKind, Role, RoleMembership

from .. import workflow
from ..models import Assignment, KeySupervision, Reply, Status, Suggestion, SupervisionNote


def save_key_item(*, actor, item: KeySupervision, suggestion_ids=None) -> KeySupervision:
    """Create or change a key supervision item. About 20 items a year is a target staff see on the list (a policy),
    not a limit: the chairpersons' council may pick more."""
    with transaction.atomic(), audit.acting_as(actor):
        if item.pk:
            KeySupervision.objects.select_for_update().get(pk=item.pk)
        scope.require(actor, "suggestions.mark_key", item)
        if (
            item.leader_id
            and not RoleMembership.objects.filter(
                user_id=item.leader_id, role__in=[Role.SUPERVISOR, Role.STAFF], congress_id=item.congress_id
            ).exists()
        ):
            raise RuleViolation(fields={"leader": [_("The leader must be a supervisor of this congress.")]})
        if item.committee_id:
            # A special committee of the item's own congress, as the form offers; never another congress's body.
            committees = Organisation.objects.filter(congress_id=item.congress_id).exclude(
                kind=OrganisationKind.HANDLING_UNIT
            )
            scope.referenced(committees, item.committee_id, field="committee",
                             message=_("Choose a special committee of this congress."))  # fmt: skip
        item.full_clean()
        item.save()
        if suggestion_ids is not None:
            chosen = list(
                Suggestion.objects.filter(pk__in=suggestion_ids, congress_id=item.congress_id).exclude(
                    status__in=[Status.DRAFT, Status.WITHDRAWN, Status.DECLINED]
                )
            )
            if len(chosen) != len(set(map(int, suggestion_ids))):
                raise RuleViolation(fields={"suggestions": [_("Choose submitted suggestions of this congress.")]})
            item.suggestions.set(chosen)
    return item


def add_progress(*, actor, item_id: int, text: str, unit_id=None) -> SupervisionNote:
    """A progress note on a key item, or with a unit a supervision notice sent to that unit."""
    if not text.strip():
        raise RuleViolation(fields={"text": [_("Write the note.")]})
    with transaction.atomic(), audit.acting_as(actor):
        item = KeySupervision.objects.select_for_update().get(pk=item_id)
        scope.require(actor, "suggestions.supervise", item)
        unit = None
        if unit_id:
            unit = (
                Organisation.objects.filter(pk=unit_id, assignments__suggestion__key_supervisions=item)
                .distinct()
                .first()
            )
            if unit is None:
                raise RuleViolation(fields={"unit": [_("Choose a unit handling one of the item's suggestions.")]})
        note = SupervisionNote.objects.create(item=item, text=text, unit=unit, written_by=actor)
        if unit is not None:
            workflow.notify("supervision_notice", note.pk)
    return note


def close_key_item(*, actor, item_id: int, report: str) -> KeySupervision:
    if not report.strip():
        raise RuleViolation(fields={"report": [_("Write the supervision report.")]})
    with transaction.atomic(), audit.acting_as(actor):
        item = KeySupervision.objects.select_for_update().get(pk=item_id)
        scope.require(actor, "suggestions.supervise", item)
        if item.closed_at:
            raise RuleViolation(_("The item is already closed."))
        item.report, item.closed_at = report, timezone.now()
        item.save(update_fields=["report", "closed_at", "updated_at"])
        audit.record(actor, item, "close", {})
    return item


def remind(*, actor, suggestion_ids) -> int:
    """Remind now whoever owes the next step on these suggestions: their units (receipt, co-handling opinion,
    reply) and their deputies (feedback on a reply); returns how many reminders were stored."""
    with transaction.atomic():
        suggestions = list(Suggestion.objects.filter(pk__in=suggestion_ids).order_by("pk"))
        for suggestion in suggestions:
            scope.require(actor, "suggestions.review", suggestion)
        assignments = list(Assignment.objects.filter(suggestion__in=suggestions).order_by("pk"))
        replies = list(Reply.objects.filter(assignment__in=assignments).order_by("pk"))
        return deadlines.remind_now(actor=actor, subjects=[*suggestions, *assignments, *replies])


def remind_units(*, actor, assignment_ids) -> int:
    """Remind the officers of these assignments' units of what they owe now; returns reminders stored."""
    with transaction.atomic():
        assignments = list(Assignment.objects.filter(pk__in=assignment_ids).order_by("pk"))
        for assignment in assignments:
            scope.require(actor, "suggestions.review", assignment)
        return deadlines.remind_now(actor=actor, subjects=assignments)
