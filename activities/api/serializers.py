"""Activities API shapes. Deputies appear by mandate id and name only, never their phone or ID number.

Choice fields are plain strings naming their values in the help text, as in the training API: other apps already
publish enums for fields called status and kind, and the schema generator would rename or merge them."""

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congress import scope
from congress.models import Role

from ..models import (
    Activity,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Channel,
    Invitation,
    InvitationStatus,
    Material,
    Sitting,
)


def _one_of(choices):
    return lazy(lambda: gettext("One of: %(values)s") % {"values": ", ".join(choices.values)}, str)()


def _choice(choices, **kwargs):
    return serializers.CharField(read_only=True, help_text=_one_of(choices), **kwargs)


class ActivityMaterialOut(serializers.ModelSerializer):
    file = serializers.SerializerMethodField(label=_("file"))

    class Meta:
        model = Material
        fields = ["id", "title", "file", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, obj):
        # The page that checks access before handing the file out: stored files have no public address.
        if not obj.file:
            return None
        path = reverse("activities:material", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ActivitySittingOut(serializers.ModelSerializer):
    checkin_code = serializers.SerializerMethodField(help_text=_("Shown to the organising congress's staff only."))

    class Meta:
        model = Sitting
        fields = ["id", "activity", "number", "topic", "starts_at", "ends_at", "place", "checkin_code", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_checkin_code(self, obj):
        request = self.context.get("request")
        if request is None:
            return None
        if request.user.is_superuser:
            return obj.checkin_code
        staff = self.context.get("staff_congresses")
        if staff is None:
            staff = self.context["staff_congresses"] = scope.congress_ids(request.user, (Role.STAFF,))
        return obj.checkin_code if obj.activity.congress_id in staff else None


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


class ActivityDeclineIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("Why the deputy cannot take part."))


class ActivityMarkIn(serializers.Serializer):
    invitation = serializers.IntegerField()
    status = serializers.CharField(max_length=10, help_text=_one_of(AttendanceStatus))


class ActivityRollIn(serializers.Serializer):
    marks = ActivityMarkIn(many=True)


class ActivityRollOut(serializers.Serializer):
    changed = serializers.IntegerField()


class ActivityCheckInIn(serializers.Serializer):
    code = serializers.CharField(max_length=12)
