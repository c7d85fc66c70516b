"""Staff pages: the activity list, one activity's page (its desk for the organiser's and co-organisers' staff),
invitations by roster filter, the roll of a sitting (a correction once the activity is closed) and its QR code."""

import io
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congress import params, scope, uploads
from congress.errors import DomainError
from congress.models import Role, Term
from congress.web import report, role_required
from deputies.filters import DirectoryFilter
from deputies.selectors import roster
from suggestions.models import Suggestion

from .. import experts, forms, selectors, services, workflow
from ..models import (
    REPORT_TO_VOTERS,
    Activity,
    ActivityKind,
    ActivityStatus,
    Finding,
    InvitationStatus,
    Material,
    Sitting,
    VoterReport,
)

PAGE_SIZE = 50


def _page(request, items, size=PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def _activity_for(request, pk) -> Activity:
    activity = selectors.activity_for(request.user, pk)
    if activity is None:
        raise Http404
    return activity


def _desk(request, pk) -> Activity:
    """The activity, for staff of its organising or a co-organising congress."""
    activity = _activity_for(request, pk)
    if not scope.can(request.user, "activities.invite", activity):
        raise PermissionDenied
    return activity


def listed(request):
    """The staff list's activities under its filters (status, kind), the filters and their query string: the page
    and its export read the same."""
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    kinds = list(ActivityKind.objects.values_list("code", "name"))
    items = selectors.activities_for_staff(request.user)
    if status in ActivityStatus.values:
        items = items.filter(status=status)
    else:
        status = ""
    if kind in dict(kinds):
        items = items.filter(kind_id=kind)
    else:
        kind = ""
    query = urlencode({name: value for name, value in (("status", status), ("kind", kind)) if value})
    return items, {"status": status, "statuses": ActivityStatus.choices, "kind": kind, "kinds": kinds,
                   "query": query}  # fmt: skip


@role_required(Role.STAFF, Role.SUPERVISOR)
def manage(request):
    items, context = listed(request)
    return render(request, "activities/manage.html", {"page": _page(request, items), **context})


@login_required
def activity(request, pk):
    """The activity for everyone who may see it; for its staff, the desk: its course, invitations and rolls."""
    return _activity_page(request, _activity_for(request, pk))


def _activity_page(request, activity, voter_form=None):
    """The activity's page; `voter_form` is a refused report-to-voters form to show again with its errors."""
    context = {
        "activity": activity,
        "sittings": list(activity.sittings.order_by("starts_at")),
        "is_organiser": scope.can(request.user, "activities.manage", activity),
        "is_staff": scope.can(request.user, "activities.invite", activity),
    }
    if context["is_staff"]:
        invitations = list(selectors.invitations_seen(request.user, activity))
        context.update({
            "invitations": invitations,
            "counts": {s: sum(1 for i in invitations if i.status == s) for s in InvitationStatus.values},
            "actions": workflow.actions(activity, workflow.ACTIVITY, workflow.STAFF_ACTIONS)
            if context["is_organiser"] else [],
            "report_form": forms.ReportForm() if activity.status == ActivityStatus.UNDER_WAY else None,
            "may_invite": activity.status in (ActivityStatus.PLANNED, ActivityStatus.INVITING,
                                              ActivityStatus.UNDER_WAY),
            "experts": [
                (p, forms.ExpertAnswerForm(prefix=f"e{p.pk}", initial={"answer": p.answer, "reason": p.decline_reason}))
                for p in experts.experts_of_activity(request.user, activity)
            ],
        })  # fmt: skip
    findings = list(activity.findings.select_related("outcome__suggestion", "outcome__unit"))
    today = timezone.localdate()
    for finding in findings:
        finding.taken_up = getattr(finding, "outcome", None)
        finding.overdue = finding.taken_up is not None and finding.taken_up.overdue(today)
    # A draft is its deputies' own until submitted: the link shows to those who may open the suggestion.
    drafted = [f.taken_up.suggestion_id for f in findings if f.taken_up is not None and f.taken_up.suggestion_id]
    readable = set(scope.visible(request.user, Suggestion).filter(pk__in=drafted).values_list("pk", flat=True))
    for finding in findings:
        finding.linked = finding.taken_up is not None and finding.taken_up.suggestion_id in readable
    context["findings"] = findings
    if context["is_organiser"] and findings:
        leads, units = list(services.lead_choices(activity)), list(services.referral_units(activity))
        for finding in findings:
            if finding.taken_up is None:
                finding.draft_form = forms.DraftForm(leads=leads, prefix=f"f{finding.pk}") if leads else None
                finding.referral_form = forms.ReferralForm(units=units, prefix=f"r{finding.pk}") if units else None
            elif finding.taken_up.kind == "referral" and not finding.taken_up.answered:
                finding.answer_form = forms.AnswerForm(prefix=f"a{finding.pk}")
    if activity.kind_id == REPORT_TO_VOTERS:
        context["voter_reports"] = list(
            scope.visible(request.user, VoterReport).filter(activity=activity).select_related("mandate__person")
        )
        if context["is_staff"] and activity.status in services.REPORT_STATES:
            deputies = list(selectors.report_deputies(request.user, activity))
            context["voter_form"] = voter_form or (forms.VoterReportForm(deputies=deputies) if deputies else None)
    return render(request, "activities/activity.html", context)


@login_required
def material(request, pk):
    """An activity's material file, for those who may see the activity (nothing serves MEDIA_ROOT directly)."""
    item = get_object_or_404(Material.objects.exclude(file=""), pk=pk)
    _activity_for(request, item.activity_id)
    return uploads.serve(item.file, filename=f"material-{item.pk}")


ACTION_MESSAGES = {
    "send_invitations": gettext_lazy("Invitations sent: the invited deputies can answer now."),
    "start": gettext_lazy("The activity is under way."),
    "submit_report": gettext_lazy("Report submitted."),
    "close": gettext_lazy("The activity is closed; its attendance is frozen."),
}


@require_POST
@role_required(Role.STAFF)
def activity_action(request, pk, action):
    """Move the activity on: send the invitations, start, submit the report, close."""
    activity = _desk(request, pk)
    if action not in (*workflow.STAFF_ACTIONS, "submit_report"):
        raise Http404
    try:
        if action == "submit_report":
            form = forms.ReportForm(request.POST)
            form.is_valid()
            findings = form.finding_texts() if "findings" in form.cleaned_data else ()
            services.submit_report(
                actor=request.user, activity_id=activity.pk, report=request.POST.get("report", ""), findings=findings
            )
        else:
            getattr(services, action)(actor=request.user, activity_id=activity.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, str(ACTION_MESSAGES[action]))
    return redirect("activities:activity", activity.pk)


@role_required(Role.STAFF)
def invite(request, pk):
    """Invite deputies found with the roster directory's filters (level, region, group, expertise, industry,
    occupation, grassroots): each congress's staff find and invite their own deputies only."""
    activity = _desk(request, pk)
    filterset = DirectoryFilter(request.GET or None, queryset=roster(request.user), request=request)
    found = selectors.invitable_found(request.user, activity, filterset)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("mandates") if v.isdigit()]
        if request.POST.get("mode") == "all" and found is not None:
            ids = list(found.values_list("pk", flat=True)[: selectors.INVITE_AT_ONCE])
        try:
            result = services.invite(actor=request.user, activity_id=activity.pk, mandate_ids=ids)
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("%(n)s deputies invited.") % {"n": len(result.invited)})
            for name, reason in result.skipped[:20]:
                messages.warning(request, _("%(name)s left out: %(reason)s") % {"name": name, "reason": reason})
            return redirect("activities:activity", activity.pk)
    page = _page(request, found.order_by("person__name", "id")) if found is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    context = {"activity": activity, "filter": filterset, "page": page, "query": query.urlencode()}
    return render(request, "activities/invite.html", context)


@role_required(Role.STAFF)
def attendance(request, pk):
    """The roll of one sitting for the user's own deputies; once the activity is closed, a correction instead."""
    sitting = get_object_or_404(Sitting, pk=pk)
    activity = _desk(request, sitting.activity_id)
    roll = selectors.sitting_roll(request.user, sitting)
    closed = activity.status == ActivityStatus.CLOSED
    form_class = forms.CorrectionForm if closed else forms.AttendanceForm
    form = form_class(request.POST or None, roll=roll)
    if request.method == "POST" and form.is_valid():
        try:
            if closed:
                data = form.cleaned_data
                services.correct_attendance(actor=request.user, sitting_id=sitting.pk, invitation_id=data["invitation"],
                                            status=data["status"], reason=data["reason"])  # fmt: skip
                messages.success(request, _("Correction recorded."))
            else:
                changed = services.record_attendance(actor=request.user, sitting_id=sitting.pk, marks=form.marks())
                messages.success(request, _("Roll saved: %(n)s marks changed.") % {"n": changed})
        except DomainError as exc:
            report(request, exc, form)
        else:
            return redirect("activities:attendance", sitting.pk)
    link = request.build_absolute_uri(reverse("activities:check_in_link", args=[sitting.checkin_code]))
    context = {"sitting": sitting, "activity": activity, "form": form, "closed": closed, "roll": roll, "link": link}
    return render(request, "activities/attendance.html", context)


@role_required(Role.STAFF)
def sitting_qr(request, pk):
    """The QR code of a sitting's check-in link, as SVG to show in the room."""
    sitting = get_object_or_404(Sitting, pk=pk)
    _desk(request, sitting.activity_id)
    target = request.build_absolute_uri(reverse("activities:check_in_link", args=[sitting.checkin_code]))
    buffer = io.BytesIO()
    segno.make(target, error="m").save(buffer, kind="svg", scale=6, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def _finding(request, pk) -> Finding:
    finding = get_object_or_404(Finding, pk=pk)
    _desk(request, finding.activity_id)
    return finding


@require_POST
@role_required(Role.STAFF)
def finding_draft(request, pk):
    """转为建议草稿: the finding becomes a suggestion draft of the lead deputy chosen, the participants co-signing."""
    finding = _finding(request, pk)
    try:
        outcome = services.finding_to_draft(
            actor=request.user, finding_id=finding.pk, lead_id=request.POST.get(f"f{finding.pk}-lead", "")
        )
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("Finding %(n)s is now a suggestion draft; the participants are invited to "
                                    "co-sign.") % {"n": outcome.finding.number})  # fmt: skip
    return redirect(finding.get_absolute_url())


@require_POST
@role_required(Role.STAFF)
def finding_refer(request, pk):
    """转交单位: the finding goes to a handling unit, to answer within working days."""
    finding = _finding(request, pk)
    try:
        outcome = services.finding_to_unit(
            actor=request.user, finding_id=finding.pk, unit_id=request.POST.get(f"r{finding.pk}-unit", ""),
            workdays=request.POST.get(f"r{finding.pk}-workdays", ""),
        )  # fmt: skip
    except DomainError as exc:
        report(request, exc)
    else:
        values = {"n": outcome.finding.number, "unit": outcome.unit, "due": outcome.due_on.isoformat()}
        messages.success(request, _("Finding %(n)s is referred to %(unit)s, to answer by %(due)s.") % values)
    return redirect(finding.get_absolute_url())


@require_POST
@role_required(Role.STAFF)
def finding_answer(request, pk):
    """Record the unit's answer to a referred finding."""
    finding = _finding(request, pk)
    try:
        services.record_referral_answer(
            actor=request.user, finding_id=finding.pk, answer=request.POST.get(f"a{finding.pk}-answer", "")
        )
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("The unit's answer is recorded."))
    return redirect(finding.get_absolute_url())


@require_POST
@role_required(Role.STAFF)
def voter_report(request, pk):
    """Record a deputy's report to voters and the voters' appraisal (述职, 满意度测评)."""
    activity = _desk(request, pk)
    form = forms.VoterReportForm(request.POST, deputies=selectors.report_deputies(request.user, activity))
    if form.is_valid():
        data = form.cleaned_data
        try:
            report_ = services.record_voter_report(
                actor=request.user, activity_id=activity.pk, mandate_id=data["mandate"], text=data["text"],
                voters=data["voters"], satisfied=data["satisfied"], basically_satisfied=data["basically_satisfied"],
                dissatisfied=data["dissatisfied"],
            )  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("The report to voters of %(name)s is recorded.") % {
                "name": report_.mandate.person.name})  # fmt: skip
            return redirect(reverse("activities:activity", args=[activity.pk]) + "#voter-reports")
    return _activity_page(request, _activity_for(request, pk), voter_form=form)


@role_required(Role.STAFF, Role.SUPERVISOR)
def report_coverage(request):
    """Reports to voters per term: who has given the policy's number, who has not yet (述职覆盖)."""
    terms = coverage_terms(request.user)
    term = coverage_term(request, terms)
    coverage = services.report_coverage(term.congress, term)
    context = {"terms": terms, "term": term, "coverage": coverage, "page": _page(request, coverage.missing),
               "query": f"term={term.pk}"}  # fmt: skip
    return render(request, "activities/report_coverage.html", context)


def coverage_terms(user) -> list[Term]:
    """The terms whose coverage the user reads: those of their own congresses (staff or supervisor)."""
    return list(
        Term.objects.filter(congress_id__in=scope.congress_ids(user, (Role.STAFF, Role.SUPERVISOR)))
        .select_related("congress")
        .order_by("congress__name", "-number")
    )


def coverage_term(request, terms, *, strict: bool = False) -> Term:
    """The term asked for (?term=) among the user's, else the one running today, else the first; with `strict`, a
    term asked for that is not the user's is refused rather than replaced."""
    if not terms:
        raise Http404
    wanted = params.identifier(request.GET, "term")
    term = next((t for t in terms if t.pk == wanted), None)
    if term is None and strict and wanted is not None:
        raise Http404
    return term or next((t for t in terms if t.start_date <= timezone.localdate() <= t.end_date), terms[0])
