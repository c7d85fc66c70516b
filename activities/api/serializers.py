"""Activities API shapes. Deputies appear by mandate id and name only, never their phone or ID number.

Choice fields are plain strings naming their values in the help text, as in the training API: other apps already
publish enums for fields called status and kind, and the schema generator would rename or merge them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.api import sittings
from congress.models import Role

from ..models import (
    Activity,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Channel,
    Finding,
    FindingOutcome,
    Invitation,
    InvitationStatus,
    Material,
    OutcomeKind,
    Participant,
    ParticipantKind,
    Sitting,
    VoterReport,
)

_one_of, _choice = sittings.one_of, sittings.choice


class ActivityMaterialOut(sittings.MaterialOut):
    file_route = "activities:material"

    class Meta(sittings.MaterialOut.Meta):
        model = Material


class ActivitySittingOut(sittings.SittingOut):
    parent_field = "activity"
    checkin_roles = Role.STAFF
    checkin_code = serializers.SerializerMethodField(help_text=_("Shown to the organising congress's staff only."))

    class Meta:
        model = Sitting
        fields = ["id", "activity", "number", "topic", "starts_at", "ends_at", "place", "checkin_code", "updated_at"]
        read_only_fields = fields


class ActivityOut(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind_id", read_only=True, help_text=_("The activity kind's code."))
    status = _choice(ActivityStatus)
    co_congresses = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sittings = ActivitySittingOut(many=True, read_only=True)
    materials = ActivityMaterialOut(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id", "congress", "kind", "title", "theme", "description", "organiser", "organiser_group",
            "organiser_station", "co_congresses", "starts_on", "ends_on", "places", "capacity", "taken", "status",
            "report_submitted_at", "closed_at", "sittings", "materials", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ActivityParticipantOut(serializers.ModelSerializer):
    kind = _choice(ParticipantKind)

    class Meta:
        model = Participant
        fields = ["id", "activity", "kind", "name", "affiliation", "note", "created_at", "updated_at"]
        read_only_fields = fields


class ActivityFindingOutcomeOut(serializers.ModelSerializer):
    kind = _choice(OutcomeKind)
    answered = serializers.BooleanField(read_only=True)

    class Meta:
        model = FindingOutcome
        fields = ["kind", "suggestion", "unit", "referred_on", "workdays", "due_on", "answered", "answer",
                  "answered_at", "updated_at"]  # fmt: skip
        read_only_fields = fields


class ActivityFindingOut(serializers.ModelSerializer):
    outcome = ActivityFindingOutcomeOut(
        read_only=True, allow_null=True, help_text=_("What the finding became; empty while it is not taken up.")
    )

    class Meta:
        model = Finding
        fields = ["id", "activity", "number", "text", "outcome", "updated_at"]
        read_only_fields = fields


class ActivityVoterReportOut(serializers.ModelSerializer):
    name = serializers.CharField(source="mandate.person.name", read_only=True)

    class Meta:
        model = VoterReport
        fields = ["id", "activity", "mandate", "name", "text", "voters", "satisfied", "basically_satisfied",
                  "dissatisfied", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields


class ActivityInvitationCountsOut(serializers.Serializer):
    invited = serializers.IntegerField(help_text=_("Not answered yet."))
    accepted = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    declined = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class ActivityAttendanceCountsOut(serializers.Serializer):
    present = serializers.IntegerField()
    leave = serializers.IntegerField(help_text=_("Absent with leave."))
    absent = serializers.IntegerField(help_text=_("Absent without leave."))


class ActivityDetailOut(ActivityOut):
    invitations = ActivityInvitationCountsOut(
        source="invitation_counts", read_only=True, help_text=_("Invitations of every congress taking part, by status.")
    )
    attendance = ActivityAttendanceCountsOut(
        source="attendance_counts", read_only=True, help_text=_("Attendance marks over all sittings, by status.")
    )

    class Meta(ActivityOut.Meta):
        fields = [*ActivityOut.Meta.fields, "report", "invitations", "attendance"]
        read_only_fields = fields


class ActivityInvitationOut(serializers.ModelSerializer):
    name = serializers.CharField(source="mandate.person.name", read_only=True)
    status = _choice(InvitationStatus)

    class Meta:
        model = Invitation
        fields = ["id", "activity", "mandate", "name", "status", "waitlisted_at", "responded_at", "decline_reason",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields


class ActivityAttendanceOut(serializers.ModelSerializer):
    activity = serializers.IntegerField(source="sitting.activity_id", read_only=True)
    mandate = serializers.IntegerField(source="invitation.mandate_id", read_only=True)
    status = _choice(AttendanceStatus)
    channel = _choice(Channel)

    class Meta:
        model = Attendance
        fields = ["id", "sitting", "activity", "invitation", "mandate", "status", "channel", "checked_in_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


# Inputs


class ActivityIn(serializers.ModelSerializer):
    """An activity's fields, on create (planned) and on PATCH; the services check who may and the rules."""

    kind = serializers.CharField(max_length=40, help_text=_("The activity kind's code (inspection, research, …)."))
    co_congresses = serializers.ListField(
        child=serializers.IntegerField(), required=False, max_length=100,
        help_text=_("Ids of the co-organising congresses; replaces the list."),
    )  # fmt: skip

    class Meta:
        model = Activity
        fields = ["congress", "kind", "title", "theme", "description", "organiser", "organiser_group",
                  "organiser_station", "co_congresses", "starts_on", "ends_on", "places", "capacity"]  # fmt: skip
        validators = []


class ActivitySittingIn(serializers.ModelSerializer):
    """A sitting's fields; `activity` on create only."""

    activity = serializers.IntegerField(help_text=_("The activity the sitting belongs to (on create)."))

    class Meta:
        model = Sitting
        fields = ["activity", "topic", "starts_at", "ends_at", "place"]
        validators = []


class ActivityParticipantIn(serializers.ModelSerializer):
    """A non-deputy participant's fields; `activity` on create only."""

    activity = serializers.IntegerField(help_text=_("The activity the person takes part in (on create)."))
    kind = serializers.CharField(max_length=10, help_text=_one_of(ParticipantKind))

    class Meta:
        model = Participant
        fields = ["activity", "kind", "name", "affiliation", "note"]
        validators = []


class ActivityReportIn(serializers.Serializer):
    report = serializers.CharField(max_length=50000, help_text=_("The activity's report (调研报告)."))
    findings = serializers.ListField(
        child=serializers.CharField(max_length=5000), required=False, max_length=200,
        help_text=_("The report's findings, numbered in this order."),
    )  # fmt: skip


class ActivityInviteIn(serializers.Serializer):
    mandates = serializers.ListField(
        child=serializers.IntegerField(), required=False, max_length=1000, help_text=_("Mandate ids to invite.")
    )
    filters = serializers.DictField(
        child=serializers.JSONField(), required=False,
        help_text=_("Invite every deputy the roster directory finds with these filters (the parameters of "
                    "/api/v1/mandates/: level, region, group, tag, occupation, grassroots …) whom you may invite "
                    "and who is not invited yet, instead of `mandates`."),
    )  # fmt: skip


class ActivityInvitedOut(serializers.Serializer):
    invited = serializers.ListField(child=serializers.IntegerField(), help_text=_("New invitation ids."))
    skipped = serializers.ListField(child=serializers.DictField(child=serializers.CharField()),
                                    help_text=_("Deputies left out: name and reason."))  # fmt: skip


class ActivityDraftIn(serializers.Serializer):
    lead = serializers.IntegerField(help_text=_("Mandate id of the lead deputy, one of the participants."))


class ActivityReferralIn(serializers.Serializer):
    unit = serializers.IntegerField(help_text=_("The handling unit's id."))
    workdays = serializers.IntegerField(help_text=_("Working days the unit has to answer."))


class ActivityReferralAnswerIn(serializers.Serializer):
    answer = serializers.CharField(max_length=10000, help_text=_("The unit's answer."))


class ActivityVoterReportIn(serializers.Serializer):
    """A deputy's report to voters and the voters' appraisal; recording it again corrects it (until closing)."""

    activity = serializers.IntegerField()
    mandate = serializers.IntegerField(help_text=_("The reporting deputy's mandate (accepted the invitation)."))
    text = serializers.CharField(max_length=30000)
    voters = serializers.IntegerField(help_text=_("Voters present."))
    satisfied = serializers.IntegerField(default=0)
    basically_satisfied = serializers.IntegerField(default=0)
    dissatisfied = serializers.IntegerField(default=0)


class ActivityDeclineIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("Why the deputy cannot take part."))


class ActivityMarkIn(serializers.Serializer):
    invitation = serializers.IntegerField()
    status = serializers.CharField(max_length=10, help_text=_one_of(AttendanceStatus))


class ActivityRollIn(serializers.Serializer):
    marks = ActivityMarkIn(many=True)


class ActivityRollOut(sittings.RollOut):
    pass


class ActivityCheckInIn(sittings.CheckInIn):
    pass
