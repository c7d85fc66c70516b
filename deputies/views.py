from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import audit, documents, exports, health, params, personal_data, policies, replica, scope, uploads
from congress.errors import DomainError
from congress.models import Congress
from congress.paging import LargeListPaginator
from congress.web import report, role_required

from . import duty_record as records
from . import exporter, importer, selectors, services
from .filters import DirectoryFilter
from .forms import ImportForm, MandateActionForm, PublicRosterForm
from .models import (
    DeputyGroup,
    DutyEntry,
    Grade,
    GroupMembership,
    GroupRole,
    ImportJob,
    Mandate,
    MandateStatus,
    Person,
    PointsTable,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def public_roster(request):
    """The deputies of a district or constituency, for everyone: who represents people where."""
    form = PublicRosterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    mandates = selectors.public_roster(q=data.get("q", ""), level=data.get("level", ""))
    page = Paginator(mandates, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "deputies/public_roster.html", {"form": form, "page": page, "query": query.urlencode()})


@role_required("staff")
def directory(request):
    """履职资源分类名册: filter the roster, see its composition against the official statistics."""
    filterset = DirectoryFilter(request.GET or None, queryset=selectors.roster(request.user), request=request)
    mandates = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.roster(request.user)
    page = LargeListPaginator(mandates.order_by("person__name", "id"), 50).get_page(request.GET.get("page"))
    congress = Congress.objects.filter(pk__in=scope.congress_ids(request.user)).first()
    context = {
        "filter": filterset or DirectoryFilter(queryset=mandates),
        "page": page,
        "composition": selectors.composition(mandates),
        "targets": selectors.composition_targets(congress) if congress else {},
        "query": request.GET.urlencode(),
    }
    return render(request, "deputies/directory.html", context)


@role_required("staff")
@replica.heavy_reads
def export(request):
    filterset = DirectoryFilter(request.GET, queryset=selectors.roster(request.user), request=request)
    mandates = filterset.qs if filterset.is_valid() else selectors.roster(request.user).none()
    if mandates.count() > exports.INLINE_ROWS:
        job = exports.start_for(actor=request.user, queryset=mandates)
        return redirect("admin:congress_consolejob_change", job.pk)
    unmasked = scope.can(request.user, "deputies.view_personal_data", None)
    if unmasked:
        personal_data.seen_many(request.user, Person, mandates.values_list("person_id", flat=True), "export")
    response = HttpResponse(exporter.workbook(mandates.order_by("id"), unmasked=unmasked), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="roster-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def photo(request, pk):
    """A deputy's photo, for those who may see the deputy's record (nothing serves MEDIA_ROOT directly)."""
    person = get_object_or_404(scope.visible(request.user, Person).exclude(photo=""), pk=pk)
    return uploads.serve(person.photo, filename=f"photo-{person.pk}")


@role_required("staff")
def template(request):
    response = HttpResponse(importer.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


@role_required("staff")
def imports(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(actor=request.user, upload=form.cleaned_data["file"])
        except DomainError as exc:
            report(request, exc, form)
        else:
            return redirect("deputies:import", job.pk)
    jobs = scope.visible(request.user, ImportJob)[:20]
    context = {"form": form, "jobs": jobs, "workers_down": not health.workers_running()}
    return render(request, "deputies/imports.html", context)


def _job(request, pk):
    return get_object_or_404(scope.visible(request.user, ImportJob), pk=pk)


@role_required("staff")
def import_job(request, pk):
    job = _job(request, pk)
    issues = Paginator(job.issues.all(), 100).get_page(request.GET.get("page"))
    # Only a job still waiting for the background work is held up by a missing worker.
    workers_down = job.status in ImportJob.WAITING and not health.workers_running()
    return render(request, "deputies/import_job.html", {"job": job, "issues": issues, "workers_down": workers_down})


@role_required("staff")
def import_progress(request, pk):
    job = _job(request, pk)
    return JsonResponse(
        {"status": job.status, "status_label": job.get_status_display(), "percent": job.percent,
         "processed": job.processed_rows, "total": job.total_rows, "errors": job.error_count, "message": job.message}
    )  # fmt: skip


@role_required("staff")
@require_POST
def import_confirm(request, pk):
    job = _job(request, pk)
    try:
        services.confirm_import(actor=request.user, job_id=job.pk)
    except DomainError as exc:
        report(request, exc)
    return redirect("deputies:import", job.pk)


@role_required("staff")
def mandate_action(request, pk):
    mandate = get_object_or_404(selectors.roster(request.user), pk=pk)
    form = MandateActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = {"end": services.end_mandate, "suspend": services.suspend_mandate}.get(data["action"])
        try:
            if service:
                service(actor=request.user, mandate_id=pk, on=data["date"], reason=data["reason"], note=data["note"])
            else:
                services.restore_mandate(actor=request.user, mandate_id=pk, on=data["date"], note=data["note"])
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, mandate.person.name)
            return redirect("deputies:directory")
    history = mandate.suspensions.all()
    return render(request, "deputies/mandate_action.html", {"mandate": mandate, "form": form, "history": history})


@login_required
def my_record(request):
    """A deputy's own duty record: mandates, entries, points and grade per year; printable."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    year = params.year(request.GET, default=timezone.localdate().year)
    mandates = list(person.mandates.select_related("congress", "term"))
    reports = selectors.points_report(Mandate.objects.filter(person=person), year)
    rows = [{"mandate": m, **reports[m.pk]} for m in mandates]
    entries = selectors.with_unit_points(
        DutyEntry.objects.filter(mandate__person=person, year=year).select_related("kind", "mandate__congress")
    )
    memberships = (
        GroupMembership.objects.filter(mandate__person=person)
        .exclude(mandate__status=MandateStatus.ENDED)
        .select_related("group", "mandate__congress")
        .order_by("mandate__congress__region__code", "group__kind", "group__name")
    )
    context = {"person": person, "rows": rows, "entries": entries, "year": year, "memberships": memberships}
    return render(request, "deputies/my_record.html", context)


@login_required
def duty_record(request, pk):
    """A mandate's duty record (履职档案) to print, as .docx or PDF: the deputy's own, or one the staff may see."""
    mandate = (
        scope.visible(request.user, Mandate)
        .select_related(
            "person__ethnic_group", "person__party", "congress", "term", "delegation", "electoral_unit"
        )  # fmt: skip
        .prefetch_related("memberships__group")
        .filter(pk=pk)
        .first()
    )
    if mandate is None:
        raise Http404
    year = params.year(request.GET, default=timezone.localdate().year)
    try:
        document = records.duty_record(mandate=mandate, period=request.GET.get("period", "year"), year=year,
                                       fmt=request.GET.get("format", "pdf"))  # fmt: skip
    except (ValueError, documents.ConversionUnavailable) as exc:
        messages.error(request, str(exc))
        own = mandate.person.user_id == request.user.pk
        return redirect(reverse("deputies:my_record") + f"?year={year}" if own else reverse("deputies:directory"))
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    return response


@role_required("staff", "supervisor")
def contacts(request):
    congress = Congress.objects.filter(pk__in=scope.congress_ids(request.user, ("staff", "supervisor"))).first()
    if congress is None:
        raise Http404
    return render(request, "deputies/contacts.html", selectors.contact_coverage(request.user, congress))


@role_required("staff")
def points(request):
    """A year's duty points of a term: computed from the records, then published as a fixed table."""
    from congress.models import Term

    terms = Term.objects.filter(congress_id__in=scope.congress_ids(request.user)).select_related("congress")
    wanted = params.identifier(request.GET, "term") or params.identifier(request.POST, "term")
    term = (terms.filter(pk=wanted).first() if wanted else None) or terms.first()
    if term is None:
        raise Http404
    year = params.year(request.GET) or params.year(request.POST, default=timezone.localdate().year)
    if request.method == "POST":
        try:
            services.publish_points(actor=request.user, term=term, year=year)
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("The %(year)s points table is published.") % {"year": year})
        return redirect(f"{request.path}?term={term.pk}&year={year}")
    mandates = selectors.roster(request.user).filter(term=term).order_by("person__name", "id")
    page = Paginator(mandates, 100).get_page(request.GET.get("page"))
    reports = selectors.points_report(Mandate.objects.filter(pk__in=[m.pk for m in page]), year)
    rows = [{"mandate": m, **reports[m.pk]} for m in page]
    published = PointsTable.objects.filter(term=term, year=year).first()
    # The spread of grades over the whole term, not just this page.
    grades = Counter(evaluation.grade for evaluation in selectors.yearly_evaluations(mandates, year).values())
    context = {
        "terms": terms,
        "term": term,
        "year": year,
        "rows": rows,
        "page": page,
        "published": published,
        "base": policies.policy(term.congress, "duty.points_base"),
        "good_from": policies.policy(term.congress, "duty.points_good"),
        "fair_from": policies.policy(term.congress, "duty.points_fair"),
        "grades": [(Grade(code).label, grades.get(code, 0)) for code in Grade.values],
        "catalogue": selectors.catalogue([term.congress_id])[term.congress_id].values(),
    }
    return render(request, "deputies/points.html", context)


@login_required
def my_contacts(request):
    """A standing-committee member's assigned deputies, this year's contacts with each, and a form to log one."""
    from .forms import ContactRecordForm

    year = timezone.localdate().year
    pairs = selectors.pairs_with_counts(selectors.assigned_deputies(request.user), year)
    if not pairs:
        raise Http404
    form = ContactRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_contact(actor=request.user, assignment_id=data["assignment"], on=data["date"],
                                    mode=data["mode"], topic=data["topic"], raised=data["raised"])  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("deputies:my_contacts")
    return render(request, "deputies/my_contacts.html", {"pairs": pairs, "form": form, "year": year})


@role_required("staff")
def new_deputy(request):
    """Add one deputy with their first mandate (for many, use the import)."""
    from .forms import PersonForm, SeatForm

    own = scope.congress_ids(request.user)
    person_form = PersonForm(request.POST or None, prefix="person")
    seat_form = SeatForm(request.POST or None, prefix="seat", congress_ids=own)
    if request.method == "POST" and person_form.is_valid() and seat_form.is_valid():
        try:
            person = services.register_deputy(
                actor=request.user,
                person=person_form.save(commit=False),
                mandate=seat_form.save(commit=False),
                tags=person_form.cleaned_data["tags"],
                groups=seat_form.cleaned_data["groups"],
            )
        except DomainError as exc:
            report(request, exc, person_form)
        else:
            messages.success(request, _("%(name)s was added to the roster.") % {"name": person.name})
            return redirect(f"{reverse('deputies:directory')}?q={person.name}")
    return render(request, "deputies/new_deputy.html", {"person_form": person_form, "seat_form": seat_form})


# Deputy groups: regional, professional and working groups, their members and roles


def _own_groups(request):
    """The groups of the user's own congresses (another congress's group is not found)."""
    groups = DeputyGroup.objects.select_related("congress", "term")
    return groups if request.user.is_superuser else groups.filter(congress_id__in=scope.congress_ids(request.user))


@role_required("staff")
def groups(request):
    """代表小组、代表专业小组和工作小组 of the user's congresses, filtered by kind and term, with their sizes."""
    from congress.models import Term

    from .forms import GroupKindForm

    terms = Term.objects.filter(congress_id__in=scope.congress_ids(request.user)).select_related("congress")
    form = GroupKindForm(request.GET or None, terms=terms)
    rows = _own_groups(request).annotate(size=Count("memberships")).order_by("congress", "term", "kind", "name")
    if form.is_valid():
        data = form.cleaned_data
        rows = rows.filter(kind=data["kind"]) if data["kind"] else rows
        rows = rows.filter(term_id=data["term"]) if data["term"] else rows
        rows = rows.filter(name__contains=data["q"].strip()) if data["q"].strip() else rows
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    leaders = GroupMembership.objects.filter(group__in=[g.pk for g in page], role=GroupRole.LEADER)
    leaders = dict(leaders.values_list("group_id", "mandate__person__name"))
    for group in page:
        group.leader_name = leaders.get(group.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "deputies/groups.html", {"form": form, "page": page, "query": query.urlencode()})


@role_required("staff")
def group_edit(request, pk=None):
    """A new group, or a group's name, kind and field."""
    from .forms import GroupForm

    group = get_object_or_404(_own_groups(request), pk=pk) if pk else None
    form = GroupForm(request.POST or None, instance=group, congress_ids=scope.congress_ids(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            group = services.save_group(actor=request.user, group=form.save(commit=False))
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The group %(name)s is saved.") % {"name": group.name})
            return redirect("deputies:group", group.pk)
    return render(request, "deputies/group_edit.html", {"form": form, "group": group})


def _candidates(request, group):
    """Deputies of the group's congress and term not yet in it, found with the directory's filters."""
    pool = (
        selectors.roster(request.user)
        .filter(congress_id=group.congress_id, term_id=group.term_id)
        .exclude(status=MandateStatus.ENDED)
        .exclude(memberships__group=group)
    )
    filterset = DirectoryFilter(request.GET or None, queryset=pool, request=request)
    if not (filterset.is_bound and filterset.is_valid()):
        return filterset, None
    return filterset, filterset.qs.order_by("person__name", "id")


@role_required("staff")
def group(request, pk):
    """A group's members and their roles, forms to add, change and remove them, and the group's history."""
    from congress.templatetags.audit_labels import action_label

    from .forms import GroupRoleForm

    group = get_object_or_404(_own_groups(request), pk=pk)
    members = sorted(
        group.memberships.select_related("mandate__person", "mandate__congress"),
        key=lambda m: (ROLE_ORDER[m.role], m.mandate.person.name, m.pk),
    )
    for membership in members:
        membership.role_form = GroupRoleForm(initial={"role": membership.role}, prefix=f"m{membership.pk}")
    filterset, found = _candidates(request, group)
    page = Paginator(found, 50).get_page(request.GET.get("page")) if found is not None else None
    history = list(audit.entries_for(group)[:50])
    for entry in history:
        entry.label = action_label(entry)
        entry.extra = entry.additional_data or {}
    query = request.GET.copy()
    query.pop("page", None)
    context = {"group": group, "members": members, "filter": filterset, "page": page, "history": history,
               "query": query.urlencode()}  # fmt: skip
    return render(request, "deputies/group.html", context)


ROLE_ORDER = {GroupRole.LEADER: 0, GroupRole.DEPUTY_LEADER: 1, GroupRole.MEMBER: 2}


@role_required("staff")
@require_POST
def group_add(request, pk):
    """Add the ticked deputies, or everyone the filter found (`all`), to the group as members."""
    group = get_object_or_404(_own_groups(request), pk=pk)
    if request.POST.get("all"):
        _filterset, found = _candidates(request, group)
        ids = list(found.values_list("pk", flat=True)[:5000]) if found is not None else []
    else:
        ids = [pk for pk in map(params.as_identifier, request.POST.getlist("mandates")) if pk]
    if not ids:
        messages.error(request, _("Tick the deputies to add, or filter the roster first."))
    else:
        try:
            added = services.add_group_members(actor=request.user, group_id=group.pk, mandate_ids=ids)
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("%(n)s deputies added to the group.") % {"n": added})
    return redirect(f"{reverse('deputies:group', args=[group.pk])}?{request.GET.urlencode()}")


def _membership(request, pk):
    return get_object_or_404(GroupMembership.objects.filter(group__in=_own_groups(request)), pk=pk)


@role_required("staff")
@require_POST
def group_role(request, pk):
    """Change a member's role in the group (组长, 副组长, 成员)."""
    from .forms import GroupRoleForm

    membership = _membership(request, pk)
    form = GroupRoleForm(request.POST, prefix=f"m{membership.pk}")
    if form.is_valid():
        try:
            services.set_group_role(actor=request.user, membership_id=membership.pk, role=form.cleaned_data["role"])
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("The role is changed."))
    else:
        messages.error(request, _("Choose leader, deputy leader or member."))
    return redirect("deputies:group", membership.group_id)


@role_required("staff")
@require_POST
def group_remove(request, pk):
    """Take a deputy out of the group."""
    membership = _membership(request, pk)
    try:
        services.remove_group_member(actor=request.user, membership_id=membership.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("The deputy is no longer in the group."))
    return redirect("deputies:group", membership.group_id)
