"""Staff pages of the case selection: campaigns and their invited units, rounds (set up, run, tie decisions,
strikes), the results and their exports, and the review of submitted cases. Supervisors read most of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import audit, documents, scope
from congress.errors import DomainError
from congress.models import Congress, Organisation, Role
from congress.web import report, role_required

from .. import exporter, forms, selectors, services, workflow
from ..models import CampaignUnit, Outcome, RoundKind, SubmissionStatus
from ..services import certificates as certificate_service
from .common import paginate, visible_campaign, visible_round, visible_submission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Staff: campaigns


@role_required(Role.STAFF, Role.SUPERVISOR)
def campaigns(request):
    return render(request, "cases/campaigns.html", {"page": paginate(request, selectors.campaigns_for(request.user))})


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
    campaign = visible_campaign(request, pk, "cases.manage")
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
    campaign = visible_campaign(request, pk)
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
        "page": paginate(request, submissions),
        "status": status,
        "statuses": SubmissionStatus.choices,
        "actions": workflow.CAMPAIGN.available(campaign, ("announce", "close_submissions", "finish")),
        "history": audit.entries_for(campaign)[:20],
        "editable": workflow.CAMPAIGN["edit"].sources,
        "sms_unavailable": not services.sms_available() and campaign.rounds.filter(public_vote=True).exists(),
    }
    return render(request, "cases/campaign.html", context)


@require_POST
@role_required(Role.STAFF)
def campaign_act(request, pk, action):
    campaign = visible_campaign(request, pk, "cases.manage")
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


def _round_form_view(request, campaign, round_=None):
    form = forms.RoundForm(request.POST or None, round_=round_, committees=selectors.committees_of(campaign.congress))
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
    return _round_form_view(request, visible_campaign(request, pk, "cases.manage"))


@role_required(Role.STAFF)
def round_edit(request, pk):
    round_ = visible_round(request, pk, "cases.manage")
    return _round_form_view(request, round_.campaign, round_)


@role_required(Role.STAFF, Role.SUPERVISOR)
def round_detail(request, pk):
    return _round_page(request, visible_round(request, pk))


def _round_page(request, round_, refused=None):
    """The round's page; refused: a tie or strike form staff sent incomplete, shown again with what they typed and
    its errors beside the fields."""
    manage = scope.can(request.user, "cases.manage", round_)
    entries = list(selectors.entries_of(round_))
    live = selectors.public_counts(round_.pk) if round_.public_vote and round_.status == "open" else {}
    ties = []
    for group, places in round_.tie_slots.items():
        tied = [e for e in entries if e.outcome == Outcome.TIED and e.tie_group == group]
        form = (refused if isinstance(refused, forms.TieForm) and refused.data.get("group", "") == group
                else forms.TieForm(initial={"group": group}, tied=tied))  # fmt: skip
        ties.append({"group": group, "places": places, "form": form, "label": group})
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
        "strike_form": (
            refused
            if isinstance(refused, forms.StrikeForm)
            else forms.StrikeForm(entries=[e for e in entries if e.outcome != Outcome.STRUCK])
        )
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
    round_ = visible_round(request, pk, "cases.manage")
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
    round_ = visible_round(request, pk, "cases.manage")
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
        return _round_page(request, round_, refused=form)
    return redirect("cases:round", round_.pk)


@require_POST
@role_required(Role.STAFF)
def strike(request, pk):
    round_ = visible_round(request, pk, "cases.manage")
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
        return _round_page(request, round_, refused=form)
    return redirect("cases:round", round_.pk)


# Results


def _results_context(request, pk):
    campaign = visible_campaign(request, pk)
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


@role_required(Role.STAFF, Role.SUPERVISOR)
def certificates(request, pk):
    """Certificates (荣誉证书) for the winning cases of a finished campaign, as a zip of .docx or one PDF."""
    campaign = visible_campaign(request, pk, "cases.view_results")
    finished = timezone.localdate(campaign.finished_at) if campaign.finished_at else timezone.localdate()
    initial = {"award": certificate_service.default_award(campaign), "issued_on": finished}
    form = forms.CertificatesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            name, content, content_type = certificate_service.certificates_file(
                actor=request.user, campaign_id=campaign.pk, award=data["award"], issued_on=data["issued_on"],
                fmt=data["format"],
            )  # fmt: skip
        except (ValueError, documents.ConversionUnavailable) as refused:
            messages.error(request, str(refused))
        else:
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
    context = {"campaign": campaign, "form": form, "winners": certificate_service.winners(campaign)}
    return render(request, "cases/certificates.html", context)


# Staff: reviewing cases


@require_POST
@role_required(Role.STAFF)
def review(request, pk, action):
    item = visible_submission(request, pk)
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
