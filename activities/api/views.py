"""Activities API: thin viewsets over congress.scope, activities.selectors and activities.services.

Lists filter and sync (`updated_since`, `?cursor=`); each write parses its input, calls the one service the
console calls and answers with the changed record. Each congress's staff and clients read the activities of their
region tree (and the joint ones they co-organise), and the invitations and attendance of their own deputies; a
deputy reads the activities they are invited to and their own invitations. The organising congress's staff run the
activity (its fields, sittings, course, report, findings, participants); staff of a co-organising congress invite
and take the roll of their own deputies and record their reports to voters; the services decide, as on the pages."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from congress import scope
from congress.api import sittings
from deputies.filters import DirectoryFilter
from deputies.selectors import roster

from .. import selectors, services
from ..models import (
    Activity,
    Attendance,
    AttendanceStatus,
    Channel,
    Finding,
    Invitation,
    InvitationStatus,
    Participant,
    Sitting,
    VoterReport,
)
from . import filters, serializers


class ActivitiesViewSet(sittings.AppViewSet):
    api_scope = "activities"


class PartsOfActivity(sittings.ListRead, ActivitiesViewSet):
    """A record that belongs to one activity (a sitting, a non-deputy participant): created under the activity
    named in the body (one the caller sees: else 404), changed by PATCH, both through the service `save`."""

    input_class = None

    def save(self, actor, obj):
        raise NotImplementedError

    def _saved(self, obj, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=obj.pk)).data, code)

    def create(self, request):
        values = dict(self._input(self.input_class))
        activity = get_object_or_404(scope.visible(request.user, Activity), pk=values.pop("activity"))
        obj = self.save(request.user, self.queryset.model(activity=activity, **values))
        return self._saved(obj, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        values = dict(self._input(self.input_class, partial=True))
        values.pop("activity", None)
        return self._saved(self.save(request.user, _apply(get_object_or_404(self.get_queryset(), pk=pk), values)))


class ListRead(sittings.ListRead, ActivitiesViewSet):
    pass


def _counts(queryset, choices) -> dict[str, int]:
    found = dict(queryset.values_list("status").annotate(n=Count("pk")).order_by())
    return {value: found.get(value, 0) for value in choices.values}


def _apply(instance, values: dict):
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


class ActivityViewSet(ListRead):
    """Activities of deputies (inspections, research, law-enforcement checks …) with their sittings and materials;
    a record adds its report and how many invitations and attendance marks it has, by status. The organising
    congress's staff create and change them and move them on: send the invitations, start, submit the report,
    close."""

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

    def _activity(self, pk) -> Activity:
        return get_object_or_404(scope.visible(self.request.user, Activity), pk=pk)

    def _detail(self, pk, code=status.HTTP_200_OK) -> Response:
        activity = get_object_or_404(self.get_queryset(), pk=pk)
        activity.invitation_counts = _counts(Invitation.objects.filter(activity=activity), InvitationStatus)
        activity.attendance_counts = _counts(Attendance.objects.filter(sitting__activity=activity), AttendanceStatus)
        return Response(serializers.ActivityDetailOut(activity, context=self.get_serializer_context()).data, code)

    @extend_schema(responses=serializers.ActivityDetailOut)
    def retrieve(self, request, *args, **kwargs):
        return self._detail(kwargs["pk"])

    @staticmethod
    def _fields(values: dict) -> tuple[dict, list | None]:
        values = dict(values)
        co_congresses = values.pop("co_congresses", None)
        if "kind" in values:
            values["kind_id"] = values.pop("kind")
        return values, co_congresses

    @extend_schema(request=serializers.ActivityIn, responses={201: serializers.ActivityDetailOut})
    def create(self, request):
        """Plan an activity of the caller's congress (staff): it starts planned."""
        values, co_congresses = self._fields(self._input(serializers.ActivityIn))
        activity = services.save_activity(actor=request.user, activity=Activity(**values), co_congresses=co_congresses)
        return self._detail(activity.pk, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ActivityIn, responses=serializers.ActivityDetailOut)
    def partial_update(self, request, pk=None):
        """Change the activity's fields (the organising congress's staff, until it is closed)."""
        values, co_congresses = self._fields(self._input(serializers.ActivityIn, partial=True))
        activity = _apply(self._activity(pk), values)
        services.save_activity(actor=request.user, activity=activity, co_congresses=co_congresses)
        return self._detail(activity.pk)

    def _move(self, pk, name, **kwargs) -> Response:
        getattr(services, name)(actor=self.request.user, activity_id=self._activity(pk).pk, **kwargs)
        return self._detail(pk)

    @extend_schema(request=None, responses=serializers.ActivityDetailOut)
    @action(detail=True, methods=["post"], url_path="send-invitations", url_name="send-invitations")
    def send_invitations(self, request, pk=None):
        """Send the invitations: the invited deputies may answer from now on and are told."""
        return self._move(pk, "send_invitations")

    @extend_schema(request=None, responses=serializers.ActivityDetailOut)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """The activity is under way."""
        return self._move(pk, "start")

    @extend_schema(request=serializers.ActivityReportIn, responses=serializers.ActivityDetailOut)
    @action(detail=True, methods=["post"], url_path="submit-report", url_name="submit-report")
    def submit_report(self, request, pk=None):
        """Submit the report (调研报告) with its findings, numbered in the order given."""
        values = self._input(serializers.ActivityReportIn)
        return self._move(pk, "submit_report", report=values["report"], findings=values.get("findings", []))

    @extend_schema(request=None, responses=serializers.ActivityDetailOut)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the activity: its attendance is frozen (changed only by a recorded correction)."""
        return self._move(pk, "close")

    @extend_schema(request=serializers.ActivityInviteIn, responses=serializers.ActivityInvitedOut)
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """Invite deputies (the caller's congress's own) by mandate ids, or all the roster directory's `filters`
        find; a deputy is invited once per activity."""
        values = self._input(serializers.ActivityInviteIn)
        activity = self._activity(pk)
        if "filters" in values:
            filterset = DirectoryFilter(
                {key: str(value) for key, value in values["filters"].items()} or None,
                queryset=roster(request.user),
                request=request,
            )
            found = selectors.invitable_found(request.user, activity, filterset)
            if found is None:
                raise ValidationError({"filters": filterset.errors or [_("Give at least one filter.")]})
            ids = list(found.values_list("pk", flat=True)[: selectors.INVITE_AT_ONCE])
        else:
            ids = values.get("mandates", [])
        result = services.invite(actor=request.user, activity_id=activity.pk, mandate_ids=ids)
        data = {
            "invited": [i.pk for i in result.invited],
            "skipped": [{"name": name, "reason": str(reason)} for name, reason in result.skipped],
        }
        return Response(serializers.ActivityInvitedOut(data).data)


@extend_schema_view(
    create=extend_schema(
        request=serializers.ActivitySittingIn,
        responses={201: serializers.ActivitySittingOut},
        description="Add a sitting to an activity (numbered next).",
    ),
    partial_update=extend_schema(
        request=serializers.ActivitySittingIn,
        responses=serializers.ActivitySittingOut,
        description="Move a sitting or change its topic and place.",
    ),
)
class SittingViewSet(sittings.SittingActions, PartsOfActivity):
    """Sittings of activities: the organising congress's staff add and move them; staff take the roll of their own
    deputies, deputies check in with the sitting's code."""

    queryset = Sitting.objects.all()
    serializer_class = serializers.ActivitySittingOut
    filterset_class = filters.ActivitySittingFilter
    ordering_fields = ["id", "starts_at", "updated_at"]
    services = services
    mark_key = "invitation"
    attendance_out = serializers.ActivityAttendanceOut
    input_class = serializers.ActivitySittingIn

    def get_queryset(self):
        return scope.visible(self.request.user, Sitting).select_related("activity").order_by("-id")

    def save(self, actor, obj):
        return services.save_sitting(actor=actor, sitting=obj)

    @extend_schema(request=serializers.ActivityRollIn, responses=serializers.ActivityRollOut)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record the roll for deputies who accepted: present, leave (absent with leave) or absent."""
        return self.take_roll(request, pk, serializers.ActivityRollIn)

    @extend_schema(request=serializers.ActivityCheckInIn, responses={201: serializers.ActivityAttendanceOut})
    @action(detail=False, methods=["post"], url_path="check-in")
    def check_in(self, request):
        """The calling deputy checks in with the code shown at the sitting, while check-in is open."""
        return self.check_in_with_code(request, serializers.ActivityCheckInIn, Channel.CODE)


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
        return self._run(pk, getattr(services, name), "invitation_id", **kwargs)

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


@extend_schema_view(
    create=extend_schema(
        request=serializers.ActivityParticipantIn,
        responses={201: serializers.ActivityParticipantOut},
        description="Record a non-deputy participant of an activity.",
    ),
    partial_update=extend_schema(
        request=serializers.ActivityParticipantIn,
        responses=serializers.ActivityParticipantOut,
        description="Change a participant's record.",
    ),
)
class ParticipantViewSet(PartsOfActivity):
    """Citizens, experts and others taking part who are not deputies, recorded by the organising congress's staff
    (its region tree reads them)."""

    queryset = Participant.objects.all()
    serializer_class = serializers.ActivityParticipantOut
    filterset_class = filters.ActivityParticipantFilter
    ordering_fields = ["id", "updated_at"]
    input_class = serializers.ActivityParticipantIn

    def get_queryset(self):
        return scope.visible(self.request.user, Participant).order_by("-id")

    def save(self, actor, obj):
        return services.save_participant(actor=actor, participant=obj)


class FindingViewSet(ListRead):
    """The findings of activities' reports and what each became: the organising congress's staff turn a finding,
    once, into a suggestion draft for the participants or a referral to a unit, and record the unit's answer."""

    queryset = Finding.objects.all()
    serializer_class = serializers.ActivityFindingOut
    filterset_class = filters.ActivityFindingFilter
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, Finding).select_related("outcome").order_by("-id")

    def _decide(self, pk, name, **kwargs) -> Response:
        return self._run(pk, getattr(services, name), "finding_id", **kwargs)

    @extend_schema(request=serializers.ActivityDraftIn, responses=serializers.ActivityFindingOut)
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        """Turn the finding into a suggestion draft led by one participant, the others invited to co-sign."""
        return self._decide(pk, "finding_to_draft", lead_id=self._input(serializers.ActivityDraftIn)["lead"])

    @extend_schema(request=serializers.ActivityReferralIn, responses=serializers.ActivityFindingOut)
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        """Refer the finding to a handling unit, to answer within working days."""
        values = self._input(serializers.ActivityReferralIn)
        return self._decide(pk, "finding_to_unit", unit_id=values["unit"], workdays=values["workdays"])

    @extend_schema(request=serializers.ActivityReferralAnswerIn, responses=serializers.ActivityFindingOut)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Record the unit's answer to the referred finding; its deadline is met."""
        answer = self._input(serializers.ActivityReferralAnswerIn)["answer"]
        return self._decide(pk, "record_referral_answer", answer=answer)


class VoterReportViewSet(ListRead):
    """Deputies' reports to voters (述职) with the voters' appraisal: each congress's staff record their own
    deputies'; a deputy reads their own."""

    queryset = VoterReport.objects.all()
    serializer_class = serializers.ActivityVoterReportOut
    filterset_class = filters.ActivityVoterReportFilter
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return scope.visible(self.request.user, VoterReport).select_related("mandate__person").order_by("-id")

    @extend_schema(request=serializers.ActivityVoterReportIn, responses={201: serializers.ActivityVoterReportOut})
    def create(self, request):
        """Record a deputy's report to voters, or correct it (same activity and deputy) until the activity closes."""
        values = dict(self._input(serializers.ActivityVoterReportIn))
        activity = get_object_or_404(scope.visible(request.user, Activity), pk=values.pop("activity"))
        report = services.record_voter_report(
            actor=request.user, activity_id=activity.pk, mandate_id=values.pop("mandate"), **values
        )
        return Response(self.get_serializer(report).data, status.HTTP_201_CREATED)
