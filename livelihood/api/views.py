"""Livelihood-project vote API: thin viewsets over congress.scope, livelihood.selectors and livelihood.services.

Staff and clients read the programmes of their region tree with their proposals, candidates and tie decisions;
the assessing office's officers read the programmes they assess. Each write is a POST on
/livelihood/programmes/{id}/<action>/ (or /livelihood/proposals/{id}/assess/) that parses its input, calls the one
service the pages call and answers with the record: the services decide who may and when, with the same errors.

Once the results are published, the chosen projects are carried out: their milestones, the department's quarterly
progress reports, the supervision groups and their site visits are read here, and staff and departments set and
complete milestones and file reports; at the year's end staff open and close the appraisal and the departments
report their corrections.

What a ballot marked is never served: a candidate's votes appear once the vote is closed and counted, and turnout
only as the number of deputies who have voted. Likewise no rating appears, only each project's counts once the
appraisal is closed; rating is a deputy's own act on the pages, not an integration client's."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from congress import scope
from congress.api import sittings
from congress.errors import RuleViolation
from congress.models import Organisation

from .. import appraisal, carrying, selectors, services
from ..models import (
    Appraisal,
    Candidate,
    Decision,
    Milestone,
    Programme,
    ProgressReport,
    Proposal,
    SiteVisit,
    SupervisionGroup,
)
from . import filters, serializers


class LivelihoodViewSet(sittings.AppViewSet):
    api_scope = "livelihood"


class ListRead(sittings.ListRead, LivelihoodViewSet):
    pass


class ProgrammeViewSet(ListRead):
    """A congress's yearly livelihood-project programmes (民生实事项目票决): phases, the projects to choose, the
    number of proposals and, during and after the vote, how many deputies have voted. The congress's staff move
    it through its phases."""

    queryset = Programme.objects.all()
    serializer_class = serializers.LivelihoodProgrammeOut
    filterset_class = filters.LivelihoodProgrammeFilter
    search_fields = ["title"]
    ordering_fields = ["id", "year", "updated_at"]

    def get_queryset(self):
        return selectors.with_counts(scope.visible(self.request.user, Programme)).order_by("-id")

    def _move(self, pk, name, **kwargs) -> Response:
        return self._run(pk, getattr(services, name), "programme_id", **kwargs)

    @extend_schema(request=None, responses=serializers.LivelihoodProgrammeOut)
    @action(detail=True, methods=["post"], url_path="open-solicitation", url_name="open-solicitation")
    def open_solicitation(self, request, pk=None):
        """Open the programme to proposals (between its dates)."""
        return self._move(pk, "open_solicitation")

    @extend_schema(request=None, responses=serializers.LivelihoodProgrammeOut)
    @action(detail=True, methods=["post"], url_path="close-solicitation", url_name="close-solicitation")
    def close_solicitation(self, request, pk=None):
        """Close it to proposals: the office's assessments and the screening follow."""
        return self._move(pk, "close_solicitation")

    @extend_schema(request=serializers.LivelihoodCandidatesIn, responses=serializers.LivelihoodProgrammeOut)
    @action(detail=True, methods=["post"], url_path="confirm-candidates", url_name="confirm-candidates")
    def confirm_candidates(self, request, pk=None):
        """Confirm the candidate list: every open proposal kept (in ballot order) or dropped, each with its reason,
        which is published."""
        values = self._input(serializers.LivelihoodCandidatesIn)
        kept = {row["proposal"]: row["reason"] for row in values["kept"]}
        dropped = {row["proposal"]: row["reason"] for row in values.get("dropped", [])}
        if len(kept) != len(values["kept"]):
            raise RuleViolation(fields={"kept": [_("Name each proposal once.")]})
        return self._move(pk, "confirm_candidates", kept=kept, dropped=dropped)

    @extend_schema(request=serializers.LivelihoodOpenVoteIn, responses=serializers.LivelihoodProgrammeOut)
    @action(detail=True, methods=["post"], url_path="open-vote", url_name="open-vote")
    def open_vote(self, request, pk=None):
        """Open the vote (for the presidium), with the number of deputies present at the session."""
        return self._move(pk, "open_vote", present=self._input(serializers.LivelihoodOpenVoteIn)["present"])

    @extend_schema(request=None, responses=serializers.LivelihoodProgrammeOut)
    @action(detail=True, methods=["post"], url_path="close-vote", url_name="close-vote")
    def close_vote(self, request, pk=None):
        """Close the vote: the ballots are counted and the projects chosen; a tie at the cut-off waits for a
        recorded decision."""
        return self._move(pk, "close_vote")

    @extend_schema(request=serializers.LivelihoodTieIn, responses=serializers.LivelihoodProgrammeOut)
    @action(detail=True, methods=["post"], url_path="break-tie", url_name="break-tie")
    def break_tie(self, request, pk=None):
        """Decide which candidates tied at the cut-off are chosen, recording why."""
        values = self._input(serializers.LivelihoodTieIn)
        return self._move(pk, "break_tie", chosen_ids=values["chosen"], reason=values["reason"])

    @extend_schema(request=None, responses=serializers.LivelihoodProgrammeOut)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the results, with every candidate's count."""
        return self._move(pk, "publish")

    @extend_schema(request=serializers.LivelihoodOpenAppraisalIn, responses=serializers.LivelihoodProgrammeOut)
    @action(detail=True, methods=["post"], url_path="open-appraisal", url_name="open-appraisal")
    def open_appraisal(self, request, pk=None):
        """Open the year-end appraisal for a window of dates; either left out is the programme's planned one."""
        values = self._input(serializers.LivelihoodOpenAppraisalIn)
        return self._run(pk, appraisal.open_appraisal, "programme_id", appraise_from=values.get("appraise_from"),
                         appraise_until=values.get("appraise_until"))  # fmt: skip

    @extend_schema(request=None, responses=serializers.LivelihoodProgrammeOut)
    @action(detail=True, methods=["post"], url_path="close-appraisal", url_name="close-appraisal")
    def close_appraisal(self, request, pk=None):
        """Close the appraisal: each chosen project's counts are kept and the unsatisfactory ones go back to their
        departments for correction (see /livelihood/appraisals/)."""
        return self._run(pk, appraisal.close_appraisal, "programme_id")


class ProposalViewSet(ListRead):
    """Proposed projects (点菜) of the programmes the caller sees, with the office's assessment and the reason each
    was kept or dropped; a citizen's phone is always masked. The assessing office's officers assess them."""

    queryset = Proposal.objects.all()
    serializer_class = serializers.LivelihoodProposalOut
    filterset_class = filters.LivelihoodProposalFilter
    search_fields = ["title", "area"]
    ordering_fields = ["id", "number", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Proposal).order_by("-id")

    @extend_schema(request=serializers.LivelihoodAssessIn, responses=serializers.LivelihoodProposalOut)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """The assessing office's view of a proposal: feasibility, a cost estimate and the responsible department."""
        values = dict(self._input(serializers.LivelihoodAssessIn))
        department = values.pop("department", None)
        if department is not None:
            department = Organisation.objects.select_related("region").filter(pk=department).first()
            if department is None:
                raise RuleViolation(fields={"department": [_("Choose a handling unit of the congress's region.")]})
        values.setdefault("cost", None)
        return self._run(pk, services.assess_proposal, "proposal_id", department=department, **values)


class CandidateViewSet(ListRead):
    """The projects put to the vote, in ballot order, with the published reason each was kept; once the vote is
    closed and counted, each one's votes, rank and outcome (chosen, not chosen, tied at the cut-off)."""

    queryset = Candidate.objects.all()
    serializer_class = serializers.LivelihoodCandidateOut
    filterset_class = filters.LivelihoodCandidateFilter
    search_fields = ["title"]
    ordering_fields = ["id", "number"]

    def get_queryset(self):
        return (
            scope.visible(self.request.user, Candidate)
            .select_related("programme", "department", "proposal")
            .order_by("programme_id", "number")
        )

    @extend_schema(request=serializers.LivelihoodMilestoneIn, responses={201: serializers.LivelihoodMilestoneOut})
    @action(detail=True, methods=["post"], url_path="set-milestone", url_name="set-milestone")
    def set_milestone(self, request, pk=None):
        """Set a milestone of a chosen project (staff or its department), due a number of working days from today
        or on a date."""
        values = self._input(serializers.LivelihoodMilestoneIn)
        project = get_object_or_404(self.get_queryset(), pk=pk)
        milestone = carrying.set_milestone(actor=request.user, project_id=project.pk, title=values["title"],
                                           workdays=values.get("workdays"), due_on=values.get("due_on"))  # fmt: skip
        return Response(serializers.LivelihoodMilestoneOut(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.LivelihoodProgressIn, responses={201: serializers.LivelihoodProgressReportOut})
    @action(detail=True, methods=["post"], url_path="report-progress", url_name="report-progress")
    def report_progress(self, request, pk=None):
        """The department files a quarter's progress report, or corrects it while its window lasts (photos are
        added on the pages)."""
        values = self._input(serializers.LivelihoodProgressIn)
        project = get_object_or_404(self.get_queryset(), pk=pk)
        report = carrying.file_progress_report(actor=request.user, project_id=project.pk, **values)
        report = ProgressReportViewSet.counted(ProgressReport.objects.filter(pk=report.pk)).get()
        return Response(serializers.LivelihoodProgressReportOut(report).data, status=status.HTTP_201_CREATED)


class DecisionViewSet(ListRead):
    """Staff's recorded decisions on candidates tied at the cut-off: which were chosen, and why."""

    queryset = Decision.objects.all()
    serializer_class = serializers.LivelihoodDecisionOut
    filterset_class = filters.LivelihoodDecisionFilter
    ordering_fields = ["id", "decided_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Decision).order_by("-id")


class MilestoneViewSet(ListRead):
    """The milestones of the chosen projects the caller sees, each open, overdue or done; the responsible
    department completes them."""

    queryset = Milestone.objects.all()
    serializer_class = serializers.LivelihoodMilestoneOut
    filterset_class = filters.LivelihoodMilestoneFilter
    search_fields = ["title"]
    ordering_fields = ["id", "due_on", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Milestone).select_related("project").order_by("due_on", "id")

    @extend_schema(request=serializers.LivelihoodCompleteMilestoneIn, responses=serializers.LivelihoodMilestoneOut)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The responsible department marks the milestone done, saying what was done."""
        note = self._input(serializers.LivelihoodCompleteMilestoneIn)["note"]
        return self._run(pk, carrying.complete_milestone, "milestone_id", note=note)


class ProgressReportViewSet(ListRead):
    """The departments' quarterly progress reports on the chosen projects: what was done, the spending to date and
    how many photos (the photos themselves are on the pages)."""

    queryset = ProgressReport.objects.all()
    serializer_class = serializers.LivelihoodProgressReportOut
    filterset_class = filters.LivelihoodProgressReportFilter
    search_fields = []
    ordering_fields = ["id", "year", "quarter", "updated_at"]

    @staticmethod
    def counted(queryset):
        return queryset.select_related("project").annotate(photo_count=Count("photos"))

    def get_queryset(self):
        return self.counted(scope.visible(self.request.user, ProgressReport)).order_by("-year", "-quarter", "-id")


class SupervisionGroupViewSet(ListRead):
    """Each chosen project's supervision group: the leading committee and the deputy group whose members supervise
    it (the members are read through the deputy groups)."""

    queryset = SupervisionGroup.objects.all()
    serializer_class = serializers.LivelihoodSupervisionGroupOut
    filterset_class = filters.LivelihoodSupervisionGroupFilter
    search_fields = []
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return (
            scope.visible(self.request.user, SupervisionGroup)
            .select_related("project", "committee", "group").order_by("project_id")
        )  # fmt: skip


class SiteVisitViewSet(ListRead):
    """The supervision groups' site visits: what was seen and the residents' opinions gathered as the pages show
    them; the deputy who recorded it by mandate id."""

    queryset = SiteVisit.objects.all()
    serializer_class = serializers.LivelihoodSiteVisitOut
    filterset_class = filters.LivelihoodSiteVisitFilter
    search_fields = ["place"]
    ordering_fields = ["id", "visited_on", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, SiteVisit).select_related("project").order_by("-visited_on", "-id")


class AppraisalViewSet(ListRead):
    """The year-end appraisal of each chosen project, once the appraisal is closed: its counts of 满意, 基本满意 and
    不满意 (never who rated what), and for an unsatisfactory one the correction: its deadline, the department's
    report, and its closing by staff."""

    queryset = Appraisal.objects.all()
    serializer_class = serializers.LivelihoodAppraisalOut
    filterset_class = filters.LivelihoodAppraisalFilter
    search_fields = []
    ordering_fields = ["id"]

    def get_queryset(self):
        return scope.visible(self.request.user, Appraisal).select_related("candidate").order_by("-id")

    @extend_schema(request=serializers.LivelihoodCorrectionReportIn, responses=serializers.LivelihoodAppraisalOut)
    @action(detail=True, methods=["post"], url_path="report-correction", url_name="report-correction")
    def report_correction(self, request, pk=None):
        """The responsible department reports how it corrected an unsatisfactory project."""
        report = self._input(serializers.LivelihoodCorrectionReportIn)["report"]
        return self._run(pk, appraisal.report_correction, "appraisal_id", report=report)

    @extend_schema(request=serializers.LivelihoodCloseCorrectionIn, responses=serializers.LivelihoodAppraisalOut)
    @action(detail=True, methods=["post"], url_path="close-correction", url_name="close-correction")
    def close_correction(self, request, pk=None):
        """Staff close a reported correction, with a note."""
        note = self._input(serializers.LivelihoodCloseCorrectionIn).get("note", "")
        return self._run(pk, appraisal.close_correction, "appraisal_id", note=note)
