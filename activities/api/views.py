"""Activities API: thin viewsets over congress.scope, activities.selectors and activities.services.

Lists filter and sync (`updated_since`, `?cursor=`); each workflow action is a POST that parses its input, calls
one service and answers with the changed record. Each congress's staff and clients read the activities of their
region tree (and the joint ones they co-organise), and the invitations and attendance of their own deputies; a
deputy reads the activities they are invited to and their own invitations."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from congress import scope
from congress.api.auth import ClientScopePermission
from congress.idempotency import IdempotentMixin

from .. import services
from ..models import Activity, Attendance, AttendanceStatus, Channel, Invitation, InvitationStatus, Sitting
from . import filters, serializers


class ActivitiesViewSet(IdempotentMixin, viewsets.GenericViewSet):
    api_scope = "activities"
    lookup_value_regex = r"[0-9]+"  # an id is a number: anything else is a 404, never a server error
    permission_classes = [permissions.IsAuthenticated, ClientScopePermission]

    def _input(self, serializer_class) -> dict:
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data


class ListRead(ActivitiesViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    pass


def _counts(queryset, choices) -> dict[str, int]:
    found = dict(queryset.values_list("status").annotate(n=Count("pk")).order_by())
    return {value: found.get(value, 0) for value in choices.values}


class ActivityViewSet(ListRead):
    """Activities of deputies (inspections, research, law-enforcement checks …) with their sittings and materials;
    a record adds its report and how many invitations and attendance marks it has, by status."""

    queryset = Activity.objects.all()
    serializer_class = serializers.ActivityOut
    filterset_class = filters.ActivityFilter
    search_fields = ["title", "theme"]
    ordering_fields = ["id", "starts_on", "updated_at"]

    def get_queryset(self):
        return (
            scope.visible(self.request.user, Activity)
            .prefetch_related("co_congresses", "materials", "sittings__activity")
            .order_by("-id")
        )

    @extend_schema(responses=serializers.ActivityDetailOut)
    def retrieve(self, request, *args, **kwargs):
        activity = self.get_object()
        activity.invitation_counts = _counts(Invitation.objects.filter(activity=activity), InvitationStatus)
        activity.attendance_counts = _counts(Attendance.objects.filter(sitting__activity=activity), AttendanceStatus)
        return Response(serializers.ActivityDetailOut(activity, context=self.get_serializer_context()).data)


class SittingViewSet(ListRead):
    """Sittings of activities; staff take the roll of their own deputies, deputies check in with the sitting's
    code."""

    queryset = Sitting.objects.all()
    serializer_class = serializers.ActivitySittingOut
    filterset_class = filters.ActivitySittingFilter
    ordering_fields = ["id", "starts_at", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Sitting).select_related("activity").order_by("-id")

    @extend_schema(request=serializers.ActivityRollIn, responses=serializers.ActivityRollOut)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record the roll for deputies who accepted: present, leave (absent with leave) or absent."""
        values = self._input(serializers.ActivityRollIn)
        sitting = get_object_or_404(self.get_queryset(), pk=pk)
        marks = {mark["invitation"]: mark["status"] for mark in values["marks"]}
        changed = services.record_attendance(actor=request.user, sitting_id=sitting.pk, marks=marks)
        return Response({"changed": changed})

    @extend_schema(request=serializers.ActivityCheckInIn, responses={201: serializers.ActivityAttendanceOut})
    @action(detail=False, methods=["post"], url_path="check-in")
    def check_in(self, request):
        """The calling deputy checks in with the code shown at the sitting, while check-in is open."""
        values = self._input(serializers.ActivityCheckInIn)
        attendance = services.check_in(actor=request.user, code=values["code"], channel=Channel.CODE)
        return Response(serializers.ActivityAttendanceOut(attendance).data, status=status.HTTP_201_CREATED)


class InvitationViewSet(ListRead):
    """Invitations to activities: a deputy's own, or a congress's own deputies' for its staff; the invited deputy
    accepts (a place, or the waiting list when the activity is full) or declines with a reason."""

    queryset = Invitation.objects.all()
    serializer_class = serializers.ActivityInvitationOut
    filterset_class = filters.ActivityInvitationFilter
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Invitation).select_related("mandate__person").order_by("-id")

    def _act(self, pk, name, **kwargs) -> Response:
        invitation = get_object_or_404(self.get_queryset(), pk=pk)
        getattr(services, name)(actor=self.request.user, invitation_id=invitation.pk, **kwargs)
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @extend_schema(request=None, responses=serializers.ActivityInvitationOut)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The invited deputy accepts: a free place, or the waiting list when the activity is full."""
        return self._act(pk, "accept")

    @extend_schema(request=serializers.ActivityDeclineIn, responses=serializers.ActivityInvitationOut)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The invited deputy declines, saying why; a place they held goes to the next in line."""
        return self._act(pk, "decline", reason=self._input(serializers.ActivityDeclineIn)["reason"])


class AttendanceViewSet(ListRead):
    """Attendance per sitting and deputy: a deputy's own, or a congress's own deputies' for its staff."""

    queryset = Attendance.objects.all()
    serializer_class = serializers.ActivityAttendanceOut
    filterset_class = filters.ActivityAttendanceFilter
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Attendance).select_related("sitting", "invitation").order_by("-id")
