"""The .xlsx exports of the staff pages: the activity list under the page's filters (in the background, with its
progress in the console, when it is long), one activity's roster and its findings (for the staff of its organising
and co-organising congresses, each seeing only their own deputies), and a term's report-to-voters coverage. Every
export is recorded in the audit trail; unmasked phones also as personal data seen."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from congress import audit, exports, personal_data, replica, scope
from congress.models import Role
from congress.uploads import XLSX
from congress.web import role_required
from deputies.models import Person

from .. import exporter, selectors, services
from .desk import _desk, coverage_term, coverage_terms, listed


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.STAFF, Role.SUPERVISOR)
@replica.heavy_reads
def manage_export(request):
    """The activity list as the page filters it."""
    items, context = listed(request)
    # A long list is written in the background; its progress page is in the console, which supervisors lack.
    if request.user.is_staff and items.count() > exports.INLINE_ROWS:
        job = exports.start_for(actor=request.user, queryset=items)
        return redirect("admin:congress_consolejob_change", job.pk)
    audit.record(request.user, request.user, "export_activities", filters=context["query"])
    return _xlsx(exporter.list_workbook(items.order_by("-starts_on", "-id")),
                 f"activities-{timezone.localdate():%Y%m%d}.xlsx")  # fmt: skip


@role_required(Role.STAFF)
@replica.heavy_reads
def roster_export(request, pk):
    """Who was invited, their answer and their attendance at each sitting; the non-deputy participants."""
    activity = _desk(request, pk)
    invitations = selectors.invitations_seen(request.user, activity)
    unmasked = scope.can(request.user, "deputies.view_personal_data", None)
    if unmasked:
        people = invitations.values_list("mandate__person_id", flat=True)
        personal_data.seen_many(request.user, Person, people, "export", subject=activity)
    audit.record(request.user, activity, "export_activity_roster", unmasked=unmasked)
    sittings = list(activity.sittings.order_by("starts_at", "number"))
    content = exporter.roster_workbook(activity, invitations, sittings, unmasked=unmasked)
    return _xlsx(content, f"activity-{activity.pk}-roster.xlsx")


@role_required(Role.STAFF)
@replica.heavy_reads
def findings_export(request, pk):
    """The activity's findings and what became of each: a suggestion (its number and state) or a referral."""
    activity = _desk(request, pk)
    findings = activity.findings.select_related("outcome__suggestion", "outcome__unit").order_by("number")
    audit.record(request.user, activity, "export_activity_findings")
    return _xlsx(exporter.findings_workbook(activity, findings, timezone.localdate()),
                 f"activity-{activity.pk}-findings.xlsx")  # fmt: skip


@role_required(Role.STAFF, Role.SUPERVISOR)
@replica.heavy_reads
def report_coverage_export(request):
    """The term's sitting deputies and their reports to voters; a term of another congress is refused."""
    term = coverage_term(request, coverage_terms(request.user), strict=True)
    coverage = services.report_coverage(term.congress, term)
    audit.record(request.user, request.user, "export_report_coverage", term=term.pk)
    return _xlsx(exporter.coverage_workbook(coverage), f"reports-to-voters-{term.pk}.xlsx")
