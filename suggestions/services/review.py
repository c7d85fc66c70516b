"""The congress office's review: accept (with the official number), return, decline, convert a motion, merge
suggestions on one topic (并案), and assign them to units, one at a time or in bulk; and the categories."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress import audit, jobs, scope, tombstones
from congress.errors import DomainError, Forbidden, RuleViolation
from congress.models import Organisation, Role
from congress.workdays import Calendar
from deputies.services import record_duty

from .. import signals, workflow
from ..models import Assignment, Category, CoSignerStatus, DeclineReason, Kind, NumberSeries, Suggestion, UnitRole
from .common import group, handling_units, lock_suggestion
from .drafting import check_motion_signatures


def _next_number(suggestion: Suggestion) -> tuple[str, int, str]:
    year = timezone.localdate().year
    series = f"{suggestion.kind}:{suggestion.term_id}:" + (
        f"s{suggestion.session_id}" if suggestion.session_id else f"y{year}"
    )
    NumberSeries.objects.bulk_create([NumberSeries(key=series)], ignore_conflicts=True)
    row = NumberSeries.objects.select_for_update().get(key=series)
    row.last += 1
    row.save(update_fields=["last"])
    # Official numbers are document references in Chinese, whatever the interface language.
    where = (
        f"第{suggestion.term.number}届第{suggestion.session.number}次会议"
        if suggestion.session_id
        else f"第{suggestion.term.number}届 {year}年闭会期间"
    )
    kind = "议案" if suggestion.kind == Kind.MOTION else "建议"
    return series, row.last, f"{where} {kind}第{row.last:04d}号"


def accept(*, actor, suggestion_id: int) -> Suggestion:
    """Accept a submitted suggestion: it gets its number, and between sessions the assignment clock starts."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        move = workflow.SUGGESTION.allow(actor, suggestion, "accept")
        # Again here: a co-signer may have withdrawn, or lost the mandate, since submission.
        check_motion_signatures(suggestion)
        suggestion.sequence, suggestion.number, suggestion.number_label = _next_number(suggestion)
        suggestion.accepted_at = timezone.now()
        suggestion.review_comment = ""
        # Co-signers who never answered stay on record as lapsed (not counted); they and the lead are told.
        lapsed = list(suggestion.cosigners.filter(status=CoSignerStatus.INVITED).select_related("mandate__person"))
        suggestion.cosigners.filter(pk__in=[c.pk for c in lapsed]).update(
            status=CoSignerStatus.LAPSED, updated_at=timezone.now()
        )
        extra = {"lapsed": [str(c.mandate.person) for c in lapsed]} if lapsed else {}
        move.apply(number=suggestion.number_label, **extra)
        for cosigner in lapsed:
            workflow.notify("cosign_lapsed", suggestion.pk, mandate_id=cosigner.mandate_id)
        if lapsed:
            workflow.notify("cosigners_lapsed", suggestion.pk)
        record_duty(
            mandate=suggestion.lead, kind_code="motion" if suggestion.kind == Kind.MOTION else "suggestion",
            on=timezone.localdate(), title=suggestion.title, source=f"suggestions:{suggestion.pk}",
        )  # fmt: skip
    return suggestion


def return_for_revision(*, actor, suggestion_id: int, comment: str) -> Suggestion:
    """Send a submitted suggestion back to the deputy with what to improve."""
    if not comment.strip():
        raise RuleViolation(fields={"comment": [_("Say what the deputy should revise.")]})
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        move = workflow.SUGGESTION.allow(actor, suggestion, "return")
        suggestion.review_comment = comment
        move.apply(comment=comment)
    return suggestion


def decline(*, actor, suggestion_id: int, reason: str, comment: str = "") -> Suggestion:
    """Decline a submission that is not a suggestion (one of the domain's reasons); the deputy is told."""
    if reason not in DeclineReason.values:
        raise RuleViolation(fields={"reason": [_("Choose why the suggestion is declined.")]})
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        move = workflow.SUGGESTION.allow(actor, suggestion, "decline")
        suggestion.decline_reason, suggestion.review_comment = reason, comment
        move.apply(reason=reason)
        signals.status_changed.send(sender=Suggestion, suggestion=suggestion, status=suggestion.status)
    return suggestion


def convert_motion(*, actor, suggestion_id: int) -> Suggestion:
    """Treat a submitted motion as a suggestion (the presidium's or staff's decision)."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        move = workflow.SUGGESTION.allow(actor, suggestion, "convert")
        if suggestion.kind != Kind.MOTION:
            raise RuleViolation(_("Only a motion can be converted into a suggestion."))
        suggestion.kind, suggestion.converted_from_motion = Kind.SUGGESTION, True
        changes = {"kind": (Kind.MOTION, Kind.SUGGESTION)}
        # A title naming it a motion (…的议案) would tell every list the wrong kind; the history keeps the old one.
        if suggestion.title.endswith("议案"):
            retitled = suggestion.title.removesuffix("议案") + "建议"
            changes["title"] = (suggestion.title, retitled)
            suggestion.title = retitled
        move.apply(changes=changes)
    return suggestion


def merge(*, actor, primary_id: int, other_ids) -> Suggestion:
    """Merge same-topic accepted suggestions (并案) into one: it is handled once, every deputy gets the reply."""
    ids = sorted({primary_id, *map(int, other_ids)})
    if len(ids) < 2:
        raise RuleViolation(fields={"suggestions": [_("Choose at least one other suggestion to merge.")]})
    with transaction.atomic(), audit.acting_as(actor):
        rows = {s.pk: s for s in Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        if len(rows) != len(ids):
            raise RuleViolation(_("A suggestion to merge does not exist."))
        primary = rows[primary_id]
        moves = {}
        for suggestion in rows.values():
            moves[suggestion.pk] = workflow.SUGGESTION.allow(actor, suggestion, "merge")
            if suggestion.congress_id != primary.congress_id:
                raise RuleViolation(_("Only suggestions of one congress can be merged."))
            if suggestion.merged_into_id:
                raise RuleViolation(
                    _("%(s)s is already merged into another suggestion.") % {"s": suggestion.number_label}
                )
        for suggestion in rows.values():
            if suggestion.pk == primary.pk:
                continue
            for member in suggestion.merged.all():  # a group joins whole
                member.merged_into = primary
                member.save(update_fields=["merged_into", "updated_at"])
                tombstones.merged("suggestions", member.pk, primary.pk, member.region_code)
            suggestion.merged_into = primary
            tombstones.merged("suggestions", suggestion.pk, primary.pk, suggestion.region_code)
            moves[suggestion.pk].apply(fields=["merged_into"], changes={"merged_into": ("", primary.number_label)})
        audit.record(actor, primary, "merge", {}, merged=[rows[pk].number_label for pk in ids if pk != primary.pk])
    return primary


def new_assignment(actor, suggestion, unit, role, today, calendar) -> Assignment:
    assignment = Assignment.objects.create(
        suggestion=suggestion, unit=unit, role=role, congress_id=suggestion.congress_id,
        region_code=suggestion.region_code, session_id=suggestion.session_id, assigned_on=today, assigned_by=actor,
    )  # fmt: skip
    # Its creation is its audit entry; the clocks start and the unit is told.
    workflow.ASSIGNMENT.allow(actor, assignment, "hand_out").apply(record=False, today=today, calendar=calendar)
    return assignment


def check_unit_plan(*, lead_id=None, co_ids=(), separate_ids=()) -> None:
    """The shape of an assignment, whatever the suggestion: one lead unit with co-handlers other than itself, or
    units assigned separately without co-handlers."""
    if bool(lead_id) == bool(separate_ids):
        raise RuleViolation(fields={"lead": [_("Choose a lead unit, or assign separately to units.")]})
    if separate_ids and co_ids:
        raise RuleViolation(fields={"co_units": [_("Separately assigned units have no co-handlers.")]})
    if lead_id and int(lead_id) in {int(pk) for pk in co_ids}:
        raise RuleViolation(fields={"co_units": [_("The lead unit cannot also co-handle.")]})


def assign(*, actor, suggestion_id: int, lead_id=None, co_ids=(), separate_ids=()) -> Suggestion:
    """Hand an accepted suggestion to one lead unit with co-handlers, or separately to several units."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        workflow.SUGGESTION.allow(actor, suggestion, "assign")
        if suggestion.merged_into_id:
            raise RuleViolation(
                _("This suggestion is merged into %(s)s; assign that one.") % {"s": suggestion.merged_into}
            )
        check_unit_plan(lead_id=lead_id, co_ids=co_ids, separate_ids=separate_ids)
        if lead_id:
            plan = [(u, UnitRole.LEAD) for u in handling_units([lead_id], suggestion, "lead")]
            plan += [(u, UnitRole.CO) for u in handling_units(co_ids, suggestion, "co_units")]
        else:
            plan = [(u, UnitRole.SEPARATE) for u in handling_units(separate_ids, suggestion, "separate_units")]
        today, calendar = timezone.localdate(), Calendar.load()
        for unit, role in plan:
            new_assignment(actor, suggestion, unit, role, today, calendar)
        units = [f"{u.name} ({UnitRole(r).label})" for u, r in plan]
        for member in group(suggestion):  # those merged into it are assigned with it
            member.assigned_on = today
            workflow.SUGGESTION.allow(actor, member, "assign").apply(fields=["assigned_on"], today=today, units=units)
        suggestion.refresh_from_db()
    return suggestion


def bulk_assign(*, actor, suggestion_ids, lead_id, co_ids=(), progress=None) -> tuple[int, list[str]]:
    """Assign many suggestions to the same units; each succeeds or fails on its own, with the reason.
    progress(n), when given, hears how many have been handled."""
    done, failures = 0, []
    for handled, pk in enumerate(suggestion_ids, start=1):
        try:
            assign(actor=actor, suggestion_id=int(pk), lead_id=lead_id, co_ids=co_ids)
            done += 1
        except DomainError as error:
            label = Suggestion.objects.filter(pk=pk).values_list("number_label", flat=True).first() or pk
            failures.append(f"{label}: {error.message}")
        if progress is not None:
            progress(handled)
    return done, failures


BULK_ASSIGN_JOB = "suggestions.bulk_assign"


def start_bulk_assign(*, actor, suggestion_ids, lead_id: int, co_ids=()):
    """Assign many suggestions in the background (the console's Assign action), its page showing the progress;
    each suggestion is checked and assigned on its own, as on the review page."""
    if not scope.has_role(actor, Role.STAFF):
        raise Forbidden(_("Only congress staff assign suggestions."))
    check_unit_plan(lead_id=lead_id, co_ids=co_ids)  # before the job, not once per suggestion
    ids = [int(pk) for pk in suggestion_ids]
    lead = Organisation.objects.filter(pk=lead_id).first()
    title = ngettext(
        "Assignment of %(n)s suggestion to %(unit)s", "Assignment of %(n)s suggestions to %(unit)s", len(ids)
    ) % {"n": len(ids), "unit": lead or lead_id}
    params = {"ids": ids, "lead": lead_id, "co_units": [int(pk) for pk in co_ids]}
    return jobs.start(actor=actor, kind=BULK_ASSIGN_JOB, title=title, params=params, total=len(ids))


def run_bulk_assign(job, step) -> str:
    """The console job of start_bulk_assign: its result lists what could not be assigned, and why."""
    params = job.params
    done, failures = bulk_assign(
        actor=job.created_by, suggestion_ids=params["ids"], lead_id=params["lead"], co_ids=params["co_units"],
        progress=step,
    )  # fmt: skip
    lines = [ngettext("%(n)s suggestion assigned.", "%(n)s suggestions assigned.", done) % {"n": done}]
    lines += [_("Not assigned: %(failure)s") % {"failure": failure} for failure in failures]
    return "\n".join(lines)


def save_category(*, actor, category: Category) -> Category:
    with transaction.atomic(), audit.acting_as(actor):
        scope.require(actor, "suggestions.manage_categories", category)
        if category.parent_id:
            scope.referenced(Category.objects.filter(congress_id=category.congress_id), category.parent_id,
                             field="parent", message=_("Choose a heading of this congress."))  # fmt: skip
        category.full_clean()
        category.save()
    return category
