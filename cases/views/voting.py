"""Voters' and judges' pages: the rounds they are listed in, the ballot (approve up to K, or recommend up to Q
per level) and the panel's score sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import DomainError
from congress.web import report

from .. import forms, selectors, services, workflow
from ..models import RoundKind, Voter


@login_required
def ballots(request):
    return render(request, "cases/ballots.html", {"voters": selectors.my_rounds(request.user)})


@login_required
def ballot(request, pk):
    """A voter's ballot (approve up to K, or recommend up to Q per level), or a judge's score sheet."""
    voter = get_object_or_404(Voter.objects.select_related("round__campaign", "committee"), round_id=pk,
                              user_id=request.user.pk)  # fmt: skip
    round_ = voter.round
    entries = list(selectors.candidates(round_))
    context = {"voter": voter, "round": round_, "entries": entries, "now": timezone.now(),
               "window": workflow.in_window(round_, timezone.now()) and round_.status == "open"}  # fmt: skip
    if round_.kind == RoundKind.WEIGHTED:
        return _score_sheet(request, voter, round_, entries, context)
    form = forms.BallotForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            services.cast_ballot(
                actor=request.user, round_id=round_.pk, submission_ids=form.cleaned_data["submissions"]
            )
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Your ballot is cast. Thank you."))
            return redirect("cases:ballot", round_.pk)
    mine = set(voter.ballots.values_list("submission_id", flat=True))
    return render(request, "cases/ballot.html", {**context, "form": form, "mine": mine})


def _score_sheet(request, voter, round_, entries, context):
    criteria = list(round_.criteria.all())
    posted = request.POST or None
    form = forms.ScoreForm(posted, criteria=criteria) if posted else None
    if form is not None and form.is_valid():
        try:
            services.score_case(actor=request.user, round_id=round_.pk, submission_id=form.cleaned_data["submission"],
                                points=form.points())  # fmt: skip
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("Score saved."))
            return redirect("cases:ballot", round_.pk)
    elif form is not None:
        messages.error(request, _("Score every criterion within its full marks."))
    # What the judge typed on the sheet that was refused comes back in its boxes.
    typed = request.POST if form is not None and not form.is_valid() else {}
    scored = {}
    for score in voter.scores.all():
        scored.setdefault(score.submission_id, 0)
        scored[score.submission_id] += score.points
    sheets = []
    for entry in entries:
        refused = typed.get("submission") == str(entry.submission_id)
        boxes = [(criterion, typed.get(f"c{criterion.pk}", "") if refused else "") for criterion in criteria]
        sheets.append((entry, scored.get(entry.submission_id), boxes))
    return render(request, "cases/score.html", {**context, "sheets": sheets, "criteria": criteria})
