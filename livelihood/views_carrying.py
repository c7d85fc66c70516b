"""The pages of carrying out and supervision: the staff's list of a programme's chosen projects, each project's desk
(milestones, reports, supervision group, visits and their history), the department's progress report, the
deputy's "my supervision groups" and site visit, and the public progress page of each project with its photos.
Every write goes through carrying.py."""

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import audit, scope, uploads
from congress.errors import DomainError
from congress.models import Role
from congress.web import report, role_required

from . import carrying, forms, selectors
from .models import (
    PUBLISHED_STATES,
    Candidate,
    CandidateOutcome,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    SiteVisit,
    SupervisionGroup,
)


def _carried():
    """Chosen projects of published results, with what their pages show."""
    return Candidate.objects.filter(
        outcome=CandidateOutcome.CHOSEN, programme__status__in=PUBLISHED_STATES
    ).select_related("programme__congress", "department", "supervision__committee", "supervision__group")


def _project_for(request, pk) -> Candidate:
    project = scope.visible(request.user, Candidate).filter(pk=pk).first()
    if project is None:
        raise Http404
    return get_object_or_404(_carried(), pk=project.pk)


def _with_photos():
    return Prefetch("progress_reports", ProgressReport.objects.prefetch_related("photos").order_by("year", "quarter"))


@role_required(Role.STAFF, Role.SUPERVISOR)
def carrying_list(request, pk):
    """A programme's chosen projects as they are carried out: milestones done and overdue, reports, group."""
    prog = selectors.programme_for(request.user, pk)
    if prog is None:
        raise Http404
    today = timezone.localdate()
    projects = (
        _carried().filter(programme=prog)
        .annotate(milestone_count=Count("milestones", distinct=True),
                  done_count=Count("milestones", filter=Q(milestones__done_at__isnull=False), distinct=True),
                  late_count=Count("milestones", filter=Milestone.overdue(today, "milestones__"), distinct=True),
                  report_count=Count("progress_reports", distinct=True),
                  visit_count=Count("site_visits", distinct=True))
        .order_by("number")
    )  # fmt: skip
    return render(request, "livelihood/carrying.html", {"programme": prog, "projects": projects})


def _history(project: Candidate) -> list:
    """The audit entries of the project's milestones, reports, group and visits, newest first."""
    wanted = Q(pk__in=[])
    for model, ids in (
        (Milestone, project.milestones.values_list("pk", flat=True)),
        (ProgressReport, project.progress_reports.values_list("pk", flat=True)),
        (SupervisionGroup, SupervisionGroup.objects.filter(project=project).values_list("pk", flat=True)),
        (SiteVisit, project.site_visits.values_list("pk", flat=True)),
    ):
        ids = [str(pk) for pk in ids]
        if ids:
            wanted |= Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=ids)
    entries = list(LogEntry.objects.filter(wanted).select_related("actor").order_by("-timestamp")[:50])
    for entry in entries:
        entry.label = audit.action_label(entry)
    return entries


@login_required
def project(request, pk):
    """A chosen project's desk: its milestones (set by staff or the department, marked done by the department), the
    department's reports, the supervision group and its visits, and their history."""
    return _project_page(request, _project_for(request, pk))


def _project_page(request, project, *, milestone_form=None, done_forms=None, status=200):
    user = request.user
    can_plan = scope.can(user, "livelihood.plan", project)
    can_report = scope.can(user, "livelihood.report", project)
    milestones = list(project.milestones.select_related("done_by").order_by("due_on", "pk"))
    done_forms = done_forms or {}
    for milestone in milestones:
        if can_report and not milestone.is_done:
            milestone.done_form = done_forms.get(milestone.pk) or forms.MilestoneDoneForm(prefix=f"m{milestone.pk}")
    members = []
    supervision = getattr(project, "supervision", None)
    if supervision is not None:
        members = list(supervision.group.memberships.select_related("mandate__person").order_by("role", "pk"))
    context = {
        "project": project, "programme": project.programme, "milestones": milestones,
        "reports": project.progress_reports.prefetch_related("photos").order_by("year", "quarter"),
        "visits": project.site_visits.select_related("mandate__person", "activity"),
        "supervision": supervision, "members": members, "today": timezone.localdate(),
        "manage": scope.can(user, "livelihood.manage", project), "can_report": can_report,
        "can_visit": scope.can(user, "livelihood.visit", project),
        "milestone_form": milestone_form or (forms.MilestoneForm() if can_plan else None),
        "history": _history(project),
    }  # fmt: skip
    return render(request, "livelihood/project.html", context, status=status)


@require_POST
@login_required
def milestone_new(request, pk):
    project = _project_for(request, pk)
    if not scope.can(request.user, "livelihood.plan", project):
        raise PermissionDenied
    form = forms.MilestoneForm(request.POST)
    if form.is_valid():
        try:
            carrying.set_milestone(actor=request.user, project_id=project.pk, **form.cleaned_data)
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The milestone is set."))
            return redirect("livelihood:project", project.pk)
    return _project_page(request, project, milestone_form=form)


@require_POST
@login_required
def milestone_done(request, pk):
    milestone = get_object_or_404(scope.visible(request.user, Milestone), pk=pk)
    project = _project_for(request, milestone.project_id)
    if not scope.can(request.user, "livelihood.report", project):
        raise PermissionDenied
    form = forms.MilestoneDoneForm(request.POST, prefix=f"m{milestone.pk}")
    if form.is_valid():
        try:
            carrying.complete_milestone(actor=request.user, milestone_id=milestone.pk, note=form.cleaned_data["note"])
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The milestone is marked done."))
            return redirect("livelihood:project", project.pk)
    return _project_page(request, project, done_forms={milestone.pk: form})


@role_required(Role.STAFF)
def supervision(request, pk):
    """Staff give a project its supervision group: the leading committee and the deputies' group."""
    project = _project_for(request, pk)
    if not scope.can(request.user, "livelihood.manage", project):
        raise PermissionDenied
    current = getattr(project, "supervision", None)
    initial = {"committee": current.committee_id, "group": current.group_id} if current else {}
    form = forms.SupervisionForm(request.POST or None, initial=initial,
                                 committees=carrying.committees_for(project.programme),
                                 groups=carrying.groups_for(project.programme))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            carrying.assign_supervision(actor=request.user, project_id=project.pk, committee_id=data["committee"].pk,
                                        group_id=getattr(data["group"], "pk", None),
                                        group_name=data["group_name"])  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The supervision group is assigned."))
            return redirect("livelihood:project", project.pk)
    return render(request, "livelihood/supervision.html", {"project": project, "form": form})


# The department's portal


@role_required(Role.UNIT_OFFICER)
def department_projects(request):
    """The chosen projects the officer's department carries out, with their open milestones."""
    today = timezone.localdate()
    projects = (
        _carried().filter(department_id__in=scope.unit_ids(request.user))
        .prefetch_related(Prefetch("milestones", Milestone.objects.filter(done_at__isnull=True).order_by("due_on")))
        .order_by("-programme__year", "number")
    )  # fmt: skip
    return render(request, "livelihood/department_projects.html", {"projects": projects, "today": today})


@role_required(Role.UNIT_OFFICER)
def progress_report(request, pk):
    """The department's quarterly report: progress, spending to date and photos; the quarter's report is corrected
    by filing it again until its window closes."""
    project = _project_for(request, pk)
    if not scope.can(request.user, "livelihood.report", project):
        raise PermissionDenied
    today = timezone.localdate()
    quarters = carrying.open_quarters(project.programme.congress, today)
    year, quarter = quarters[-1]
    existing = ProgressReport.objects.filter(project=project, year=year, quarter=quarter).first()
    initial = {"quarter": f"{year}-{quarter}"}
    if existing:
        initial.update(text=existing.text, spent=existing.spent)
    form = forms.ProgressReportForm(request.POST or None, request.FILES or None, initial=initial, quarters=quarters)
    if request.method == "POST" and form.is_valid():
        year, quarter = form.year_quarter()
        data = form.cleaned_data
        try:
            carrying.file_progress_report(actor=request.user, project_id=project.pk, year=year, quarter=quarter,
                                          text=data["text"], spent=data["spent"], photos=data["photos"])  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The progress report is filed."))
            return redirect("livelihood:project", project.pk)
    reports = project.progress_reports.prefetch_related("photos").order_by("-year", "-quarter")
    return render(request, "livelihood/progress_report.html", {"project": project, "form": form, "reports": reports})


# The deputy's portal


@role_required(Role.DEPUTY)
def my_supervision(request):
    """我的监督组: the projects whose supervision group the deputy belongs to."""
    supervisions = (
        SupervisionGroup.objects.filter(group__memberships__mandate__person__user_id=request.user.pk,
                                        project__outcome=CandidateOutcome.CHOSEN,
                                        project__programme__status__in=PUBLISHED_STATES)
        .select_related("project__programme", "project__department", "committee", "group").distinct()
        .order_by("-project__programme__year", "project__number")
    )  # fmt: skip
    return render(request, "livelihood/my_supervision.html", {"supervisions": supervisions})


@role_required(Role.DEPUTY)
def site_visit(request, pk):
    """A deputy of the supervision group records a visit to the project's site."""
    project = _project_for(request, pk)
    if not scope.can(request.user, "livelihood.visit", project):
        raise PermissionDenied
    activities = carrying.activities_for(request.user, project)
    form = forms.SiteVisitForm(request.POST or None, activities=activities,
                               initial={"visited_on": timezone.localdate()})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            carrying.record_site_visit(actor=request.user, project_id=project.pk, visited_on=data["visited_on"],
                                       place=data["place"], seen=data["seen"], opinions=data["opinions"],
                                       activity_id=getattr(data["activity"], "pk", None))  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The site visit is recorded."))
            return redirect("livelihood:project", project.pk)
    return render(request, "livelihood/site_visit.html", {"project": project, "form": form})


# Public


def progress(request, pk):
    """A chosen project's progress, for everyone: milestones and their state, the department's reports with their
    spending and photos, and what the supervision group saw; no names of people."""
    project = get_object_or_404(_carried().prefetch_related(_with_photos()), pk=pk)
    context = {
        "project": project, "programme": project.programme, "today": timezone.localdate(),
        "milestones": project.milestones.order_by("due_on", "pk"),
        "visits": project.site_visits.order_by("-visited_on", "-pk"),
    }  # fmt: skip
    return render(request, "livelihood/progress.html", context)


def photo(request, pk):
    """A progress report's photo: public, as its project's progress is."""
    item = get_object_or_404(
        ProgressPhoto.objects.filter(
            report__project__outcome=CandidateOutcome.CHOSEN,
            report__project__programme__status__in=PUBLISHED_STATES,
            content_type__startswith="image/",
        ),
        pk=pk,
    )
    return uploads.serve(item.file, content_type=item.content_type, filename=f"progress-photo-{item.pk}")
