"""Training API: thin viewsets over congress.scope, training.selectors and training.services.

Lists filter and sync (`updated_since`, `?cursor=`); each workflow action is a POST that parses its input,
calls one service and answers with the changed record."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from congress import params, scope
from congress.api import sittings
from deputies.models import Mandate

from .. import selectors, services
from ..models import Attendance, Channel, Course, Enrolment, Plan, Sitting
from . import filters, serializers


class TrainingViewSet(sittings.AppViewSet):
    api_scope = "training"


class ListRead(sittings.ListRead, TrainingViewSet):
    pass


class PlanViewSet(ListRead):
    """Five-year and annual training plans with their goals; `coverage` says how far each goal stands."""

    queryset = Plan.objects.all()
    serializer_class = serializers.TrainingPlanOut
    filterset_class = filters.PlanFilter
    ordering_fields = ["id", "start_date", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Plan).prefetch_related("goals").order_by("-id")

    @extend_schema(responses=serializers.TrainingGoalCoverageOut(many=True))
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        plan = get_object_or_404(self.get_queryset().select_related("congress__region"), pk=pk)
        scope.require(request.user, "training.view_coverage", plan)
        return Response(serializers.TrainingGoalCoverageOut(selectors.coverage(plan), many=True).data)


class CourseViewSet(ListRead):
    """Training courses (培训班) with their sittings and materials; staff nominate, deputies sign up."""

    queryset = Course.objects.all()
    serializer_class = serializers.TrainingCourseOut
    filterset_class = filters.CourseFilter
    search_fields = ["title"]
    ordering_fields = ["id", "starts_on", "updated_at"]

    def get_queryset(self):
        return (
            scope.visible(self.request.user, Course)
            .prefetch_related("audience_groups", "materials", "sittings__course")
            .order_by("-id")
        )

    def _course(self, pk) -> Course:
        return get_object_or_404(scope.visible(self.request.user, Course), pk=pk)

    @extend_schema(request=serializers.TrainingNominateIn, responses=serializers.TrainingNominationOut)
    @action(detail=True, methods=["post"])
    def nominate(self, request, pk=None):
        """Nominate deputies (点名) by mandate ids, or every new deputy of the term with `new_deputies`."""
        values = self._input(serializers.TrainingNominateIn)
        course = self._course(pk)
        if values["new_deputies"]:
            result = services.nominate_new_deputies(actor=request.user, course_id=course.pk)
        elif values.get("mandates"):
            result = services.nominate(actor=request.user, course_id=course.pk, mandate_ids=values["mandates"])
        else:
            raise ValidationError({"mandates": ["Give mandate ids or set new_deputies."]})
        data = {
            "nominated": [e.pk for e in result.nominated],
            "waitlisted": [e.pk for e in result.waitlisted],
            "skipped": [{"name": name, "reason": str(reason)} for name, reason in result.skipped],
        }
        return Response(serializers.TrainingNominationOut(data).data)

    @extend_schema(request=serializers.TrainingSignUpIn, responses={201: serializers.TrainingEnrolmentOut})
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        """The calling deputy signs up (报名): a place while places last, else the waiting list."""
        values = self._input(serializers.TrainingSignUpIn)
        enrolment = services.sign_up(actor=request.user, course_id=self._course(pk).pk, mandate_id=values["mandate"])
        return Response(serializers.TrainingEnrolmentOut(enrolment).data, status=status.HTTP_201_CREATED)


class SittingViewSet(sittings.SittingActions, ListRead):
    """Sittings of courses; staff take the roll, deputies check in with the sitting's code."""

    queryset = Sitting.objects.all()
    serializer_class = serializers.TrainingSittingOut
    filterset_class = filters.SittingFilter
    ordering_fields = ["id", "starts_at", "updated_at"]
    services = services
    mark_key = "enrolment"
    attendance_out = serializers.TrainingAttendanceOut

    def get_queryset(self):
        return scope.visible(self.request.user, Sitting).select_related("course").order_by("-id")

    @extend_schema(request=serializers.TrainingRollIn, responses=serializers.TrainingRollOut)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record the roll: present, leave (absent with leave) or absent for confirmed deputies."""
        return self.take_roll(request, pk, serializers.TrainingRollIn)

    @extend_schema(request=serializers.TrainingCheckInIn, responses={201: serializers.TrainingAttendanceOut})
    @action(detail=False, methods=["post"], url_path="check-in")
    def check_in(self, request):
        """The calling deputy checks in with the code shown at the sitting, while check-in is open."""
        return self.check_in_with_code(request, serializers.TrainingCheckInIn, Channel.CODE)


class EnrolmentViewSet(ListRead):
    """Places on courses: a deputy's own, or a congress's for its staff; the actions follow the workflow."""

    queryset = Enrolment.objects.all()
    serializer_class = serializers.TrainingEnrolmentOut
    filterset_class = filters.EnrolmentFilter
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Enrolment).select_related("mandate__person").order_by("-id")

    def _act(self, pk, name, **kwargs) -> Response:
        return self._run(pk, getattr(services, name), "enrolment_id", **kwargs)

    @extend_schema(request=None, responses=serializers.TrainingEnrolmentOut)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """The nominated deputy takes the place."""
        return self._act(pk, "confirm")

    @extend_schema(request=serializers.TrainingEnrolmentNoteIn, responses=serializers.TrainingEnrolmentOut)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The nominated deputy cannot come."""
        return self._act(pk, "decline", note=self._input(serializers.TrainingEnrolmentNoteIn).get("note", ""))

    @extend_schema(request=None, responses=serializers.TrainingEnrolmentOut)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Staff confirm a sign-up."""
        return self._act(pk, "approve")

    @extend_schema(request=serializers.TrainingEnrolmentNoteIn, responses=serializers.TrainingEnrolmentOut)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """Staff refuse a sign-up, with the reason in `note`."""
        return self._act(pk, "refuse", note=self._input(serializers.TrainingEnrolmentNoteIn).get("note", ""))

    @extend_schema(request=serializers.TrainingEnrolmentNoteIn, responses=serializers.TrainingEnrolmentOut)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The deputy (or staff) gives up the place; the waiting list moves up."""
        return self._act(pk, "cancel", note=self._input(serializers.TrainingEnrolmentNoteIn).get("note", ""))


class AttendanceViewSet(ListRead):
    """Attendance per sitting and deputy, with the credit hours each present mark earned."""

    queryset = Attendance.objects.all()
    serializer_class = serializers.TrainingAttendanceOut
    filterset_class = filters.AttendanceFilter
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Attendance).select_related("sitting", "enrolment").order_by("-id")


class HoursViewSet(TrainingViewSet, mixins.ListModelMixin):
    """Credit hours per deputy (mandate), all years or one (`year`); only deputies with hours are listed."""

    queryset = Mandate.objects.all()
    serializer_class = serializers.TrainingHoursOut
    filterset_class = filters.HoursFilter

    def get_queryset(self):
        return scope.visible(self.request.user, Mandate).select_related("person").order_by("-id")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return selectors.mandate_hours(queryset, params.year(self.request.query_params))
