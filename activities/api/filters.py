import django_filters

from congress.api import sittings
from congress.api.filters import SyncFilterSet

from ..models import (
    Activity,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Finding,
    Invitation,
    InvitationStatus,
    Participant,
    ParticipantKind,
    Sitting,
    VoterReport,
)


class ActivityFilter(SyncFilterSet):
    kind = django_filters.CharFilter(field_name="kind_id", label="Activity kind code (inspection, research, …)")
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices)
    congress = django_filters.NumberFilter(field_name="congress", label="Organising congress id")
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte", label="First day on or after")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte", label="First day on or before")

    class Meta:
        model = Activity
        fields = ["congress", "kind", "status"]


class ActivitySittingFilter(sittings.SittingFilter):
    class Meta:
        model = Sitting
        fields = ["activity"]


class ActivityInvitationFilter(SyncFilterSet):
    status = django_filters.ChoiceFilter(choices=InvitationStatus.choices)
    person = django_filters.NumberFilter(field_name="person", label="Deputy's person id (any mandate)")

    class Meta:
        model = Invitation
        fields = ["activity", "mandate"]


class ActivityAttendanceFilter(SyncFilterSet):
    status = django_filters.ChoiceFilter(choices=AttendanceStatus.choices)
    activity = django_filters.NumberFilter(field_name="sitting__activity")
    mandate = django_filters.NumberFilter(field_name="invitation__mandate")

    class Meta:
        model = Attendance
        fields = ["sitting", "invitation"]


class ActivityParticipantFilter(SyncFilterSet):
    kind = django_filters.ChoiceFilter(choices=ParticipantKind.choices)

    class Meta:
        model = Participant
        fields = ["activity"]


class ActivityFindingFilter(SyncFilterSet):
    taken_up = django_filters.BooleanFilter(field_name="outcome", lookup_expr="isnull", exclude=True,
                                            label="Taken up (a draft or a referral) or not")  # fmt: skip

    class Meta:
        model = Finding
        fields = ["activity"]


class ActivityVoterReportFilter(SyncFilterSet):
    class Meta:
        model = VoterReport
        fields = ["activity", "mandate"]
