"""The office's and the units' work lists: staff review and assign (one by one or in bulk) and read the
statistics; a unit's officers see their assignments, the soonest due first."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from congress import replica, scope
from congress.models import Organisation, Role, Session
from congress.web import role_required
from congress.workdays import Calendar

from .. import exporter, forms, selectors, services, tallies
from ..models import Category
from .common import XLSX, page_of, query_of


def _sessions(queryset):
    return queryset.select_related("term").order_by("-term__number", "-number")


def _staff_prefixes(user) -> list[str]:
    return [c.region.code for c in selectors.congresses_of(user, (Role.STAFF,))]


@role_required(Role.STAFF)
def review(request):
    """Suggestions to review and assign, with the filters staff think in, and bulk assignment."""
    user = request.user
    congresses = selectors.congresses_of(user, (Role.STAFF,))
    congress_ids = [c.pk for c in congresses]
    # Units are named by search (a province has thousands), among those the user's congresses reach.
    units = selectors.handling_units([c.region.code for c in congresses])
    search_url = reverse("suggestions:unit_search")
    sessions = _sessions(Session.objects.filter(term__congress_id__in=congress_ids))
    categories = Category.objects.filter(congress_id__in=congress_ids).select_related("parent")
    form = forms.ReviewFilterForm(
        request.GET or None, sessions=sessions, categories=categories, units=units, search_url=search_url
    )
    data = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.review_list(
        user, status=data.get("status", ""), kind=data.get("kind", ""), session=data.get("session") or None,
        category=data.get("category"), unit=data.get("unit"), overdue=data.get("overdue", False),
        key=data.get("key", False), q=data.get("q", ""),
    ).prefetch_related(selectors.live_assignments())  # fmt: skip
    queryset = selectors.with_unconfirmed_cosigners(queryset)
    context = {
        "form": form,
        "page": page_of(request, queryset, estimate=True, by_id=True),
        "query": query_of(request),
        "bulk_form": forms.BulkAssignForm(units=units, search_url=search_url),
    }
    return render(request, "suggestions/review.html", context)


@require_POST
@role_required(Role.STAFF)
def bulk_assign(request):
    form = forms.BulkAssignForm(request.POST, units=selectors.handling_units(_staff_prefixes(request.user)))
    back = reverse("suggestions:review")
    query = request.POST.get("query", "")
    if query:
        back += "?" + query
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    done, failures = services.bulk_assign(
        actor=request.user, suggestion_ids=data["ids"], lead_id=data["lead"], co_ids=data["co_units"]
    )
    if done:
        messages.success(
            request, ngettext("%(n)s suggestion assigned.", "%(n)s suggestions assigned.", done) % {"n": done}
        )
    for failure in failures:
        messages.error(request, _("Not assigned: %(failure)s") % {"failure": failure})
    return redirect(back)


@role_required(Role.STAFF, Role.UNIT_OFFICER)
def unit_search(request):
    """The unit search of the review list, the bulk assignment and the unit portal: the units the user may name
    (staff: the handling units of their regions; an officer: their own) whose name contains the text, each with
    its region (a province has many 教育局)."""
    found = selectors.find_units(selectors.units_to_name(request.user), request.GET.get("q", "")[:50])
    results = [{"id": u.pk, "name": u.name, "region": u.region.name, "label": forms.unit_label(u)} for u in found]
    return JsonResponse({"results": results})


def _statistics_input(request) -> dict:
    congresses = selectors.congresses_of(request.user, (Role.STAFF, Role.SUPERVISOR))
    wanted = request.GET.get("congress", "")
    congress = next((c for c in congresses if str(c.pk) == wanted), congresses[0] if congresses else None)
    if congress is None or not scope.can(request.user, "suggestions.view_statistics", congress):
        raise PermissionDenied
    sessions = _sessions(Session.objects.filter(term__congress=congress))
    this_year = timezone.localdate().year
    form = forms.StatisticsFilterForm(request.GET or None, sessions=sessions, years=range(this_year, this_year - 8, -1))
    data = form.cleaned_data if form.is_valid() else {}
    session = data.get("session") or None
    if session and session != "between":
        session = int(session)
    stats = tallies.statistics(congress, session=session, year=data.get("year"))
    return {"congress": congress, "congresses": congresses, "form": form, "stats": stats}


@role_required(Role.STAFF, Role.SUPERVISOR)
@replica.heavy_reads
def statistics(request):
    """Counts by state, per unit and by category, and the overdue list, for one congress."""
    context = {**_statistics_input(request), "query": query_of(request)}
    return render(request, "suggestions/statistics.html", context)


@role_required(Role.STAFF, Role.SUPERVISOR)
@replica.heavy_reads
def statistics_export(request):
    """The statistics page as .xlsx, same filters."""
    context = _statistics_input(request)
    workbook = exporter.statistics_workbook(context["stats"], congress=context["congress"])
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="suggestion-statistics-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@role_required(Role.UNIT_OFFICER)
def unit(request):
    """The unit's assignments, the soonest due first, with a traffic light and receipt confirmation."""
    units = Organisation.objects.filter(pk__in=scope.unit_ids(request.user))
    form = forms.UnitFilterForm(request.GET or None, units=units, search_url=reverse("suggestions:unit_search"))
    data = form.cleaned_data if form.is_valid() else {}
    assignments = selectors.unit_portal(request.user, status=data.get("status", ""), overdue=data.get("overdue", False),
                                        unit=data.get("unit"))  # fmt: skip
    page = page_of(request, assignments.only("id"), estimate=True)
    page.object_list = selectors.portal_rows(page.object_list)
    today, calendar = timezone.localdate(), Calendar.load()
    amber = selectors.amber_periods(page)
    for assignment in page:
        assignment.light = selectors.light(assignment, today, calendar, amber[assignment.congress_id])
    context = {"form": form, "page": page, "query": query_of(request), "here": request.get_full_path()}
    return render(request, "suggestions/unit.html", context)


@role_required(Role.STAFF)
def assignment_letters(request):
    """The congress's batches of assignments (one per day and session), each downloadable as its units' numbered
    assignment letters: a zip of .docx or one PDF, written in the background, whose progress page then opens."""
    congresses = selectors.congresses_of(request.user, (Role.STAFF,))
    wanted = request.POST.get("congress") or request.GET.get("congress", "")
    congress = next((c for c in congresses if str(c.pk) == wanted), None if wanted else next(iter(congresses), None))
    if congress is None or not scope.can(request.user, "suggestions.assignment_letters", congress):
        raise PermissionDenied
    if request.method == "POST":
        form = forms.AssignmentLettersForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = services.start_assignment_letters(
                    actor=request.user, congress=congress, assigned_on=data["assigned_on"],
                    session_id=data["session"], fmt=data["format"],
                )  # fmt: skip
            except ValueError as refused:
                messages.error(request, str(refused))
            else:
                return redirect("admin:congress_consolejob_change", job.pk)
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect(f"{reverse('suggestions:assignment_letters')}?congress={congress.pk}")
    context = {"congress": congress, "congresses": congresses, "batches": services.letter_batches(congress)}
    return render(request, "suggestions/assignment_letters.html", context)


SESSION_DOCUMENTS = {
    "assignment_list": services.start_assignment_list,
    "suggestion_compilation": services.start_suggestion_compilation,
}


@role_required(Role.STAFF)
def session_documents(request):
    """A session's assignment list and compilation of suggestions, and a year's compilation of published replies,
    each as one .docx or PDF written in the background, whose progress page then opens."""
    congresses = selectors.congresses_of(request.user, (Role.STAFF,))
    wanted = request.POST.get("congress") or request.GET.get("congress", "")
    congress = next((c for c in congresses if str(c.pk) == wanted), None if wanted else next(iter(congresses), None))
    if congress is None or not scope.can(request.user, "suggestions.session_documents", congress):
        raise PermissionDenied
    sessions = services.compilations.sessions_of(congress)
    if request.method == "POST":
        if request.POST.get("document") == "reply_compilation":
            form = forms.ReplyCompilationForm(request.POST)
        else:
            form = forms.SessionDocumentForm(request.POST, sessions=sessions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if "year" in data:
                    job = services.start_reply_compilation(
                        actor=request.user, congress=congress, year=data["year"], fmt=data["format"]
                    )
                else:
                    job = SESSION_DOCUMENTS[data["document"]](
                        actor=request.user, congress=congress, session_id=data["session"], fmt=data["format"]
                    )
            except ValueError as refused:
                messages.error(request, str(refused))
            else:
                return redirect("admin:congress_consolejob_change", job.pk)
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect(f"{reverse('suggestions:session_documents')}?congress={congress.pk}")
    context = {
        "congress": congress, "congresses": congresses, "sessions": sessions,
        "session_form": forms.SessionDocumentForm(sessions=sessions),
        "reply_form": forms.ReplyCompilationForm(initial={"year": timezone.localdate().year}),
    }  # fmt: skip
    return render(request, "suggestions/session_documents.html", context)
