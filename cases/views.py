"""Pages of the case selection: staff run campaigns and rounds, units submit cases, voters vote and judges score,
citizens vote on a mobile page. Each view parses input, calls one service or selector, and renders."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from congress import abuse, audit, scope, uploads
from congress.errors import DomainError
from congress.models import Congress, Organisation, OrganisationKind, Role
from congress.web import report, role_required
from deputies.models import Mandate, MandateStatus
from liaison_stations.models import Station
from suggestions.models import Suggestion

from . import exporter, forms, selectors, services, workflow
from .models import (
    Campaign,
    CampaignUnit,
    Entry,
    Outcome,
    Round,
    RoundKind,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    Voter,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "cases_phone"


def _page(request, queryset, size=50):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _next(request, fallback):
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else fallback


def _campaign(request, pk, action=None) -> Campaign:
    campaign = get_object_or_404(scope.visible(request.user, Campaign).select_related("congress"), pk=pk)
    if action and not scope.can(request.user, action, campaign):
        raise PermissionDenied
    return campaign


def _round(request, pk, action=None) -> Round:
    round_ = get_object_or_404(scope.visible(request.user, Round).select_related("campaign__congress"), pk=pk)
    if action and not scope.can(request.user, action, round_):
        raise PermissionDenied
    return round_


# Staff: campaigns


@role_required(Role.STAFF, Role.SUPERVISOR)
def campaigns(request):
    return render(request, "cases/campaigns.html", {"page": _page(request, selectors.campaigns_for(request.user))})


def _staff_congresses(user):
    ids = scope.congress_ids(user, (Role.STAFF,))
    return (
        Congress.objects.filter(pk__in=ids).order_by("region__code")
        if not user.is_superuser
        else (Congress.objects.order_by("region__code"))
    )


def _invitable_units(user, congress=None):
    units = scope.visible(user, Organisation).filter(is_active=True)
    if congress is not None:
        units = units.filter(region__code__startswith=congress.region.code)
    return units.select_related("region").order_by("region__code", "kind", "name")


@role_required(Role.STAFF)
def campaign_new(request):
    congresses = list(_staff_congresses(request.user))
    form = forms.CampaignForm(
        request.POST or None, congresses=congresses, units=_invitable_units(request.user),
        initial={"year": timezone.localdate().year},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        congress = next((c for c in congresses if c.pk == data["congress"]), None)
        try:
            campaign = services.create_campaign(
                actor=request.user, congress=congress, fields=form.campaign_fields(),
                units=[(unit, data["quota"]) for unit in data["units"]],
            )  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Campaign created; add its rounds, then open it for submissions."))
            return redirect(campaign)
    return render(request, "cases/campaign_form.html", {"form": form})


@role_required(Role.STAFF)
def campaign_edit(request, pk):
    campaign = _campaign(request, pk, "cases.manage")
    form = forms.CampaignForm(
        request.POST or None, congresses=[campaign.congress], units=_invitable_units(request.user, campaign.congress),
        campaign=campaign,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        quotas = {i.unit_id: i.quota for i in campaign.units.all()}
        try:
            services.update_campaign(
                actor=request.user, campaign_id=campaign.pk, fields=form.campaign_fields(),
                units=[(u, data["quota"] if data["quota"] else quotas.get(u.pk)) for u in data["units"]],
            )  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect(campaign)
    return render(request, "cases/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign(request, pk):
    campaign = _campaign(request, pk)
    manage = scope.can(request.user, "cases.manage", campaign)
    if not manage and not scope.has_role(request.user, Role.STAFF, Role.SUPERVISOR):
        raise PermissionDenied
    status = request.GET.get("status", "")
    submissions = selectors.submissions_of(request.user, campaign, status=status)
    units = campaign.units.select_related("unit").order_by("unit__name")
    context = {
        "campaign": campaign,
        "manage": manage,
        "rounds": campaign.rounds.order_by("position"),
        "units": units,
        "page": _page(request, submissions),
        "status": status,
        "statuses": SubmissionStatus.choices,
        "actions": workflow.CAMPAIGN.available(campaign, ("announce", "close_submissions", "finish")),
        "history": audit.entries_for(campaign)[:20],
        "editable": workflow.CAMPAIGN["edit"].sources,
    }
    return render(request, "cases/campaign.html", context)


@require_POST
@role_required(Role.STAFF)
def campaign_act(request, pk, action):
    campaign = _campaign(request, pk, "cases.manage")
    actions = {
        "announce": (services.announce, _("The campaign is open for submissions; the units have been told.")),
        "close_submissions": (services.close_submissions, _("Submissions are closed; the rounds can open.")),
        "finish": (services.finish, _("The result is published and the awards recorded.")),
    }
    if action not in actions:
        raise Http404
    func, message = actions[action]
    try:
        func(actor=request.user, campaign_id=campaign.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, message)
    return redirect(campaign)


@require_POST
@role_required(Role.STAFF)
def unit_quota(request, pk):
    invitation = get_object_or_404(scope.visible(request.user, CampaignUnit).select_related("campaign"), pk=pk)
    campaign = invitation.campaign
    if not scope.can(request.user, "cases.manage", campaign):
        raise PermissionDenied
    form = forms.QuotaForm(request.POST)
    if form.is_valid():
        units = [(i.unit, form.cleaned_data["quota"] if i.pk == invitation.pk else i.quota)
                 for i in campaign.units.select_related("unit")]  # fmt: skip
        try:
            services.update_campaign(actor=request.user, campaign_id=campaign.pk, fields={}, units=units)
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("Quota of %(unit)s saved.") % {"unit": invitation.unit})
    else:
        messages.error(request, _("A quota is at least 1, or empty for no limit."))
    return redirect(campaign)


# Staff: rounds


def _committees(campaign):
    return Organisation.objects.filter(congress=campaign.congress).exclude(kind=OrganisationKind.HANDLING_UNIT)


def _round_form_view(request, campaign, round_=None):
    form = forms.RoundForm(request.POST or None, round_=round_, committees=_committees(campaign))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if round_ is None:
                round_ = services.add_round(
                    actor=request.user, campaign_id=campaign.pk, fields=form.round_fields(), voters=data["voters"],
                    criteria=data["criteria"],
                )  # fmt: skip
            else:
                services.update_round(
                    actor=request.user, round_id=round_.pk, fields=form.round_fields(), voters=data["voters"],
                    criteria=data["criteria"],
                )  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Round saved."))
            return redirect(campaign)
    return render(request, "cases/round_form.html", {"form": form, "campaign": campaign, "round": round_})


@role_required(Role.STAFF)
def round_new(request, pk):
    return _round_form_view(request, _campaign(request, pk, "cases.manage"))


@role_required(Role.STAFF)
def round_edit(request, pk):
    round_ = _round(request, pk, "cases.manage")
    return _round_form_view(request, round_.campaign, round_)


@role_required(Role.STAFF, Role.SUPERVISOR)
def round_detail(request, pk):
    round_ = _round(request, pk)
    manage = scope.can(request.user, "cases.manage", round_)
    entries = list(selectors.entries_of(round_))
    live = selectors.public_counts(round_.pk) if round_.public_vote and round_.status == "open" else {}
    ties = []
    for group, places in round_.tie_slots.items():
        tied = [e for e in entries if e.outcome == Outcome.TIED and e.tie_group == group]
        ties.append({"group": group, "places": places, "form": forms.TieForm(initial={"group": group}, tied=tied),
                     "label": group})  # fmt: skip
    ballots, scores = selectors.audit_trail(round_)
    context = {
        "round": round_,
        "campaign": round_.campaign,
        "manage": manage,
        "entries": entries,
        "live": live,
        "ties": ties,
        "voters": round_.voters.select_related("user", "committee"),
        "criteria": round_.criteria.all(),
        "decisions": _named(selectors.decisions_of(round_), {e.submission_id: e.submission.title for e in entries}),
        "strike_form": forms.StrikeForm(entries=[e for e in entries if e.outcome != Outcome.STRUCK])
        if round_.kind == RoundKind.APPROVAL and round_.status == "open"
        else None,
        "note_form": forms.NoteForm(),
        "actions": workflow.ROUND.available(round_),
        "ballots": ballots[:500],
        "scores": scores[:500],
        "history": audit.entries_for(round_)[:30],
        "now": timezone.now(),
    }
    return render(request, "cases/round.html", context)


def _named(decisions, titles: dict) -> list:
    """Decisions with the titles of the cases they name, for the page."""
    decisions = list(decisions)
    for decision in decisions:
        decision.titles = [titles.get(pk, f"#{pk}") for pk in decision.submission_ids]
    return decisions


@require_POST
@role_required(Role.STAFF)
def round_act(request, pk, action):
    round_ = _round(request, pk, "cases.manage")
    try:
        if action == "open":
            services.open_round(actor=request.user, round_id=round_.pk)
            messages.success(request, _("The round is open; its voters have been told."))
        elif action == "close":
            round_ = services.close_round(actor=request.user, round_id=round_.pk)
            if round_.tie_slots:
                messages.warning(request, _("The round is closed with a tie at the cut-off: decide it below."))
            else:
                messages.success(request, _("The round is closed and counted; check the result and decide it."))
        elif action == "decide":
            form = forms.NoteForm(request.POST)
            form.is_valid()
            services.decide_round(actor=request.user, round_id=round_.pk, note=form.cleaned_data.get("note", ""))
            messages.success(request, _("The round's result is fixed."))
        else:
            raise Http404
    except DomainError as exc:
        report(request, exc)
    return redirect("cases:round", round_.pk)


@require_POST
@role_required(Role.STAFF)
def break_tie(request, pk):
    round_ = _round(request, pk, "cases.manage")
    group = request.POST.get("group", "")
    tied = list(round_.entries.filter(outcome=Outcome.TIED, tie_group=group).select_related("submission"))
    form = forms.TieForm(request.POST, tied=tied)
    if form.is_valid():
        try:
            services.break_tie(actor=request.user, round_id=round_.pk, group=group,
                               chosen_ids=form.cleaned_data["chosen"], reason=form.cleaned_data["reason"])  # fmt: skip
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("The decision on the tie is recorded."))
    else:
        messages.error(request, _("Choose the cases that go on and give the reason."))
    return redirect("cases:round", round_.pk)


@require_POST
@role_required(Role.STAFF)
def strike(request, pk):
    round_ = _round(request, pk, "cases.manage")
    form = forms.StrikeForm(request.POST, entries=list(round_.entries.select_related("submission")))
    if form.is_valid():
        try:
            services.strike(actor=request.user, round_id=round_.pk, submission_id=form.cleaned_data["submission"],
                            reason=form.cleaned_data["reason"])  # fmt: skip
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("The case is struck from the list."))
    else:
        messages.error(request, _("Choose the case and give the reason."))
    return redirect("cases:round", round_.pk)


# Results


def _results_context(request, pk):
    campaign = _campaign(request, pk)
    if not scope.can(request.user, "cases.view_results", campaign):
        raise PermissionDenied
    return {"campaign": campaign, **selectors.final_list(campaign)}


@role_required(Role.STAFF, Role.SUPERVISOR)
def results(request, pk):
    return render(request, "cases/results.html", _results_context(request, pk))


@role_required(Role.STAFF, Role.SUPERVISOR)
def results_print(request, pk):
    return render(request, "cases/results_print.html", _results_context(request, pk))


@role_required(Role.STAFF, Role.SUPERVISOR)
def results_xlsx(request, pk):
    context = _results_context(request, pk)
    response = HttpResponse(exporter.results_workbook(context), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="cases-{context["campaign"].pk}-results.xlsx"'
    return response


# Submissions


def _submission(request, pk) -> Submission:
    return get_object_or_404(
        scope.visible(request.user, Submission).select_related("campaign__congress", "unit", "station", "suggestion"),
        pk=pk,
    )


@login_required
def submission(request, pk):
    item = _submission(request, pk)
    context = {
        "submission": item,
        "manage": scope.can(request.user, "cases.manage", item),
        "own": scope.can(request.user, "cases.submit", item),
        "actions": workflow.SUBMISSION.available(item),
        "reason_form": forms.ReasonForm(),
        "mandates": item.mandates.select_related("person", "congress"),
        "files": item.files.all(),
        "entries": item.entries.select_related("round").order_by("round__position"),
        "history": audit.entries_for(item)[:30],
    }
    return render(request, "cases/submission.html", context)


@require_POST
@role_required(Role.STAFF)
def review(request, pk, action):
    item = _submission(request, pk)
    form = forms.ReasonForm(request.POST)
    if action not in ("return", "reject"):
        raise Http404
    if form.is_valid():
        func = services.return_submission if action == "return" else services.reject_submission
        try:
            func(actor=request.user, submission_id=item.pk, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("The unit has been told."))
    else:
        messages.error(request, _("Say why."))
    return redirect("cases:submission", item.pk)


@login_required
def file(request, pk):
    """Attachments live outside the web root; only those who may see the case get them."""
    item = get_object_or_404(SubmissionFile.objects.select_related("submission"), pk=pk)
    if not scope.can_see(request.user, item.submission):
        raise Http404
    return _file_response(item)


def _file_response(item):
    return uploads.serve(item.file, content_type=item.content_type, filename=f"case-file-{item.pk}")


# Unit portal


@role_required(Role.UNIT_OFFICER)
def unit(request):
    context = {
        "invitations": selectors.unit_campaigns(request.user),
        "page": _page(request, selectors.unit_submissions(request.user)),
    }
    return render(request, "cases/unit.html", context)


def _submission_form(request, campaign, item=None):
    units = scope.unit_ids(request.user)
    regions = list(Organisation.objects.filter(pk__in=units).values_list("region__code", flat=True))
    prefix = min(regions, key=len) if regions else campaign.region_code
    mandates = list(
        Mandate.objects.exclude(status=MandateStatus.ENDED)
        .filter(congress__region__code__startswith=prefix)
        .select_related("person", "congress")
        .order_by("congress__region__code", "person__name")[:2000]
    )
    suggestions = scope.visible(request.user, Suggestion).filter(region_code__startswith=campaign.region_code[:2])
    stations = Station.objects.filter(region_code__startswith=prefix, is_active=True).order_by("region_code", "name")
    return forms.SubmissionForm(
        request.POST or None, request.FILES or None, kind=campaign.kind, mandates=mandates,
        suggestions=suggestions.order_by("-id"), stations=stations, submission=item,
    )  # fmt: skip


@role_required(Role.UNIT_OFFICER)
def submission_new(request, pk):
    campaign = _campaign(request, pk)
    form = _submission_form(request, campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_submission(
                actor=request.user, campaign_id=campaign.pk, fields=form.submission_fields(),
                mandate_ids=data["mandates"], files=data["files"],
            )  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Draft saved; submit it when it is complete."))
            return redirect(item)
    return render(request, "cases/submission_form.html", {"form": form, "campaign": campaign})


@role_required(Role.UNIT_OFFICER)
def submission_edit(request, pk):
    item = _submission(request, pk)
    if not scope.can(request.user, "cases.submit", item):
        raise PermissionDenied
    form = _submission_form(request, item.campaign, item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_submission(
                actor=request.user, submission_id=item.pk, fields=form.submission_fields(),
                mandate_ids=data["mandates"], files=data["files"],
            )  # fmt: skip
            if request.POST.get("then") == "submit":
                services.submit(actor=request.user, submission_id=item.pk)
                messages.success(request, _("The case is submitted."))
            else:
                messages.success(request, _("Draft saved; submit it when it is complete."))
        except DomainError as exc:
            report(request, exc, form)
        else:
            return redirect(item)
    return render(request, "cases/submission_form.html", {"form": form, "campaign": item.campaign, "submission": item})


@require_POST
@role_required(Role.UNIT_OFFICER)
def submission_submit(request, pk):
    item = _submission(request, pk)
    try:
        services.submit(actor=request.user, submission_id=item.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("The case is submitted."))
    return redirect(item)


@require_POST
@role_required(Role.UNIT_OFFICER)
def file_remove(request, pk):
    item = get_object_or_404(SubmissionFile.objects.select_related("submission"), pk=pk)
    try:
        services.remove_file(actor=request.user, file_id=item.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("Attachment removed."))
    return redirect("cases:submission_edit", item.submission_id)


# Voters and judges


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
    scored = {}
    for score in voter.scores.all():
        scored.setdefault(score.submission_id, 0)
        scored[score.submission_id] += score.points
    sheets = [(entry, scored.get(entry.submission_id),
               forms.ScoreForm(initial={"submission": entry.submission_id}, criteria=criteria, prefix=f"s{entry.pk}"))
              for entry in entries]  # fmt: skip
    return render(request, "cases/score.html", {**context, "sheets": sheets, "criteria": criteria})


# The public online vote (no login)


def _public_campaign(slug) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("congress"), slug=slug, status__in=["selecting", "finished"]
    )


def verified_phone(request) -> str | None:
    """The phone hash verified in this browser session, while it is fresh."""
    held = request.session.get(SESSION_KEY)
    if not held or held.get("until", 0) < time.time():
        return None
    return held.get("hash")


def public(request, slug):
    campaign = _public_campaign(slug)
    round_ = selectors.public_round(campaign)
    if round_ is None:
        raise Http404
    entries = list(selectors.candidates(round_))
    is_open = round_.status == "open" and workflow.in_window(round_, timezone.now())
    totals = selectors.live_totals(round_.pk) if round_.show_live_totals or round_.status != "open" else None
    context = {
        "campaign": campaign,
        "round": round_,
        "entries": entries,
        "is_open": is_open,
        "totals": totals,
        "verified": verified_phone(request) is not None,
        "phone_form": forms.PhoneForm(),
        "code_form": None,
    }
    pending = request.session.get("cases_pending_phone")
    if pending and not context["verified"]:
        context["code_form"] = forms.CodeForm(initial={"phone": pending})
        context["shown_code"] = request.session.get("cases_shown_code") if services.shows_codes() else None
    return render(request, "cases/public.html", context)


@require_POST
def public_code(request, slug):
    campaign = _public_campaign(slug)
    form = forms.PhoneForm(request.POST)
    if abuse.rate_limited(request, "cases_code", phone=request.POST.get("phone", "")):
        messages.error(request, _("Too many codes asked from this address or phone; please try again later."))
        return redirect("cases:public", slug)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cases:public", slug)
    try:
        _check, code = services.send_code(campaign=campaign, phone=form.cleaned_data["phone"])
    except DomainError as exc:
        report(request, exc)
        return redirect("cases:public", slug)
    request.session["cases_pending_phone"] = services.normalise_phone(form.cleaned_data["phone"])
    if services.shows_codes():
        request.session["cases_shown_code"] = code
    messages.success(request, _("A code has been sent to your phone."))
    return redirect("cases:public", slug)


@require_POST
def public_verify(request, slug):
    campaign = _public_campaign(slug)
    form = forms.CodeForm(request.POST)
    if abuse.rate_limited(request, "cases_verify"):
        messages.error(request, _("Too many attempts from this address; please try again later."))
        return redirect("cases:public", slug)
    if form.is_valid():
        try:
            hashed = services.verify_code(campaign=campaign, phone=form.cleaned_data["phone"],
                                          code=form.cleaned_data["code"])  # fmt: skip
        except DomainError as exc:
            report(request, exc)
        else:
            minutes = services.verified_minutes(campaign)
            request.session[SESSION_KEY] = {"hash": hashed, "until": time.time() + minutes * 60}
            request.session.pop("cases_pending_phone", None)
            request.session.pop("cases_shown_code", None)
            messages.success(request, _("Your phone is verified; choose a candidate."))
    else:
        messages.error(request, _("Enter the 6-digit code from the text message."))
    return redirect("cases:public", slug)


@require_POST
def public_cast(request, slug):
    """One public vote. Answers a redirect to the page (302) when counted, 409 when the phone's limit is used,
    429 when the address is over its hourly limit, 403 when the phone is not verified."""
    hashed = verified_phone(request)
    if hashed is None:
        messages.error(request, _("Verify your phone first."))
        return _refused(slug, 403)
    try:
        submission_id = int(request.POST.get("submission", ""))
    except ValueError:
        return HttpResponse(_("Choose a candidate."), status=400)
    context = services.vote_context(slug)
    if not context:
        raise Http404
    rate = f"{context['per_address_hour']}/h"
    if is_ratelimited(request, group="cases_vote:ip", key="ip", rate=rate, increment=True):
        messages.error(request, _("Too many votes from this address; please try again later."))
        return _refused(slug, 429)
    try:
        services.public_vote(slug=slug, submission_id=submission_id, phone_hash=hashed)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _refused(slug, exc.status_code)
    messages.success(request, _("Your vote is counted. Thank you."))
    return redirect("cases:public", slug)


def _refused(slug, status):
    """Browsers do not follow a redirect with an error status: the refusal sends them back to the page, where
    the message says why."""
    response = HttpResponse(status=status)
    response["Refresh"] = f"0; url={reverse('cases:public', args=[slug])}"
    return response


def public_photo(request, slug, pk):
    """Photos of the candidates of a public vote."""
    item = get_object_or_404(
        SubmissionFile.objects.select_related("submission"), pk=pk, content_type__startswith="image/"
    )
    public_round = selectors.public_round(_public_campaign(slug))
    if public_round is None or not Entry.objects.filter(round=public_round, submission_id=item.submission_id).exists():
        raise Http404
    return _file_response(item)
