"""Training API shapes. Deputies appear by mandate id and name only, never their phone or ID number.

Choice fields are plain strings naming their values in the help text: other apps already publish enums for
fields called status, kind and mode, and the schema generator would rename or merge them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.api import sittings

from ..models import (
    Attendance,
    AttendanceStatus,
    Channel,
    Course,
    CourseKind,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Goal,
    GoalKind,
    Material,
    Mode,
    Origin,
    Plan,
    PlanKind,
    Sitting,
)

_one_of, _choice = sittings.one_of, sittings.choice


class TrainingGoalOut(serializers.ModelSerializer):
    kind = _choice(GoalKind)
    level = serializers.CharField(read_only=True, help_text=_("Empty: the plan congress's own deputies."))
    course_kind = serializers.CharField(read_only=True, help_text=_("Empty: any course counts."))

    class Meta:
        model = Goal
        fields = ["id", "kind", "title", "target_percent", "min_courses", "within_months", "level",
                  "grassroots_only", "course_kind", "position"]  # fmt: skip
        read_only_fields = fields


class TrainingPlanOut(serializers.ModelSerializer):
    kind = _choice(PlanKind)
    goals = TrainingGoalOut(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "congress", "term", "kind", "parent", "year", "title", "start_date", "end_date", "description",
                  "goals", "updated_at"]  # fmt: skip
        read_only_fields = fields


class TrainingGoalCoverageOut(serializers.Serializer):
    goal = serializers.IntegerField(source="goal.pk")
    title = serializers.CharField(source="goal.__str__")
    population = serializers.IntegerField(help_text=_("Deputies the goal counts."))
    met = serializers.IntegerField(help_text=_("Deputies who reached it."))
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    target_percent = serializers.DecimalField(source="goal.target_percent", max_digits=5, decimal_places=2)
    reached = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.IntegerField(), source="missing_ids",
                                    help_text=_("Mandate ids of the deputies still missing."))  # fmt: skip


class TrainingMaterialOut(sittings.MaterialOut):
    file_route = "training:material"

    class Meta(sittings.MaterialOut.Meta):
        model = Material


class TrainingSittingOut(sittings.SittingOut):
    parent_field = "course"
    checkin_code = serializers.SerializerMethodField(help_text=_("Shown to the course's staff only."))

    class Meta:
        model = Sitting
        fields = ["id", "course", "number", "topic", "starts_at", "ends_at", "place", "checkin_code", "updated_at"]
        read_only_fields = fields


class TrainingCourseOut(serializers.ModelSerializer):
    kind = _choice(CourseKind)
    mode = _choice(Mode)
    status = _choice(CourseStatus)
    audience_levels = serializers.ListField(child=serializers.CharField(), read_only=True)
    audience_regions = serializers.ListField(child=serializers.CharField(), read_only=True)
    audience_groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sittings = TrainingSittingOut(many=True, read_only=True)
    materials = TrainingMaterialOut(many=True, read_only=True)

    class Meta:
        model = Course
        fields = [
            "id", "congress", "plan", "title", "kind", "mode", "description", "organiser", "place", "link",
            "capacity", "taken", "hours_per_sitting", "self_enrolment", "sign_up_until", "audience_levels",
            "audience_regions", "audience_groups", "new_deputies_only", "status", "starts_on", "ends_on",
            "published_at", "cancelled_at", "cancel_reason", "sittings", "materials", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class TrainingEnrolmentOut(serializers.ModelSerializer):
    name = serializers.CharField(source="mandate.person.name", read_only=True)
    origin = _choice(Origin)
    status = _choice(EnrolmentStatus)

    class Meta:
        model = Enrolment
        fields = ["id", "course", "mandate", "name", "origin", "status", "waitlisted_at", "responded_at", "note",
                  "hours", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields


class TrainingAttendanceOut(serializers.ModelSerializer):
    course = serializers.IntegerField(source="sitting.course_id", read_only=True)
    mandate = serializers.IntegerField(source="enrolment.mandate_id", read_only=True)
    status = _choice(AttendanceStatus)
    channel = _choice(Channel)

    class Meta:
        model = Attendance
        fields = ["id", "sitting", "course", "enrolment", "mandate", "status", "channel", "checked_in_at", "hours",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


class TrainingHoursOut(serializers.Serializer):
    mandate = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="person.name")
    congress = serializers.IntegerField(source="congress_id")
    hours = serializers.DecimalField(source="training_hours", max_digits=8, decimal_places=1)
    courses = serializers.IntegerField(source="training_courses", help_text=_("Courses with credited hours."))


class TrainingNominationOut(serializers.Serializer):
    nominated = serializers.ListField(child=serializers.IntegerField(), help_text=_("New enrolment ids."))
    waitlisted = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Enrolment ids on the waiting list.")
    )
    skipped = serializers.ListField(child=serializers.DictField(child=serializers.CharField()),
                                    help_text=_("Deputies left out: name and reason."))  # fmt: skip


# Inputs


class TrainingNominateIn(serializers.Serializer):
    mandates = serializers.ListField(child=serializers.IntegerField(), required=False,
                                     help_text=_("Mandate ids to nominate."))  # fmt: skip
    new_deputies = serializers.BooleanField(
        default=False, help_text=_("Nominate every new deputy of the term in the course's audience instead.")
    )


class TrainingSignUpIn(serializers.Serializer):
    mandate = serializers.IntegerField(help_text=_("Your mandate you sign up under."))


class TrainingEnrolmentNoteIn(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class TrainingMarkIn(serializers.Serializer):
    enrolment = serializers.IntegerField()
    status = serializers.CharField(max_length=10, help_text=_one_of(AttendanceStatus))


class TrainingRollIn(serializers.Serializer):
    marks = TrainingMarkIn(many=True)


class TrainingRollOut(sittings.RollOut):
    pass


class TrainingCheckInIn(sittings.CheckInIn):
    pass
