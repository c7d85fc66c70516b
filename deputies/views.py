from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import documents, exports, health, params, personal_data, policies, replica, scope, uploads
from congress.errors import DomainError
from congress.models import Congress
from congress.paging import LargeListPaginator
from congress.web import report, role_required

from . import duty_record as records
from . import exporter, importer, selectors, services
from .filters import DirectoryFilter
from .forms import ImportForm, MandateActionForm, PublicRosterForm
from .models import DutyEntry, Grade, ImportJob, Mandate, Person, PointsTable

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
    return render(
        request, "deputies/my_record.html", {"person": person, "rows": rows, "entries": entries, "year": year}
    )


@login_required
def duty_record(request, pk):
    """A mandate's duty record (履职档案) to print, as .docx or PDF: the deputy's own, or one the staff may see."""
    mandate = (
        scope.visible(request.user, Mandate)
        .select_related(
            "person__ethnic_group", "person__party", "congress", "term", "delegation", "electoral_unit", "group"
        )  # fmt: skip
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
            )
        except DomainError as exc:
            report(request, exc, person_form)
        else:
            messages.success(request, _("%(name)s was added to the roster.") % {"name": person.name})
            return redirect(f"{reverse('deputies:directory')}?q={person.name}")
    return render(request, "deputies/new_deputy.html", {"person_form": person_form, "seat_form": seat_form})
