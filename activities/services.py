"""Every write on activities: the console, the staff and deputy pages and the API call these.

Each action locks the activity row first, then its invitations in primary-key order, checks who may act
(rules.py) and the state (workflow.py, which also writes the audit entry). An activity's places are counted in
`Activity.taken`, changed only under the activity's row lock, and a database constraint keeps it within the
capacity: two deputies accepting the last place get it one after the other, the second onto the waiting list.

Attendance writes the duty record: a deputy present at any sitting earns the activity kind's duty item once for
the activity, and one absent without leave (and never present) the deduction for it. Once the activity is closed
its attendance changes only through a recorded correction, which rewrites those entries to match."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Case, Count, Max, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, deadlines, policies, scope, uploads, webhooks
from congress.errors import RuleViolation
from congress.models import Congress, Organisation, OrganisationKind
from congress.params import as_identifier
from congress.workdays import Calendar
from deputies.models import DutyKind, Mandate, MandateStatus
from deputies.services import record_duty, withdraw_duty
from suggestions import services as suggestion_services

from . import experts, rules, workflow
from .models import (
    REPORT_TO_VOTERS,
    Activity,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Channel,
    Correction,
    Finding,
    FindingOutcome,
    Invitation,
    InvitationStatus,
    Material,
    OutcomeKind,
    Participant,
    Sitting,
    VoterReport,
)

ABSENCE_DUTY_KIND = "activity_absence_unexcused"
# An activity whose sittings may be attended (check-in, the roll): invitations are out and it is not closed.
RUNNING = {ActivityStatus.INVITING, ActivityStatus.UNDER_WAY, ActivityStatus.REPORTED}


def _lock_activity(activity_id: int) -> Activity:
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("congress__region", "kind")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise RuleViolation(_("The activity does not exist."))
    return activity


def _check_not_closed(activity: Activity) -> None:
    if activity.status == ActivityStatus.CLOSED:
        raise RuleViolation(_("The activity is closed; it can no longer be changed."))


# The activity, its sittings, materials and non-deputy participants


def save_activity(*, actor, activity: Activity, co_congresses=None) -> Activity:
    """Create or change an activity; a larger capacity gives freed places to the waiting list at once."""
    with transaction.atomic(), audit.acting_as(actor):
        current = _lock_activity(activity.pk) if activity.pk else None
        if current is not None:
            scope.require(actor, "activities.manage", current)
            _check_not_closed(current)
            activity.taken, activity.status = current.taken, current.status
            if activity.congress_id != current.congress_id:
                raise RuleViolation(fields={"congress": [_("An activity stays with the congress that organises it.")]})
        else:
            activity.created_by = actor
        if activity.capacity is not None and activity.capacity < activity.taken:
            raise RuleViolation(
                fields={"capacity": [_("%(n)s places are already taken; the places cannot be fewer than that.")
                                     % {"n": activity.taken}]}
            )  # fmt: skip
        activity.full_clean()
        scope.require(actor, "activities.manage", activity)
        if co_congresses is not None:
            # Joint activities cross regions: any other congress may co-organise (it then invites its own deputies).
            co_congresses = scope.referenced(
                Congress.objects.exclude(pk=activity.congress_id), [getattr(c, "pk", c) for c in co_congresses],
                field="co_congresses", message=_("Choose other congresses as co-organisers."),
            ) if co_congresses else []  # fmt: skip
        activity.save()
        if co_congresses is not None:
            activity.co_congresses.set(co_congresses)
        if current is not None and activity.capacity > current.capacity:
            _promote(actor, activity)
    return activity


def save_sitting(*, actor, sitting: Sitting) -> Sitting:
    """Add or move a sitting of an activity; two sittings of one activity are never at the same time."""
    with transaction.atomic(), audit.acting_as(actor):
        activity = _lock_activity(sitting.activity_id)
        scope.require(actor, "activities.manage", activity)
        _check_not_closed(activity)
        if not sitting.number:
            sitting.number = (activity.sittings.aggregate(n=Max("number"))["n"] or 0) + 1
        sitting.full_clean()
        if (
            Sitting.objects.filter(activity=activity, starts_at__lt=sitting.ends_at, ends_at__gt=sitting.starts_at)
            .exclude(pk=sitting.pk)
            .exists()
        ):
            raise RuleViolation(fields={"starts_at": [_("Another sitting of this activity is at that time.")]})
        sitting.save()
    return sitting


def add_material(*, actor, activity_id: int, title: str, file=None, url: str = "") -> Material:
    """Hand out a file (PDF or image, checked by content) or a link for an activity."""
    if not title.strip():
        raise RuleViolation(fields={"title": [_("Give the material a title.")]})
    if bool(file) == bool(url):
        raise RuleViolation(fields={"file": [_("Give either a file or a link.")]})
    if file:
        uploads.check(file, kind="document", field="file")
    with transaction.atomic(), audit.acting_as(actor):
        activity = _lock_activity(activity_id)
        scope.require(actor, "activities.manage", activity)
        material = Material(activity=activity, title=title[:200], file=file or "", url=url)
        material.full_clean()
        material.save()
    return material


def save_material(*, actor, material: Material) -> Material:
    """The console's material form: the same checks as add_material."""
    uploads.check_new(material.file, kind="document", field="file")
    with transaction.atomic(), audit.acting_as(actor):
        activity = _lock_activity(material.activity_id)
        scope.require(actor, "activities.manage", activity)
        material.full_clean()
        material.save()
    return material


def save_participant(*, actor, participant: Participant) -> Participant:
    """Record a citizen, expert or other non-deputy taking part."""
    with transaction.atomic(), audit.acting_as(actor):
        activity = _lock_activity(participant.activity_id)
        scope.require(actor, "activities.manage", activity)
        _check_not_closed(activity)
        participant.full_clean()
        participant.save()
    return participant


# The activity's course: planned → invitations sent → under way → report submitted → closed


def _move(actor, activity_id: int, action: str, check=None, **fields) -> Activity:
    with transaction.atomic(), audit.acting_as(actor):
        activity = _lock_activity(activity_id)
        move = workflow.ACTIVITY.allow(actor, activity, action)
        if check:
            check(activity)
        for name, value in fields.items():
            setattr(activity, name, value)
        move.apply(fields=list(fields))
    return activity


def _has_sittings(activity: Activity) -> None:
    if not activity.sittings.exists():
        raise RuleViolation(_("Add the activity's sittings before sending the invitations."))


def send_invitations(*, actor, activity_id: int) -> Activity:
    """Open the invitations to answers: deputies may accept or decline from now on, and those invited while the
    activity was planned are told now."""
    with transaction.atomic():
        activity = _move(actor, activity_id, "send_invitations", check=_has_sittings)
        _tell_invited(activity, activity.invitations.filter(status=InvitationStatus.INVITED))
        experts.tell_invited_experts(activity)
    return activity


def _tell_invited(activity: Activity, invitations) -> int:
    """Tell each invited deputy, by e-mail and SMS as they chose, once per activity (the key), in the caller's
    transaction."""
    from congress import notifications

    title = _("Invitation: %(title)s") % {"title": activity.title}
    body = _("%(kind)s, %(start)s to %(end)s%(places)s. Accept or decline under “My activities”.") % {
        "kind": activity.kind.name, "start": activity.starts_on.isoformat(), "end": activity.ends_on.isoformat(),
        "places": f"，{activity.places}" if activity.places else ""}  # fmt: skip
    users = [
        i.mandate.person.user_id for i in invitations.select_related("mandate__person") if i.mandate.person.user_id
    ]
    messages = [(user_id, title, body, "/activities/mine/") for user_id in users]
    invitations.filter(notified_at__isnull=True).update(notified_at=timezone.now())
    return notifications.send_each(f"activity-invitation:{activity.pk}", messages, channels=("email", "sms"))


def start(*, actor, activity_id: int) -> Activity:
    """The activity is under way."""
    return _move(actor, activity_id, "start")


def submit_report(*, actor, activity_id: int, report: str, findings=()) -> Activity:
    """Submit the activity's report (调研报告) with its findings, numbered in the order given."""
    if not (report or "").strip():
        raise RuleViolation(fields={"report": [_("Write the report before submitting it.")]})
    texts = [text.strip() for text in findings if text and text.strip()]
    if any(len(text) > 5000 for text in texts):
        raise RuleViolation(fields={"findings": [_("A finding is at most 5000 characters long.")]})
    with transaction.atomic(), audit.acting_as(actor):
        activity = _move(actor, activity_id, "submit_report", report=report.strip(), report_submitted_at=timezone.now())
        for number, text in enumerate(texts, start=1):
            Finding.objects.create(activity=activity, number=number, text=text)
    return activity


def close(*, actor, activity_id: int) -> Activity:
    """Close the activity: its attendance is frozen from now on (changed only by a recorded correction)."""
    with transaction.atomic():
        activity = _move(actor, activity_id, "close", closed_at=timezone.now())
        webhooks.emit(
            workflow.CLOSED,
            {"activity": activity.pk, "congress": activity.congress_id, "kind": activity.kind_id,
             "report_submitted_at": activity.report_submitted_at, "closed_at": activity.closed_at},
            region_code=activity.region_code,
        )  # fmt: skip
    return activity


# Invitations


@dataclass
class Invited:
    """What an invitation round did: who was invited and who was left out, and why."""

    invited: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (name, reason)


def invitable_mandates(actor, activity: Activity, mandates=None):
    """The deputies the actor may invite to the activity (of `mandates`, default all): active mandates of the
    region of each congress of the activity (organiser or co-organiser) whose staff the actor is, that region and
    below."""
    own = rules.staff_regions(actor)
    congresses = rules.congress_ids_of(activity)
    codes = {code for pk, code in own.items() if pk in congresses}
    if getattr(actor, "is_superuser", False):
        codes |= set(Congress.objects.filter(pk__in=congresses).values_list("region__code", flat=True))
    mandates = Mandate.objects.all() if mandates is None else mandates
    return mandates.filter(scope.prefix_q("region_code", codes)).exclude(status=MandateStatus.ENDED)


def invite(*, actor, activity_id: int, mandate_ids) -> Invited:
    """Staff invite deputies (their own congress's) to an activity; a deputy is invited once per activity."""
    wanted = sorted({int(pk) for pk in mandate_ids})
    if not wanted:
        raise RuleViolation(fields={"mandates": [_("Choose at least one deputy.")]})
    result = Invited()
    with transaction.atomic(), audit.acting_as(actor):
        activity = _lock_activity(activity_id)
        scope.require(actor, "activities.invite", activity)
        if activity.status not in (ActivityStatus.PLANNED, ActivityStatus.INVITING, ActivityStatus.UNDER_WAY):
            raise RuleViolation(
                _("The activity is %(state)s: no more deputies can be invited.")
                % {"state": ActivityStatus(activity.status).label}
            )
        mandates = scope.referenced(
            invitable_mandates(actor, activity).select_related("person"), wanted, field="mandates",
            message=_("Choose deputies of your own congress's region."),
        )  # fmt: skip
        already = set(Invitation.objects.filter(activity=activity).values_list("person_id", flat=True))
        for mandate in mandates:
            if mandate.person_id in already:
                result.skipped.append(
                    (mandate.person.name, _("already invited (a deputy is invited once per activity)"))
                )
                continue
            already.add(mandate.person_id)
            result.invited.append(
                Invitation.objects.create(
                    activity=activity,
                    mandate=mandate,
                    person_id=mandate.person_id,
                    status=InvitationStatus.INVITED,
                    invited_by=actor,
                )  # fmt: skip
            )
        if not result.invited:
            raise RuleViolation(
                fields={"mandates": [_("Rule “a deputy is invited once per activity”: %(names)s already invited.")
                                     % {"names": "、".join(name for name, _reason in result.skipped)}]}
            )  # fmt: skip
        audit.record(actor, activity, "invite", invited=len(result.invited), skipped=len(result.skipped))
        if activity.status != ActivityStatus.PLANNED:  # a planned activity's invitations go out when it is sent
            _tell_invited(activity, Invitation.objects.filter(pk__in=[i.pk for i in result.invited]))
    return result


def _lock_invitation(invitation_id: int) -> tuple[Activity, Invitation]:
    """The activity first, then the invitation: the same order as every other activity write."""
    activity_id = Invitation.objects.filter(pk=invitation_id).values_list("activity_id", flat=True).first()
    if activity_id is None:
        raise RuleViolation(_("The invitation does not exist."))
    activity = _lock_activity(activity_id)
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("mandate__person").get(pk=invitation_id)
    )
    invitation.activity = activity
    return activity, invitation


def accept(*, actor, invitation_id: int) -> Invitation:
    """The deputy accepts: a free place is theirs; when the activity is full they wait in line for one."""
    with transaction.atomic(), audit.acting_as(actor):
        activity, invitation = _lock_invitation(invitation_id)
        move = workflow.INVITATION.allow(actor, invitation, "accept")
        if activity.status not in (ActivityStatus.INVITING, ActivityStatus.UNDER_WAY):
            raise RuleViolation(
                _("The activity is %(state)s: invitations cannot be answered now.")
                % {"state": ActivityStatus(activity.status).label}
            )
        full = activity.taken >= activity.capacity
        invitation.responded_at = timezone.now()
        if full:
            invitation.waitlisted_at = invitation.responded_at
        else:
            activity.taken += 1
            activity.save(update_fields=["taken", "updated_at"])
        move.apply(target=InvitationStatus.WAITLISTED if full else InvitationStatus.ACCEPTED)
        workflow.emit_answer(invitation, move.before)
    return invitation


def decline(*, actor, invitation_id: int, reason: str) -> Invitation:
    """The deputy declines, saying why (or gives up a place or a place in line); a freed place goes to the next
    in line."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(fields={"reason": [_("Say why you decline the invitation.")]})
    with transaction.atomic(), audit.acting_as(actor):
        activity, invitation = _lock_invitation(invitation_id)
        move = workflow.INVITATION.allow(actor, invitation, "decline")
        if invitation.attendance.exists():
            raise RuleViolation(_("Attendance is already recorded for this invitation; it can no longer be declined."))
        held = invitation.status == InvitationStatus.ACCEPTED
        invitation.responded_at, invitation.decline_reason = timezone.now(), reason[:500]
        move.apply(reason=reason)
        workflow.emit_answer(invitation, move.before)
        if held:
            _free_place(actor, activity)
    return invitation


def withdraw(*, actor, invitation_id: int) -> Invitation:
    """The office withdraws an invitation it sent (to its own deputy) before any attendance."""
    with transaction.atomic(), audit.acting_as(actor):
        activity, invitation = _lock_invitation(invitation_id)
        move = workflow.INVITATION.allow(actor, invitation, "withdraw")
        if invitation.attendance.exists():
            raise RuleViolation(_("Attendance is already recorded for this invitation; it can no longer be withdrawn."))
        held = invitation.status == InvitationStatus.ACCEPTED
        move.apply()
        if held:
            _free_place(actor, activity)
    return invitation


def _free_place(actor, activity: Activity) -> None:
    activity.taken -= 1
    activity.save(update_fields=["taken", "updated_at"])
    _promote(actor, activity)


def _promote(actor, activity: Activity) -> list[Invitation]:
    """Fill free places from the waiting list in order (the activity row is locked by the caller)."""
    promoted = []
    while activity.taken < activity.capacity:
        waiting = (
            Invitation.objects.select_for_update(of=("self",))
            .filter(activity=activity, status=InvitationStatus.WAITLISTED)
            .order_by("waitlisted_at", "id")
            .first()
        )
        if waiting is None:
            break
        waiting.activity, waiting.waitlisted_at = activity, None
        # The freed place goes to the next in line whoever freed it: no one's permission is asked.
        workflow.INVITATION.apply(actor, waiting, "promote", by_system=True)
        activity.taken += 1
        promoted.append(waiting)
    if promoted:
        activity.save(update_fields=["taken", "updated_at"])
    return promoted


# Attendance and the duty record


def _sync_duty(activity: Activity, invitation: Invitation) -> None:
    """Make the deputy's duty record say what their attendance says: the kind's duty item once if present at any
    sitting, the unexcused-absence deduction once if absent without leave and never present, nothing otherwise."""
    marks = list(
        Attendance.objects.filter(invitation=invitation).select_related("sitting").order_by("sitting__starts_at")
    )
    present = next((a for a in marks if a.status == AttendanceStatus.PRESENT), None)
    absent = next((a for a in marks if a.status == AttendanceStatus.ABSENT), None)
    duty_kind = activity.kind.duty_kind_id
    source = f"activities:invitation:{invitation.pk}"
    if duty_kind:
        if present is not None:
            record_duty(mandate=invitation.mandate, kind_code=duty_kind, title=activity.title, source=source,
                        on=timezone.localtime(present.sitting.starts_at).date())  # fmt: skip
        else:
            withdraw_duty(mandate_id=invitation.mandate_id, kind_code=duty_kind, source=source)
    if DutyKind.objects.filter(pk=ABSENCE_DUTY_KIND).exists():
        absence = f"activities:absence:{invitation.pk}"
        if absent is not None and present is None:
            record_duty(mandate=invitation.mandate, kind_code=ABSENCE_DUTY_KIND, title=activity.title, source=absence,
                        on=timezone.localtime(absent.sitting.starts_at).date())  # fmt: skip
        else:
            withdraw_duty(mandate_id=invitation.mandate_id, kind_code=ABSENCE_DUTY_KIND, source=absence)


def _margin(activity: Activity) -> timedelta:
    return timedelta(minutes=int(policies.policy(activity.congress, "activities.checkin_margin_minutes")))


def _lock_sitting(sitting_id: int) -> tuple[Activity, Sitting]:
    activity_id = Sitting.objects.filter(pk=sitting_id).values_list("activity_id", flat=True).first()
    if activity_id is None:
        raise RuleViolation(_("The sitting does not exist."))
    activity = _lock_activity(activity_id)
    sitting = Sitting.objects.get(pk=sitting_id)
    sitting.activity = activity
    return activity, sitting


def _mark(actor, activity, sitting, invitation, status, channel) -> Attendance | None:
    """Set one deputy's mark at one sitting and their duty record; None when the mark was already that."""
    attendance = Attendance.objects.filter(sitting=sitting, invitation=invitation).first()
    if attendance is not None and attendance.status == status:
        return None
    attendance = attendance or Attendance(sitting=sitting, invitation=invitation)
    attendance.status, attendance.channel, attendance.recorded_by = status, channel, actor
    attendance.checked_in_at = timezone.now() if status == AttendanceStatus.PRESENT else None
    attendance.save()
    _sync_duty(activity, invitation)
    return attendance


def record_attendance(*, actor, sitting_id: int, marks: dict) -> int:
    """Staff take the roll of a sitting for their own deputies: {invitation id: present | leave | absent};
    returns the marks changed. A closed activity's roll is frozen: use a correction."""
    marks = {int(pk): status for pk, status in marks.items()}
    bad = sorted({status for status in marks.values() if status not in AttendanceStatus.values})
    if bad:
        raise RuleViolation(fields={"marks": [_("Unknown attendance mark: %(marks)s.") % {"marks": ", ".join(bad)}]})
    changed = 0
    with transaction.atomic(), audit.acting_as(actor):
        activity, sitting = _lock_sitting(sitting_id)
        scope.require(actor, "activities.invite", activity)
        if activity.status == ActivityStatus.CLOSED:
            raise RuleViolation(
                _("Rule “a closed activity's attendance is frozen”: change it by a recorded correction.")
            )
        if activity.status not in RUNNING:
            raise RuleViolation(_("The invitations are not sent yet; there is no roll to take."))
        if timezone.now() < sitting.starts_at - _margin(activity):
            raise RuleViolation(
                _("The roll opens when the sitting starts (%(time)s).")
                % {"time": timezone.localtime(sitting.starts_at).strftime("%Y-%m-%d %H:%M")}
            )
        invitations = {
            i.pk: i
            for i in Invitation.objects.select_for_update(of=("self",))
            .select_related("mandate__person")
            .filter(pk__in=list(marks))
            .order_by("pk")
        }
        for pk in sorted(marks):
            invitation = invitations.get(pk)
            if invitation is None or invitation.activity_id != activity.pk:
                raise RuleViolation(_("Invitation %(id)s is not an invitation to this activity.") % {"id": pk})
            invitation.activity = activity
            scope.require(actor, "activities.handle", invitation)
            if invitation.status != InvitationStatus.ACCEPTED:
                raise RuleViolation(
                    _("%(name)s has not accepted the invitation (%(state)s).")
                    % {"name": invitation.mandate.person.name, "state": InvitationStatus(invitation.status).label}
                )
        for pk in sorted(marks):
            if _mark(actor, activity, sitting, invitations[pk], marks[pk], Channel.STAFF) is not None:
                changed += 1
        audit.record(actor, sitting, "attendance", changed=changed)
    return changed


def check_in(*, actor, code: str, channel: str = Channel.CODE) -> Attendance:
    """A deputy checks in at a sitting with its code or QR link, only within the sitting's check-in window (a
    policy); once is enough."""
    code = (code or "").strip().upper()
    sitting = Sitting.objects.filter(checkin_code=code).first() if code else None
    if sitting is None:
        raise RuleViolation(fields={"code": [_("No sitting has this check-in code.")]})
    with transaction.atomic(), audit.acting_as(actor):
        activity, sitting = _lock_sitting(sitting.pk)
        if activity.status not in RUNNING - {ActivityStatus.REPORTED}:
            raise RuleViolation(
                fields={"code": [_("The activity is %(state)s: check-in is not open.")
                                 % {"state": ActivityStatus(activity.status).label}]}
            )  # fmt: skip
        now, margin = timezone.now(), _margin(activity)
        opens, closes = sitting.starts_at - margin, sitting.ends_at + margin
        if not opens <= now <= closes:
            raise RuleViolation(
                fields={"code": [_("Rule “check-in only within the sitting's window”: check-in for this sitting is "
                                   "open from %(opens)s to %(closes)s.") % {
                    "opens": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"),
                    "closes": timezone.localtime(closes).strftime("%Y-%m-%d %H:%M")}]}
            )  # fmt: skip
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("mandate__person")
            .filter(activity=activity, mandate__person__user_id=actor.pk)
            .first()
        )
        if invitation is None:
            raise RuleViolation(fields={"code": [_("You are not invited to this activity.")]})
        invitation.activity = activity
        scope.require(actor, "activities.respond", invitation)
        if invitation.status != InvitationStatus.ACCEPTED:
            raise RuleViolation(
                fields={"code": [_("You have no place at this activity (%(state)s).")
                                 % {"state": InvitationStatus(invitation.status).label}]}
            )  # fmt: skip
        attendance = _mark(actor, activity, sitting, invitation, AttendanceStatus.PRESENT, channel)
        if attendance is None:
            return Attendance.objects.get(sitting=sitting, invitation=invitation)
        audit.record(actor, attendance, "check_in")
    return attendance


def correct_attendance(*, actor, sitting_id: int, invitation_id: int, status: str, reason: str) -> Correction:
    """Change a closed activity's attendance of one deputy at one sitting, saying why; the correction is kept and
    the duty record follows it."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(fields={"reason": [_("Say why the attendance is corrected.")]})
    if status not in AttendanceStatus.values:
        raise RuleViolation(fields={"status": [_("Unknown attendance mark: %(marks)s.") % {"marks": status}]})
    with transaction.atomic(), audit.acting_as(actor):
        activity, sitting = _lock_sitting(sitting_id)
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("mandate__person")
            .filter(pk=invitation_id, activity=activity)
            .first()
        )
        if invitation is None:
            raise RuleViolation(fields={"invitation": [_("Choose an invitation to this activity.")]})
        invitation.activity = activity
        scope.require(actor, "activities.handle", invitation)
        if activity.status != ActivityStatus.CLOSED:
            raise RuleViolation(_("The activity is not closed: take the roll instead of correcting it."))
        if invitation.status != InvitationStatus.ACCEPTED:
            raise RuleViolation(
                _("%(name)s has not accepted the invitation (%(state)s).")
                % {"name": invitation.mandate.person.name, "state": InvitationStatus(invitation.status).label}
            )
        before = (
            Attendance.objects.filter(sitting=sitting, invitation=invitation).values_list("status", flat=True).first()
        )
        attendance = _mark(actor, activity, sitting, invitation, status, Channel.STAFF)
        if attendance is None:
            raise RuleViolation(fields={"status": [_("The attendance is already that.")]})
        correction = Correction.objects.create(
            attendance=attendance, before=before or "", after=status, reason=reason[:500], corrected_by=actor
        )
        audit.record(actor, attendance, "correct_attendance", {"status": (before or "", status)}, reason=reason)
    return correction


def invitations_waiting(activity: Activity):
    """Invitations of the activity still holding or waiting for a place (for the pages' counts)."""
    return activity.invitations.filter(Q(status=InvitationStatus.ACCEPTED) | Q(status=InvitationStatus.WAITLISTED))


# Findings of the report: each becomes, once, a suggestion draft for the participants or a referral to a unit

REFERRAL_DEADLINE = "activity_finding"
MAX_REFERRAL_WORKDAYS = 60


def participants(activity: Activity):
    """The deputies who took part: accepted, and present at one sitting at least."""
    return Mandate.objects.filter(
        pk__in=Invitation.objects.filter(
            activity=activity, status=InvitationStatus.ACCEPTED, attendance__status=AttendanceStatus.PRESENT
        ).values("mandate_id")
    )


def lead_choices(activity: Activity):
    """The participants who may lead a finding's suggestion: active deputies of the organising congress."""
    return (
        participants(activity)
        .filter(congress_id=activity.congress_id, status=MandateStatus.ACTIVE)
        .select_related("person")
        .order_by("person__name", "pk")
    )


def referral_units(activity: Activity):
    """The handling units a finding may be referred to: active ones of the organising congress's region and below."""
    return Organisation.objects.filter(
        kind=OrganisationKind.HANDLING_UNIT, is_active=True, region__code__startswith=activity.region_code
    ).order_by("name", "pk")


def _lock_finding(actor, finding_id: int) -> tuple[Activity, Finding]:
    """The activity first, then the finding (the order of every activity write); the organiser's staff only."""
    activity_id = Finding.objects.filter(pk=finding_id).values_list("activity_id", flat=True).first()
    if activity_id is None:
        raise RuleViolation(_("The finding does not exist."))
    activity = _lock_activity(activity_id)
    scope.require(actor, "activities.manage", activity)
    finding = Finding.objects.select_for_update(of=("self",)).get(pk=finding_id)
    finding.activity = activity
    return activity, finding


def _check_not_taken_up(finding: Finding) -> None:
    outcome = FindingOutcome.objects.filter(finding=finding).select_related("suggestion", "unit").first()
    if outcome is None:
        return
    if outcome.kind == OutcomeKind.DRAFT:
        became = _("the suggestion draft “%(s)s”") % {"s": outcome.suggestion}
    else:
        became = _("a referral to %(unit)s") % {"unit": outcome.unit}
    raise RuleViolation(
        _("Rule “a finding is taken up once”: finding %(number)s has already become %(became)s.")
        % {"number": finding.number, "became": became}
    )


def finding_to_draft(*, actor, finding_id: int, lead_id: int) -> FindingOutcome:
    """Turn a finding into a suggestion draft in the name of the lead deputy staff chose among the participants,
    the other participants of the lead's congress and term invited to co-sign; the draft links back here."""
    with transaction.atomic(), audit.acting_as(actor):
        activity, finding = _lock_finding(actor, finding_id)
        _check_not_taken_up(finding)
        leads = {m.pk: m for m in lead_choices(activity)}
        lead = leads.get(int(lead_id)) if str(lead_id).isdigit() else None
        if lead is None:
            raise RuleViolation(
                fields={"lead": [_("Rule “the lead deputy took part”: choose a deputy of this congress who was "
                                   "present at the activity.")]}
            )  # fmt: skip
        cosigners = sorted(
            participants(activity)
            .filter(congress_id=lead.congress_id, term_id=lead.term_id, status=MandateStatus.ACTIVE)
            .exclude(pk=lead.pk)
            .values_list("pk", flat=True)
        )
        fields = {
            "title": (_("%(activity)s: finding %(number)s") % {"activity": activity.title, "number": finding.number})[
                :200
            ],
            "content": finding.text,
        }
        suggestion = suggestion_services.prepare_draft(
            actor=actor, mandate_id=lead.pk, fields=fields, cosigner_ids=cosigners
        )
        outcome = FindingOutcome.objects.create(
            finding=finding, kind=OutcomeKind.DRAFT, suggestion=suggestion, decided_by=actor
        )
        audit.record(actor, finding, "finding_to_draft", suggestion=suggestion.pk, lead=lead.person.name,
                     cosigners=len(cosigners))  # fmt: skip
    return outcome


def finding_to_unit(*, actor, finding_id: int, unit_id: int, workdays: int) -> FindingOutcome:
    """Refer a finding to a handling unit, to answer within a number of working days counted from today on the
    holiday table (the first day not counted; congress.workdays); the deadline is reminded like every other."""
    try:
        workdays = int(workdays)
    except (TypeError, ValueError):
        workdays = 0
    if not 1 <= workdays <= MAX_REFERRAL_WORKDAYS:
        raise RuleViolation(
            fields={"workdays": [_("Give between 1 and %(max)s working days.") % {"max": MAX_REFERRAL_WORKDAYS}]}
        )
    with transaction.atomic(), audit.acting_as(actor):
        activity, finding = _lock_finding(actor, finding_id)
        _check_not_taken_up(finding)
        unit = referral_units(activity).filter(pk=unit_id).first() if str(unit_id).isdigit() else None
        if unit is None:
            raise RuleViolation(fields={"unit": [_("Choose a handling unit of the congress's region.")]})
        today, calendar = timezone.localdate(), Calendar.load()
        outcome = FindingOutcome.objects.create(
            finding=finding, kind=OutcomeKind.REFERRAL, unit=unit, referred_on=today, workdays=workdays,
            due_on=calendar.add_workdays(today, workdays).date, decided_by=actor,
        )  # fmt: skip
        deadlines.open_deadline(
            subject=outcome, kind=REFERRAL_DEADLINE, start=today, value=workdays, unit="workdays",
            congress=activity.congress, responsible_org=unit, calendar=calendar, new=True,
        )  # fmt: skip
        audit.record(actor, finding, "finding_to_unit", unit=unit.name, due=outcome.due_on.isoformat())
    return outcome


def record_referral_answer(*, actor, finding_id: int, answer: str) -> FindingOutcome:
    """Record the unit's answer to a referred finding; its deadline is met."""
    answer = (answer or "").strip()
    if not answer:
        raise RuleViolation(fields={"answer": [_("Write the unit's answer.")]})
    with transaction.atomic(), audit.acting_as(actor):
        _activity, finding = _lock_finding(actor, finding_id)
        outcome = FindingOutcome.objects.select_for_update(of=("self",)).filter(finding=finding).first()
        if outcome is None or outcome.kind != OutcomeKind.REFERRAL:
            raise RuleViolation(_("The finding is not referred to a unit."))
        if outcome.answered:
            raise RuleViolation(_("The unit's answer is already recorded."))
        outcome.answer, outcome.answered_at = answer[:10000], timezone.now()
        outcome.save(update_fields=["answer", "answered_at", "updated_at"])
        deadlines.close_deadline(outcome, REFERRAL_DEADLINE)
        audit.record(actor, finding, "referral_answered", unit=str(outcome.unit))
    return outcome


# Reports to voters (述职)

REPORT_STATES = {ActivityStatus.UNDER_WAY, ActivityStatus.REPORTED}


def record_voter_report(*, actor, activity_id: int, mandate_id, text: str, voters, satisfied=0,
                        basically_satisfied=0, dissatisfied=0) -> VoterReport:  # fmt: skip
    """Record (or correct, until the activity closes) what a deputy reported to the voters and the voters' appraisal
    as counted at the meeting. The deputy's attendance earns the duty item; this is the report itself, which the
    coverage counts."""
    with transaction.atomic(), audit.acting_as(actor):
        activity = _lock_activity(activity_id)
        if activity.kind_id != REPORT_TO_VOTERS:
            raise RuleViolation(_("Only an activity of the kind report to voters takes deputies' reports."))
        _check_not_closed(activity)
        if activity.status not in REPORT_STATES:
            raise RuleViolation(_("A report to voters is recorded once the meeting is under way."))
        invitation = (
            Invitation.objects.select_related("mandate__person", "activity")
            .filter(activity=activity, mandate_id=as_identifier(mandate_id), status=InvitationStatus.ACCEPTED)
            .first()
        )
        if invitation is None:
            raise RuleViolation(fields={"mandate": [_("Choose a deputy who accepted the invitation.")]})
        scope.require(actor, "activities.handle", invitation)
        counts = _appraisal_counts(voters, satisfied, basically_satisfied, dissatisfied)
        if not (text or "").strip():
            raise RuleViolation(fields={"text": [_("Write what the deputy reported.")]})
        report, created = VoterReport.objects.select_for_update().get_or_create(
            activity=activity, mandate=invitation.mandate,
            defaults={"text": text.strip(), "recorded_by": actor, **counts},
        )  # fmt: skip
        if not created:
            for name, value in {"text": text.strip(), "recorded_by": actor, **counts}.items():
                setattr(report, name, value)
            report.save()
        audit.record(actor, report, "voter_report_recorded" if created else "voter_report_corrected",
                     mandate=invitation.mandate_id, voters=counts["voters"], satisfied=counts["satisfied"],
                     basically_satisfied=counts["basically_satisfied"],
                     dissatisfied=counts["dissatisfied"])  # fmt: skip
    return report


def _appraisal_counts(voters, satisfied, basically_satisfied, dissatisfied) -> dict:
    """The counts as whole numbers not below zero, the appraisals not more than the voters present."""
    values, errors = {}, {}
    named = {"voters": voters, "satisfied": satisfied, "basically_satisfied": basically_satisfied,
             "dissatisfied": dissatisfied}  # fmt: skip
    for name, raw in named.items():
        try:
            value = int(str(raw).strip() or "0")
        except (TypeError, ValueError):
            value = -1
        if value < 0:
            errors[name] = [_("Enter a whole number, 0 or more.")]
        values[name] = value
    if not errors and values["satisfied"] + values["basically_satisfied"] + values["dissatisfied"] > values["voters"]:
        errors["voters"] = [_("More appraisals are counted than voters were present.")]
    if errors:
        raise RuleViolation(fields=errors)
    return values


@dataclass
class Coverage:
    congress: Congress
    term: object
    required: int
    deputies: int
    covered: int
    missing: object  # the active mandates below the required number, a queryset to page
    sitting: object  # every sitting deputy of the term with their `reports`, those short of the number first

    @property
    def rate(self):
        return round(100 * self.covered / self.deputies, 1) if self.deputies else None


def report_coverage(congress: Congress, term) -> Coverage:
    """How many of the term's sitting deputies gave the policy's number of reports to voters, and who did not yet:
    counted in one aggregate query, the missing ones as a queryset for a page."""
    required = int(policies.policy(congress, "activities.reports_per_term"))
    mandates = (
        Mandate.objects.filter(congress=congress, term=term)
        .exclude(status=MandateStatus.ENDED)
        .annotate(reports=Count("voter_reports"))
    )
    totals = mandates.aggregate(deputies=Count("pk"), covered=Count("pk", filter=Q(reports__gte=required)))
    missing = mandates.filter(reports__lt=required).select_related("person").order_by("person__name", "pk")
    sitting = mandates.select_related("person", "electoral_unit").order_by(
        Case(When(reports__lt=required, then=0), default=1), "person__name", "pk"
    )
    return Coverage(congress, term, required, totals["deputies"], totals["covered"], missing, sitting)


def remind_reports_to_voters(today=None) -> int:
    """In each term's last stretch (the policy's days before it ends), remind each sitting deputy who has not yet
    given the policy's number of reports to voters, once a month."""
    from congress import notifications
    from congress.models import Term

    today = today or timezone.localdate()
    sent = 0
    for term in Term.objects.filter(start_date__lte=today, end_date__gte=today).select_related("congress"):
        congress = term.congress
        if (term.end_date - today).days > int(policies.policy(congress, "activities.report_reminder_days")):
            continue
        coverage = report_coverage(congress, term)
        users = [m.person.user for m in coverage.missing.select_related("person__user") if m.person.user_id]
        sent += notifications.send_once(
            f"report-to-voters:{term.pk}:{today:%Y-%m}",
            users,
            _("Your report to voters is still due this term"),
            _("Each deputy reports to their voters %(n)s time(s) a term; this term ends on %(end)s. The congress "
              "office arranges the meeting at a station.") % {"n": coverage.required, "end": term.end_date.isoformat()},
            "/activities/mine/",
            channels=("email", "sms"),
        )  # fmt: skip
    return sent


def remind_unanswered_invitations(now=None) -> int:
    """Remind each deputy who was told of an invitation the policy's days ago and has not answered, once, while the
    activity is still ahead of them. The wait counts from the notice (an invitation made while the activity was
    planned is told only when the invitations go out)."""
    from congress import notifications

    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    activities = (
        Activity.objects.filter(status=ActivityStatus.INVITING, starts_on__gt=today,
                                invitations__status=InvitationStatus.INVITED)
        .distinct().select_related("congress", "kind").order_by("pk")
    )  # fmt: skip
    for activity in activities:
        days = int(policies.policy(activity.congress, "activities.invitation_reminder_days"))
        waiting = activity.invitations.filter(status=InvitationStatus.INVITED,
                                              notified_at__lte=now - timedelta(days=days))  # fmt: skip
        title = _("Reminder: please answer the invitation to %(title)s") % {"title": activity.title}
        body = _("%(kind)s starts on %(start)s. Accept or decline under “My activities”, so the office can plan the "
                 "places.") % {"kind": activity.kind.name, "start": activity.starts_on.isoformat()}  # fmt: skip
        users = waiting.exclude(mandate__person__user_id=None).values_list("mandate__person__user_id", flat=True)
        messages = [
            (user_id, title, body, "/activities/mine/") for user_id in users.order_by("mandate__person__user_id")
        ]
        sent += notifications.send_each(f"activity-invitation-reminder:{activity.pk}", messages,
                                        channels=("email", "sms"))  # fmt: skip
    return sent
