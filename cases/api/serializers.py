"""Case-selection API shapes. Deputies appear by mandate id and name only; citizens' phones never appear.

Status, kind, method and outcome fields are plain strings (their values listed in the help text), because
other apps already publish enum components under those field names."""

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    CampaignUnit,
    Criterion,
    Decision,
    DecisionKind,
    Entry,
    Outcome,
    Round,
    RoundKind,
    RoundStatus,
    Submission,
    SubmissionStatus,
    Voter,
)


def _one_of(choices):
    return lazy(lambda: gettext("One of: %(values)s") % {"values": ", ".join(choices.values)}, str)()


class CampaignUnitOut(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = CampaignUnit
        fields = ["unit", "unit_name", "quota"]


class CampaignOut(serializers.ModelSerializer):
    """A campaign. As input (create, PATCH before the rounds) the campaign fields and `units`."""

    kind = serializers.CharField(max_length=12, help_text=_one_of(CampaignKind))
    status = serializers.CharField(read_only=True, help_text=_one_of(CampaignStatus))
    units = CampaignUnitOut(many=True, help_text=_("Units invited to submit, each with its optional quota."))
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "congress", "kind", "year", "title", "description", "submissions_open", "submissions_close",
                  "status", "slug", "public_url", "units", "finished_at", "updated_at"]  # fmt: skip
        read_only_fields = ["slug", "finished_at", "updated_at"]
        validators = []

    def get_public_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("cases:public", args=[obj.slug])


class SubmissionMandateOut(serializers.Serializer):
    mandate = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)


class SubmissionFileOut(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)


class SubmissionOut(serializers.ModelSerializer):
    """A case. As input (create, PATCH on a draft or a returned case) the case fields and `mandate_ids`."""

    status = serializers.CharField(read_only=True, help_text=_one_of(SubmissionStatus))
    level = serializers.CharField(
        max_length=10, required=False, allow_blank=True,
        help_text=_("Deputy level: national, provincial, municipal, county or township."),
    )  # fmt: skip
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    deputies = SubmissionMandateOut(source="mandates", many=True, read_only=True)
    files = SubmissionFileOut(many=True, read_only=True)
    mandate_ids = serializers.ListField(
        child=serializers.IntegerField(), write_only=True, required=False,
        help_text=_("Mandate ids of the case's deputies; replaces the list."),
    )  # fmt: skip
    unit_id = serializers.IntegerField(
        write_only=True, required=False, help_text=_("Needed on create only when you act for several invited units.")
    )

    class Meta:
        model = Submission
        fields = ["id", "campaign", "unit", "unit_name", "title", "summary", "narrative", "level", "deputies",
                  "suggestion", "station", "video_url", "status", "submitted_at", "review_note", "files",
                  "mandate_ids", "unit_id", "updated_at"]  # fmt: skip
        read_only_fields = ["unit", "status", "submitted_at", "review_note", "updated_at"]


class CriterionOut(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "max_points"]


class VoterOut(serializers.ModelSerializer):
    class Meta:
        model = Voter
        fields = ["user", "committee", "cast_at"]
        read_only_fields = ["cast_at"]


class EntryOut(serializers.ModelSerializer):
    title = serializers.CharField(source="submission.title", read_only=True)
    outcome = serializers.CharField(read_only=True, help_text=_one_of(Outcome))

    class Meta:
        model = Entry
        fields = ["submission", "title", "votes", "online_votes", "online_score", "panel_score", "score", "rank",
                  "outcome", "tie_group", "note"]  # fmt: skip
        read_only_fields = fields


class DecisionOut(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_one_of(DecisionKind))
    submissions = serializers.ListField(
        source="submission_ids", child=serializers.IntegerField(), read_only=True,
        help_text=_("The cases the decision names."),
    )  # fmt: skip

    class Meta:
        model = Decision
        fields = ["id", "kind", "tie_group", "submissions", "reason", "decided_by", "created_at"]
        read_only_fields = fields


class RoundOut(serializers.ModelSerializer):
    """A round with its voters, criteria and (once it opened) its cases and their tally. As input (create, PATCH
    before it opens) the round fields, `voters` and `criteria`."""

    kind = serializers.CharField(max_length=10, help_text=_one_of(RoundKind))
    status = serializers.CharField(read_only=True, help_text=_one_of(RoundStatus))
    voters = VoterOut(many=True, required=False)
    criteria = CriterionOut(many=True, required=False)
    entries = serializers.SerializerMethodField()
    decisions = DecisionOut(many=True, read_only=True)

    class Meta:
        model = Round
        fields = ["id", "campaign", "position", "kind", "name", "opens_at", "closes_at", "status", "advance",
                  "approvals_per_voter", "quota_per_level", "online_weight", "panel_weight", "public_vote",
                  "show_live_totals", "tie_slots", "voters", "criteria", "entries", "decisions", "decided_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = ["position", "tie_slots", "decided_at", "updated_at"]
        validators = []

    def get_entries(self, obj) -> list[dict]:
        # The tally is written when the round closes: until then the figures are zero.
        return EntryOut(obj.entries.all(), many=True).data


class RoundBallotIn(serializers.Serializer):
    submissions = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, help_text=_("The cases you approve (or recommend).")
    )


class RoundScoreIn(serializers.Serializer):
    submission = serializers.IntegerField()
    points = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2), help_text=_("Points by criterion id.")
    )


class RoundStrikeIn(serializers.Serializer):
    submission = serializers.IntegerField()
    reason = serializers.CharField(max_length=500)


class RoundTieIn(serializers.Serializer):
    group = serializers.CharField(
        max_length=10, required=False, allow_blank=True, default="",
        help_text=_("The tied group: a deputy level in a recommendation round, else empty."),
    )  # fmt: skip
    chosen = serializers.ListField(child=serializers.IntegerField(), help_text=_("The tied cases that go on."))
    reason = serializers.CharField(max_length=3000)


class RoundDecideIn(serializers.Serializer):
    note = serializers.CharField(
        max_length=3000, required=False, allow_blank=True,
        help_text=_("Approval round: the council's confirmation (meeting and date)."),
    )  # fmt: skip


class SubmissionReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=3000)


class CampaignResultRowOut(serializers.Serializer):
    rank = serializers.IntegerField()
    selected = serializers.BooleanField()
    submission = serializers.IntegerField(source="submission.pk")
    title = serializers.CharField(source="submission.title")
    unit = serializers.CharField(source="submission.unit.name")
    score = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    rounds = serializers.SerializerMethodField()

    def get_rounds(self, row) -> list[dict | None]:
        return [EntryOut(entry).data if entry is not None else None for entry in row["entries"]]


class CampaignResultsOut(serializers.Serializer):
    complete = serializers.BooleanField()
    rounds = serializers.ListField(child=serializers.IntegerField(), help_text=_("Round ids, in order."))
    rows = CampaignResultRowOut(many=True)
