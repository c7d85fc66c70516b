"""What the phases of a suggestion share: row locks, the unit checks, and a handed-out suggestion following its
units."""

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import RuleViolation
from congress.models import Organisation, OrganisationKind, Role, RoleMembership, Session, User

from .. import signals, workflow
from ..models import Assignment, Reply, Status, Suggestion


def lock_suggestion(suggestion_id: int) -> Suggestion:
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("congress__region", "lead__person", "term", "session")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise RuleViolation(_("The suggestion does not exist."))
    return suggestion


def lock_assignment(assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("suggestion", "unit", "congress")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise RuleViolation(_("The assignment does not exist."))
    return assignment


def group(primary: Suggestion) -> list[Suggestion]:
    """A suggestion and those merged into it, locked in primary-key order."""
    return list(
        Suggestion.objects.select_for_update().filter(Q(pk=primary.pk) | Q(merged_into_id=primary.pk)).order_by("pk")
    )


def handling_units(ids, suggestion: Suggestion, field: str) -> list[Organisation]:
    """The units named by ids, each an active handling unit of the suggestion's region (or refused on `field`)."""
    ids = [int(pk) for pk in ids]
    units = list(Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.HANDLING_UNIT, is_active=True))
    prefix = suggestion.region_code
    if len(units) != len(set(ids)) or any(not u.region.code.startswith(prefix) for u in units):
        raise RuleViolation(fields={field: [_("Choose active handling units of this congress's region.")]})
    return units


def follow_units(actor, primary_id: int, action: str) -> None:
    """Move a handed-out suggestion (and those merged into it) to the state its units make (derived_status)."""
    primary = Suggestion.objects.get(pk=primary_id)
    target = workflow.derived_status(list(Assignment.objects.filter(suggestion_id=primary_id)))
    now = timezone.now()
    for member in group(primary):
        if member.status == target:
            continue
        member.closed_at = now if target == Status.CLOSED else None
        workflow.SUGGESTION.allow(actor, member, "follow_units").apply(
            target=target, fields=["closed_at"], audit_action=action
        )
        if target in (Status.REPLIED, Status.CLOSED):
            signals.status_changed.send(sender=Suggestion, suggestion=member, status=target)


def current_reply(assignment: Assignment) -> Reply | None:
    return assignment.replies.order_by("-round").first()


def session_for(term, on: date) -> Session | None:
    """The session sitting on a date, if any (the form's default)."""
    return term and Session.objects.filter(term=term, start_date__lte=on, end_date__gte=on).first()


def officers_of(unit_id: int):
    ids = RoleMembership.objects.filter(role=Role.UNIT_OFFICER, organisation_id=unit_id).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)
