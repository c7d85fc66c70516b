import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from congress import params
from congress.api.filters import SyncFilterSet

from ..models import Assignment, AssignmentStatus, Category, KeySupervision, Kind, Status, Suggestion
from ..selectors import overdue_q


def _session(queryset, name, value):
    """A session id, or "between" for what was raised between sessions."""
    if value == "between":
        return queryset.filter(session__isnull=True)
    session = params.as_identifier(value)
    if session is None:
        raise ValidationError({"session": [_('Give a session id or "between".')]})
    return queryset.filter(session_id=session)


SESSION_LABEL = 'Session id, or "between" for suggestions made between sessions'


class SuggestionFilter(SyncFilterSet):
    session = django_filters.CharFilter(method=_session, label=SESSION_LABEL)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    unit = django_filters.NumberFilter(method="filter_unit", label="Assigned to this handling unit (not released)")
    deputy = django_filters.NumberFilter(field_name="lead", label="Lead deputy's mandate id")
    person = django_filters.NumberFilter(field_name="lead__person", label="Lead deputy's person id (any mandate)")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="A unit's reply is overdue")
    key_supervision = django_filters.BooleanFilter(method="filter_key", label="Under key supervision")
    region = django_filters.CharFilter(
        field_name="region_code", lookup_expr="startswith", label="Division code of the congress's region (subtree)"
    )

    class Meta:
        model = Suggestion
        fields = ["congress", "category"]

    def filter_unit(self, queryset, name, value):
        live = Assignment.objects.filter(suggestion_id=OuterRef("pk"), unit_id=value).exclude(
            status=AssignmentStatus.RELEASED
        )
        return queryset.filter(Exists(live))

    def filter_overdue(self, queryset, name, value):
        late = Exists(Assignment.objects.filter(overdue_q(timezone.localdate()), suggestion_id=OuterRef("pk")))
        return queryset.filter(late if value else ~late)

    def filter_key(self, queryset, name, value):
        chosen = Exists(KeySupervision.suggestions.through.objects.filter(suggestion_id=OuterRef("pk")))
        return queryset.filter(chosen if value else ~chosen)


class AssignmentFilter(SyncFilterSet):
    session = django_filters.CharFilter(method=_session, label=SESSION_LABEL)
    status = django_filters.ChoiceFilter(choices=AssignmentStatus.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Reply (or co-handling opinion) overdue")

    class Meta:
        model = Assignment
        fields = ["unit", "congress", "suggestion"]

    def filter_overdue(self, queryset, name, value):
        late = overdue_q(timezone.localdate())
        return queryset.filter(late if value else ~late)


class CategoryFilter(SyncFilterSet):
    class Meta:
        model = Category
        fields = ["congress", "parent", "is_active"]


class KeySupervisionFilter(SyncFilterSet):
    open = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", label="Not closed")

    class Meta:
        model = KeySupervision
        fields = ["congress", "year", "leader", "committee"]
