"""After publication: the staff's recorded corrections of a result, and the year-end appraisal (its window, the
deputies' ratings on the portal, the departments' correction reports on the unit portal, the staff's closing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import scope
from congress.errors import DomainError
from congress.models import Role
from congress.web import report, role_required
from deputies.models import MandateStatus

from . import appraisal, corrections, forms, selectors
from .models import Appraisal, AppraisalStatus, Candidate, Programme, ProgrammeStatus, Rating
from .views import _desk


@role_required(Role.STAFF)
def correct(request, pk):
    """Staff correct a published candidate's result, on record (the public results show it)."""
    candidate = get_object_or_404(
        scope.visible(request.user, Candidate).select_related("programme__congress", "department"), pk=pk
    )
    programme = _desk(request, candidate.programme_id)
    initial = {"votes": candidate.votes, "outcome": candidate.outcome}
    form = forms.CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.correct_result(actor=request.user, candidate_id=candidate.pk, **form.cleaned_data)
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The correction is recorded and published."))
            return redirect("livelihood:programme", programme.pk)
    context = {"programme": programme, "candidate": candidate, "form": form,
               "history": candidate.corrections.select_related("corrected_by").order_by("-corrected_at")}  # fmt: skip
    return render(request, "livelihood/correct.html", context)


@role_required(Role.STAFF)
def open_appraisal(request, pk):
    programme = _desk(request, pk)
    form = forms.OpenAppraisalForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal.open_appraisal(actor=request.user, programme_id=programme.pk, **form.cleaned_data)
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The year-end appraisal is open: the deputies rate the chosen projects."))
            return redirect("livelihood:programme", programme.pk)
    return render(request, "livelihood/open_appraisal.html", {"programme": programme, "form": form})


@require_POST
@role_required(Role.STAFF)
def close_appraisal(request, pk):
    programme = _desk(request, pk)
    try:
        appraisal.close_appraisal(actor=request.user, programme_id=programme.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("The appraisal is closed and counted."))
    return redirect("livelihood:programme", programme.pk)


@login_required
def rate(request, pk):
    """A deputy rates each chosen project once (phone first)."""
    programme = get_object_or_404(Programme.objects.select_related("congress"), pk=pk)
    mandate = selectors.my_mandate(request.user, programme)
    if mandate is None:
        raise Http404
    projects = appraisal.chosen(programme)
    mine = {r.candidate_id: r for r in Rating.objects.filter(mandate=mandate, candidate__in=projects)}
    open_now = programme.status == ProgrammeStatus.APPRAISING and mandate.status == MandateStatus.ACTIVE
    todo = [p for p in projects if p.pk not in mine]
    form = forms.RatingForm(request.POST or None, projects=todo) if open_now and todo else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            appraisal.rate(actor=request.user, programme_id=programme.pk, verdicts=form.verdicts())
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Your ratings are recorded. Thank you."))
            return redirect("livelihood:rate", programme.pk)
    rated = [(p, mine[p.pk]) for p in projects if p.pk in mine]
    context = {"programme": programme, "form": form, "rated": rated, "open_now": open_now,
               "today": timezone.localdate()}  # fmt: skip
    return render(request, "livelihood/rate.html", context)


def _appraisal_for(request, pk) -> Appraisal:
    found = get_object_or_404(
        scope.visible(request.user, Appraisal).select_related("candidate__programme__congress",
                                                              "candidate__department"), pk=pk,
    )  # fmt: skip
    if not (
        scope.can(request.user, "livelihood.correct", found) or scope.can(request.user, "livelihood.manage", found)
    ):
        raise PermissionDenied
    return found


@login_required
def appraisal_page(request, pk):
    """An appraised project: its counts and, when unsatisfactory, its correction: the department reports it here,
    staff close it."""
    found = _appraisal_for(request, pk)
    department = scope.can(request.user, "livelihood.correct", found)
    staff = scope.can(request.user, "livelihood.manage", found)
    report_form = close_form = None
    if department and found.status in (AppraisalStatus.CORRECTING, AppraisalStatus.REPORTED):
        report_form = forms.CorrectionReportForm(request.POST or None, initial={"report": found.report})
        if request.method == "POST" and report_form.is_valid():
            try:
                appraisal.report_correction(actor=request.user, appraisal_id=found.pk, **report_form.cleaned_data)
            except DomainError as exc:
                report(request, exc, report_form)
            else:
                messages.success(request, _("The correction report is sent."))
                return redirect("livelihood:appraisal", found.pk)
    elif request.method == "POST":
        raise PermissionDenied
    if staff and found.status == AppraisalStatus.REPORTED:
        close_form = forms.CloseCorrectionForm()
    context = {"appraisal": found, "candidate": found.candidate, "programme": found.candidate.programme,
               "report_form": report_form, "close_form": close_form}  # fmt: skip
    return render(request, "livelihood/appraisal.html", context)


@require_POST
@login_required
def close_correction(request, pk):
    found = _appraisal_for(request, pk)
    form = forms.CloseCorrectionForm(request.POST)
    if form.is_valid():
        try:
            appraisal.close_correction(actor=request.user, appraisal_id=found.pk, **form.cleaned_data)
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("The correction is closed."))
    return redirect("livelihood:appraisal", found.pk)


@login_required
def corrections_due(request):
    """The handling unit's portal: its livelihood projects sent back for correction."""
    units = scope.unit_ids(request.user)
    if not units:
        raise PermissionDenied
    rows = (
        scope.visible(request.user, Appraisal).filter(candidate__department_id__in=units)
        .exclude(status=AppraisalStatus.PASSED).select_related("candidate__programme").order_by("correct_by")
    )  # fmt: skip
    return render(request, "livelihood/corrections_due.html", {"appraisals": rows})
