import django_filters

from congress.api import sittings
from congress.api.filters import SyncFilterSet

from ..models import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseKind,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Plan,
    Sitting,
)


class PlanFilter(SyncFilterSet):
    class Meta:
        model = Plan
        fields = ["congress", "term", "kind", "year", "parent"]


class CourseFilter(SyncFilterSet):
    kind = django_filters.ChoiceFilter(choices=CourseKind.choices)
    status = django_filters.ChoiceFilter(choices=CourseStatus.choices)
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte", label="First day on or after")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte", label="First day on or before")

    class Meta:
        model = Course
        fields = ["congress", "plan", "mode"]


class SittingFilter(sittings.SittingFilter):
    class Meta:
        model = Sitting
        fields = ["course"]


class EnrolmentFilter(SyncFilterSet):
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices)
    person = django_filters.NumberFilter(field_name="mandate__person", label="Deputy's person id (any mandate)")

    class Meta:
        model = Enrolment
        fields = ["course", "mandate", "origin"]


class AttendanceFilter(SyncFilterSet):
    status = django_filters.ChoiceFilter(choices=AttendanceStatus.choices)
    course = django_filters.NumberFilter(field_name="sitting__course")
    mandate = django_filters.NumberFilter(field_name="enrolment__mandate")

    class Meta:
        model = Attendance
        fields = ["sitting", "enrolment"]


class HoursFilter(django_filters.FilterSet):
    congress = django_filters.NumberFilter(field_name="congress")
    person = django_filters.NumberFilter(field_name="person")
    year = django_filters.NumberFilter(method="filter_year", label="Count only the hours of sittings in this year")

    class Meta:
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset  # the view counts the hours of that year (see TrainingHoursViewSet.filter_queryset)
