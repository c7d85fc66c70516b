"""The .xlsx exports of the programme's desk, for the staff of its congress: the proposals (in the background, with
its progress in the console, when there are many), the candidate list with the reasons, and the results with
counts once the vote is counted. Each export is recorded in the audit trail."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from congress import audit, exports, replica
from congress.models import Role
from congress.uploads import XLSX
from congress.web import role_required

from . import exporter, selectors
from .models import COUNTED_STATES, PUBLISHED_STATES, Candidate, CandidateOutcome, Decision, Turnout
from .views import _desk


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.STAFF)
@replica.heavy_reads
def proposals_export(request, pk):
    """Every proposal of the programme with its assessment and screening; never the citizen's phone."""
    programme = _desk(request, pk)
    proposals = programme.proposals.all()
    if proposals.count() > exports.INLINE_ROWS:
        job = exports.start_for(actor=request.user, queryset=proposals)
        return redirect("admin:congress_consolejob_change", job.pk)
    audit.record(request.user, programme, "export_livelihood_proposals")
    return _xlsx(exporter.proposals_workbook(proposals), f"livelihood-{programme.pk}-proposals.xlsx")


@role_required(Role.STAFF)
@replica.heavy_reads
def candidates_export(request, pk):
    programme = _desk(request, pk)
    candidates = selectors.candidates(programme)
    if not candidates:
        raise Http404
    audit.record(request.user, programme, "export_livelihood_candidates")
    content = exporter.candidates_workbook(programme, candidates, exporter.dropped(programme))
    return _xlsx(content, f"livelihood-{programme.pk}-candidates.xlsx")


@role_required(Role.STAFF)
@replica.heavy_reads
def results_export(request, pk):
    """The count, once the vote is closed: each candidate's votes and outcome, how many voted, the tie decisions."""
    programme = _desk(request, pk)
    if programme.status not in COUNTED_STATES:
        raise Http404
    audit.record(request.user, programme, "export_livelihood_results")
    voted = Turnout.objects.filter(programme=programme).count()
    decisions = list(Decision.objects.filter(programme=programme).order_by("decided_at"))
    content = exporter.results_workbook(programme, selectors.candidates(programme), voted, decisions)
    return _xlsx(content, f"livelihood-{programme.pk}-results.xlsx")


@role_required(Role.STAFF)
@replica.heavy_reads
def carrying_export(request, pk):
    """Once the results are published: how each chosen project is carried out and how the deputies appraised it."""
    programme = _desk(request, pk)
    if programme.status not in PUBLISHED_STATES:
        raise Http404
    audit.record(request.user, programme, "export_livelihood_carrying")
    projects = (
        Candidate.objects.filter(programme=programme, outcome=CandidateOutcome.CHOSEN)
        .select_related("department", "supervision__committee", "supervision__group", "appraisal")
        .prefetch_related("milestones", "progress_reports__photos", "site_visits").order_by("number")
    )  # fmt: skip
    content = exporter.carrying_workbook(programme, list(projects), timezone.localdate())
    return _xlsx(content, f"livelihood-{programme.pk}-carrying-out.xlsx")
