"""The tellers' page for paper ballots (staff of the congress): record that a deputy took a paper ballot, and enter
each numbered sheet from the box; two tellers enter every sheet and it counts when they agree (paper.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError
from congress.models import Role
from congress.web import report, role_required
from deputies.models import Mandate, MandateStatus

from . import forms, paper, selectors
from .models import PaperSheet, PaperSheetStatus, ProgrammeStatus, Turnout
from .views import _desk


def _mandates(programme):
    voted = Turnout.objects.filter(programme=programme).values("mandate_id")
    return (
        Mandate.objects.filter(congress_id=programme.congress_id, status=MandateStatus.ACTIVE)
        .exclude(pk__in=voted).select_related("person").order_by("person__name")
    )  # fmt: skip


def _page(request, programme, *, issue_form=None, entry_form=None, missing_form=None, status=200):
    candidates = selectors.candidates(programme)
    sheets = list(PaperSheet.objects.filter(programme=programme).prefetch_related("entries").order_by("number"))
    waiting = [s for s in sheets if s.status != PaperSheetStatus.COUNTED]
    for sheet in waiting:
        sheet.mine = any(e.teller_id == request.user.pk for e in sheet.entries.all())
    voting = programme.status == ProgrammeStatus.VOTING
    context = {
        "programme": programme, "voting": voting, "turnout": selectors.turnout(programme),
        "counted": sum(s.status == PaperSheetStatus.COUNTED for s in sheets), "waiting": waiting,
        "issue_form": issue_form or (forms.PaperIssueForm(mandates=_mandates(programme)) if voting else None),
        "entry_form": entry_form or (forms.PaperEntryForm(candidates=candidates) if voting else None),
        "missing": paper.missing(programme), "missing_form": missing_form or forms.NotReturnedForm(),
        "states": selectors.ballot_states(programme),
    }  # fmt: skip
    return render(request, "livelihood/paper.html", context, status=status)


@role_required(Role.STAFF)
def tellers(request, pk):
    return _page(request, _desk(request, pk))


@require_POST
@role_required(Role.STAFF)
def issue(request, pk):
    programme = _desk(request, pk)
    form = forms.PaperIssueForm(request.POST, mandates=_mandates(programme))
    if form.is_valid():
        try:
            paper.issue_paper(actor=request.user, programme_id=programme.pk, mandate_id=form.cleaned_data["mandate"])
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Recorded: the deputy took a paper ballot."))
            return redirect("livelihood:paper", programme.pk)
    return _page(request, programme, issue_form=form)


@require_POST
@role_required(Role.STAFF)
def enter(request, pk):
    programme = _desk(request, pk)
    form = forms.PaperEntryForm(request.POST, candidates=selectors.candidates(programme))
    if form.is_valid():
        data = form.cleaned_data
        try:
            sheet = paper.enter_sheet(actor=request.user, programme_id=programme.pk, number=data["number"],
                                      candidate_ids=data["candidates"], spoiled=data["spoiled"])  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            if sheet.status == PaperSheetStatus.SPOILED:
                messages.success(request, _("Sheet %(n)s: both entries read it as spoiled; it counts for nobody.")
                                 % {"n": sheet.number})  # fmt: skip
            elif sheet.status == PaperSheetStatus.COUNTED:
                messages.success(request, _("Sheet %(n)s: both entries agree; it is counted.") % {"n": sheet.number})
            elif sheet.status == PaperSheetStatus.MISMATCH:
                messages.warning(
                    request, _("Sheet %(n)s: the two entries differ; check the sheet and enter it again.")
                    % {"n": sheet.number},
                )  # fmt: skip
            else:
                messages.success(request, _("Sheet %(n)s entered; another teller enters it too.") % {"n": sheet.number})
            return redirect("livelihood:paper", programme.pk)
    return _page(request, programme, entry_form=form)


@require_POST
@role_required(Role.STAFF)
def not_returned(request, pk):
    programme = _desk(request, pk)
    form = forms.NotReturnedForm(request.POST)
    if form.is_valid():
        try:
            count = paper.record_not_returned(actor=request.user, programme_id=programme.pk,
                                              reason=form.cleaned_data["reason"])  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Recorded: %(n)s paper ballots taken and not returned; they count for nobody.")
                             % {"n": count})  # fmt: skip
            return redirect("livelihood:paper", programme.pk)
    return _page(request, programme, missing_form=form)
