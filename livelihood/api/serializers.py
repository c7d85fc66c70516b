"""Livelihood-project vote API shapes. A citizen's phone is always masked (the API has no way to unmask it); a
deputy appears by mandate id only. A ballot never appears: candidates carry their count, and only once the vote is
closed; who voted is a count (`voted`), never a list.

Choice fields are plain strings naming their values in the help text, as in the activities API: other apps
already publish enums for fields called status and source, and the schema generator would rename or merge them."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congress.api import sittings

from ..models import (
    COUNTED_STATES,
    Appraisal,
    AppraisalStatus,
    Candidate,
    CandidateOutcome,
    Decision,
    Feasibility,
    Milestone,
    Programme,
    ProgrammeStatus,
    ProgressReport,
    Proposal,
    ProposalStatus,
    SiteVisit,
    Source,
    SupervisionGroup,
)

_one_of, _choice = sittings.one_of, sittings.choice
# The programme's states in which its candidates' counts are known.
COUNTED = COUNTED_STATES


class LivelihoodProgrammeOut(serializers.ModelSerializer):
    status = _choice(ProgrammeStatus)
    proposals = serializers.IntegerField(
        source="proposal_count", read_only=True, help_text=_("Proposals received, merged ones included.")
    )
    voted = serializers.IntegerField(
        source="voted_count", read_only=True, help_text=_("How many deputies have voted (never who voted for what).")
    )

    class Meta:
        model = Programme
        fields = [
            "id", "congress", "region_code", "year", "title", "solicit_from", "solicit_until", "screen_until",
            "vote_on", "carry_until", "appraise_from", "appraise_until", "projects", "office", "status", "proposals",
            "present", "voted", "vote_opened_at", "vote_closed_at", "tie_slots", "published_at", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class LivelihoodProposalOut(serializers.ModelSerializer):
    source = _choice(Source)
    status = _choice(ProposalStatus)
    feasibility = serializers.CharField(read_only=True, help_text=_one_of(Feasibility))
    phone = serializers.SerializerMethodField(help_text=_("The citizen's mobile phone, always masked."))

    class Meta:
        model = Proposal
        fields = [
            "id", "programme", "number", "source", "title", "description", "area", "benefit", "proposer_name",
            "phone", "mandate", "station", "status", "merged_into", "feasibility", "cost", "department",
            "assessment", "assessed_at", "screening_reason", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_phone(self, obj) -> str:
        # Masked from the stored last four digits: the full number is never decrypted for the API.
        return "*" * 7 + obj.phone_tail if obj.phone_tail else ""


class LivelihoodCandidateOut(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    reason = serializers.CharField(
        source="proposal.screening_reason", read_only=True, help_text=_("Why staff put it to the vote (published).")
    )
    outcome = _choice(CandidateOutcome)
    votes = serializers.SerializerMethodField(help_text=_("Its votes, once the vote is closed and counted."))
    rank = serializers.SerializerMethodField(help_text=_("Its place by votes, once the vote is closed and counted."))

    class Meta:
        model = Candidate
        fields = ["id", "programme", "proposal", "number", "title", "department", "department_name", "cost", "reason",
                  "votes", "rank", "outcome"]  # fmt: skip
        read_only_fields = fields

    @staticmethod
    def _counted(obj) -> bool:
        return obj.programme.status in COUNTED

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_votes(self, obj):
        return obj.votes if self._counted(obj) else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_rank(self, obj):
        return obj.rank if self._counted(obj) else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self._counted(instance):
            data["outcome"] = CandidateOutcome.PENDING
        return data


class LivelihoodDecisionOut(serializers.ModelSerializer):
    chosen = serializers.ListField(
        source="candidate_ids", child=serializers.IntegerField(), read_only=True,
        help_text=_("The tied candidates chosen by the decision."),
    )  # fmt: skip

    class Meta:
        model = Decision
        fields = ["id", "programme", "chosen", "reason", "decided_at"]
        read_only_fields = fields


# Carrying out and the year-end appraisal. Who did what appears as the record's own ids only (a deputy by mandate
# id), never a user; a photo is counted, not linked: its file is read through the pages, with their permission.


class LivelihoodMilestoneOut(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="project.programme_id", read_only=True)
    state = serializers.SerializerMethodField(
        help_text=_("One of: open, overdue (not done and due before today), done.")
    )
    note = serializers.CharField(source="done_note", read_only=True, help_text=_("What was done, once it is done."))

    class Meta:
        model = Milestone
        fields = ["id", "project", "programme", "title", "due_on", "state", "done_at", "note", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields

    def get_state(self, obj) -> str:
        if obj.is_done:
            return "done"
        return "overdue" if obj.is_overdue(timezone.localdate()) else "open"


class LivelihoodProgressReportOut(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="project.programme_id", read_only=True)
    filed_at = serializers.DateTimeField(source="created_at", read_only=True)
    photos = serializers.IntegerField(source="photo_count", read_only=True, help_text=_("How many photos it has."))

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "programme", "year", "quarter", "text", "spent", "photos", "filed_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


class LivelihoodSupervisionGroupOut(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="project.programme_id", read_only=True)
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = SupervisionGroup
        fields = ["id", "project", "programme", "committee", "committee_name", "group", "group_name", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


class LivelihoodSiteVisitOut(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="project.programme_id", read_only=True)

    class Meta:
        model = SiteVisit
        fields = ["id", "project", "programme", "visited_on", "place", "seen", "opinions", "activity", "mandate",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields


class LivelihoodAppraisalOut(serializers.ModelSerializer):
    project = serializers.IntegerField(source="candidate_id", read_only=True)
    programme = serializers.IntegerField(source="candidate.programme_id", read_only=True)
    status = _choice(AppraisalStatus)

    class Meta:
        model = Appraisal
        fields = ["id", "project", "programme", "satisfied", "basically_satisfied", "dissatisfied", "status",
                  "correct_by", "report", "reported_at", "closed_at", "closing_note"]  # fmt: skip
        read_only_fields = fields


# Inputs


class LivelihoodAssessIn(serializers.Serializer):
    feasibility = serializers.ChoiceField(choices=Feasibility.choices)
    cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text=_("Cost estimate in 10,000 yuan (required unless not feasible)."),
    )  # fmt: skip
    department = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The responsible department: a handling unit of the region.")
    )
    assessment = serializers.CharField(max_length=5000)


class LivelihoodScreeningItemIn(serializers.Serializer):
    proposal = serializers.IntegerField()
    reason = serializers.CharField(max_length=500)


class LivelihoodCandidatesIn(serializers.Serializer):
    kept = LivelihoodScreeningItemIn(
        many=True, max_length=1000, help_text=_("The proposals put to the vote, in ballot order, each with its reason.")
    )
    dropped = LivelihoodScreeningItemIn(
        many=True, max_length=1000, required=False, help_text=_("The other open proposals, each with its reason.")
    )


class LivelihoodOpenVoteIn(serializers.Serializer):
    present = serializers.IntegerField(
        min_value=1, max_value=100000, help_text=_("The deputies present at the session: the majority's base.")
    )


class LivelihoodTieIn(serializers.Serializer):
    chosen = serializers.ListField(
        child=serializers.IntegerField(), max_length=1000,
        help_text=_("The tied candidates to choose, as many as places are left."),
    )  # fmt: skip
    reason = serializers.CharField(max_length=1000)


class LivelihoodMilestoneIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    workdays = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=10000,
        help_text=_("Due this many working days from today (or give due_on)."),
    )  # fmt: skip
    due_on = serializers.DateField(required=False, allow_null=True, help_text=_("Due on this date (or give workdays)."))


class LivelihoodCompleteMilestoneIn(serializers.Serializer):
    note = serializers.CharField(max_length=1000, help_text=_("What was done."))


class LivelihoodProgressIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    text = serializers.CharField(max_length=5000)
    spent = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, help_text=_("Spending to date in 10,000 yuan.")
    )


class LivelihoodOpenAppraisalIn(serializers.Serializer):
    appraise_from = serializers.DateField(
        required=False, allow_null=True, help_text=_("The first day; if left out, the programme's planned one.")
    )
    appraise_until = serializers.DateField(
        required=False, allow_null=True, help_text=_("The last day; if left out, the programme's planned one.")
    )


class LivelihoodCorrectionReportIn(serializers.Serializer):
    report = serializers.CharField(max_length=5000, help_text=_("How the project was corrected."))


class LivelihoodCloseCorrectionIn(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
