"""The livelihood-project vote's pages: the deputy's ballot (phone first), the staff's programme desk (phases, the
vote's opening with the number present, its closing and count, the tie decision, publication) and the public
results. Every write goes through services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congress import abuse, scope
from congress.errors import DomainError
from congress.models import Role
from congress.web import CodeCookie, report, role_required
from deputies.models import MandateStatus

from . import forms, selectors, services, workflow
from .models import (
    COUNTED_STATES,
    PUBLISHED_STATES,
    CandidateOutcome,
    Programme,
    ProgrammeStatus,
    Proposal,
    ProposalStatus,
    Source,
    Turnout,
)

# The phase buttons on the programme's page, in order, with what the page says once done.
ACTIONS = {
    "open_solicitation": gettext_lazy("The programme now collects proposals."),
    "close_solicitation": gettext_lazy("Proposals are closed; the office's assessments and the screening follow."),
    "close_vote": gettext_lazy("The vote is closed and counted."),
    "publish": gettext_lazy("The results are published."),
}


AFTER_PUBLICATION = PUBLISHED_STATES
AFTER_COUNT = COUNTED_STATES


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
    shown = selectors.results(prog)
    candidates = shown["candidates"]
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
        "assessor": prog.status in (ProgrammeStatus.SOLICITING, ProgrammeStatus.SCREENING)
        and scope.can(request.user, "livelihood.assess", prog),
        "counted": prog.status in AFTER_COUNT,
        "correctable": manage and prog.status in AFTER_PUBLICATION,
        "appraisals": shown["appraisals"], "corrections": shown["corrections"],
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
    form = None
    if request.method == "POST":
        # Hundreds of deputies post at once: the vote reads only the candidates before the service, which checks
        # the programme and the deputy's seat in one statement; the page below is read when the vote is refused.
        candidates = selectors.candidates_of(pk)
        form = forms.BallotForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                services.cast_vote(actor=request.user, programme_id=pk, candidate_ids=form.cleaned_data["candidates"])
            except DomainError as exc:
                report(request, exc, form)
            else:
                messages.success(request, _("Your vote is cast. Thank you."))
                return redirect("livelihood:ballot", pk)
    prog = get_object_or_404(Programme.objects.select_related("congress"), pk=pk)
    mandate = selectors.my_mandate(request.user, prog)
    if mandate is None:
        raise Http404
    candidates = selectors.candidates(prog)
    form = form or forms.BallotForm(candidates=candidates)
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
    context = {"programme": prog, "proposals": prog.proposals.exclude(status="merged").order_by("number"),
               "states": selectors.ballot_states(prog), **selectors.results(prog)}  # fmt: skip
    return render(request, "livelihood/results.html", context)


# Proposals (点菜): citizens on the public page, deputies on their portal; followed by the tracking code.

PROPOSAL_CODE = CodeCookie("proposal_code", "livelihood.thanks")


def propose(request, pk):
    """A citizen proposes a project while the programme collects them (the same checks as an opinion: a question,
    a honeypot and the per-address and per-phone limits)."""
    prog = get_object_or_404(Programme.objects.select_related("congress"), pk=pk)
    is_open = selectors.collecting(prog, timezone.localdate())
    form = forms.PublicProposalForm(request.POST or None) if is_open else None
    if form is not None and request.method == "POST":
        if abuse.rate_limited(request, "livelihood_proposal", phone=request.POST.get("phone", "")):
            messages.error(request, _("Too many submissions from this address or phone; please try again later."))
            form.renew()
            return render(request, "livelihood/propose.html", {"programme": prog, "form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.submit_proposal(
                    programme_id=prog.pk, source=Source.CITIZEN, title=data["title"], description=data["description"],
                    area=data["area"], benefit=data["benefit"], proposer_name=data["proposer_name"],
                    phone=data["phone"],
                )  # fmt: skip
            except DomainError as exc:
                report(request, exc, form)
            else:
                return PROPOSAL_CODE.remember(redirect("livelihood:thanks"), proposal.tracking_code)
        form.renew()
    return render(request, "livelihood/propose.html", {"programme": prog, "form": form})


def thanks(request):
    code = PROPOSAL_CODE.read(request)
    if not code:
        return redirect("livelihood:track")
    return render(request, "livelihood/thanks.html", {"code": code})


def track(request):
    asked = "phone_tail" in request.GET
    form = forms.TrackForm(request.GET if asked else None, initial={"code": request.GET.get("code", "")})
    proposal = None
    if form.is_valid():
        if abuse.rate_limited(request, "track"):
            form.add_error(None, _("Too many look-ups; please try again later."))
            return render(request, "livelihood/track.html", {"form": form}, status=429)
        proposal = selectors.track(form.cleaned_data["code"], form.cleaned_data["phone_tail"])
        if proposal is None:
            form.add_error(None, _("No proposal matches this code and phone number."))
    return render(request, "livelihood/track.html", {"form": form, "proposal": proposal})


@role_required(Role.DEPUTY)
def propose_as_deputy(request, pk):
    """A deputy proposes a project in their own name."""
    prog = get_object_or_404(Programme.objects.select_related("congress"), pk=pk)
    if selectors.my_mandate(request.user, prog) is None:
        raise Http404
    is_open = selectors.collecting(prog, timezone.localdate())
    form = forms.DeputyProposalForm(request.POST or None) if is_open else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            proposal = services.submit_proposal(programme_id=prog.pk, source=Source.DEPUTY, actor=request.user,
                                                **form.cleaned_data)  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Your proposal no. %(n)s is received.") % {"n": proposal.number})
            return redirect("livelihood:propose_as_deputy", prog.pk)
    mine = prog.proposals.filter(mandate__person__user_id=request.user.pk).select_related("merged_into")
    return render(request, "livelihood/propose_deputy.html", {"programme": prog, "form": form, "mine": mine})


# Screening: the office's assessment and the staff's candidate list


@login_required
def assess(request, pk):
    """The assessing office's officers assess one proposal: feasibility, cost, responsible department."""
    proposal = get_object_or_404(
        scope.visible(request.user, Proposal).select_related("programme__congress", "department"), pk=pk
    )
    if not scope.can(request.user, "livelihood.assess", proposal):
        raise PermissionDenied
    prog = proposal.programme
    initial = {"feasibility": proposal.feasibility, "cost": proposal.cost, "department": proposal.department_id,
               "assessment": proposal.assessment}  # fmt: skip
    form = forms.AssessmentForm(request.POST or None, initial=initial, departments=selectors.departments_for(prog))
    if request.method == "POST" and form.is_valid():
        try:
            services.assess_proposal(actor=request.user, proposal_id=proposal.pk, **form.cleaned_data)
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The assessment of proposal no. %(n)s is saved.") % {"n": proposal.number})
            return redirect("livelihood:programme", prog.pk)
    return render(request, "livelihood/assess.html", {"proposal": proposal, "programme": prog, "form": form})


@role_required(Role.STAFF)
def screen(request, pk):
    """Staff confirm the candidate list: each open proposal kept or dropped, with its published reason."""
    prog = _desk(request, pk)
    if prog.status != ProgrammeStatus.SCREENING:
        messages.error(request, _("The candidate list is confirmed while the proposals are screened."))
        return redirect("livelihood:programme", prog.pk)
    proposals = prog.proposals.exclude(status=ProposalStatus.MERGED).select_related("department").order_by("number")
    form = forms.ScreeningForm(request.POST or None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        kept, dropped = form.decisions()
        try:
            services.confirm_candidates(actor=request.user, programme_id=prog.pk, kept=kept, dropped=dropped)
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The candidate list is confirmed."))
            return redirect("livelihood:programme", prog.pk)
    low, high = services.candidate_range(prog)
    context = {"programme": prog, "form": form, "low": low, "high": high}
    return render(request, "livelihood/screen.html", context)
