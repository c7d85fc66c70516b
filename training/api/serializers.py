"""Training API shapes. Deputies appear by mandate id and name only, never their phone or ID number.

Choice fields are plain strings naming their values in the help text: other apps already publish enums for
fields called status, kind and mode, and the schema generator would rename or merge them."""

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congress import scope

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


def _one_of(choices):
    return lazy(lambda: gettext("One of: %(values)s") % {"values": ", ".join(choices.values)}, str)()


def _choice(choices, **kwargs):
    return serializers.CharField(read_only=True, help_text=_one_of(choices), **kwargs)


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


class TrainingMaterialOut(serializers.ModelSerializer):
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
        path = reverse("training:material", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class TrainingSittingOut(serializers.ModelSerializer):
    checkin_code = serializers.SerializerMethodField(help_text=_("Shown to the course's staff only."))

    class Meta:
        model = Sitting
        fields = ["id", "course", "number", "topic", "starts_at", "ends_at", "place", "checkin_code", "updated_at"]
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
            staff = self.context["staff_congresses"] = scope.congress_ids(request.user)
        return obj.checkin_code if obj.course.congress_id in staff else None


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


class TrainingRollOut(serializers.Serializer):
    changed = serializers.IntegerField()


class TrainingCheckInIn(serializers.Serializer):
    code = serializers.CharField(max_length=12)
