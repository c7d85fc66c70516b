"""Every write on suggestions: the deputy's form, the staff and unit pages, the console and the API call these.

Each action locks its rows (in primary-key order when several), checks who may act (rules.py) and the state
(workflow.py), changes the rows, opens and closes its deadlines, writes the audit log and sends its
notifications after commit."""

import re
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress import audit, deadlines, jobs, outbox, policies, scope, tombstones, uploads, webhooks
from congress.errors import DomainError, Forbidden, RuleViolation
from congress.models import Organisation, OrganisationKind, Role, RoleMembership, Session, User
from congress.workdays import Calendar
from deputies import services as roster
from deputies.models import Mandate, MandateStatus

from . import signals, workflow
from .models import (
    Assignment,
    AssignmentStatus,
    Attachment,
    Category,
    ContactLog,
    ContactMode,
    CoSigner,
    CoSignerStatus,
    DeclineReason,
    ExtensionRequest,
    Feedback,
    KeySupervision,
    Kind,
    NumberSeries,
    ReassignmentRequest,
    Reply,
    RequestStatus,
    Result,
    Satisfaction,
    Status,
    Suggestion,
    SupervisionNote,
    UnitRole,
)

W = workflow


# Deadline kinds: labels and who is told besides the responsible unit or person.


def _group_lead_users(deadline) -> set[int]:
    reply = deadline.subject
    if reply is None:
        return set()
    primary_id = reply.assignment.suggestion_id
    return set(
        Suggestion.objects.filter(Q(pk=primary_id) | Q(merged_into_id=primary_id))
        .exclude(lead__person__user__isnull=True)
        .values_list("lead__person__user_id", flat=True)
    )


def _unit_head(deadline) -> set[int]:
    unit = deadline.responsible_org
    return {unit.head_id} if unit is not None and unit.head_id else set()


def register_deadline_kinds():
    from django.utils.translation import gettext_lazy

    webhooks.register_event("suggestion.status_changed", gettext_lazy("a suggestion changed state"))
    webhooks.register_event("suggestion.published", gettext_lazy("a suggestion and its reply were published"))
    webhooks.register_event("suggestion.replied", gettext_lazy("a unit replied to a suggestion"))

    deadlines.register_kind(W.ASSIGN, gettext_lazy("assignment of a suggestion"))
    deadlines.register_kind(W.DISCLOSURE, gettext_lazy("publication of a reply"))
    deadlines.register_kind(W.RECEIPT, gettext_lazy("confirming receipt of a suggestion"), escalate=_unit_head)
    deadlines.register_kind(W.REASSIGN_WINDOW, gettext_lazy("window to ask for re-assignment"), window=True)
    deadlines.register_kind(W.CO_OPINION, gettext_lazy("co-handling opinion to the lead unit"), escalate=_unit_head)
    deadlines.register_kind(W.REPLY, gettext_lazy("reply to a suggestion"), escalate=_unit_head)
    deadlines.register_kind(W.REHANDLE, gettext_lazy("new reply after re-handling"), escalate=_unit_head)
    deadlines.register_kind(W.FEEDBACK, gettext_lazy("feedback on a reply"), _group_lead_users)


def _tell(event: str, pk: int, **extra) -> None:
    from . import tasks

    outbox.enqueue(tasks.tell, event, pk, **extra)


def _lock(suggestion_id: int) -> Suggestion:
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("congress__region", "lead__person", "term", "session")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise RuleViolation(_("The suggestion does not exist."))
    return suggestion


def _lock_assignment(assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("suggestion", "unit", "congress")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise RuleViolation(_("The assignment does not exist."))
    return assignment


def _transition(actor, suggestion: Suggestion, action: str, target, **extra) -> None:
    before = suggestion.status
    suggestion.status = target
    audit.record(actor, suggestion, action, {"status": (before, target)}, **extra)
    _announce(suggestion, before, target)


def _announce(suggestion: Suggestion, before: str, target: str) -> None:
    """Tell subscribed integration clients (webhooks)."""
    webhooks.emit(
        "suggestion.status_changed",
        {"suggestion": suggestion.pk, "number": suggestion.number_label, "status": target, "previous": before,
         "congress": suggestion.congress_id},
        region_code=suggestion.region_code,
    )  # fmt: skip


# Drafting and co-signing


DRAFT_FIELDS = ("kind", "title", "content", "category", "session", "delegation")


def _validate_fields(suggestion: Suggestion) -> None:
    errors = {}
    if suggestion.category_id and suggestion.category.congress_id != suggestion.congress_id:
        errors["category"] = [_("Choose a category of this congress.")]
    if suggestion.session_id and suggestion.session.term_id != suggestion.term_id:
        errors["session"] = [_("Choose a session of the deputy's term.")]
    if suggestion.delegation_id and suggestion.delegation_id != suggestion.lead.delegation_id:
        errors["delegation"] = [_("You may submit only on behalf of your own delegation.")]
    if suggestion.kind not in Kind.values:
        errors["kind"] = [_("Choose a suggestion or a motion.")]
    if errors:
        raise RuleViolation(fields=errors)


def create_draft(*, actor, mandate_id: int, fields: dict, cosigner_ids=None, opinion=None) -> Suggestion:
    """A deputy starts a suggestion or motion under one of their active mandates."""
    mandate = roster.acting_mandates(actor).select_related("congress__region", "term").filter(pk=mandate_id).first()
    if mandate is None:
        raise Forbidden(_("Only a deputy with an active mandate may write a suggestion under it."))
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = Suggestion(lead=mandate, congress=mandate.congress, term=mandate.term, opinion=opinion)
        for name in DRAFT_FIELDS:
            if name in fields:
                setattr(suggestion, name, fields[name])
        _validate_fields(suggestion)
        suggestion.save()
        if cosigner_ids:
            _set_cosigners(suggestion, cosigner_ids)
    return suggestion


def draft_from_opinion(*, opinion, mandate: Mandate) -> Suggestion:
    """A citizen's opinion taken up by a deputy becomes their draft, linked back to the opinion.

    Called by the station's triage, which has already checked that its actor may route the opinion; the
    deputy then completes and submits the draft. The citizen's contact details are not copied."""
    if mandate.status != MandateStatus.ACTIVE:
        raise RuleViolation(fields={"deputy": [_("Choose a deputy with an active mandate.")]})
    suggestion = Suggestion(
        lead=mandate, congress=mandate.congress, term=mandate.term, opinion=opinion,
        title=(_("Citizen opinion %(code)s") % {"code": opinion.tracking_code})[:200],
        content=opinion.content,
    )  # fmt: skip
    suggestion.save()
    audit.record(None, suggestion, "draft_from_opinion", {}, opinion=opinion.tracking_code)
    return suggestion


def save_draft(*, actor, suggestion_id: int, fields: dict, cosigner_ids=None) -> Suggestion:
    """Save a draft or a returned suggestion (the form autosaves through this)."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.author", suggestion)
        W.check(suggestion, "edit")
        for name in DRAFT_FIELDS:
            if name in fields:
                setattr(suggestion, name, fields[name])
        _validate_fields(suggestion)
        suggestion.save()
        if cosigner_ids is not None:
            _set_cosigners(suggestion, cosigner_ids)
    return suggestion


def _set_cosigners(suggestion: Suggestion, mandate_ids) -> None:
    wanted = {int(pk) for pk in mandate_ids} - {suggestion.lead_id}
    valid = set(
        Mandate.objects.filter(
            pk__in=wanted, congress_id=suggestion.congress_id, term_id=suggestion.term_id, status=MandateStatus.ACTIVE
        ).values_list("pk", flat=True)
    )
    if wanted - valid:
        raise RuleViolation(fields={"cosigners": [_("Co-signers must be active deputies of the same congress.")]})
    suggestion.cosigners.exclude(mandate_id__in=wanted).delete()
    existing = set(suggestion.cosigners.values_list("mandate_id", flat=True))
    new = [CoSigner(suggestion=suggestion, mandate_id=pk) for pk in sorted(wanted - existing)]
    CoSigner.objects.bulk_create(new)
    for cosigner in new:
        _tell("cosign_invited", suggestion.pk, mandate_id=cosigner.mandate_id)


def add_attachments(*, actor, suggestion_id: int, files) -> list[Attachment]:
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.author", suggestion)
        W.check(suggestion, "edit")
        room = 5 - suggestion.attachments.count()
        checked = uploads.check_all(files, max_files=max(room, 0))
        return [
            Attachment.objects.create(
                suggestion=suggestion, file=upload, name=upload.name[:200], content_type=content_type, size=upload.size
            )
            for upload, content_type in checked
        ]


def remove_attachment(*, actor, attachment_id: int) -> None:
    """The deputy removes a file from a draft or a returned suggestion."""
    with transaction.atomic(), audit.acting_as(actor):
        attachment = Attachment.objects.select_related("suggestion").filter(pk=attachment_id).first()
        if attachment is None:
            raise RuleViolation(_("The attachment does not exist."))
        suggestion = _lock(attachment.suggestion_id)
        scope.require(actor, "suggestions.author", suggestion)
        W.check(suggestion, "edit")
        audit.record(actor, suggestion, "remove_attachment", {}, name=attachment.name)
        attachment.file.delete(save=False)
        attachment.delete()


def respond_cosign(*, actor, cosigner_id: int, confirm: bool) -> CoSigner:
    """A deputy confirms or declines co-signing; possible until staff accept the suggestion."""
    with transaction.atomic(), audit.acting_as(actor):
        found = CoSigner.objects.filter(pk=cosigner_id).values_list("suggestion_id", flat=True).first()
        if found is None:
            raise RuleViolation(_("The co-signing request does not exist."))
        # The suggestion first, so acceptance (which drops open invitations) cannot slip in between.
        suggestion = _lock(found)
        cosigner = (
            CoSigner.objects.select_for_update(of=("self",)).select_related("mandate__person").get(pk=cosigner_id)
        )
        scope.require(actor, "suggestions.cosign", cosigner)
        if suggestion.status not in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED):
            raise RuleViolation(_("The suggestion has been reviewed; co-signing is closed."))
        cosigner.status = CoSignerStatus.CONFIRMED if confirm else CoSignerStatus.DECLINED
        cosigner.responded_at = timezone.now()
        cosigner.save(update_fields=["status", "responded_at", "updated_at"])
    return cosigner


def motion_threshold(suggestion: Suggestion) -> int:
    return int(policies.policy(suggestion.congress, "motion.cosigner_threshold"))


def signatures(suggestion: Suggestion) -> int:
    """The lead deputy and the co-signers who confirmed."""
    return 1 + suggestion.cosigners.filter(status=CoSignerStatus.CONFIRMED).count()


def submit(*, actor, suggestion_id: int) -> Suggestion:
    """Submit a draft or a revised suggestion; a motion needs its co-signers (or a delegation) first."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.author", suggestion)
        _submit(actor, suggestion, "submit")
    _tell("submitted", suggestion.pk)
    return suggestion


def _submit(actor, suggestion: Suggestion, action: str) -> None:
    transition = W.check(suggestion, "submit")
    errors = {}
    if not suggestion.title.strip():
        errors["title"] = [_("Give the suggestion a title.")]
    if len(suggestion.content.strip()) < 20:
        errors["content"] = [_("State the problem and what you propose (at least 20 characters).")]
    if not suggestion.category_id:
        errors["category"] = [_("Choose a category.")]
    if errors:
        raise RuleViolation(fields=errors)
    if suggestion.kind == Kind.MOTION and not suggestion.delegation_id:
        needed, have = motion_threshold(suggestion), signatures(suggestion)
        if have < needed:
            raise RuleViolation(
                fields={
                    "cosigners": [
                        _(
                            "A motion needs %(needed)s deputies jointly (you and the co-signers who confirmed); it has %(have)s."  # noqa: E501
                        )
                        % {"needed": needed, "have": have}
                    ]
                }
            )
    suggestion.submitted_at = timezone.now()
    _transition(actor, suggestion, action, transition.target)
    suggestion.save()


def intake(*, actor, mandate_id: int, fields: dict) -> Suggestion:
    """Staff, or the congress's integration client, enter a deputy's suggestion received on paper or from
    another system (代录): it is submitted in the deputy's name at once, and the deputy is told."""
    mandate = (
        Mandate.objects.select_related("congress__region", "term", "person")
        .filter(pk=mandate_id, status=MandateStatus.ACTIVE)
        .first()
    )
    if mandate is None:
        raise RuleViolation(fields={"mandate": [_("Choose a deputy with an active mandate.")]})
    scope.require(actor, "suggestions.intake", mandate)
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = Suggestion(lead=mandate, congress=mandate.congress, term=mandate.term)
        for name in DRAFT_FIELDS:
            if name in fields:
                setattr(suggestion, name, fields[name])
        _validate_fields(suggestion)
        suggestion.save()
        _submit(actor, suggestion, "intake")
    _tell("submitted", suggestion.pk)
    _tell("entered", suggestion.pk)
    return suggestion


def withdraw(*, actor, suggestion_id: int, reason: str = "") -> Suggestion:
    """The lead deputy withdraws a suggestion before it is assigned."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.author", suggestion)
        transition = W.check(suggestion, "withdraw")
        if suggestion.merged.exists() or suggestion.merged_into_id:
            raise RuleViolation(_("The suggestion is merged with others; ask the staff to separate it first."))
        suggestion.withdraw_reason = reason
        _transition(actor, suggestion, "withdraw", transition.target)
        suggestion.save()
        deadlines.close_deadline(suggestion, W.ASSIGN, cancelled=True)
    return suggestion


# Review


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
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.review", suggestion)
        transition = W.check(suggestion, "accept")
        suggestion.sequence, suggestion.number, suggestion.number_label = _next_number(suggestion)
        suggestion.accepted_at = timezone.now()
        suggestion.review_comment = ""
        _transition(actor, suggestion, "accept", transition.target, number=suggestion.number_label)
        suggestion.save()
        suggestion.cosigners.filter(status=CoSignerStatus.INVITED).delete()
        if suggestion.session_id is None:
            deadlines.open_deadline(
                subject=suggestion, kind=W.ASSIGN, start=timezone.localdate(),
                value=policies.policy(suggestion.congress, "suggestion.assign_period"), unit=policies.WORKDAYS,
                congress=suggestion.congress,
            )  # fmt: skip
        roster.record_duty(
            mandate=suggestion.lead, kind_code="motion" if suggestion.kind == Kind.MOTION else "suggestion",
            on=timezone.localdate(), title=suggestion.title, source=f"suggestions:{suggestion.pk}",
        )  # fmt: skip
    _tell("accepted", suggestion.pk)
    return suggestion


def return_for_revision(*, actor, suggestion_id: int, comment: str) -> Suggestion:
    """Send a submitted suggestion back to the deputy with what to improve."""
    if not comment.strip():
        raise RuleViolation(fields={"comment": [_("Say what the deputy should revise.")]})
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.review", suggestion)
        transition = W.check(suggestion, "return")
        suggestion.review_comment = comment
        _transition(actor, suggestion, "return", transition.target, comment=comment)
        suggestion.save()
    _tell("returned", suggestion.pk)
    return suggestion


def decline(*, actor, suggestion_id: int, reason: str, comment: str = "") -> Suggestion:
    """Decline a submission that is not a suggestion (one of the domain's reasons); the deputy is told."""
    if reason not in DeclineReason.values:
        raise RuleViolation(fields={"reason": [_("Choose why the suggestion is declined.")]})
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.review", suggestion)
        transition = W.check(suggestion, "decline")
        suggestion.decline_reason, suggestion.review_comment = reason, comment
        _transition(actor, suggestion, "decline", transition.target, reason=reason)
        suggestion.save()
    _tell("declined", suggestion.pk)
    return suggestion


def convert_motion(*, actor, suggestion_id: int) -> Suggestion:
    """Treat a submitted motion as a suggestion (the presidium's or staff's decision)."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.review", suggestion)
        W.check(suggestion, "convert")
        if suggestion.kind != Kind.MOTION:
            raise RuleViolation(_("Only a motion can be converted into a suggestion."))
        suggestion.kind, suggestion.converted_from_motion = Kind.SUGGESTION, True
        suggestion.save()
        audit.record(actor, suggestion, "convert", {"kind": (Kind.MOTION, Kind.SUGGESTION)})
    _tell("converted", suggestion.pk)
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
        for suggestion in rows.values():
            scope.require(actor, "suggestions.review", suggestion)
            W.check(suggestion, "merge")
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
            suggestion.save(update_fields=["merged_into", "updated_at"])
            deadlines.close_deadline(suggestion, W.ASSIGN, cancelled=True)
            audit.record(actor, suggestion, "merge", {"merged_into": ("", primary.number_label)})
        audit.record(actor, primary, "merge", {}, merged=[rows[pk].number_label for pk in ids if pk != primary.pk])
    return primary


def group(primary: Suggestion) -> list[Suggestion]:
    """A suggestion and those merged into it, locked in primary-key order."""
    return list(
        Suggestion.objects.select_for_update().filter(Q(pk=primary.pk) | Q(merged_into_id=primary.pk)).order_by("pk")
    )


# Assignment


def _units(ids, suggestion: Suggestion, field: str) -> list[Organisation]:
    ids = [int(pk) for pk in ids]
    units = list(Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.HANDLING_UNIT, is_active=True))
    prefix = suggestion.region_code
    if len(units) != len(set(ids)) or any(not u.region.code.startswith(prefix) for u in units):
        raise RuleViolation(fields={field: [_("Choose active handling units of this congress's region.")]})
    return units


def _open_unit_clocks(assignment: Assignment, start: date, calendar: Calendar) -> None:
    congress = assignment.congress
    common = {"subject": assignment, "start": start, "congress": congress, "responsible_org": assignment.unit,
              "calendar": calendar}  # fmt: skip
    deadlines.open_deadline(kind=W.RECEIPT, value=policies.policy(congress, "suggestion.receipt_period"),
                            unit=policies.WORKDAYS, **common)  # fmt: skip
    deadlines.open_deadline(kind=W.REASSIGN_WINDOW, value=policies.policy(congress, "suggestion.reassign_window"),
                            unit=policies.WORKDAYS, **common)  # fmt: skip
    if assignment.role == UnitRole.CO:
        deadlines.open_deadline(kind=W.CO_OPINION, value=policies.policy(congress, "suggestion.co_opinion_period"),
                                unit=policies.MONTHS, **common)  # fmt: skip
    else:
        due = deadlines.open_deadline(kind=W.REPLY, value=policies.policy(congress, "suggestion.reply_period"),
                                      unit=policies.MONTHS, **common)  # fmt: skip
        assignment.reply_due = due.due_date
        assignment.save(update_fields=["reply_due", "updated_at"])


def _new_assignment(actor, suggestion, unit, role, today, calendar) -> Assignment:
    assignment = Assignment.objects.create(
        suggestion=suggestion, unit=unit, role=role, congress_id=suggestion.congress_id,
        region_code=suggestion.region_code, session_id=suggestion.session_id, assigned_on=today, assigned_by=actor,
    )  # fmt: skip
    _open_unit_clocks(assignment, today, calendar)
    _tell("assigned", assignment.pk)
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
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.review", suggestion)
        transition = W.check(suggestion, "assign")
        if suggestion.merged_into_id:
            raise RuleViolation(
                _("This suggestion is merged into %(s)s; assign that one.") % {"s": suggestion.merged_into}
            )
        check_unit_plan(lead_id=lead_id, co_ids=co_ids, separate_ids=separate_ids)
        if lead_id:
            plan = [(u, UnitRole.LEAD) for u in _units([lead_id], suggestion, "lead")]
            plan += [(u, UnitRole.CO) for u in _units(co_ids, suggestion, "co_units")]
        else:
            plan = [(u, UnitRole.SEPARATE) for u in _units(separate_ids, suggestion, "separate_units")]
        today, calendar = timezone.localdate(), Calendar.load()
        for unit, role in plan:
            _new_assignment(actor, suggestion, unit, role, today, calendar)
        for member in group(suggestion):
            member.assigned_on = today
            before = member.status
            member.status = transition.target
            member.save(update_fields=["assigned_on", "status", "updated_at"])
            deadlines.close_deadline(member, W.ASSIGN)
            audit.record(actor, member, "assign", {"status": (before, member.status)},
                         units=[f"{u.name} ({UnitRole(r).label})" for u, r in plan])  # fmt: skip
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


def _sync(actor, primary_id: int, action: str) -> None:
    """Recompute the state of a handed-out suggestion (and those merged into it) from its units."""
    primary = Suggestion.objects.get(pk=primary_id)
    target = W.derived_status(list(Assignment.objects.filter(suggestion_id=primary_id)))
    now = timezone.now()
    for member in group(primary):
        if member.status == target:
            continue
        before = member.status
        member.status = target
        member.closed_at = now if target == Status.CLOSED else None
        member.save(update_fields=["status", "closed_at", "updated_at"])
        audit.record(actor, member, action, {"status": (before, target)})
        _announce(member, before, target)
        if target == Status.REPLIED and not member.published_at:
            deadlines.close_deadline(member, W.DISCLOSURE, cancelled=True)
            deadlines.open_deadline(
                subject=member, kind=W.DISCLOSURE, start=now.date(),
                value=policies.policy(member.congress, "suggestion.disclosure_period"), unit=policies.WORKDAYS,
                congress=member.congress,
            )  # fmt: skip
        if target in (Status.REPLIED, Status.CLOSED):
            signals.status_changed.send(sender=Suggestion, suggestion=member, status=target)


def confirm_receipt(*, actor, assignment_id: int) -> Assignment:
    """The unit's officer confirms the assignment arrived; handling starts."""
    with transaction.atomic(), audit.acting_as(actor):
        assignment = _lock_assignment(assignment_id)
        scope.require(actor, "suggestions.handle", assignment)
        transition = W.check_assignment(assignment, "confirm_receipt")
        assignment.status, assignment.received_at = transition.target, timezone.now()
        assignment.save(update_fields=["status", "received_at", "updated_at"])
        deadlines.close_deadline(assignment, W.RECEIPT)
        audit.record(actor, assignment, "confirm_receipt", {"status": (AssignmentStatus.ASSIGNED, transition.target)})
        _sync(actor, assignment.suggestion_id, "confirm_receipt")
    return assignment


def reassign_window_end(assignment: Assignment, calendar: Calendar | None = None) -> date:
    return (
        (calendar or Calendar.load())
        .add_workdays(assignment.assigned_on, policies.policy(assignment.congress, "suggestion.reassign_window"))
        .date
    )


def request_reassignment(*, actor, assignment_id: int, reason: str, suggested_unit_id=None) -> ReassignmentRequest:
    """A unit asks to be released within the window; after it the system refuses. It never forwards itself."""
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Say why the suggestion is not your unit's remit.")]})
    with transaction.atomic(), audit.acting_as(actor):
        assignment = _lock_assignment(assignment_id)
        scope.require(actor, "suggestions.handle", assignment)
        transition = W.check_assignment(assignment, "request_reassignment")
        closes = reassign_window_end(assignment)
        if timezone.localdate() > closes:
            raise RuleViolation(
                _("The window to ask for re-assignment closed on %(date)s; the unit must handle the suggestion.")
                % {"date": closes.isoformat()}
            )
        suggested = None
        if suggested_unit_id:
            suggested = _units([suggested_unit_id], assignment.suggestion, "suggested_unit")[0]
        request = ReassignmentRequest.objects.create(
            assignment=assignment, reason=reason, suggested_unit=suggested, previous_status=assignment.status,
            requested_by=actor,
        )  # fmt: skip
        before = assignment.status
        assignment.status = transition.target
        assignment.save(update_fields=["status", "updated_at"])
        audit.record(actor, assignment, "request_reassignment", {"status": (before, transition.target)}, reason=reason)
    _tell("reassignment_requested", request.pk)
    return request


def decide_reassignment(*, actor, request_id: int, approve: bool, note: str = "", new_unit_id=None) -> Assignment:
    """Staff release the unit (and name who handles instead) or refuse, and the unit goes on."""
    with transaction.atomic(), audit.acting_as(actor):
        request = ReassignmentRequest.objects.select_for_update().get(pk=request_id)
        assignment = _lock_assignment(request.assignment_id)
        scope.require(actor, "suggestions.review", assignment)
        W.check_assignment(assignment, "decide_reassignment")
        if request.status != RequestStatus.PENDING:
            raise RuleViolation(_("The request has already been decided."))
        suggestion = assignment.suggestion
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
        before = assignment.status
        if approve:
            others_answer = (
                Assignment.objects.filter(suggestion=suggestion, status__in=W.LIVE, role__in=[UnitRole.LEAD,
                                          UnitRole.SEPARATE]).exclude(pk=assignment.pk).exists()
            )  # fmt: skip
            if assignment.answers and not others_answer and not new_unit_id:
                raise RuleViolation(fields={"new_unit": [_("Name the unit that replies instead.")]})
            request.status = RequestStatus.APPROVED
            assignment.status, assignment.ended_at = AssignmentStatus.RELEASED, timezone.now()
            assignment.save(update_fields=["status", "ended_at", "updated_at"])
            for kind in (W.RECEIPT, W.REASSIGN_WINDOW, W.CO_OPINION, W.REPLY):
                deadlines.close_deadline(assignment, kind, cancelled=True)
            if new_unit_id:
                [unit] = _units([new_unit_id], suggestion, "new_unit")
                _new_assignment(actor, suggestion, unit, assignment.role, timezone.localdate(), Calendar.load())
        else:
            request.status = RequestStatus.REFUSED
            assignment.status = request.previous_status
            assignment.save(update_fields=["status", "updated_at"])
        request.save()
        audit.record(actor, assignment, "decide_reassignment", {"status": (before, assignment.status)},
                     approved=approve, note=note)  # fmt: skip
        _sync(actor, suggestion.pk, "decide_reassignment")
    _tell("reassignment_decided", request.pk)
    return assignment


# Handling


def save_plan(*, actor, assignment_id: int, plan: str) -> Assignment:
    with transaction.atomic(), audit.acting_as(actor):
        assignment = _lock_assignment(assignment_id)
        scope.require(actor, "suggestions.handle", assignment)
        W.check_assignment(assignment, "save_plan")
        assignment.handling_plan = plan
        assignment.save(update_fields=["handling_plan", "updated_at"])
    return assignment


def record_contact(*, actor, assignment_id: int, on: date, mode: str, summary: str) -> ContactLog:
    """Log a contact with the deputy (face-to-face contacts are a statistic)."""
    with transaction.atomic(), audit.acting_as(actor):
        assignment = _lock_assignment(assignment_id)
        scope.require(actor, "suggestions.handle", assignment)
        W.check_assignment(assignment, "record_contact")
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
        assignment = _lock_assignment(assignment_id)
        scope.require(actor, "suggestions.handle", assignment)
        transition = W.check_assignment(assignment, "co_opinion")
        if assignment.answers:
            raise RuleViolation(_("Only a co-handling unit sends an opinion to the lead unit; yours replies."))
        assignment.co_opinion, assignment.co_opinion_at = opinion, timezone.now()
        assignment.status = transition.target
        assignment.save(update_fields=["co_opinion", "co_opinion_at", "status", "updated_at"])
        deadlines.close_deadline(assignment, W.CO_OPINION)
        deadlines.close_deadline(assignment, W.REASSIGN_WINDOW, cancelled=True)
        audit.record(actor, assignment, "co_opinion", {"status": (AssignmentStatus.RECEIVED, transition.target)})
    _tell("co_opinion", assignment.pk)
    return assignment


def allowed_results(congress) -> list[str]:
    return Result.values[: int(policies.policy(congress, "suggestion.result_categories"))]


def reply(*, actor, assignment_id: int, text: str, result: str, follow_up_plan: str = "", letter=None) -> Reply:
    """The lead (or a separately assigned) unit replies with a signed letter and a result category."""
    with transaction.atomic(), audit.acting_as(actor):
        assignment = _lock_assignment(assignment_id)
        scope.require(actor, "suggestions.handle", assignment)
        transition = W.check_assignment(assignment, "reply")
        if not assignment.answers:
            raise RuleViolation(_("A co-handling unit sends its opinion to the lead unit; the lead unit replies."))
        errors = {}
        if not text.strip():
            errors["text"] = [_("Write the reply.")]
        if result not in allowed_results(assignment.congress):
            errors["result"] = [_("Choose one of the result categories %(c)s.") % {
                "c": ", ".join(allowed_results(assignment.congress))}]  # fmt: skip
        elif result in (Result.B, Result.C) and not follow_up_plan.strip():
            errors["follow_up_plan"] = [_("For category B or C, state the follow-up the unit promises.")]
        if errors:
            raise RuleViolation(fields=errors)
        uploads.check_pdf(letter)
        today = timezone.localdate()
        rehandling = assignment.status == AssignmentStatus.REHANDLING
        round_number = assignment.replies.count() + 1
        answer = Reply.objects.create(
            assignment=assignment, round=round_number, text=text, result=result, follow_up_plan=follow_up_plan,
            letter=letter, replied_on=today, replied_by=actor,
        )  # fmt: skip
        before = assignment.status
        if not rehandling:
            assignment.replied_on = today
            assignment.replied_on_time = assignment.reply_due is None or today <= assignment.reply_due
        assignment.status = transition.target
        assignment.save(update_fields=["status", "replied_on", "replied_on_time", "updated_at"])
        deadlines.close_deadline(assignment, W.REHANDLE if rehandling else W.REPLY)
        # A reply answers the question an extension request asked; it no longer waits for a decision.
        assignment.extension_requests.filter(status=RequestStatus.PENDING).update(
            status=RequestStatus.REFUSED,
            decided_at=timezone.now(),
            decision_note=_("The unit replied before a decision."),
        )
        deadlines.close_deadline(assignment, W.REASSIGN_WINDOW, cancelled=True)
        lead_user = assignment.suggestion.lead.person.user
        deadlines.open_deadline(
            subject=answer, kind=W.FEEDBACK, start=today,
            value=policies.policy(assignment.congress, "suggestion.feedback_period"), unit=policies.WORKDAYS,
            congress=assignment.congress, responsible_user=lead_user,
        )  # fmt: skip
        audit.record(actor, assignment, "reply", {"status": (before, transition.target)}, result=result,
                     round=round_number)  # fmt: skip
        suggestion = assignment.suggestion
        webhooks.emit(
            "suggestion.replied",
            {"suggestion": suggestion.pk, "number": suggestion.number_label, "assignment": assignment.pk,
             "unit": assignment.unit_id, "reply": answer.pk, "round": round_number, "result": result,
             "replied_on": today, "congress": suggestion.congress_id},
            region_code=suggestion.region_code,
        )  # fmt: skip
        _sync(actor, assignment.suggestion_id, "reply")
        signals.replied.send(sender=Reply, reply=answer)
    _tell("replied", answer.pk)
    return answer


def request_extension(*, actor, assignment_id: int, months: int, reason: str) -> ExtensionRequest:
    """Ask for more time to reply; the total never passes the policy's longest period."""
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Say why the unit needs more time.")]})
    with transaction.atomic(), audit.acting_as(actor):
        assignment = _lock_assignment(assignment_id)
        scope.require(actor, "suggestions.handle", assignment)
        W.check_assignment(assignment, "request_extension")
        if not assignment.answers:
            raise RuleViolation(_("Only the unit that replies can ask for more time to reply."))
        _check_extension(assignment, months)
        if assignment.extension_requests.filter(status=RequestStatus.PENDING).exists():
            raise RuleViolation(_("An extension request of this unit is already waiting for a decision."))
        request = ExtensionRequest.objects.create(
            assignment=assignment, months=months, reason=reason, requested_by=actor
        )
        audit.record(actor, assignment, "request_extension", {}, months=months, reason=reason)
    _tell("extension_requested", request.pk)
    return request


def _check_extension(assignment: Assignment, months: int) -> None:
    base = int(policies.policy(assignment.congress, "suggestion.reply_period"))
    longest = int(policies.policy(assignment.congress, "suggestion.reply_max_period"))
    if months < 1 or base + assignment.extension_months + months > longest:
        room = longest - base - assignment.extension_months
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
        assignment = _lock_assignment(request.assignment_id)
        scope.require(actor, "suggestions.review", assignment)
        if request.status != RequestStatus.PENDING:
            raise RuleViolation(_("The request has already been decided."))
        W.check_assignment(assignment, "decide_extension")
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
        if approve:
            _check_extension(assignment, request.months)
            request.status = RequestStatus.APPROVED
            before = assignment.reply_due
            assignment.extension_months += request.months
            due = deadlines.open_deadline(
                subject=assignment, kind=W.REPLY, start=assignment.assigned_on,
                value=int(policies.policy(assignment.congress, "suggestion.reply_period"))
                + assignment.extension_months,
                unit=policies.MONTHS, congress=assignment.congress, responsible_org=assignment.unit,
            )  # fmt: skip
            assignment.reply_due = due.due_date
            assignment.save(update_fields=["extension_months", "reply_due", "updated_at"])
            audit.record(actor, assignment, "decide_extension", {"reply_due": (before, due.due_date)}, approved=True)
        else:
            request.status = RequestStatus.REFUSED
            audit.record(actor, assignment, "decide_extension", {}, approved=False, note=note)
        request.save()
    _tell("extension_decided", request.pk)
    return request


# Feedback, re-handling, closing


def current_reply(assignment: Assignment) -> Reply | None:
    return assignment.replies.order_by("-round").first()


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
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.author", suggestion)
        answer = Reply.objects.select_related("assignment").filter(pk=reply_id).first()
        primary_id = suggestion.merged_into_id or suggestion.pk
        if answer is None or answer.assignment.suggestion_id != primary_id:
            raise RuleViolation(fields={"reply": [_("Choose a reply to this suggestion.")]})
        assignment = _lock_assignment(answer.assignment_id)
        W.check_assignment(assignment, "feedback")
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
    deadlines.close_deadline(answer, W.FEEDBACK)
    before = assignment.status
    if any(f.dissatisfied for f in ratings):
        if answer.round == 1:
            assignment.status = AssignmentStatus.REHANDLING
            due = deadlines.open_deadline(
                subject=assignment, kind=W.REHANDLE, start=timezone.localdate(),
                value=policies.policy(assignment.congress, "suggestion.rehandle_period"), unit=policies.MONTHS,
                congress=assignment.congress, responsible_org=assignment.unit,
            )  # fmt: skip
            assignment.reply_due = due.due_date
            _tell("rehandling", assignment.pk)
        else:
            assignment.status = AssignmentStatus.DISPUTED
            _tell("disputed", assignment.pk)
    elif answer.result in (Result.B, Result.C):
        assignment.status = AssignmentStatus.FOLLOW_UP
    else:
        assignment.status = AssignmentStatus.DONE
    assignment.save(update_fields=["status", "reply_due", "updated_at"])
    audit.record(actor, assignment, "feedback", {"status": (before, assignment.status)})
    _sync(actor, assignment.suggestion_id, "feedback")


def lapse_feedback(today: date | None = None) -> int:
    """Replies whose feedback period passed count as accepted (marked so); returns replies settled."""
    from django.contrib.contenttypes.models import ContentType

    from congress.models import Deadline

    today = today or timezone.localdate()
    due = Deadline.objects.open().filter(
        kind=W.FEEDBACK, content_type=ContentType.objects.get_for_model(Reply), due_date__lt=today
    )
    settled = 0
    for reply_id in due.values_list("object_id", flat=True).iterator(chunk_size=500):
        with transaction.atomic():
            answer = Reply.objects.filter(pk=reply_id).first()
            if answer is None:
                continue
            assignment = _lock_assignment(answer.assignment_id)
            if assignment.status != AssignmentStatus.REPLIED or current_reply(assignment).pk != answer.pk:
                deadlines.close_deadline(answer, W.FEEDBACK, cancelled=True)
                continue
            members = Suggestion.objects.filter(
                Q(pk=assignment.suggestion_id) | Q(merged_into_id=assignment.suggestion_id)
            ).exclude(feedback__reply=answer)
            Feedback.objects.bulk_create(
                [Feedback(reply=answer, suggestion=member, congress_id=assignment.congress_id,
                          unit_id=assignment.unit_id, on_result=Satisfaction.SATISFIED,
                          on_attitude=Satisfaction.SATISFIED, deemed=True) for member in members],
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
        suggestion = _lock(suggestion_id)
        primary_id = suggestion.merged_into_id or suggestion.pk
        scope.require(actor, "suggestions.review", suggestion)
        disputed = list(
            Assignment.objects.select_for_update()
            .filter(suggestion_id=primary_id, status=AssignmentStatus.DISPUTED)
            .order_by("pk")
        )
        if not disputed:
            raise W.InvalidTransition(
                _("The suggestion is %(state)s: only a reply rated dissatisfied twice is closed by decision.")
                % {"state": Status(suggestion.status).label}
            )
        for assignment in disputed:
            assignment.status = AssignmentStatus.DONE
            assignment.save(update_fields=["status", "updated_at"])
            audit.record(actor, assignment, "close", {"status": (AssignmentStatus.DISPUTED, AssignmentStatus.DONE)})
        Suggestion.objects.filter(Q(pk=primary_id) | Q(merged_into_id=primary_id)).update(closing_note=decision)
        _sync(actor, primary_id, "close")
        suggestion.refresh_from_db()
    return suggestion


def report_solved(*, actor, assignment_id: int, note: str) -> Assignment:
    """A B or C item under follow-up is reported solved by its unit."""
    if not note.strip():
        raise RuleViolation(fields={"note": [_("Say how the matter was solved.")]})
    with transaction.atomic(), audit.acting_as(actor):
        assignment = _lock_assignment(assignment_id)
        scope.require(actor, "suggestions.handle", assignment)
        transition = W.check_assignment(assignment, "report_solved")
        answer = current_reply(assignment)
        answer.solved_on, answer.solved_note = timezone.localdate(), note
        answer.save(update_fields=["solved_on", "solved_note", "updated_at"])
        assignment.status = transition.target
        assignment.save(update_fields=["status", "updated_at"])
        audit.record(actor, assignment, "report_solved", {"status": (AssignmentStatus.FOLLOW_UP, transition.target)})
        _sync(actor, assignment.suggestion_id, "report_solved")
    return assignment


# Disclosure

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
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.author", suggestion)
        W.check(suggestion, "object")
        if suggestion.published_at:
            raise RuleViolation(_("The suggestion has already been published."))
        suggestion.disclosure_objection = reason
        suggestion.save(update_fields=["disclosure_objection", "updated_at"])
        audit.record(actor, suggestion, "object", {}, reason=reason)
    return suggestion


def publish(*, actor, suggestion_id: int, override_objection: bool = False, note: str = "") -> Suggestion:
    """Publish a replied suggestion with its replies, personal data removed; an objection needs a decision."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = _lock(suggestion_id)
        scope.require(actor, "suggestions.publish", suggestion)
        W.check(suggestion, "publish")
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
        suggestion.save(update_fields=["public_title", "public_content", "published_at", "updated_at"])
        deadlines.close_deadline(suggestion, W.DISCLOSURE)
        audit.record(actor, suggestion, "publish", {}, note=note, over_objection=bool(suggestion.disclosure_objection))
        webhooks.emit(
            "suggestion.published",
            {"suggestion": suggestion.pk, "number": suggestion.number_label, "published_at": suggestion.published_at,
             "congress": suggestion.congress_id},
            region_code=suggestion.region_code,
        )  # fmt: skip
    return suggestion


# Key supervision


def save_key_item(*, actor, item: KeySupervision, suggestion_ids=None) -> KeySupervision:
    """Create or change a key supervision item; the number of items a year is a policy limit."""
    with transaction.atomic(), audit.acting_as(actor):
        if item.pk:
            KeySupervision.objects.select_for_update().get(pk=item.pk)
        scope.require(actor, "suggestions.mark_key", item)
        if not item.pk:
            limit = int(policies.policy(item.congress, "supervision.key_items_per_year"))
            if KeySupervision.objects.filter(congress=item.congress, year=item.year).count() >= limit:
                raise RuleViolation(
                    _("The congress already has %(n)s key supervision items for %(year)s, its limit.")
                    % {"n": limit, "year": item.year}
                )
        if (
            item.leader_id
            and not RoleMembership.objects.filter(
                user_id=item.leader_id, role__in=[Role.SUPERVISOR, Role.STAFF], congress_id=item.congress_id
            ).exists()
        ):
            raise RuleViolation(fields={"leader": [_("The leader must be a supervisor of this congress.")]})
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
        _tell("supervision_notice", note.pk)
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


# Categories


def save_category(*, actor, category: Category) -> Category:
    with transaction.atomic(), audit.acting_as(actor):
        scope.require(actor, "suggestions.manage_categories", category)
        category.full_clean()
        category.save()
    return category


def session_for(term, on: date) -> Session | None:
    """The session sitting on a date, if any (the form's default)."""
    return term and Session.objects.filter(term=term, start_date__lte=on, end_date__gte=on).first()


def officers_of(unit_id: int):
    ids = RoleMembership.objects.filter(role=Role.UNIT_OFFICER, organisation_id=unit_id).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


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
