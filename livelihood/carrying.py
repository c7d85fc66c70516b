"""Carrying out and supervision of the chosen projects (落实和监督), once the results are published: milestones on the
working calendar (each an open deadline, reminded and escalated by the one sweep of congress.deadlines), the
responsible department's quarterly progress reports with photos and spending, the congress's supervision group
(a leading committee plus the deputies of a deputy group) and the group's site visits.

Every write runs in a transaction, locks the project's row, is allowed by a row of workflow.PROGRAMME (the
programme stays `published` while its projects are carried out) and leaves an audit entry on what it wrote."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import audit, deadlines, policies, scope, uploads
from congress.errors import RuleViolation
from congress.models import OrganisationKind
from congress.workdays import Calendar
from deputies.models import DeputyGroup, GroupKind, Mandate, MandateStatus

from . import events, workflow
from .models import (
    Candidate,
    CandidateOutcome,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    SiteVisit,
    SupervisionGroup,
)

MILESTONE_DEADLINE = "livelihood_milestone"
MILESTONE_LABEL = gettext_lazy("livelihood project milestone")
# Input bounds, not rules: a milestone a working year ahead at most, a handful of photos a quarter.
MAX_MILESTONE_WORKDAYS = 250
MAX_PHOTOS = 6
COMMITTEE_KINDS = (OrganisationKind.SPECIAL_COMMITTEE, OrganisationKind.WORKING_BODY)


def escalate_to_group_leaders(found) -> dict[int, list[int]]:
    """An overdue milestone is told to the leaders of its project's supervision group, besides the department and
    the congress's staff (the sweep's own escalation)."""
    milestones = dict(Milestone.objects.filter(pk__in=[d.object_id for d in found]).values_list("pk", "project_id"))
    leaders: dict[int, set] = {}
    rows = SupervisionGroup.objects.filter(project_id__in=set(milestones.values()),
                                           group__memberships__role__in=("leader", "deputy_leader"))  # fmt: skip
    for project_id, user_id in rows.values_list("project_id", "group__memberships__mandate__person__user_id"):
        if user_id:
            leaders.setdefault(project_id, set()).add(user_id)
    return {d.pk: sorted(leaders.get(milestones.get(d.object_id), ())) for d in found}


def register() -> None:
    deadlines.register_kind(MILESTONE_DEADLINE, MILESTONE_LABEL, escalate=escalate_to_group_leaders, copy="due_on")


def lock_project(project_id) -> Candidate:
    """The project's row, locked: its milestones, reports, group and visits change one write at a time."""
    project = (
        Candidate.objects.select_for_update(of=("self",)).select_related("programme__congress", "department")
        .filter(pk=project_id).first()
    )  # fmt: skip
    if project is None:
        raise RuleViolation(_("The project does not exist."))
    return project


def _allow(actor, project: Candidate, action: str):
    if project.outcome != CandidateOutcome.CHOSEN:
        raise RuleViolation(_("Only a project the deputies chose is carried out and supervised."))
    return workflow.PROGRAMME.allow(actor, project.programme, action, rule_on=project)


def _text(value, field: str, message, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(fields={field: [message]})
    return value[:limit]


# Milestones


def set_milestone(*, actor, project_id: int, title: str, workdays=None, due_on: date | None = None,
                  today: date | None = None) -> Milestone:  # fmt: skip
    """Staff or the department set a milestone of a chosen project, due a number of working days from today or on
    a date (a rest day moves it to the next working day); its deadline is reminded and escalated by the sweep."""
    today = today or timezone.localdate()
    title = _text(title, "title", _("Name the milestone."), 200)
    if (workdays in (None, "")) == (due_on is None):
        raise RuleViolation(fields={"workdays": [_("Give either a number of working days or a date.")]})
    if due_on is None:
        try:
            workdays = int(workdays)
        except (TypeError, ValueError):
            workdays = 0
        if not 1 <= workdays <= MAX_MILESTONE_WORKDAYS:
            raise RuleViolation(fields={"workdays": [
                _("Give between 1 and %(max)s working days.") % {"max": MAX_MILESTONE_WORKDAYS}]})  # fmt: skip
        start, value, unit = today, workdays, "workdays"
    else:
        if due_on <= today:
            raise RuleViolation(fields={"due_on": [_("The date must lie after today.")]})
        start, value, unit = due_on, 0, "days"
    with transaction.atomic(), audit.acting_as(actor):
        project = lock_project(project_id)
        _allow(actor, project, "set_milestone")
        calendar = Calendar.load()
        milestone = Milestone(project=project, title=title, due_on=calendar.add(start, value, unit).date,
                              created_by=actor)  # fmt: skip
        milestone.save()
        deadline = deadlines.open_deadline(
            subject=milestone, kind=MILESTONE_DEADLINE, start=start, value=value, unit=unit,
            congress=project.programme.congress, responsible_org=project.department, calendar=calendar, new=True,
        )  # fmt: skip
        audit.record(actor, milestone, "set_milestone", due=deadline.due_date.isoformat(),
                     provisional=deadline.provisional)  # fmt: skip
    return milestone


def complete_milestone(*, actor, milestone_id: int, note: str) -> Milestone:
    """The department marks a milestone done, saying what was done; its deadline is met."""
    note = _text(note, "note", _("Say what was done."), 1000)
    project_id = Milestone.objects.filter(pk=milestone_id).values_list("project_id", flat=True).first()
    if project_id is None:
        raise RuleViolation(_("The milestone does not exist."))
    with transaction.atomic(), audit.acting_as(actor):
        project = lock_project(project_id)
        _allow(actor, project, "complete_milestone")
        milestone = Milestone.objects.select_for_update().get(pk=milestone_id)
        if milestone.is_done:
            raise RuleViolation(_("This milestone is already done."))
        milestone.done_at, milestone.done_note, milestone.done_by = timezone.now(), note, actor
        milestone.save(update_fields=["done_at", "done_note", "done_by", "updated_at"])
        deadlines.close_deadline(milestone, MILESTONE_DEADLINE)
        audit.record(actor, milestone, "complete_milestone", late=milestone.due_on < timezone.localdate())
    return milestone


# Progress reports


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + quarter // 4, 3 * quarter % 12 + 1, 1) - timedelta(days=1)
    return first, last


def report_window(congress, year: int, quarter: int, calendar: Calendar | None = None) -> tuple[date, date]:
    """A quarter's report is filed and corrected from the quarter's first day until the policy's working days
    after its last."""
    first, last = quarter_bounds(year, quarter)
    grace = policies.policy(congress, "livelihood.report_grace_workdays")
    return first, (calendar or Calendar.load()).add_workdays(last, int(grace)).date


def open_quarters(congress, today: date) -> list[tuple[int, int]]:
    """The quarters a report can be filed for today: this one, and the last one while its window lasts."""
    year, quarter = quarter_of(today)
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    calendar = Calendar.load()
    found = [previous] if today <= report_window(congress, *previous, calendar)[1] else []
    return [*found, (year, quarter)]


def file_progress_report(*, actor, project_id: int, year, quarter, text: str, spent, photos=(),
                         today: date | None = None) -> ProgressReport:  # fmt: skip
    """The department reports a quarter's progress and the spending to date, with photos; one report a quarter,
    corrected (text and spending replaced, photos added) until its window closes."""
    today = today or timezone.localdate()
    text = _text(text, "text", _("Say what was done this quarter."), 5000)
    try:
        year, quarter, spent = int(year), int(quarter), Decimal(str(spent))
    except (TypeError, ValueError, InvalidOperation):
        raise RuleViolation(fields={"spent": [_("Give the spending to date in 10,000 yuan.")]}) from None
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise RuleViolation(fields={"quarter": [_("Choose a quarter.")]})
    if spent < 0 or spent >= Decimal("1e10"):
        raise RuleViolation(fields={"spent": [_("Give the spending to date in 10,000 yuan.")]})
    photos = [p for p in photos or [] if p]
    with transaction.atomic(), audit.acting_as(actor):
        project = lock_project(project_id)
        _allow(actor, project, "report_progress")
        first, last = report_window(project.programme.congress, year, quarter)
        if not first <= today <= last:
            window = {"year": year, "quarter": quarter, "first": first.isoformat(), "last": last.isoformat()}
            message = _("The report for %(year)s Q%(quarter)s is filed between %(first)s and %(last)s.") % window
            raise RuleViolation(fields={"quarter": [message]})
        report = ProgressReport.objects.filter(project=project, year=year, quarter=quarter).first()
        created = report is None
        before = None if created else (report.text, report.spent)
        if created:
            report = ProgressReport(project=project, year=year, quarter=quarter)
        report.text, report.spent, report.submitted_by = text, spent.quantize(Decimal("0.01")), actor
        report.save()
        room = MAX_PHOTOS - (0 if created else report.photos.count())
        checked = uploads.check_all(photos, max_files=max(room, 0), field="photos", kind="image")
        for upload, content_type in checked:
            ProgressPhoto.objects.create(report=report, file=upload, name=upload.name[:200],
                                         content_type=content_type, size=upload.size)  # fmt: skip
        changes = {} if created else {"spent": (before[1], report.spent)}
        audit.record(actor, report, "report_progress" if created else "correct_progress", changes,
                     quarter=f"{year}Q{quarter}", photos=len(checked))  # fmt: skip
        events.progress_reported(report, corrected=not created, photos=report.photos.count())
    return report


# The supervision group and its visits


def committees_for(programme):
    """The bodies that may lead a supervision group: the programme's congress's special committees and working
    bodies."""
    from congress.models import Organisation

    return Organisation.objects.filter(congress_id=programme.congress_id, kind__in=COMMITTEE_KINDS,
                                       is_active=True).order_by("name")  # fmt: skip


def groups_for(programme):
    """The deputy groups of the programme's congress a supervision group can be made of."""
    return DeputyGroup.objects.filter(congress_id=programme.congress_id, archived_at__isnull=True).select_related(
        "term").order_by("-term__number", "name")  # fmt: skip


def assign_supervision(*, actor, project_id: int, committee_id, group_id=None,
                       group_name: str = "") -> SupervisionGroup:  # fmt: skip
    """Staff give a chosen project its supervision group: the leading committee and an existing deputy group of
    the congress, or a new working group of its current term by that name, whose members are then chosen on the
    deputy groups' page. Assigning again replaces both."""
    group_name = (group_name or "").strip()
    if bool(group_id) == bool(group_name):
        raise RuleViolation(fields={"group": [_("Choose a deputy group, or name a new one.")]})
    with transaction.atomic(), audit.acting_as(actor):
        project = lock_project(project_id)
        _allow(actor, project, "assign_supervision")
        programme = project.programme
        committee = scope.referenced(committees_for(programme), committee_id, field="committee")
        if group_id:
            group = scope.referenced(groups_for(programme), group_id, field="group")
        else:
            term = programme.congress.terms.order_by("-number").first()
            if term is None:
                raise RuleViolation(fields={"group_name": [_("The congress has no term yet.")]})
            from deputies import services as deputies

            group = deputies.save_group(actor=actor, group=DeputyGroup(
                congress=programme.congress, term=term, name=group_name[:100], kind=GroupKind.WORKING,
                remit=_("supervision of %(project)s") % {"project": project.title[:150]}))  # fmt: skip
        supervision = SupervisionGroup.objects.filter(project=project).first()
        before = None if supervision is None else (supervision.committee.name, supervision.group.name)
        if supervision is None:
            supervision = SupervisionGroup(project=project)
        supervision.committee, supervision.group, supervision.assigned_by = committee, group, actor
        supervision.save()
        changes = {} if before is None else {"committee": (before[0], committee.name), "group": (before[1], group.name)}
        audit.record(actor, supervision, "assign_supervision", changes, committee=committee.name, group=group.name)
    return supervision


def visiting_mandate(actor, project: Candidate) -> Mandate | None:
    """The actor's active seat in the project's supervision group."""
    return (
        Mandate.objects.filter(person__user_id=getattr(actor, "pk", None), status=MandateStatus.ACTIVE,
                               memberships__group__in=SupervisionGroup.objects.filter(project=project).values("group"))
        .select_related("person").first()
    )  # fmt: skip


def activities_for(actor, project: Candidate):
    """The activities of the project's congress the actor may see, for a visit to name the one it was part of."""
    from activities.models import Activity

    return scope.visible(actor, Activity).filter(congress_id=project.programme.congress_id).order_by("-id")


def record_site_visit(*, actor, project_id: int, visited_on: date, place: str, seen: str, opinions: str = "",
                      activity_id=None, today: date | None = None) -> SiteVisit:  # fmt: skip
    """A deputy of the supervision group records a visit to the project's site: what was seen and the residents'
    opinions gathered, linked to the activity it was part of when one is named."""
    today = today or timezone.localdate()
    place = _text(place, "place", _("Say where the group went."), 200)
    seen = _text(seen, "seen", _("Say what the group saw."), 5000)
    if visited_on is None or visited_on > today:
        raise RuleViolation(fields={"visited_on": [_("Record a visit that has taken place.")]})
    with transaction.atomic(), audit.acting_as(actor):
        project = lock_project(project_id)
        _allow(actor, project, "record_visit")
        mandate = visiting_mandate(actor, project)
        if mandate is None:  # the rule let them through a moment ago; the group changed meanwhile
            raise RuleViolation(_("Only the deputies of the project's supervision group record its visits."))
        activity = None
        if activity_id not in (None, ""):
            activity = scope.referenced(activities_for(actor, project), activity_id, field="activity")
        visit = SiteVisit.objects.create(project=project, visited_on=visited_on, place=place, seen=seen,
                                         opinions=(opinions or "").strip()[:5000], activity=activity,
                                         mandate=mandate)  # fmt: skip
        audit.record(actor, visit, "record_visit", deputy=mandate.person.name, activity=getattr(activity, "pk", None))
    return visit
