"""Every write on the roster: the console, the import, the web views and the API call these."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, bulk, outbox, policies, scope, uploads
from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.models import Role, RoleMembership, User

from . import scoring, workflow
from .models import (
    ContactAssignment,
    ContactRecord,
    DeputyGroup,
    DutyEntry,
    DutyKind,
    Grade,
    GroupMembership,
    GroupRole,
    GuestInvitation,
    ImportJob,
    Mandate,
    MandateStatus,
    Person,
    PointsItem,
    PointsRow,
    PointsTable,
    Suspension,
)


def save_person(*, actor, person: Person, tags=None) -> Person:
    """Create or change a deputy's personal record (ID number checked against birth date and gender)."""
    with transaction.atomic(), audit.acting_as(actor):
        if person.pk:
            Person.objects.select_for_update().filter(pk=person.pk).first()
        person.full_clean()
        scope.require(actor, "deputies.change_roster", person)
        uploads.check_new(person.photo, kind="image", field="photo")
        person.save()
        if tags is not None:
            person.tags.set(tags)
    return person


def _persons_in_reach(congress):
    """The people a congress may seat: those sitting in its region tree (below it, or above it as a deputy of a
    higher congress elected there, `scope.lineage_q`), or sitting nowhere yet (a new person). A person is one
    citizen across levels, so no region of their own tells this; naming another county's deputy would open
    their personal record to this congress's staff."""
    reach = Mandate.objects.filter(person_id=OuterRef("pk"))
    near = reach.filter(scope.lineage_q("region_code", congress.region.code))
    return Person.objects.filter(Exists(near) | ~Exists(reach))


def save_mandate(*, actor, mandate: Mandate) -> Mandate:
    """Create or change a mandate's seat details; its status changes only through the actions below."""
    with transaction.atomic(), audit.acting_as(actor):
        Person.objects.select_for_update().filter(pk=mandate.person_id).first()
        current = Mandate.objects.select_for_update().get(pk=mandate.pk) if mandate.pk else None
        if current is not None and current.status != mandate.status:
            raise RuleViolation(_("Use the end, suspend and restore actions to change a mandate's status."))
        mandate.full_clean()
        scope.require(actor, "deputies.change_roster", mandate)
        if current is None or current.person_id != mandate.person_id:
            message = _("Choose a deputy of this congress's region, or register a new one.")
            scope.referenced(_persons_in_reach(mandate.congress), mandate.person_id, field="person", message=message)
        mandate.save()
    return mandate


def _transition(actor, mandate_id: int, action: str, on: date, reason: str, note: str = "") -> Mandate:
    with transaction.atomic(durable=True), audit.acting_as(actor):
        mandate = Mandate.objects.select_for_update().select_related("congress", "term").get(pk=mandate_id)
        move = workflow.MANDATE.allow(actor, mandate, action)
        if on < mandate.start_date:
            raise RuleViolation(fields={"date": [_("The date cannot precede the mandate's start.")]})
        if on > timezone.localdate():
            raise RuleViolation(fields={"date": [_("The date cannot be in the future.")]})
        if action == "end":
            mandate.end_date, mandate.end_reason = on, reason
            Suspension.objects.filter(mandate=mandate, end_date__isnull=True).update(end_date=on)
            _drop_deputy_role(mandate)
        elif action == "suspend":
            Suspension.objects.create(mandate=mandate, reason=reason, start_date=on, note=note)
        elif action == "restore":
            suspension = Suspension.objects.filter(mandate=mandate, end_date__isnull=True).get()
            if on < suspension.start_date:
                raise RuleViolation(fields={"date": [_("Restoration cannot precede the suspension.")]})
            suspension.end_date = on
            suspension.save(update_fields=["end_date", "updated_at"])
        move.apply(event_data={"action": action, "date": on, "reason": reason}, date=on.isoformat(), reason=reason,
                   note=note)  # fmt: skip
    return mandate


def _drop_deputy_role(mandate: Mandate) -> None:
    """With no live mandate left in that congress, the person's login stops acting as its deputy."""
    user_id = mandate.person.user_id
    others = Mandate.objects.filter(person_id=mandate.person_id, congress_id=mandate.congress_id).exclude(pk=mandate.pk)
    if user_id and not others.exclude(status=MandateStatus.ENDED).exists():
        RoleMembership.objects.filter(user_id=user_id, role=Role.DEPUTY, congress_id=mandate.congress_id).delete()


def end_mandate(*, actor, mandate_id: int, on: date, reason: str, note: str = "") -> Mandate:
    """End a mandate (资格终止) for one of the seven statutory reasons; the record stays."""
    from .models import EndReason

    if reason not in EndReason.values:
        raise RuleViolation(fields={"reason": [_("Choose one of the statutory reasons.")]})
    return _transition(actor, mandate_id, "end", on, reason, note)


def suspend_mandate(*, actor, mandate_id: int, on: date, reason: str, note: str = "") -> Mandate:
    """Suspend a deputy's duties (暂停执行代表职务) while held or serving a sentence."""
    from .models import SuspensionReason

    if reason not in SuspensionReason.values:
        raise RuleViolation(fields={"reason": [_("Choose one of the statutory reasons.")]})
    return _transition(actor, mandate_id, "suspend", on, reason, note)


def restore_mandate(*, actor, mandate_id: int, on: date, note: str = "") -> Mandate:
    return _transition(actor, mandate_id, "restore", on, "", note)


def link_account(*, actor, person: Person, user) -> Person:
    """Give a deputy a login; they see their own records through it."""
    with transaction.atomic(), audit.acting_as(actor):
        scope.require(actor, "deputies.change_roster", person)
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        for congress_id in person.mandates.exclude(status=MandateStatus.ENDED).values_list("congress_id", flat=True):
            RoleMembership.objects.get_or_create(user=user, role=Role.DEPUTY, congress_id=congress_id)
    return person


def acting_mandates(user):
    """A user's mandates that let them act as a deputy: active ones only (not ended, not suspended)."""
    if not getattr(user, "is_authenticated", False):
        return Mandate.objects.none()
    return Mandate.objects.filter(person__user=user, status=MandateStatus.ACTIVE)


# Contact duty


def assign_contacts(*, actor, member, mandates) -> int:
    """Give a standing-committee member fixed deputies to keep in touch with; returns new pairs."""
    created = 0
    with transaction.atomic(), audit.acting_as(actor):
        for mandate in mandates:
            scope.require(actor, "deputies.change_roster", mandate)
            if mandate.status == MandateStatus.ENDED:
                continue
            # The member keeps in touch for the deputy's congress: its staff or supervisors, as the form offers.
            members = User.objects.filter(
                is_active=True, memberships__role__in=[Role.STAFF, Role.SUPERVISOR],
                memberships__congress_id=mandate.congress_id,
            ).distinct()  # fmt: skip
            scope.referenced(members, member.pk, field="member",
                             message=_("Choose a member of the deputy's congress."))  # fmt: skip
            _pair, new = ContactAssignment.objects.get_or_create(
                member=member, mandate=mandate, active=True, defaults={"congress_id": mandate.congress_id}
            )
            created += new
    return created


def record_contact(*, actor, assignment_id: int, on: date, mode: str, topic: str, raised: str = "") -> ContactRecord:
    with transaction.atomic(), audit.acting_as(actor):
        assignment = ContactAssignment.objects.select_for_update().get(pk=assignment_id)
        scope.require(actor, "deputies.record_contact", assignment)
        if on > timezone.localdate():
            raise RuleViolation(fields={"date": [_("The date cannot be in the future.")]})
        record = ContactRecord(assignment=assignment, date=on, mode=mode, topic=topic, raised=raised, recorded_by=actor)
        record.full_clean()
        record.save()
    return record


# Duty record and points


def record_duty(
    *, mandate: Mandate, kind_code: str, on: date, title: str, quantity=1, source: str = "", actor=None
) -> DutyEntry:
    """Add an entry to a deputy's duty record; with a source, the same event is recorded once."""
    kind = DutyKind.objects.get(pk=kind_code)
    if actor is not None:
        scope.require(actor, "deputies.change_roster", mandate)
        if not kind.recorded_by_staff:
            # Written by the app where the duty happens (attendance, a submission): typed in too, it would count twice.
            raise RuleViolation(
                fields={"kind": [_("“%(kind)s” is recorded automatically from where it happens; it cannot be "
                                   "entered by hand.") % {"kind": kind.name}]}
            )  # fmt: skip
    with transaction.atomic(), audit.acting_as(actor):
        if source:
            entry, _created = DutyEntry.objects.get_or_create(
                mandate=mandate,
                kind=kind,
                source=source,
                defaults={"date": on, "title": title[:200], "quantity": quantity, "recorded_by": actor},
            )
            return entry
        entry = DutyEntry(mandate=mandate, kind=kind, date=on, title=title[:200], quantity=quantity, recorded_by=actor)
        entry.full_clean()
        entry.save()
    return entry


def withdraw_duty(*, mandate_id: int, kind_code: str, source: str) -> int:
    """Take back the entry an app wrote for an event that, corrected, no longer earns it; returns how many."""
    return DutyEntry.objects.filter(mandate_id=mandate_id, kind_id=kind_code, source=source).delete()[0]


def grade_for(points: Decimal, congress) -> str:
    """The grade of a yearly score (0–100) under the congress's bands."""
    return scoring.grade(
        points, policies.policy(congress, "duty.points_good"), policies.policy(congress, "duty.points_fair")
    )


def seed_points_catalogue(congress) -> int:
    """Give a congress its own points catalogue, copied from the shared defaults; items it has stay as they are."""
    have = set(PointsItem.objects.filter(congress=congress).values_list("kind_id", flat=True))
    items = [
        PointsItem(congress=congress, kind=kind, points=kind.points, cap=kind.cap)
        for kind in DutyKind.objects.exclude(pk__in=have)
    ]
    PointsItem.objects.bulk_create(items, ignore_conflicts=True)
    return len(items)


def publish_points(*, actor, term, year: int) -> PointsTable:
    """Freeze a year's scores, breakdowns and grades of every mandate of the term; flags a second poor year in a
    row."""
    from .selectors import yearly_evaluations

    congress = term.congress
    with transaction.atomic(durable=True), audit.acting_as(actor):
        scope.require(actor, "deputies.change_roster", Mandate(congress=congress))
        if PointsTable.objects.filter(term=term, year=year).exists():
            raise RuleViolation(_("The %(year)s table of this term is already published.") % {"year": year})
        table = PointsTable.objects.create(
            congress=congress, term=term, year=year, published_at=timezone.now(), published_by=actor
        )
        last_poor = set(
            PointsRow.objects.filter(table__term=term, table__year=year - 1, grade=Grade.POOR).values_list(
                "mandate_id", flat=True
            )
        )
        rows = []
        for mandate_id, evaluation in yearly_evaluations(Mandate.objects.filter(term=term), year).items():
            rows.append(
                PointsRow(
                    table=table,
                    mandate_id=mandate_id,
                    points=evaluation.score,
                    grade=evaluation.grade,
                    flagged=evaluation.grade == Grade.POOR and mandate_id in last_poor,
                    breakdown=evaluation.as_dict(),
                )
            )
        PointsRow.objects.bulk_create(rows, batch_size=5000)
        audit.record(actor, table, "publish", rows=len(rows))
    return table


# Roster import


def start_import(*, actor, upload) -> ImportJob:
    """Store an uploaded .xlsx and check it in the background."""
    from .tasks import check_import

    scope.require(actor, "deputies.import", None)
    uploads.check(upload, kind="xlsx", field="file")
    with transaction.atomic(), audit.acting_as(actor):
        job = ImportJob.objects.create(file=upload, original_name=upload.name[:200], created_by=actor)
        outbox.enqueue(check_import, job.pk)
    return job


def _allowed(actor):
    return None if actor.is_superuser else scope.congress_ids(actor, (Role.STAFF,))


# A check reports progress every few thousand rows (a heartbeat on updated_at); a claim silent this long belongs
# to a worker that died, and the next task for the job takes it over.
IMPORT_STALE_AFTER = timedelta(minutes=10)


def run_check(job_id: int) -> str:
    """Task body: check a file once (a retried or duplicate task finds the job already claimed, unless the claim
    went stale with its worker)."""
    from . import importer

    now = timezone.now()
    claimable = Q(status=ImportJob.Status.UPLOADED) | Q(
        status=ImportJob.Status.CHECKING, updated_at__lt=now - IMPORT_STALE_AFTER
    )
    claimed = ImportJob.objects.filter(claimable, pk=job_id).update(status=ImportJob.Status.CHECKING, updated_at=now)
    if not claimed:
        return "skipped"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        with bulk.paused_gc():
            rows = importer.check(job, _allowed(job.created_by))
    except Exception as exc:  # a broken file must end as a readable failure, not a stuck job
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, message=str(exc)[:2000])
        if isinstance(exc, ValueError | KeyError | OSError):
            return "failed"
        raise
    job.status = ImportJob.Status.CHECKED
    if job.error_count:
        job.message = _("%(ok)s rows are correct; correct the problems below and upload the file again.") % {
            "ok": len(rows)
        }
    else:
        job.message = _("%(rows)s rows ready.") % {"rows": len(rows)}
    job.save(update_fields=["status", "message", "total_rows", "processed_rows", "error_count", "updated_at"])
    return "checked"


def confirm_import(*, actor, job_id: int) -> ImportJob:
    """Apply a checked file with no issues, all rows or none."""
    from .tasks import apply_import

    with transaction.atomic(), audit.acting_as(actor):
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.created_by_id != actor.pk and not actor.is_superuser:
            raise Forbidden()
        if job.status != ImportJob.Status.CHECKED:
            raise InvalidTransition(_("Only a checked file can be applied."))
        if job.error_count:
            raise RuleViolation(
                _("Correct the file and upload it again: it has %(n)s issues.") % {"n": job.error_count}
            )
        job.status = ImportJob.Status.APPLYING
        job.processed_rows = 0
        job.save(update_fields=["status", "processed_rows", "updated_at"])
        outbox.enqueue(apply_import, job.pk)
    return job


def run_apply(job_id: int) -> str:
    """Task body: re-check the rows against the roster as it is now, then write them in one transaction.

    The job's row stays locked for the whole apply: a second task for the job (a redelivery, the sweep) skips it
    while the first runs, and takes it over if the first worker died (its transaction, lock and writes gone)."""
    from . import importer

    try:
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("created_by")
                .filter(pk=job_id, status=ImportJob.Status.APPLYING)
                .first()
            )
            if job is None:
                return "skipped"
            with bulk.paused_gc():
                rows = importer.recheck(job, _allowed(job.created_by))
                if job.error_count:
                    job.status = ImportJob.Status.CHECKED
                    job.message = _("The roster changed since the check; see the issues.")
                else:
                    job.created_count, job.updated_count = importer.apply(job, rows, job.created_by)
                    job.status = ImportJob.Status.APPLIED
                    job.message = _("%(created)s deputies added, %(updated)s updated.") % {
                        "created": job.created_count,
                        "updated": job.updated_count,
                    }
            job.save()
    except Exception as exc:
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, message=str(exc)[:2000])
        raise
    return job.status


def resume_stalled_imports() -> int:
    """Beat: hand a worker again every import whose worker died mid-way (a check silent past
    IMPORT_STALE_AFTER, an apply not done by then); a task finding the job still in hand skips it."""
    from .tasks import apply_import, check_import

    before = timezone.now() - IMPORT_STALE_AFTER
    stalled = ImportJob.objects.filter(
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.APPLYING], updated_at__lt=before
    ).values_list("pk", "status")
    count = 0
    with transaction.atomic():
        for pk, status in stalled:
            outbox.enqueue(check_import if status == ImportJob.Status.CHECKING else apply_import, pk)
            count += 1
    return count


def remind_contact_duty(today: date | None = None) -> int:
    """From each congress's reminder month (October by default), tell each committee member which assigned
    deputies are below the yearly quota."""
    from collections import defaultdict

    from congress import notifications

    today = today or timezone.localdate()
    from .selectors import pairs_with_counts

    assignments = ContactAssignment.objects.all()
    from_month = policies.per_congress(
        "contact.remind_from_month", assignments.values_list("congress_id", flat=True).distinct()
    )
    started = [pk for pk, month in from_month.items() if today.month >= month]
    behind = defaultdict(list)
    for pair in pairs_with_counts(assignments.filter(congress_id__in=started), today.year):
        if pair.contacts < pair.quota:
            behind[pair.member].append(f"{pair.mandate.person.name}（{pair.contacts}/{pair.quota}）")
    sent = 0
    for member, names in behind.items():
        sent += notifications.send_once(
            f"contact-duty:{today.year}-{today.month:02d}",
            [member],
            _("Deputies to contact before the year ends"),
            _("Below this year's contact quota: %(names)s") % {"names": "、".join(names)},
            "/deputies/contacts/mine/",
        )
    return sent


def register_deputy(*, actor, person: Person, mandate: Mandate, tags=None, groups=None) -> Person:
    """Add a new deputy with their first mandate (and its deputy groups), all checked, in one transaction."""
    with transaction.atomic(), audit.acting_as(actor):
        person.full_clean()
        mandate.person = person
        mandate.full_clean(exclude=["person"])
        scope.require(actor, "deputies.change_roster", mandate)
        person.save()
        if tags is not None:
            person.tags.set(tags)
        mandate.person = person
        mandate.save()
        if groups:
            same_term = DeputyGroup.objects.live().filter(congress_id=mandate.congress_id, term_id=mandate.term_id)
            chosen = scope.referenced(same_term, [getattr(g, "pk", g) for g in groups], field="groups",
                                      message=_("Choose groups of the mandate's congress and term."))  # fmt: skip
            for group in chosen:
                GroupMembership.objects.create(group=group, mandate=mandate, since=mandate.start_date)
    return person


def mark_guest_attendance(*, actor, invitation_id: int, attended: bool) -> GuestInvitation:
    """Record whether an invited deputy attended a standing-committee meeting; attendance enters the duty record."""
    with transaction.atomic(), audit.acting_as(actor):
        invitation = GuestInvitation.objects.select_for_update().select_related("mandate").get(pk=invitation_id)
        scope.require(actor, "deputies.change_roster", invitation)
        before = invitation.status
        invitation.status = GuestInvitation.Status.ATTENDED if attended else GuestInvitation.Status.ABSENT
        invitation.save(update_fields=["status", "updated_at"])
        source = f"guest:{invitation.pk}"
        if attended:
            record_duty(mandate=invitation.mandate, kind_code="guest_attendance", on=invitation.meeting_date,
                        title=invitation.meeting, source=source)  # fmt: skip
        else:
            DutyEntry.objects.filter(mandate=invitation.mandate, source=source).delete()
        audit.record(actor, invitation, "attendance", {"status": (before, invitation.status)})
    return invitation


# Deputy groups: regional (代表小组), professional (代表专业小组) and working groups, with members and roles


def save_group(*, actor, group: DeputyGroup) -> DeputyGroup:
    """Create a group of a congress's term, or change its name, kind, field and region; a group with members
    stays in its term (its members belong to that term)."""
    with transaction.atomic(), audit.acting_as(actor):
        current = DeputyGroup.objects.select_for_update().filter(pk=group.pk).first() if group.pk else None
        if current is not None:
            scope.require(actor, "deputies.change_roster", current)
            moved = (current.congress_id, current.term_id) != (group.congress_id, group.term_id)
            if moved and current.memberships.exists():
                raise RuleViolation(fields={"term": [_("A group with members stays in its congress and term.")]})
        group.full_clean()
        scope.require(actor, "deputies.change_roster", group)
        group.save()
    return group


def _locked_group(actor, group_id: int) -> DeputyGroup:
    """The group, locked so that its members and leader change one write at a time."""
    group = DeputyGroup.objects.select_for_update().select_related("congress", "term").get(pk=group_id)
    scope.require(actor, "deputies.change_roster", group)
    return group


def _locked_membership(actor, membership_id: int):
    """A membership and its group, the group locked first (as every write on its members locks it)."""
    group_id = GroupMembership.objects.filter(pk=membership_id).values_list("group_id", flat=True).first()
    if group_id is None:
        raise RuleViolation(fields={"membership": [_("Choose from the records offered to you.")]})
    group = _locked_group(actor, group_id)
    membership = GroupMembership.objects.select_for_update().select_related("mandate__person").get(pk=membership_id)
    return group, membership


def add_group_members(*, actor, group_id: int, mandate_ids, since: date | None = None) -> int:
    """Put deputies into a group as members; they must hold a live mandate of the group's congress and term.
    Those already in it stay as they are; returns how many were added."""
    with transaction.atomic(), audit.acting_as(actor):
        group = _locked_group(actor, group_id)
        if group.is_archived:
            raise RuleViolation(_("%(name)s is archived; restore it first.") % {"name": group.name})
        same_term = scope.visible(actor, Mandate).filter(
            congress_id=group.congress_id, term_id=group.term_id, status__in=[MandateStatus.ACTIVE,
                                                                              MandateStatus.SUSPENDED]
        )  # fmt: skip
        mandates = scope.referenced(
            same_term, list(mandate_ids), field="mandates",
            message=_("Choose deputies holding a mandate of the group's congress and term."),
        )  # fmt: skip
        present = set(group.memberships.values_list("mandate_id", flat=True))
        added = [m for m in mandates if m.pk not in present]
        for mandate in added:
            GroupMembership.objects.create(group=group, mandate=mandate, since=since or timezone.localdate())
        if added:
            audit.record(actor, group, "group_members_added", count=len(added),
                         names="、".join(m.person.name for m in added[:20]))  # fmt: skip
    return len(added)


def set_group_role(*, actor, membership_id: int, role: str) -> GroupMembership:
    """Make a member the group's leader, a deputy leader or a plain member; a group has one leader at most."""
    if role not in GroupRole.values:
        raise RuleViolation(fields={"role": [_("Choose leader, deputy leader or member.")]})
    with transaction.atomic(), audit.acting_as(actor):
        group, membership = _locked_membership(actor, membership_id)
        before = membership.role
        if role == GroupRole.LEADER and before != role:
            leader = group.memberships.filter(role=GroupRole.LEADER).select_related("mandate__person").first()
            if leader is not None:
                raise RuleViolation(
                    fields={"role": [_("%(group)s already has a leader, %(name)s: make them a member first.")
                                     % {"group": group.name, "name": leader.mandate.person.name}]}
                )  # fmt: skip
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        audit.record(actor, group, "group_role_set", {"role": (GroupRole(before).label, GroupRole(role).label)},
                     name=membership.mandate.person.name)  # fmt: skip
    return membership


def remove_group_member(*, actor, membership_id: int) -> None:
    """Take a deputy out of a group (the group's history keeps who left, and when)."""
    with transaction.atomic(), audit.acting_as(actor):
        group, membership = _locked_membership(actor, membership_id)
        membership.delete()
        audit.record(actor, group, "group_member_removed", name=membership.mandate.person.name,
                     role=str(GroupRole(membership.role).label))  # fmt: skip
