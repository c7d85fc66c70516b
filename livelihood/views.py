"""The livelihood-project vote's pages: the deputy's ballot (phone first), the staff's programme desk (phases, the
vote's opening with the number present, its closing and count, the tie decision, publication) and the public
results. Every write goes through services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congress import scope
from congress.errors import DomainError
from congress.models import Role
from congress.web import report, role_required
from deputies.models import MandateStatus

from . import forms, selectors, services, workflow
from .models import CandidateOutcome, Programme, ProgrammeStatus, Turnout

# The phase buttons on the programme's page, in order, with what the page says once done.
ACTIONS = {
    "open_solicitation": gettext_lazy("The programme now collects proposals."),
    "close_solicitation": gettext_lazy("Proposals are closed; the office's assessments and the screening follow."),
    "close_vote": gettext_lazy("The vote is closed and counted."),
    "publish": gettext_lazy("The results are published."),
}


def _desk(request, pk):
    programme = selectors.programme_for(request.user, pk)
    if programme is None:
        raise Http404
    if not scope.can(request.user, "livelihood.manage", programme):
        raise PermissionDenied
    return programme


@role_required(Role.STAFF, Role.SUPERVISOR)
def manage(request):
    return render(request, "livelihood/manage.html", {"programmes": selectors.programmes_for(request.user)})


@login_required
def programme(request, pk):
    """The programme's page: its phase, proposals and candidates, the vote's turnout, the count and the results;
    its desk for the congress's staff."""
    prog = selectors.programme_for(request.user, pk)
    if prog is None:
        raise Http404
    return _programme_page(request, prog)


def _programme_page(request, prog, *, open_form=None, tie_form=None):
    """The programme's page; a refused form comes back filled in, with its errors."""
    manage = scope.can(request.user, "livelihood.manage", prog)
    candidates = selectors.candidates(prog)
    tied = [c for c in candidates if c.outcome == CandidateOutcome.TIED]
    if manage and open_form is None and prog.status == ProgrammeStatus.CANDIDATES:
        open_form = forms.OpenVoteForm()
    if manage and tie_form is None and prog.tie_slots:
        tie_form = forms.TieForm(tied=tied)
    context = {
        "programme": prog, "manage": manage, "candidates": candidates,
        "actions": workflow.PROGRAMME.available(prog, ACTIONS) if manage else [],
        "proposals": prog.proposals.select_related("department", "merged_into").order_by("number"),
        "turnout": selectors.turnout(prog) if prog.status != ProgrammeStatus.DRAFT else None,
        "open_form": open_form, "tie_form": tie_form,
        "counted": prog.status in (ProgrammeStatus.COUNTED, ProgrammeStatus.PUBLISHED),
    }  # fmt: skip
    return render(request, "livelihood/programme.html", context)


@require_POST
@role_required(Role.STAFF)
def programme_action(request, pk, action):
    prog = _desk(request, pk)
    if action not in ACTIONS:
        raise Http404
    try:
        getattr(services, action)(actor=request.user, programme_id=prog.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, str(ACTIONS[action]))
    return redirect("livelihood:programme", prog.pk)


@require_POST
@role_required(Role.STAFF)
def open_vote(request, pk):
    """The presidium opens the vote with the number of deputies present."""
    prog = _desk(request, pk)
    form = forms.OpenVoteForm(request.POST)
    if form.is_valid():
        try:
            services.open_vote(actor=request.user, programme_id=prog.pk, present=form.cleaned_data["present"])
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The vote is open: deputies vote on their phones or the venue's tablets."))
            return redirect("livelihood:programme", prog.pk)
    return _programme_page(request, prog, open_form=form)


@require_POST
@role_required(Role.STAFF)
def break_tie(request, pk):
    prog = _desk(request, pk)
    tied = [c for c in selectors.candidates(prog) if c.outcome == CandidateOutcome.TIED]
    form = forms.TieForm(request.POST, tied=tied)
    if form.is_valid():
        try:
            services.break_tie(actor=request.user, programme_id=prog.pk, chosen_ids=form.cleaned_data["chosen"],
                               reason=form.cleaned_data["reason"])  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("livelihood:programme", prog.pk)
    return _programme_page(request, prog, tie_form=form)


@login_required
def ballot(request, pk):
    """A deputy's ballot: tick at most N of the candidates, once; on a phone or the venue's tablet."""
    prog = get_object_or_404(Programme.objects.select_related("congress"), pk=pk)
    mandate = selectors.my_mandate(request.user, prog)
    if mandate is None:
        raise Http404
    candidates = selectors.candidates(prog)
    form = forms.BallotForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        channel = "tablet" if request.POST.get("channel") == "tablet" else "phone"
        try:
            services.cast_vote(actor=request.user, programme_id=prog.pk,
                               candidate_ids=form.cleaned_data["candidates"], channel=channel)  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Your vote is cast. Thank you."))
            return redirect("livelihood:ballot", prog.pk)
    context = {
        "programme": prog, "candidates": candidates, "form": form, "mandate": mandate,
        "voted": Turnout.objects.filter(programme=prog, mandate=mandate).first(),
        "suspended": mandate.status != MandateStatus.ACTIVE,
    }  # fmt: skip
    return render(request, "livelihood/ballot.html", context)


def results(request, pk):
    """The published results, for everyone: each candidate's votes and whether it was chosen, and the reasons
    proposals were kept or dropped."""
    prog = get_object_or_404(selectors.published(), pk=pk)
    context = {"programme": prog, "candidates": selectors.candidates(prog),
               "proposals": prog.proposals.exclude(status="merged").order_by("number")}  # fmt: skip
    return render(request, "livelihood/results.html", context)
