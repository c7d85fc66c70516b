"""Livelihood-project vote API: thin viewsets over congress.scope, livelihood.selectors and livelihood.services.

Staff and clients read the programmes of their region tree with their proposals, candidates and tie decisions;
the assessing office's officers read the programmes they assess. Each write is a POST on
/livelihood/programmes/{id}/<action>/ (or /livelihood/proposals/{id}/assess/) that parses its input, calls the one
service the pages call and answers with the record: the services decide who may and when, with the same errors.

What a ballot marked is never served: a candidate's votes appear once the vote is closed and counted, and turnout
only as the number of deputies who have voted."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from congress import scope
from congress.api import sittings
from congress.errors import RuleViolation
from congress.models import Organisation

from .. import selectors, services
from ..models import Candidate, Decision, Programme, Proposal
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


class DecisionViewSet(ListRead):
    """Staff's recorded decisions on candidates tied at the cut-off: which were chosen, and why."""

    queryset = Decision.objects.all()
    serializer_class = serializers.LivelihoodDecisionOut
    filterset_class = filters.LivelihoodDecisionFilter
    ordering_fields = ["id", "decided_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Decision).order_by("-id")
