"""Case-selection API: thin viewsets over congress.scope, cases.selectors and cases.services.

Campaigns, cases (submissions) and rounds; every workflow step is a POST on /<resource>/{id}/<action>/ that
parses its input, calls one service and answers with the resource. Voters cast ballots and judges score
through the round's `ballot` and `score` actions."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from congress import scope
from congress.api.auth import ClientScopePermission
from congress.idempotency import IdempotentMixin
from deputies.models import Mandate

from .. import selectors, services
from ..models import Campaign, CampaignUnit, Entry, Round, Submission
from . import filters, serializers


class CasesViewSet(IdempotentMixin, viewsets.GenericViewSet):
    api_scope = "cases"
    permission_classes = [permissions.IsAuthenticated, ClientScopePermission]
    lookup_value_regex = r"[0-9]+"  # an id is a number: anything else is a 404, never a server error

    def _input(self, serializer_class, **kwargs) -> dict:
        data = serializer_class(data=self.request.data, **kwargs)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def _respond(self, pk, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data, status=code)


def _units(values) -> list:
    return [(row["unit"], row.get("quota")) for row in values]


class CampaignViewSet(CasesViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Excellent-case campaigns (优秀案例评选) of the congresses the caller may see."""

    queryset = Campaign.objects.all()
    serializer_class = serializers.CampaignOut
    filterset_class = filters.CampaignFilter
    search_fields = ["title"]
    ordering_fields = ["id", "year", "updated_at"]

    def get_queryset(self):
        return (
            scope.visible(self.request.user, Campaign)
            .prefetch_related(Prefetch("units", queryset=CampaignUnit.objects.select_related("unit")))
            .order_by("-id")
        )

    def _campaign(self, pk) -> Campaign:
        return get_object_or_404(scope.visible(self.request.user, Campaign), pk=pk)

    @extend_schema(request=serializers.CampaignOut, responses={201: serializers.CampaignOut})
    def create(self, request):
        values = dict(self._input(serializers.CampaignOut))
        congress = values.pop("congress")
        units = _units(values.pop("units", []))
        campaign = services.create_campaign(actor=request.user, congress=congress, fields=values, units=units)
        return self._respond(campaign.pk, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.CampaignOut, responses=serializers.CampaignOut)
    def partial_update(self, request, pk=None):
        campaign = self._campaign(pk)
        values = dict(self._input(serializers.CampaignOut, partial=True))
        values.pop("congress", None)
        units = _units(values.pop("units")) if "units" in values else None
        services.update_campaign(actor=request.user, campaign_id=campaign.pk, fields=values, units=units)
        return self._respond(campaign.pk)

    @extend_schema(request=None, responses=serializers.CampaignOut)
    @action(detail=True, methods=["post"])
    def announce(self, request, pk=None):
        """Open the campaign to submissions; the invited units are told."""
        services.announce(actor=request.user, campaign_id=self._campaign(pk).pk)
        return self._respond(pk)

    @extend_schema(request=None, responses=serializers.CampaignOut)
    @action(detail=True, methods=["post"], url_path="close-submissions", url_name="close-submissions")
    def close_submissions(self, request, pk=None):
        services.close_submissions(actor=request.user, campaign_id=self._campaign(pk).pk)
        return self._respond(pk)

    @extend_schema(request=None, responses=serializers.CampaignOut)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        """Publish the result: the selected cases become awards and enter the deputies' duty records."""
        services.finish(actor=request.user, campaign_id=self._campaign(pk).pk)
        return self._respond(pk)

    @extend_schema(request=None, responses=serializers.CampaignResultsOut)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """The final ranked list with every round's figures (provisional until the last round is decided)."""
        campaign = self._campaign(pk)
        scope.require(request.user, "cases.view_results", campaign)
        result = selectors.final_list(campaign)
        result = {**result, "rounds": [r.pk for r in result["rounds"]]}
        return Response(serializers.CampaignResultsOut(result).data)


class SubmissionViewSet(CasesViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Cases submitted to campaigns: a unit's own, or every submitted one for staff."""

    queryset = Submission.objects.all()
    serializer_class = serializers.SubmissionOut
    filterset_class = filters.SubmissionFilter
    search_fields = ["title"]
    ordering_fields = ["id", "submitted_at", "updated_at"]

    def get_queryset(self):
        return (
            scope.visible(self.request.user, Submission)
            .select_related("unit")
            .prefetch_related(Prefetch("mandates", queryset=Mandate.objects.select_related("person")), "files")
            .order_by("-id")
        )

    def _submission(self, pk) -> Submission:
        return get_object_or_404(scope.visible(self.request.user, Submission), pk=pk)

    def _fields(self, values: dict) -> dict:
        fields = {k: v for k, v in values.items() if k in services.SUBMISSION_FIELDS}
        return fields

    @extend_schema(request=serializers.SubmissionOut, responses={201: serializers.SubmissionOut})
    def create(self, request):
        """A unit officer starts a case (a draft) for their unit in an open campaign."""
        values = dict(self._input(serializers.SubmissionOut))
        submission = services.create_submission(
            actor=request.user, campaign_id=values["campaign"].pk, fields=self._fields(values),
            mandate_ids=values.get("mandate_ids", []), unit_id=values.get("unit_id"),
        )  # fmt: skip
        return self._respond(submission.pk, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.SubmissionOut, responses=serializers.SubmissionOut)
    def partial_update(self, request, pk=None):
        submission = self._submission(pk)
        values = dict(self._input(serializers.SubmissionOut, partial=True))
        services.save_submission(actor=request.user, submission_id=submission.pk, fields=self._fields(values),
                                 mandate_ids=values.get("mandate_ids"))  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=None, responses=serializers.SubmissionOut)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        services.submit(actor=request.user, submission_id=self._submission(pk).pk)
        return self._respond(pk)

    @extend_schema(request=serializers.SubmissionReasonIn, responses=serializers.SubmissionOut)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_completion(self, request, pk=None):
        values = self._input(serializers.SubmissionReasonIn)
        services.return_submission(actor=request.user, submission_id=self._submission(pk).pk, reason=values["reason"])
        return self._respond(pk)

    @extend_schema(request=serializers.SubmissionReasonIn, responses=serializers.SubmissionOut)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        values = self._input(serializers.SubmissionReasonIn)
        services.reject_submission(actor=request.user, submission_id=self._submission(pk).pk, reason=values["reason"])
        return self._respond(pk)


ENTRIES = Entry.objects.select_related("submission").order_by("rank", "submission_id")


class RoundViewSet(CasesViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Selection rounds with their voters, criteria, cases and tally, and the decisions taken on them."""

    queryset = Round.objects.all()
    serializer_class = serializers.RoundOut
    filterset_class = filters.RoundFilter
    ordering_fields = ["id", "position", "updated_at"]

    def get_queryset(self):
        return (
            scope.visible(self.request.user, Round)
            .prefetch_related(
                "voters", "criteria", "decisions",
                Prefetch("entries", queryset=ENTRIES),
            )
            .order_by("-id")
        )  # fmt: skip

    def _round(self, pk) -> Round:
        return get_object_or_404(scope.visible(self.request.user, Round), pk=pk)

    def _config(self, values: dict):
        voters = None
        if "voters" in values:
            voters = [(row["user"], row.get("committee")) for row in values["voters"]]
        criteria = [(row["name"], row["max_points"]) for row in values["criteria"]] if "criteria" in values else None
        fields = {k: v for k, v in values.items() if k in services.ROUND_FIELDS}
        return fields, voters, criteria

    @extend_schema(request=serializers.RoundOut, responses={201: serializers.RoundOut})
    def create(self, request):
        """Add the next round to a campaign's pipeline."""
        values = dict(self._input(serializers.RoundOut))
        fields, voters, criteria = self._config(values)
        round_ = services.add_round(actor=request.user, campaign_id=values["campaign"].pk, fields=fields,
                                    voters=voters or [], criteria=criteria or [])  # fmt: skip
        return self._respond(round_.pk, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.RoundOut, responses=serializers.RoundOut)
    def partial_update(self, request, pk=None):
        round_ = self._round(pk)
        fields, voters, criteria = self._config(dict(self._input(serializers.RoundOut, partial=True)))
        services.update_round(actor=request.user, round_id=round_.pk, fields=fields, voters=voters, criteria=criteria)
        return self._respond(pk)

    @extend_schema(request=None, responses=serializers.RoundOut)
    @action(detail=True, methods=["post"], url_path="open", url_name="open")
    def open_round(self, request, pk=None):
        """Open the round on the previous round's survivors."""
        services.open_round(actor=request.user, round_id=self._round(pk).pk)
        return self._respond(pk)

    @extend_schema(request=None, responses=serializers.RoundOut)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close, count and cut; a tie at the cut-off shows in `tie_slots` until decided."""
        services.close_round(actor=request.user, round_id=self._round(pk).pk)
        return self._respond(pk)

    @extend_schema(request=serializers.RoundTieIn, responses=serializers.RoundOut)
    @action(detail=True, methods=["post"], url_path="break-tie", url_name="break-tie")
    def break_tie(self, request, pk=None):
        values = self._input(serializers.RoundTieIn)
        services.break_tie(actor=request.user, round_id=self._round(pk).pk, group=values.get("group", ""),
                           chosen_ids=values["chosen"], reason=values["reason"])  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=serializers.RoundDecideIn, responses=serializers.RoundOut)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        values = self._input(serializers.RoundDecideIn)
        services.decide_round(actor=request.user, round_id=self._round(pk).pk, note=values.get("note", ""))
        return self._respond(pk)

    @extend_schema(request=serializers.RoundStrikeIn, responses=serializers.RoundOut)
    @action(detail=True, methods=["post"])
    def strike(self, request, pk=None):
        """The chairpersons' council strikes a case from the list (approval round)."""
        values = self._input(serializers.RoundStrikeIn)
        services.strike(actor=request.user, round_id=self._round(pk).pk, submission_id=values["submission"],
                        reason=values["reason"])  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=serializers.RoundBallotIn, responses=serializers.RoundOut)
    @action(detail=True, methods=["post"])
    def ballot(self, request, pk=None):
        """The caller casts their one ballot in the round."""
        values = self._input(serializers.RoundBallotIn)
        services.cast_ballot(actor=request.user, round_id=self._round(pk).pk, submission_ids=values["submissions"])
        return self._respond(pk)

    @extend_schema(request=serializers.RoundScoreIn, responses=serializers.RoundOut)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """The calling judge scores one case against every criterion (points by criterion id)."""
        values = self._input(serializers.RoundScoreIn)
        try:
            points = {int(key): value for key, value in values["points"].items()}
        except ValueError as exc:
            raise ValidationError({"points": [_("Key the points by criterion id.")]}) from exc
        services.score_case(actor=request.user, round_id=self._round(pk).pk, submission_id=values["submission"],
                            points=points)  # fmt: skip
        return self._respond(pk)
